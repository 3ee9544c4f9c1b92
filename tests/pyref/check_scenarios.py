# SPDX-License-Identifier: MIT
"""Check (or --regenerate) what CPython prints for each scenario's listing.

For every deterministic scenario, tests/expected-scenarios/ID.txt is what
`python3 run_listing.py` prints for the chapter's listing (data/scenarios/
ID.py, or tests/scenario-ref/ID.py where the scenario runs what a broken
listing means). The C test (tests/test-scenarios.c) compares Loopscope's
console, under zh_CN, with the same files. Randomised scenarios are listed
in RANDOMISED and checked by invariants instead.

Prints "N passed, M failed"; fails (exit 1) on anything but CPython 3.11,
never skips.
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
LISTINGS = os.path.join(TOP, "data", "scenarios")
OVERRIDES = os.path.join(TOP, "tests", "scenario-ref")
EXPECTED = os.path.join(TOP, "tests", "expected-scenarios")
RANDOMISED = {"serial-vs-concurrent", "queue", "producer-consumer", "stress"}
# Compared by their own invariants: their output shows response lengths
# that depend on the HTTP stack, which the aiohttp stand-in cannot match.
NOT_COMPARED = {"http-fetch"}


def listing_for(sid):
    override = os.path.join(OVERRIDES, sid + ".py")
    return override if os.path.exists(override) else os.path.join(LISTINGS, sid + ".py")


def run(sid):
    p = subprocess.run([sys.executable, os.path.join(HERE, "run_listing.py"), listing_for(sid)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120,
                       env=dict(os.environ, PYTHONHASHSEED="0"))
    return p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument("ids", nargs="*")
    args = ap.parse_args()
    if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
        print("FAIL: needs CPython 3.11, %s is %s %s" % (
            sys.executable, sys.implementation.name, sys.version.split()[0]))
        return 1
    ids = args.ids or sorted(f[:-3] for f in os.listdir(LISTINGS) if f.endswith(".py"))
    passed = failed = 0
    for sid in ids:
        if sid in RANDOMISED or sid in NOT_COMPARED:
            continue
        out, err = run(sid)
        path = os.path.join(EXPECTED, sid + ".txt")
        if args.regenerate:
            os.makedirs(EXPECTED, exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(out)
            print("WROTE", os.path.relpath(path, TOP))
            passed += 1
            continue
        with open(path, encoding="utf-8") as f:
            want = f.read()
        if out == want:
            print("PASS", sid)
            passed += 1
        else:
            print("FAIL", sid)
            print(out)
            print(err[-2000:])
            failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
