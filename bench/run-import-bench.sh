#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Imports of Trace Event files from other tools: a Chrome-like file of
# SIZE_MB (default 200) and a file of 400,000 threads with one instant each.
# Each import runs in a process of its own (bench-export --import), which
# prints its time and its peak resident memory against the file size
# (the target: linear time, a peak within 4x the file).
#
#   bench/run-import-bench.sh BUILD_DIR [SIZE_MB]
set -euo pipefail
build=${1:-build}
size=${2:-200}
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$python" "$here/make_foreign_trace.py" events "$size" "$dir/events.json"
"$python" "$here/make_foreign_trace.py" threads 400000 "$dir/threads.json"
for f in events threads; do
  echo "$f.json ($(du -m "$dir/$f.json" | cut -f1) MB):"
  "$build/bench/bench-export" --import "$dir/$f.json" | sed 's/^/  /'
done
