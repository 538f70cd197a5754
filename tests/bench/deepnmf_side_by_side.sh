#!/bin/bash
# Deep NMF (paper 001) side by side: nmfbench's training-step rows and deepnmf_ref.py's
# _time_child rows, interleaved, each in a fresh process; float64, the reference with its tuned
# malloc, OpenBLAS single-threaded and torch.set_num_threads = threads, as `deepnmf_ref.py time`
# runs it. The step is the first visit of a mixture (every layer) and, for nmfbench, the step of
# a later epoch (cached: from the tied layers' output), which the reference does not have.
source "$(dirname "$0")/side_by_side.sh"
REF=${REFERENCE:-../shared/reference}/deepnmf/deepnmf_ref.py
ref() {  # threads, args...
  local t=$1; shift
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=$t GLIBC_TUNABLES=$TUNED /usr/bin/python3 $REF _time_child \
    --threads $t --steps ${REPS:-3} --warmup 1 --dtype float64 "$@" 2>&1 | tail -1 | \
    /usr/bin/python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print('ref  %s thr %d  min %.1f ms  median %.1f ms  peak %.0f MB' % (' '.join(sys.argv[1:]), d['threads'], 1e3*d['s_per_step_min'], 1e3*d['s_per_step_median'], d['peak_rss_mb']))" "$@"
}
for round in ${ROUNDS:-1 2 3}; do
  echo "=== round $round $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  for t in 1 2; do
    ours "BM_DeepNmfTrainingStep/K:25/C:2/threads:$t/cached:(0|1)\$" ${REPS:-3}
    ref $t --what deepnmf --impl pm --K 25 --C 2
  done
  ours "BM_DnnMaskTrainingStep/layers:2/units:1024\$|BM_DnnProducts/layers:2/units:1024\$" ${REPS:-3}
  for t in 1 2; do ref $t --what dnn --hidden 2x1024; done
done
echo "=== done $(date +%T)"
