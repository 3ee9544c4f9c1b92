#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the runtime benchmarks on Loopscope and on CPython's asyncio in the
# same run and prints both figures and their ratio (the targets: switch
# >= 50x, spawn >= 20x faster than CPython 3.11; suspend <= 8 KiB/task;
# lock, queue0 and queue100 are reported without a target).
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
for name in switch spawn suspend lock queue0 queue100; do
  c=$(echo "$c_out" | awk -v n="$name" '$1 == n {print $2}')
  p=$(echo "$py_out" | awk -v n="$name" '$1 == n {print $2}')
  awk -v n="$name" -v c="$c" -v p="$p" 'BEGIN {
    if (n == "suspend") printf "  %-8s %.0f bytes resident per suspended task (target <= 8192; CPython: %.0f)\n", n, c, p;
    else printf "  %-8s %.1fx faster (%.1f vs %.1f ns)\n", n, p / c, c, p }'
done
