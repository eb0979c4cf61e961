#!/usr/bin/env python3
"""Fails when a source file includes a header of a higher layer.

The layers of src/, lowest first (a file may include its own layer and the ones below):
    util < domain < storage < services, events, seed < accounts < http < api < app < main.cpp
so that rules (domain) never depend on I/O, storage never on the operations over it, and so on up
to the command line. Prints every include that goes upwards, with file and line, and exits 1 if
there is any.

usage: check-layers.py [SRC_DIR]   (default: src/ beside this script's folder)
"""
import os
import re
import sys

LAYERS = {
    'util': 0,
    'domain': 1,
    'storage': 2,
    'services': 3, 'events': 3, 'seed': 3,
    'accounts': 4,
    'http': 5,
    'api': 6,
    'app': 7,
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(path: str):
    """The layer of a path relative to src/ ('api/bills_routes.cpp'), or None (generated, main)."""
    top = path.split('/', 1)[0]
    if top == 'main.cpp':
        return len(LAYERS) + 1, 'main'
    if top in LAYERS:
        return LAYERS[top], top
    return None


def main() -> int:
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src')
    src = os.path.normpath(src)
    upward = []
    files = 0
    for dirpath, _, names in os.walk(src):
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
    for u in upward:
        print(u)
    print(f'layers: {files} files, {len(upward)} includes of a higher layer')
    return 1 if upward else 0


if __name__ == '__main__':
    sys.exit(main())
