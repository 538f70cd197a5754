# Sourced by the *_side_by_side.sh scripts: they run from the repository root, give the
# reference the malloc its scripts recommend (TUNED; nmfbench sets its own), and print
# nmfbench's rows with `ours FILTER REPETITIONS` (the least disturbed repetition of each).
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
TUNED=glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=68719476736:glibc.malloc.top_pad=268435456
BENCH=${BENCH:-./build/tests/nmfbench_bench}
ours() {
  $BENCH --benchmark_filter="$1" --benchmark_repetitions=$2 --benchmark_report_aggregates_only=true 2>&1 | grep -E "_min" | sed 's/^/ours /'
}
