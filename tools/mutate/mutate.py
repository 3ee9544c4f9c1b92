#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Mutation testing for Loopscope: plant one small, plausible bug at a time
and check that the tests notice.

The mutants are listed in tools/mutate/mutants.json (what each one changes,
in which area, and why a tired person could write it). Each is applied to a
scratch copy of the source tree (never to the tree itself), the targets that
the area's tests need are rebuilt there, and the area's tests run. A mutant
is killed when a test fails or times out, survives when they all pass, and
is invalid when it does not apply or does not compile (its entry must be
fixed). The mutated file is restored after every mutant, on every way out
(an error, Ctrl+C, SIGTERM); a scratch copy left mutated by a harder kill is
put right at the next start, since each run first brings the copy in line
with the source tree.

    tools/mutate/mutate.py --list
    tools/mutate/mutate.py                     # every mutant
    tools/mutate/mutate.py --area renderer     # one area
    tools/mutate/mutate.py --id RND-03 --id WIN-01
    tools/mutate/mutate.py --survivors         # those that survived last time
    tools/mutate/mutate.py --full --id RT-02   # against the whole suite

Builds and tests run under `nice -n 19`, one build at a time with -j2.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
MUTANTS = os.path.join(HERE, "mutants.json")
SKIP_DIRS = {".git", "__pycache__", ".cache"}
NICE = ["nice", "-n", "19"]
XVFB = ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", "dbus-run-session", "--"]


class Interrupted(Exception):
    pass


def on_signal(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


def log(*args):
    print(*args, flush=True)


# ---- the scratch copy ------------------------------------------------------------

def skip_dir(root, name):
    # build directories (build, build-asan, …) and VCS data stay behind
    return name in SKIP_DIRS or (root == SOURCE and name.startswith("build"))


def sync_tree(src, dst):
    """Makes dst's files those of src: a file is copied only when its bytes
    differ, so the scratch build recompiles only what changed."""
    wanted = set()
    for root, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs if not skip_dir(root, d)]
        rel = os.path.relpath(root, src)
        os.makedirs(os.path.join(dst, rel), exist_ok=True)
        for name in files:
            s = os.path.join(root, name)
            d = os.path.normpath(os.path.join(dst, rel, name))
            wanted.add(d)
            if os.path.islink(s):
                if not os.path.islink(d) or os.readlink(d) != os.readlink(s):
                    if os.path.lexists(d):
                        os.unlink(d)
                    os.symlink(os.readlink(s), d)
                continue
            try:
                with open(s, "rb") as a, open(d, "rb") as b:
                    if a.read() == b.read():
                        if os.stat(s).st_mode == os.stat(d).st_mode:
                            continue
            except FileNotFoundError:
                pass
            shutil.copy2(s, d)
            os.utime(d)  # newer than any object built from an older copy
    for root, dirs, files in os.walk(dst):
        for name in files:
            p = os.path.normpath(os.path.join(root, name))
            if p not in wanted:
                os.unlink(p)


def run(cmd, cwd=None, timeout=None):
    """Runs @cmd in a session of its own; on a timeout or an interruption the
    whole session (a test and what it started: Xvfb, a dbus daemon) ends."""
    p = subprocess.Popen(cmd, cwd=cwd, text=True, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out
    except BaseException as e:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                break
            try:
                p.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                pass
        if isinstance(e, subprocess.TimeoutExpired):
            return None, ""
        raise


def setup_scratch(scratch):
    src = os.path.join(scratch, "src")
    build = os.path.join(scratch, "build")
    marker = os.path.join(scratch, "applied")
    os.makedirs(src, exist_ok=True)
    if os.path.exists(marker):
        log(f"the scratch copy was left mutated ({open(marker).read().strip()}): restoring it")
    sync_tree(SOURCE, src)
    if os.path.exists(marker):
        os.unlink(marker)
    if not os.path.exists(os.path.join(build, "build.ninja")):
        # no -Dwerror: a mutant that leaves a variable unused is still a
        # program the tests must judge
        rc, out = run(NICE + ["meson", "setup", build, src, "-Dtests=true"])
        if rc != 0:
            sys.exit("meson setup failed in the scratch copy:\n" + out)
    # everything once (generated files such as the compiled GSettings schema
    # are no test's declared dependency); then each mutant rebuilds only
    # what its area's tests run
    log("building the scratch copy…")
    rc, out = run(NICE + ["ninja", "-C", build, "-j2"], timeout=3600)
    if rc != 0:
        sys.exit("the unmutated tree does not build:\n" + out[-4000:])
    return src, build


class Targets:
    """What each test runs and needs built, from meson's introspection."""

    def __init__(self, build):
        tests = json.loads(run(["meson", "introspect", "--tests", build])[1])
        targets = json.loads(run(["meson", "introspect", "--targets", build])[1])
        by_id = {t["id"]: t for t in targets}
        files = {f for t in targets for f in t["filename"]}
        self.tests = {}
        for t in tests:
            need = set()
            for dep in t["depends"]:
                if dep in by_id:
                    need.update(by_id[dep]["filename"])
            need.update(c for c in t["cmd"] if c in files)
            self.tests[t["name"]] = sorted(os.path.relpath(f, build) for f in need)

    def files_for(self, names):
        missing = [n for n in names if n not in self.tests]
        if missing:
            sys.exit("no such test: " + ", ".join(missing))
        return sorted({f for n in names for f in self.tests[n]})


# ---- one mutant -------------------------------------------------------------------

def text_of(value):
    return "\n".join(value) if isinstance(value, list) else value


def apply_check(src, m):
    path = os.path.join(src, m["file"])
    if not os.path.exists(path):
        return None, f"no file {m['file']}"
    with open(path, encoding="utf-8") as f:
        text = f.read()
    n = text.count(text_of(m["original"]))
    if n != 1:
        return None, f"the original text occurs {n} times in {m['file']}"
    return text, None


def build_targets(build, files):
    rc, out = run(NICE + ["ninja", "-C", build, "-j2"] + files, timeout=1800)
    return rc == 0, out


def run_tests(build, tests, timeout):
    cmd = NICE + XVFB + ["meson", "test", "-C", build, "--no-rebuild", "--print-errorlogs",
                         "--num-processes", "2", "--maxfail", "1"] + tests
    start = time.monotonic()
    rc, out = run(cmd, timeout=timeout)
    elapsed = time.monotonic() - start
    if rc is None:
        return "killed", "the run took longer than the driver allows (counted as a timeout)", elapsed
    failed = [line.strip() for line in out.splitlines()
              if any(w in line for w in (" FAIL ", " TIMEOUT ", " ERROR ", "UNEXPECTEDPASS"))
              and "/" in line]
    if rc != 0:
        return "killed", failed[0] if failed else out.strip().splitlines()[-1:], elapsed
    return "survived", "", elapsed


def mutate_one(src, build, targets, m, tests, timeout, logdir):
    path = os.path.join(src, m["file"])
    marker = os.path.join(os.path.dirname(src), "applied")
    text, error = apply_check(src, m)
    if error:
        return "invalid", error, 0.0
    mutated = text.replace(text_of(m["original"]), text_of(m["replacement"]), 1)
    try:
        with open(marker, "w") as f:
            f.write(m["id"] + " " + m["file"] + "\n")
        with open(path, "w", encoding="utf-8") as f:
            f.write(mutated)
        ok, out = build_targets(build, targets.files_for(tests))
        if not ok:
            with open(os.path.join(logdir, m["id"] + ".build.log"), "w") as f:
                f.write(out)
            return "invalid", "does not compile (see %s.build.log)" % m["id"], 0.0
        return run_tests(build, tests, timeout)
    finally:
        # restored with a new time, so that the next build recompiles it;
        # a second Ctrl+C waits until the file is whole again
        signals = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
        signal.pthread_sigmask(signal.SIG_BLOCK, signals)
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            os.utime(path)
            if os.path.exists(marker):
                os.unlink(marker)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, signals)


# ---- the whole run -------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--id", action="append", default=[], help="run this mutant (repeatable)")
    parser.add_argument("--area", action="append", default=[], help="run this area's mutants")
    parser.add_argument("--survivors", action="store_true",
                        help="run those that survived (or were invalid) in the last run")
    parser.add_argument("--full", action="store_true",
                        help="run the whole suite, not the area's tests")
    parser.add_argument("--scratch", default=os.environ.get("LOOPSCOPE_MUTATE_DIR",
                                                            "/tmp/loopscope-mutate"),
                        help="where the scratch copy and its build live")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds one mutant's tests may take in all")
    args = parser.parse_args()

    with open(MUTANTS, encoding="utf-8") as f:
        spec = json.load(f)
    areas = spec["areas"]
    mutants = spec["mutants"]
    ids = [m["id"] for m in mutants]
    if len(set(ids)) != len(ids):
        sys.exit("mutant ids are not unique")
    for m in mutants:
        if m["area"] not in areas:
            sys.exit(f"{m['id']}: unknown area {m['area']}")

    if args.list:
        for a in areas:
            log(f"{a}: {areas[a]['title']} (tests: {', '.join(areas[a]['tests'])})")
            for m in mutants:
                if m["area"] == a:
                    note = " [equivalent]" if m.get("equivalent") else ""
                    log(f"  {m['id']:8} {m['file']}: {m['what']}{note}")
        return 0

    results_path = os.path.join(args.scratch, "results.json")
    chosen = mutants
    if args.id:
        unknown = set(args.id) - set(ids)
        if unknown:
            sys.exit("unknown mutant: " + ", ".join(sorted(unknown)))
        chosen = [m for m in chosen if m["id"] in args.id]
    if args.area:
        unknown = set(args.area) - set(areas)
        if unknown:
            sys.exit("unknown area: " + ", ".join(sorted(unknown)))
        chosen = [m for m in chosen if m["area"] in args.area]
    if args.survivors:
        with open(results_path) as f:
            last = json.load(f)
        chosen = [m for m in chosen if last.get(m["id"], {}).get("result") in ("survived", "invalid")]

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    os.makedirs(args.scratch, exist_ok=True)
    logdir = os.path.join(args.scratch, "logs")
    os.makedirs(logdir, exist_ok=True)
    results = {}
    if os.path.exists(results_path):
        with open(results_path) as f:
            results = json.load(f)

    start = time.monotonic()
    try:
        src, build = setup_scratch(args.scratch)
        targets = Targets(build)
        all_tests = sorted(targets.tests)
        # the unmutated tree must pass what the mutants are judged by
        log("building the scratch copy and checking that its tests pass unmutated…")
        baseline_tests = sorted({t for m in chosen for t in areas[m["area"]]["tests"]}) \
            if not args.full else all_tests
        ok, out = build_targets(build, targets.files_for(baseline_tests))
        if not ok:
            sys.exit("the unmutated tree does not build:\n" + out[-4000:])
        verdict, detail, secs = run_tests(build, baseline_tests, args.timeout)
        if verdict != "survived":
            sys.exit(f"the unmutated tree fails its tests ({detail}): fix that first")
        log(f"baseline green in {secs:.0f} s; {len(chosen)} mutants")

        for n, m in enumerate(chosen, 1):
            tests = all_tests if args.full else areas[m["area"]]["tests"]
            t0 = time.monotonic()
            verdict, detail, secs = mutate_one(src, build, targets, m, tests, args.timeout, logdir)
            took = time.monotonic() - t0
            results[m["id"]] = {"result": verdict, "detail": detail if isinstance(detail, str)
                                else " ".join(detail), "seconds": round(took, 1)}
            log(f"[{n}/{len(chosen)}] {m['id']:8} {verdict:8} {took:5.0f} s  {m['what']}"
                + (f"\n           {results[m['id']]['detail']}" if detail else ""))
            with open(results_path, "w") as f:
                json.dump(results, f, indent=1)
    except Interrupted as e:
        log(f"\ninterrupted ({e}): the mutated file was restored")
        return 130

    # ---- the score --------------------------------------------------------------
    elapsed = time.monotonic() - start
    log("\nArea            killed/valid  score   (equivalent, invalid)")
    total_k = total_v = 0
    survivors = []
    for a in areas:
        ms = [m for m in chosen if m["area"] == a]
        if not ms:
            continue
        k = v = eq = inv = 0
        for m in ms:
            r = results[m["id"]]["result"]
            if r == "invalid":
                inv += 1
                continue
            if r == "survived" and m.get("equivalent"):
                eq += 1
                continue
            v += 1
            if r == "killed":
                k += 1
            else:
                survivors.append(m)
        total_k += k
        total_v += v
        score = 100.0 * k / v if v else 100.0
        log(f"{a:15} {k:3}/{v:<3}        {score:5.1f}%  ({eq}, {inv})")
    score = 100.0 * total_k / total_v if total_v else 100.0
    log(f"{'overall':15} {total_k:3}/{total_v:<3}        {score:5.1f}%")
    if survivors:
        log("\nSurvivors:")
        for m in survivors:
            log(f"  {m['id']:8} {m['file']}: {m['what']}")
    eqs = [m for m in chosen if m.get("equivalent") and results[m["id"]]["result"] == "survived"]
    if eqs:
        log("\nAccepted as equivalent (the reason is in mutants.json):")
        for m in eqs:
            log(f"  {m['id']:8} {m['file']}: {m['what']}")
    invalid = [m for m in chosen if results[m["id"]]["result"] == "invalid"]
    if invalid:
        log("\nInvalid entries (fix them):")
        for m in invalid:
            log(f"  {m['id']:8} {results[m['id']]['detail']}")
    log(f"\n{len(chosen)} mutants in {elapsed / 60:.1f} min")
    return 0 if not survivors and not invalid else 1


if __name__ == "__main__":
    sys.exit(main())
