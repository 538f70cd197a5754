#!/usr/bin/env bash
# Builds the libFuzzer targets with Debian's clang (AddressSanitizer and UndefinedBehavior-
# Sanitizer included) in build-fuzz/ and runs each for a bounded time; any crash, sanitizer
# report or exception other than nmfbench's Error fails the script, and the input that caused
# it is left in build-fuzz/findings/<target>/ (keep it under tests/fuzz/regressions/<target>/
# once fixed: the test suite replays those).
#   tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET ...]     (default 60 s, every target)
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(audio spec manifest model results)

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
if ! command -v clang++-14 > /dev/null; then
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends clang-14
fi

build=build-fuzz
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNMFBENCH_FUZZ=ON -DNMFBENCH_BUILD_TESTS=OFF -DNMFBENCH_NATIVE=OFF > /dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

# Seeds: the committed corpora, plus the project's own files of each kind.
# Audio inputs beyond a few kilobytes only make each run slower: the headers are at the start.
declare -A max_len=([audio]=4096 [spec]=65536 [manifest]=65536 [model]=65536 [results]=65536)
declare -A seeds=(
  [audio]="tests/fuzz/corpus/audio tests/data/metrics"
  [spec]="tests/fuzz/corpus/spec experiments/specs"
  [manifest]="tests/fuzz/corpus/manifest"
  [model]="tests/fuzz/corpus/model"
  [results]="tests/fuzz/corpus/results"
)
# The audio target writes each input to a file; memory is faster than a disk.
scratch=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && scratch=/dev/shm
status=0
for target in "${targets[@]}"; do
  work="$build/corpus/$target" findings="$build/findings/$target"
  mkdir -p "$work" "$findings"
  echo "fuzzing $target for ${seconds} s"
  # shellcheck disable=SC2086  # the seed folders are a word list
  if ! TMPDIR=$scratch "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" \
       -max_len="${max_len[$target]}" -timeout=10 \
       -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" \
       "$work" ${seeds[$target]} > "$build/$target.log" 2>&1; then
    echo "fuzz_$target found a fault; the input is in $findings/:"
    tail -40 "$build/$target.log"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::average_exec_per_sec" "$build/$target.log" || true
done
exit $status
