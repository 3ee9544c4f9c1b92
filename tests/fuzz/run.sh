#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Builds the fuzz targets with clang, libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer (in build-fuzz/, or $FUZZ_BUILDDIR) and runs
# each for SECONDS (default 60) on its seed corpus:
#
#   tests/fuzz/run.sh [SECONDS [TARGET...]]
#
# New inputs go to a temporary folder, not into the tree; a crash, a leak
# or an undefined behaviour stops the run with status 1 and leaves the
# input in build-fuzz/fuzz-artifacts/TARGET/ (replay it with the same
# executable and the file as argument). The last line of each run is
# libFuzzer's statistics (stat::number_of_executed_units: executions).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
builddir=${FUZZ_BUILDDIR:-build-fuzz}
all=(fuzz-trace-loopscope fuzz-trace-foreign fuzz-trace-render)
targets=("${@:-${all[@]}}")

if [ ! -f "$builddir/build.ninja" ]; then
  # no -Dwerror: clang's -Wcast-align flags casts in runtime/ that gcc accepts
  CC=clang meson setup "$builddir" -Dfuzzing=true \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link
fi
meson compile -C "$builddir" "${targets[@]/#/tests/fuzz/}"

corpus_of() {
  case "$1" in
    fuzz-trace-loopscope) echo tests/fuzz/corpus/loopscope ;;
    fuzz-trace-foreign) echo tests/fuzz/corpus/foreign ;;
    *) echo tests/fuzz/corpus/loopscope tests/fuzz/corpus/foreign tests/fuzz/corpus/records ;;
  esac
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in "${targets[@]}"; do
  artifacts="$builddir/fuzz-artifacts/$t"
  mkdir -p "$artifacts" "$work/$t"
  echo "=== $t: ${seconds} s"
  # fontconfig and pango keep their caches to the end of the process: the
  # suppressions are the tests' own
  # shellcheck disable=SC2046
  if ! G_SLICE=always-malloc G_DEBUG=fatal-criticals \
      ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
      "$builddir/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -dict=tests/fuzz/trace.dict -print_final_stats=1 -artifact_prefix="$artifacts/" \
        "$work/$t" $(corpus_of "$t") 2>"$work/$t.log"; then
    status=1
    tail -n 60 "$work/$t.log"
    echo "=== $t: FAILED (input in $artifacts/)"
  fi
  grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" "$work/$t.log" | sort -u || true
done
exit $status
