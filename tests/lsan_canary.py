#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prove that LeakSanitizer, with tests/lsan.supp, catches Loopscope's leaks.

    lsan_canary.py CANARY [BINARY...]

Runs the canary (tests/lsan-canary.c, built only with -Db_sanitize=address)
under the environment the sanitizer tests get (ASAN_OPTIONS, LSAN_OPTIONS
with the suppressions, G_SLICE=always-malloc):

* without --plant it must exit 0 and report no leak: the suppressions cover
  what the libraries keep for the life of the process while Loopscope draws;
* with --plant it must fail with a direct leak whose stack runs from cairo
  (cairo_image_surface_create, whose frames Debian's cairo leaves unnamed)
  to the canary's plant_leak(): a suppression that hid it (such as a whole
  library Loopscope calls) fails this test;
* no BINARY (Loopscope's executables) may import a fontconfig symbol: the
  suppressions hide every leak under fontconfig because Loopscope never
  calls it, so nothing of Loopscope's can be allocated there.
"""
import os
import re
import shutil
import subprocess
import sys


def run(canary, *args):
    p = subprocess.run([canary, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def main():
    canary = sys.argv[1]
    for var in ("ASAN_OPTIONS", "LSAN_OPTIONS"):
        print("%s=%s" % (var, os.environ.get(var, "")))
    if "suppressions=" not in os.environ.get("LSAN_OPTIONS", ""):
        print("FAIL: LSAN_OPTIONS names no suppressions file")
        return 1

    nm = shutil.which("nm")
    if nm is None:
        print("FAIL: nm (binutils) is needed to read the binaries' imports")
        return 1
    for binary in [canary] + sys.argv[2:]:
        imports = subprocess.run([nm, "-D", "--undefined-only", binary], check=True,
                                 stdout=subprocess.PIPE).stdout.decode().split()
        fc = sorted(s for s in imports if s.startswith("Fc"))
        if fc:
            print("FAIL: %s calls fontconfig (%s): tests/lsan.supp would hide its leaks"
                  % (binary, ", ".join(fc[:5])))
            return 1
    print("PASS: no fontconfig imports in %s" % ", ".join(
        os.path.basename(b) for b in [canary] + sys.argv[2:]))

    status, out = run(canary)
    if status != 0 or "leak of" in out:
        print("FAIL: the clean run reported leaks or failed (exit status %d):" % status)
        print(out[-6000:])
        return 1
    print("PASS: the clean run draws and frees everything, no leak reported")

    status, out = run(canary, "--plant")
    leaks = re.split(r"\n(?=(?:Direct|Indirect) leak of)", out)
    planted = [b for b in leaks if b.startswith("Direct leak of")
               and "libcairo.so" in b and "plant_leak" in b]
    if status == 0 or not planted:
        print("FAIL: the planted surface was not reported (exit status %d):" % status)
        print(out[-6000:])
        return 1
    print("PASS: the planted surface is reported (exit status %d):" % status)
    print(planted[0].strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
