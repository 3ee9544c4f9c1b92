#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the CPython reference programs and compare with tests/expected/.

Every tests/pyref/*.py except vloop.py and check.py is a program.  Each is
run with the current interpreter (or --python) and its stdout must equal
tests/expected/<name>.txt byte for byte.  The exit status must be 1 when the
expected output ends with an ``uncaught ...`` line (the main coroutine
raised, see vloop.run), 0 otherwise.

    python3 tests/pyref/check.py                  # check all
    python3 tests/pyref/check.py NAME...          # check some
    python3 tests/pyref/check.py --regenerate     # rewrite expected files

--regenerate runs each program twice and refuses to write an expected file
when the two runs differ, or when the exit status is not 0/1 as described.

Exit status: 0 all passed, 1 some failed or the interpreter is not
CPython 3.11 (the expected files are 3.11's: 3.12 rewrote wait_for).  Never
77, meson's "skip": a comparison that does not run proves nothing.  Works
from any current directory.
"""

import argparse
import difflib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED_DIR = os.path.join(os.path.dirname(HERE), "expected")
NOT_PROGRAMS = {"vloop", "check", "run_listing", "check_scenarios"}
# Version the expected files were generated with.
REFERENCE_VERSION = "3.11.7"
UNCAUGHT_RE = re.compile(r"^\[ *-?[0-9]+\.[0-9]{3}\] uncaught \S")
TIMEOUT = 60


def programs():
    names = []
    for f in sorted(os.listdir(HERE)):
        if f.endswith(".py") and f[:-3] not in NOT_PROGRAMS:
            names.append(f[:-3])
    return names


def child_env():
    env = dict(os.environ)
    for var in ("PYTHONASYNCIODEBUG", "PYTHONDEVMODE", "PYTHONWARNINGS",
                "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME",
                "PYTHONTRACEMALLOC"):
        env.pop(var, None)
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_program(python, name):
    """Return (stdout_text, stderr_text, returncode)."""
    path = os.path.join(HERE, name + ".py")
    try:
        p = subprocess.run([python, path], cwd=HERE, env=child_env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "", "timed out after %d s (real time)\n" % TIMEOUT, -1
    return (p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"), p.returncode)


def expected_status(text):
    lines = text.splitlines()
    return 1 if lines and UNCAUGHT_RE.match(lines[-1]) else 0


def interpreter_version(python):
    out = subprocess.run(
        [python, "-c", "import sys, platform; print(platform."
         "python_implementation(), '%d.%d.%d' % sys.version_info[:3])"],
        stdout=subprocess.PIPE, env=child_env(), check=True)
    impl, version = out.stdout.decode().split()
    return impl, version


def show_failure(name, why, stderr, diff=None):
    print("FAIL %s: %s" % (name, why))
    if diff:
        for line in diff:
            print("    " + line.rstrip("\n"))
    if stderr.strip():
        print("    stderr:")
        for line in stderr.rstrip("\n").split("\n")[-20:]:
            print("    | " + line)


def check(python, names):
    passed = failed = 0
    for name in names:
        exp_path = os.path.join(EXPECTED_DIR, name + ".txt")
        if not os.path.exists(exp_path):
            show_failure(name, "no expected file %s" % exp_path, "")
            failed += 1
            continue
        with open(exp_path, encoding="utf-8", newline="") as f:
            expected = f.read()
        out, err, rc = run_program(python, name)
        want_rc = expected_status(expected)
        if out != expected:
            diff = list(difflib.unified_diff(
                expected.splitlines(True), out.splitlines(True),
                "expected/%s.txt" % name, "actual", n=2))
            show_failure(name, "output differs (exit status %d)" % rc, err,
                         diff[:80])
            failed += 1
        elif rc != want_rc:
            show_failure(name, "exit status %d, expected %d" % (rc, want_rc),
                         err)
            failed += 1
        else:
            print("PASS %s" % name)
            passed += 1
    return passed, failed


def regenerate(python, names):
    os.makedirs(EXPECTED_DIR, exist_ok=True)
    passed = failed = 0
    for name in names:
        out1, err1, rc1 = run_program(python, name)
        out2, err2, rc2 = run_program(python, name)
        if (out1, rc1) != (out2, rc2):
            show_failure(name, "not deterministic (two runs differ)", err1)
            failed += 1
            continue
        if rc1 != expected_status(out1):
            show_failure(name, "exit status %d does not match its output "
                         "(0, or 1 with a final 'uncaught' line)" % rc1, err1)
            failed += 1
            continue
        exp_path = os.path.join(EXPECTED_DIR, name + ".txt")
        old = None
        if os.path.exists(exp_path):
            with open(exp_path, encoding="utf-8", newline="") as f:
                old = f.read()
        if old != out1:
            with open(exp_path, "w", encoding="utf-8", newline="") as f:
                f.write(out1)
            print("WROTE %s" % os.path.relpath(exp_path))
        else:
            print("SAME %s" % name)
        if err1.strip():
            print("    note: %s wrote to stderr:" % name)
            for line in err1.rstrip("\n").split("\n")[-5:]:
                print("    | " + line)
        passed += 1
    return passed, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="programs to run (default: all)")
    ap.add_argument("--regenerate", action="store_true",
                    help="rewrite tests/expected/<name>.txt")
    ap.add_argument("--python", default=sys.executable,
                    help="interpreter to run the programs with "
                         "(default: the one running this script)")
    args = ap.parse_args()

    impl, version = interpreter_version(args.python)
    if impl != "CPython" or not version.startswith("3.11."):
        print("FAIL: the reference programs need CPython 3.11, %s is %s %s"
              % (args.python, impl, version))
        return 1
    if version != REFERENCE_VERSION:
        print("note: expected files were generated with CPython %s, "
              "running %s%s" % (REFERENCE_VERSION, version,
                                " (with vloop's backports of 3.11.7's fixes)"
                                if tuple(map(int, version.split("."))) < (3, 11, 7)
                                else ""))

    all_names = programs()
    names = args.names or all_names
    unknown = [n for n in names if n not in all_names]
    if unknown:
        print("unknown program(s): %s" % ", ".join(unknown))
        return 2
    stale = []
    if not args.regenerate and not args.names:
        # a C twin may still compare itself with such a file, which CPython
        # no longer vouches for
        stale = sorted(f[:-4] for f in os.listdir(EXPECTED_DIR)
                       if f.endswith(".txt") and f[:-4] not in all_names)
        if stale:
            print("FAIL: expected files without a program: %s" % ", ".join(stale))

    if args.regenerate:
        passed, failed = regenerate(args.python, names)
        print("%d regenerated, %d failed" % (passed, failed))
    else:
        passed, failed = check(args.python, names)
        failed += len(stale)
        print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
