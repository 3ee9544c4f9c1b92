# SPDX-License-Identifier: MIT
"""Check (or --regenerate) what CPython prints for each scenario's listing.

For every deterministic scenario, tests/expected-scenarios/ID.txt is what
`python3 run_listing.py` prints for the chapter's listing, data/scenarios/
ID.py (the chapter's code under one line naming its source). Where that
cannot run as printed, or the scenario's knobs must be set for the two to
be comparable, tests/scenario-ref/ID.diff is a unified diff applied to the
listing first: the smallest mechanical change, explained in the text above
its first hunk, which also names the knobs the C side sets ("Knob: NAME=V"
lines). The diff must apply exactly (no fuzz, no offset), so a listing that
changes cannot silently drift from its patch. The C test
(tests/test-scenarios.c) compares Loopscope's console, under zh_CN, with
the same files. Randomised scenarios are listed in RANDOMISED and checked
by invariants instead.

Prints "N passed, M failed"; fails (exit 1) on anything but CPython 3.11,
never skips.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
LISTINGS = os.path.join(TOP, "data", "scenarios")
PATCHES = os.path.join(TOP, "tests", "scenario-ref")
EXPECTED = os.path.join(TOP, "tests", "expected-scenarios")
RANDOMISED = {"serial-vs-concurrent", "queue", "producer-consumer", "stress"}
# Compared by their own invariants: their output shows response lengths
# that depend on the HTTP stack, which the aiohttp stand-in cannot match.
NOT_COMPARED = {"http-fetch"}


def apply_patch(text, diff, name):
    """Apply a unified diff to text, exactly: every context and removed line
    must be where the hunk header says."""
    lines = text.split("\n")
    out = []
    pos = 0
    hunks = re.split(r"^(@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@.*)$", diff, flags=re.M)
    if len(hunks) < 3:
        raise ValueError("%s: no hunk" % name)
    for header, body in zip(hunks[1::2], hunks[2::2]):
        start = int(re.match(r"@@ -(\d+)", header).group(1)) - 1
        if start < pos:
            raise ValueError("%s: hunks out of order" % name)
        out += lines[pos:start]
        pos = start
        for line in body.split("\n"):
            if line == "" or line.startswith("\\"):
                continue
            tag, rest = line[0], line[1:]
            if tag in " -":
                if pos >= len(lines) or lines[pos] != rest:
                    raise ValueError("%s: line %d is %r, the patch expects %r"
                                     % (name, pos + 1, lines[pos] if pos < len(lines) else None,
                                        rest))
                pos += 1
                if tag == " ":
                    out.append(rest)
            elif tag == "+":
                out.append(rest)
            else:
                raise ValueError("%s: bad line %r" % (name, line))
    return "\n".join(out + lines[pos:])


def listing_for(sid, tmp):
    """The listing to run: the chapter's, or it with tests/scenario-ref/ID.diff applied."""
    listing = os.path.join(LISTINGS, sid + ".py")
    patch = os.path.join(PATCHES, sid + ".diff")
    if not os.path.exists(patch):
        return listing
    with open(listing, encoding="utf-8") as f:
        text = f.read()
    with open(patch, encoding="utf-8") as f:
        diff = f.read()
    patched = os.path.join(tmp, sid + ".py")
    with open(patched, "w", encoding="utf-8") as f:
        f.write(apply_patch(text, diff[diff.index("\n--- "):], os.path.relpath(patch, TOP)))
    return patched


def run(sid, tmp):
    p = subprocess.run([sys.executable, os.path.join(HERE, "run_listing.py"), listing_for(sid, tmp)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120,
                       env=dict(os.environ, PYTHONHASHSEED="0"))
    return p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument("--write-listings", metavar="DIR",
                    help="only write each listing as it is run (patched where a diff says so) "
                         "to DIR/ID.py")
    ap.add_argument("ids", nargs="*")
    args = ap.parse_args()
    if args.write_listings:
        for sid in args.ids:
            listing = listing_for(sid, args.write_listings)
            if listing != os.path.join(args.write_listings, sid + ".py"):
                shutil.copyfile(listing, os.path.join(args.write_listings, sid + ".py"))
        return 0
    if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
        print("FAIL: needs CPython 3.11, %s is %s %s" % (
            sys.executable, sys.implementation.name, sys.version.split()[0]))
        return 1
    ids = args.ids or sorted(f[:-3] for f in os.listdir(LISTINGS) if f.endswith(".py"))
    passed = failed = 0
    tmp = tempfile.mkdtemp(prefix="loopscope-scenario-ref-")
    stale = sorted(f for f in os.listdir(PATCHES) if not f.endswith(".diff")
                   or f[:-5] not in ids)
    if stale and not args.ids:
        print("FAIL: files in tests/scenario-ref that patch no listing: %s" % ", ".join(stale))
        failed += 1
    for sid in ids:
        if sid in RANDOMISED or sid in NOT_COMPARED:
            continue
        out, err = run(sid, tmp)
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
    shutil.rmtree(tmp)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
