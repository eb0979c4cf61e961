#!/usr/bin/env python3
"""Fails when the web interface breaks one of its rules of layout.

The rules, checked in web/ (the interface that is compiled into the binary):
  - only web/app/api.js (the transport) and web/app/api/ (one module per resource) write /api/v1,
    so every route the pages use is written once, next to its SPEC section. Any line of any other
    script of web/app/ holding the literal /api/v1 fails, comments included: the check is a plain
    search with no JavaScript parser, and a route quoted in a comment goes stale like one in code
    (comments elsewhere name the module, e.g. "api/reports.js", or the route without /api/v1);
  - no file under web/app/pages/ imports one under web/app/pages/ (import, re-export, or import()
    of a literal path): a page is one address, and what pages share lives in web/app/components/;
  - web_files in web/meson.build lists every file of web/ a browser loads (.html, .css, .svg, .js,
    .mjs, .wasm; web/vendor/ too, which is in the same list), and nothing that is not a file of
    web/: a file left out of the list is missing from the binary, so a depot box answers 404 for
    it, and only on the page that needs it;
  - the live event types web/app/live.js listens to (EVENT_TYPES) are those the server publishes
    (publish(d, "type", ...) in src/api/): an event the stream sends and no page hears is a change
    the dashboard misses. The server's list is read from its sources, so the check needs src/
    beside web/.
Prints every breach with file and line, and exits 1 if there is any.

usage: check-web.py [WEB_DIR]   (default: web/ beside this script's folder)
       check-web.py --self-test (plants each kind of breach in a temporary tree, and a clean one)
"""
import os
import re
import sys

API_PATH = '/api/v1'
SERVED = ('.html', '.css', '.svg', '.js', '.mjs', '.wasm')
# The specifiers a script loads: import statements (one may span lines), re-exports, import().
IMPORTS = (
    re.compile(r'''^\s*import\s+(?:[\w$*{}\s,]+?\s+from\s*)?['"]([^'"]+)['"]''', re.M),
    re.compile(r'''^\s*export\s+(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*['"]([^'"]+)['"]''', re.M),
    re.compile(r'''\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)'''),
)
LIST_START = re.compile(r'^\s*web_files\s*=\s*files\(')
LISTED = re.compile(r"'([^']+)'")


def scripts(app: str):
    """Every script under web/app/, as (path relative to web/app, absolute path), sorted."""
    found = []
    for dirpath, dirs, names in os.walk(app):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(('.js', '.mjs')):
                path = os.path.join(dirpath, name)
                found.append((os.path.relpath(path, app).replace(os.sep, '/'), path))
    return found


def api_paths(app: str):
    """The lines outside the API modules that name an /api/v1 path."""
    breaches = []
    for rel, path in scripts(app):
        if rel == 'api.js' or rel.startswith('api/'):
            continue
        with open(path, encoding='utf-8') as fh:
            for number, line in enumerate(fh, 1):
                if API_PATH in line:
                    breaches.append(f'web/app/{rel}:{number}: names {API_PATH} (call a module of web/app/api/ instead)')
    return breaches


def imports_of(path: str):
    """The (line, specifier) of every import, re-export and import() with a literal path of a
    script, the line being the one of the specifier."""
    with open(path, encoding='utf-8') as fh:
        text = fh.read()
    found = []
    for pattern in IMPORTS:
        for m in pattern.finditer(text):
            found.append((text.count('\n', 0, m.start(1)) + 1, m.group(1)))
    return sorted(found)


def page_imports(web: str):
    """The imports by which a page reaches another page."""
    app = os.path.join(web, 'app')
    pages = os.path.join(app, 'pages') + os.sep
    breaches = []
    for rel, path in scripts(app):
        if not path.startswith(pages):
            continue
        for number, spec in imports_of(path):
            if spec.startswith('/'):
                target = os.path.normpath(os.path.join(web, spec.lstrip('/')))  # served from web/ at /
            elif spec.startswith('.'):
                target = os.path.normpath(os.path.join(os.path.dirname(path), spec))
            else:
                continue
            if target.startswith(pages):
                theirs = os.path.relpath(target, web).replace(os.sep, '/')
                breaches.append(f'web/app/{rel}:{number}: a page imports the page web/{theirs} '
                                f'(move what they share to web/app/components/)')
    return breaches


def embedded_list(web: str):
    """The files web/meson.build lists in web_files, as {path relative to web/: line}, and the line
    where the list starts (0 when there is none)."""
    listed = {}
    start = 0
    with open(os.path.join(web, 'meson.build'), encoding='utf-8') as fh:
        inside = False
        for number, line in enumerate(fh, 1):
            if not inside and LIST_START.match(line):
                inside = True
                start = number
                line = line.split('(', 1)[1]
            if inside:
                code = line.split('#', 1)[0]
                for name in LISTED.findall(code):
                    listed[name] = number
                if ')' in code:
                    break
    return listed, start


def embedded(web: str):
    """The files of web/ a browser loads that web_files lacks, and the names it lists that are no
    file of web/."""
    listed, start = embedded_list(web)
    if not start:
        return ['web/meson.build:1: no "web_files = files(" list']
    served = set()
    for dirpath, _, names in os.walk(web):
        for name in names:
            if name.endswith(SERVED):
                served.add(os.path.relpath(os.path.join(dirpath, name), web).replace(os.sep, '/'))
    breaches = []
    for name in sorted(served - set(listed)):
        breaches.append(f'web/meson.build:{start}: web_files lacks {name} (it would not be in the binary)')
    for name, number in sorted(listed.items(), key=lambda item: item[1]):
        if not os.path.isfile(os.path.join(web, name)):
            breaches.append(f'web/meson.build:{number}: web_files names {name}, which is not a file of web/')
    return breaches


PUBLISHED = re.compile(r'''\bpublish\(\s*d\s*,\s*"([a-z_]+)"''')
LISTENED = re.compile(r'''^const EVENT_TYPES = \[([^\]]*)\];''', re.M)


def event_types(web: str):
    """The differences between the event types the server publishes and those live.js hears."""
    api = os.path.join(os.path.dirname(web), 'src', 'api')
    published = set()
    for name in sorted(os.listdir(api)) if os.path.isdir(api) else []:
        if name.endswith('.cpp'):
            with open(os.path.join(api, name), encoding='utf-8') as fh:
                published.update(PUBLISHED.findall(fh.read()))
    live = os.path.join(web, 'app', 'live.js')
    with open(live, encoding='utf-8') as fh:
        m = LISTENED.search(fh.read())
    if not m:
        return ['web/app/live.js:1: no "const EVENT_TYPES = [...]" list']
    heard = set(re.findall(r"'([a-z_]+)'", m.group(1)))
    breaches = []
    for t in sorted(published - heard):
        breaches.append(f'web/app/live.js: EVENT_TYPES lacks "{t}", which src/api/ publishes')
    for t in sorted(heard - published):
        breaches.append(f'web/app/live.js: EVENT_TYPES has "{t}", which nothing in src/api/ publishes')
    return breaches


def check(web: str):
    """The breaches of web/ by rule: (/api/v1 paths, page imports, list differences, event
    differences), and the number of scripts."""
    app = os.path.join(web, 'app')
    return (api_paths(app), page_imports(web), embedded(web), event_types(web)), len(scripts(app))


def self_test() -> int:
    """Plants each breach in a temporary tree (web/ and src/api/ beside it) and expects the check
    to find it, and nothing in a clean tree; 0 when it behaves."""
    import tempfile
    clean = {
        'web/meson.build': "web_files = files(\n  'index.html',\n  'app/api.js',\n  'app/api/bags.js',\n"
                           "  'app/live.js',\n  'app/pages/bag.js',\n  'app/pages/bags.js',\n"
                           "  'app/components/bag-row.js',\n)\n",
        'web/index.html': '<script type="module" src="/app/pages/bags.js"></script>\n',
        'web/app/api.js': "export const base = '/api/v1';\n",
        'web/app/api/bags.js': "export const bags = () => fetch('/api/v1/bags');\n",
        'web/app/live.js': "const EVENT_TYPES = ['scan'];\n",
        'web/app/pages/bag.js': "import { bagRow } from '../components/bag-row.js';\n",
        'web/app/pages/bags.js': "import { bags } from '../api/bags.js';\n// the list (api/bags.js)\n",
        'web/app/components/bag-row.js': 'export const bagRow = 1;\n',
        'src/api/scans.cpp': 'publish(d, "scan", body);\n',
    }
    planted = {
        'a page importing a page': ('web/app/pages/bags.js', "import { bagRow } from './bag.js';\n",
                                    'a page imports the page web/app/pages/bag.js'),
        'an /api/v1 literal outside web/app/api': ('web/app/pages/bag.js', "fetch('/api/v1/bags/1');\n",
                                                   f'names {API_PATH}'),
        'a file missing from web_files': ('web/app/components/extra.js', 'export const x = 1;\n',
                                          'web_files lacks app/components/extra.js'),
        'an event nobody hears': ('src/api/scans.cpp', 'publish(d, "bill", body);\n',
                                  'EVENT_TYPES lacks "bill"'),
    }

    def tree(root, extra=None):
        files = dict(clean)
        if extra:
            files[extra[0]] = files.get(extra[0], '') + extra[1]
        for rel, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), 'w', encoding='utf-8') as fh:
                fh.write(text)
        return os.path.join(root, 'web')

    failures = []
    with tempfile.TemporaryDirectory() as root:
        found = [b for rule in check(tree(root))[0] for b in rule]
        if found:
            failures.append(f'a clean tree fails: {found}')
    for what, (rel, text, expected) in planted.items():
        with tempfile.TemporaryDirectory() as root:
            found = [b for rule in check(tree(root, (rel, text)))[0] for b in rule]
            if len(found) != 1 or expected not in found[0]:
                failures.append(f'{what}: expected one breach saying "{expected}", got {found}')
    for f in failures:
        print(f'self-test: {f}')
    print(f'web self-test: {len(planted)} planted breaches and a clean tree, {len(failures)} failures')
    return 1 if failures else 0


def main() -> int:
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    web = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'web')
    web = os.path.normpath(os.path.abspath(web))
    (api, pages, files, events), script_count = check(web)
    for breach in api + pages + files + events:
        print(breach)
    print(f'web: {script_count} scripts, {len(api)} {API_PATH} paths outside web/app/api, '
          f'{len(pages)} imports of a page by a page, {len(files)} differences between web/ and web/meson.build, '
          f'{len(events)} differences between the event types published and heard')
    return 1 if api or pages or files or events else 0


if __name__ == '__main__':
    sys.exit(main())
