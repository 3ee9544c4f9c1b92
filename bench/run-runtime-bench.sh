#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the runtime benchmarks on Loopscope and on CPython's asyncio in the
# same run and prints both figures and their ratio, then each target and a
# one-line verdict (switch, spawn, lock, queue0 and queue100 each at least
# 30x faster than CPython 3.11, with the trace on; suspend <= 8 KiB/task).
# bench/README.md says where the time goes. Exit status 0 when the
# benchmarks ran, met or not.
#
#   bench/run-runtime-bench.sh BUILD_DIR [SCALE]
set -euo pipefail
build=${1:-build}
scale=${2:-1}
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}

c_out=$("$build/bench/bench-runtime" all "$scale")
py_out=$("$python" "$here/bench_runtime.py" all "$scale")

echo "Loopscope runtime:"; echo "$c_out" | sed 's/^/  /'
echo "CPython $("$python" -c 'import sys; print(sys.version.split()[0])') asyncio:"
echo "$py_out" | sed 's/^/  /'
echo "Ratios (CPython / Loopscope):"
# The targets and the verdict, as the C benchmarks print them (ls-bench.h);
# the exit status says the benchmarks ran, not that they met their targets.
for name in switch spawn suspend lock queue0 queue100; do
  c=$(echo "$c_out" | awk -v n="$name" '$1 == n {print $2}')
  p=$(echo "$py_out" | awk -v n="$name" '$1 == n {print $2}')
  echo "$name $c $p"
done | awk '
  function target(name, measured, goal, at_most, unit,   met) {
    met = at_most ? measured <= goal : measured >= goal
    n++; missed += !met
    printf "target %s: %.4g %s, %s %g %s: %s (%.2f of the target)\n", name, measured, unit,
           at_most ? "at most" : "at least", goal, unit, met ? "met" : "NOT MET", measured / goal
    ratios = ratios (ratios == "" ? "" : ", ") sprintf("%s %.2f", name, measured / goal)
  }
  $1 == "suspend" {
    printf "  %-8s %.0f bytes resident per suspended task (CPython: %.0f)\n", $1, $2, $3
    target($1, $2, 8192, 1, "bytes/task"); next
  }
  {
    printf "  %-8s %.1fx faster (%.1f vs %.1f ns)\n", $1, $3 / $2, $2, $3
    target($1, $3 / $2, 30, 0, "times CPython")
  }
  END {
    printf "verdict runtime: %s (%d of %d targets met; measured/target: %s)\n",
           missed ? "NOT MET" : "met", n - missed, n, ratios
  }'
