#!/usr/bin/env python3
"""Fails when a source file includes a header of a higher layer, or holds SQL where none belongs.

The layers of src/, lowest first (a file may include its own layer and the ones below):
    util < domain < storage < services, events, seed < accounts, sync < http < api < app < main.cpp
so that rules (domain) never depend on I/O, storage never on the operations over it, and so on up
to the command line.

SQL has one home, src/storage/ (each table's statements with its row mapping, in
src/storage/tables/): no string literal in the folders of SQL_FREE holds SQL text (SELECT ... FROM,
INSERT INTO, UPDATE ... SET, DELETE FROM, CREATE TABLE, WITH ... AS, or a clause of one such as
" FROM bags b" or " WHERE "). Keywords count in capitals only, as the statements are written, so
a sentence for a person ("Select an area") is no SQL. Comments are not looked at.

Prints every include that goes upwards and every literal with SQL, with file and line, and exits
1 if there is any.

usage: check-layers.py [SRC_DIR]   (default: src/ beside this script's folder)
       check-layers.py --self-test (plants each kind of breach in a temporary tree, and a clean one)
"""
import os
import re
import sys

LAYERS = {
    'util': 0,
    'domain': 1,
    'storage': 2,
    'services': 3, 'events': 3, 'seed': 3,
    'accounts': 4, 'sync': 4,
    'http': 5,
    'api': 6,
    'app': 7,
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

# The folders of src/ whose files hold no SQL text: the statements are storage's. Not listed:
# storage itself, events (the PostgreSQL relay's own NOTIFY statement) and seed (the bulk writer of
# the generated benchmark data set, which inserts rows by the million outside the services).
SQL_FREE = ('util', 'domain', 'services', 'accounts', 'sync', 'http', 'api', 'app')
# A string literal (no raw strings: none are used for SQL), and what makes its text SQL.
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
SQL = re.compile(
    r'\bSELECT\b.*\bFROM\b|\bSELECT\s+(?:\*|[a-z_]+[.,(]|COUNT\b|DISTINCT\b)'
    r'|\bINSERT\s+INTO\b|\bUPDATE\s+[a-z_]+\s+SET\b|\bDELETE\s+FROM\b'
    r'|\bCREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|VIEW)\b|\bWITH\s+(?:RECURSIVE\s+)?[a-z_]+\s+AS\b'
    r'|\b(?:FROM|JOIN)\s+[a-z_]+(?:\s+[a-z]\w*)?\s*(?:$|\bWHERE\b|\bON\b|\bJOIN\b|\bLEFT\b|,)'
    r'|\bWHERE\s+[a-z_.]+\s*(?:=|<|>|IN\b|IS\b|LIKE\b)|\b(?:ORDER|GROUP)\s+BY\s+[a-z_0-9]'
    r'|\bON\s+CONFLICT\b|\bRETURNING\s+[a-z_]')


def layer_of(path: str):
    """The layer of a path relative to src/ ('api/bills_routes.cpp'), or None (generated, main)."""
    top = path.split('/', 1)[0]
    if top == 'main.cpp':
        return len(LAYERS) + 1, 'main'
    if top in LAYERS:
        return LAYERS[top], top
    return None


def code_of(line: str) -> str:
    """The line without a // comment (one outside a string literal)."""
    out, inside, i = [], False, 0
    while i < len(line):
        c = line[i]
        if inside and c == '\\':
            out.append(line[i:i + 2])
            i += 2
            continue
        if c == '"':
            inside = not inside
        elif not inside and line.startswith('//', i):
            break
        out.append(c)
        i += 1
    return ''.join(out)


def sql_literals(path: str, rel: str):
    """The lines of a file of SQL_FREE whose string literals hold SQL text."""
    found = []
    in_block = False
    with open(path, encoding='utf-8') as fh:
        for number, line in enumerate(fh, 1):
            if in_block:
                if '*/' not in line:
                    continue
                line = line.split('*/', 1)[1]
                in_block = False
            code = code_of(line)
            if '/*' in code and '*/' not in code.split('/*', 1)[1]:
                code = code.split('/*', 1)[0]
                in_block = True
            for m in LITERAL.finditer(code):
                if SQL.search(m.group(1)):
                    found.append(f'src/{rel}:{number}: SQL text in {rel.split("/", 1)[0]}/ '
                                 f'(its statements belong in src/storage/tables/): "{m.group(1)[:60]}"')
                    break
    return found


def check(src: str):
    """The breaches of src/ (includes of a higher layer, SQL text where none belongs) and the
    number of files looked at."""
    upward = []
    files = 0
    for dirpath, dirs, names in os.walk(src):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(('.cpp', '.hpp')):
                continue
            path = os.path.relpath(os.path.join(dirpath, name), src).replace(os.sep, '/')
            mine = layer_of(path)
            if mine is None:
                continue
            files += 1
            with open(os.path.join(dirpath, name), encoding='utf-8') as fh:
                for number, line in enumerate(fh, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    theirs = layer_of(m.group(1))
                    if theirs is not None and theirs[0] > mine[0]:
                        upward.append(f'src/{path}:{number}: {mine[1]} includes {m.group(1)} ({theirs[1]} is a higher layer)')
    sql = []
    for folder in SQL_FREE:
        top = os.path.join(src, folder)
        for dirpath, dirs, names in os.walk(top):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, src).replace(os.sep, '/')
                if name.endswith(('.cpp', '.hpp')):
                    sql += sql_literals(path, rel)
    return upward, sql, files


def self_test() -> int:
    """Plants each breach in a temporary tree and expects the check to find it, and nothing in a
    clean tree; 0 when it behaves."""
    import tempfile
    clean = {
        'domain/rules.hpp': '#pragma once\n#include "util/ids.hpp"\n',
        'storage/tables/areas.cpp': '#include "storage/tables/areas.hpp"\n'
                                    'constexpr auto k = "SELECT id FROM areas WHERE lower(name) = lower($1)";\n',
        'services/areas.cpp': '#include "storage/tables/areas.hpp"\n'
                              '// SELECT id FROM areas: a comment names a statement, which is no SQL text\n'
                              'const char* m = "Select an area, then press Update.";\n',
        'api/areas.cpp': '#include "services/areas.hpp"\nconst char* r = "/api/v1/areas";\n',
    }
    planted = {
        'an upward include': ('domain/rules.hpp', '#include "services/areas.hpp"\n', 'includes services/areas.hpp'),
        'a SELECT in services': ('services/areas.cpp',
                                 'auto q = "SELECT id, name FROM areas WHERE id = $1";\n', 'SQL text in services/'),
        'an INSERT in api': ('api/areas.cpp', 'auto q = "INSERT INTO areas (uid, name) VALUES ($1, $2)";\n',
                             'SQL text in api/'),
        'a clause in services': ('services/areas.cpp', 'sql += " FROM bags b LEFT JOIN areas a ON a.id = b.area_id";\n',
                                 'SQL text in services/'),
    }

    def tree(root, extra=None):
        for rel, text in clean.items():
            if extra and extra[0] == rel:
                text += extra[1]
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), 'w', encoding='utf-8') as fh:
                fh.write(text)

    failures = []
    with tempfile.TemporaryDirectory() as root:
        tree(root)
        upward, sql, _ = check(root)
        if upward or sql:
            failures.append(f'a clean tree fails: {upward + sql}')
    for what, (rel, text, expected) in planted.items():
        with tempfile.TemporaryDirectory() as root:
            tree(root, (rel, text))
            upward, sql, _ = check(root)
            breaches = upward + sql
            if len(breaches) != 1 or expected not in breaches[0] or f'src/{rel}:' not in breaches[0]:
                failures.append(f'{what}: expected one breach in src/{rel} saying "{expected}", got {breaches}')
    for f in failures:
        print(f'self-test: {f}')
    print(f'layers self-test: {len(planted)} planted breaches and a clean tree, {len(failures)} failures')
    return 1 if failures else 0


def main() -> int:
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src')
    upward, sql, files = check(os.path.normpath(src))
    for breach in upward + sql:
        print(breach)
    print(f'layers: {files} files, {len(upward)} includes of a higher layer, '
          f'{len(sql)} lines with SQL text in {", ".join("src/" + f + "/" for f in SQL_FREE)}')
    return 1 if upward or sql else 0


if __name__ == '__main__':
    sys.exit(main())
