#!/usr/bin/env python3
"""Adds up the results of every test run and prints "N passed, N failed".

Reads three kinds of file, told apart by name:
  *testlog*.txt   meson test logs: the doctest summary of each test program;
  *.tap           TAP output of node --test (the browser tests): "# pass N" and "# fail N";
  *steps.txt      one line per step of scripts/test that is not a test program: "passed NAME".
A test program that crashed or failed without a summary counts as one failed test case, so a broken
binary can never look like a pass. Every failure is named on a line of its own before the count, with
its first error, so that a run whose output was cut still says what failed.
"""
import re
import sys

CASES = re.compile(r'\[doctest\] test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed(?:\s*\|\s*(\d+) skipped)?')
RESULT = re.compile(r'^={10,}\s*$')
TEST_CASE = re.compile(r'^TEST CASE:\s+(.*)$')
ERROR = re.compile(r'\bERROR:')  # doctest: "file:line: ERROR: CHECK( … ) is NOT correct!", "FATAL ERROR:"
failures = []  # "what: first error", in the order found


def doctest_failures(program: str, block: str):
    """Names the doctest cases of one program's output that reported an error."""
    case, named = None, set()
    lines = block.splitlines()
    for i, line in enumerate(lines):
        m = TEST_CASE.match(line)
        if m:
            case = m.group(1).strip()
            continue
        if case and ERROR.search(line) and case not in named:
            named.add(case)
            # What the test logged with the check (INFO, CHECK_MESSAGE): often the reason itself.
            logged = ''
            for follow in lines[i + 1:i + 6]:
                if follow.strip().startswith('logged:'):
                    logged = ' | ' + ' '.join(follow.split())[:400]
                    break
            failures.append(f'{program} / {case}: {line.strip()[:200]}{logged}')
    return len(named)


def parse(path: str):
    passed = failed = skipped = 0
    text = open(path, encoding='utf-8', errors='replace').read()
    # One block per test in meson's testlog.txt, each starting with "==================== N/M ====".
    blocks = re.split(r'\n=+ \d+/\d+ =+\n', text)
    for block in blocks[1:]:
        result = re.search(r'^result:\s+(.*)$', block, re.M)
        name = re.search(r'^test:\s+(.*)$', block, re.M)
        program = name.group(1).strip() if name else path
        found = CASES.findall(block)
        if any(int(f[2]) for f in found):
            doctest_failures(program, block)
        for total, ok, bad, skip in found:
            passed += int(ok)
            failed += int(bad)
            skipped += int(skip or 0)
        if result and not result.group(1).startswith('exit status 0') and not any(int(f[2]) for f in found):
            failed += 1  # crashed, timed out or failed outside doctest
            failures.append(f'{program}: {result.group(1).strip()}')
        if not found and result and result.group(1).startswith('exit status 0'):
            passed += 1  # a non-doctest test (script) that passed
    return passed, failed, skipped


TAP_COUNT = re.compile(r'^# (pass|fail|cancelled) (\d+)\s*$', re.M)


def parse_tap(path: str):
    text = open(path, encoding='utf-8', errors='replace').read()
    counts = {k: int(v) for k, v in TAP_COUNT.findall(text)}
    for m in re.finditer(r'^\s*not ok \d+ - (.*)$', text, re.M):
        failures.append(f'browser / {m.group(1).strip()}')
    if 'pass' not in counts:
        return 0, 1, 0  # the runner died before its summary
    return counts['pass'], counts.get('fail', 0) + counts.get('cancelled', 0), 0


def parse_steps(path: str):
    passed = failed = 0
    for line in open(path, encoding='utf-8', errors='replace'):
        word = line.split(' ', 1)[0].strip()
        if word == 'passed':
            passed += 1
        elif word:
            failed += 1
            failures.append(f'step: {line.strip()}')
    return passed, failed, 0


def parse_any(path: str):
    if path.endswith('.tap'):
        return parse_tap(path)
    if path.endswith('steps.txt'):
        return parse_steps(path)
    return parse(path)


def main() -> int:
    seen = set()
    passed = failed = skipped = 0
    for path in sys.argv[1:]:
        if path in seen:
            continue
        seen.add(path)
        try:
            p, f, s = parse_any(path)
        except OSError as e:
            print(f'cannot read {path}: {e}', file=sys.stderr)
            failed += 1
            continue
        passed, failed, skipped = passed + p, failed + f, skipped + s
    for f in failures:
        print(f'FAILED {f}')
    line = f'{passed} passed, {failed} failed'
    if skipped:
        line += f', {skipped} skipped'
    print(line)
    return 1 if failed or passed == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
