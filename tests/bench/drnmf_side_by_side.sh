#!/bin/bash
# DR-NMF (paper 003) side by side: nmfbench's Google Benchmark rows and drnmf_ref.py's
# _time_child rows, interleaved row by row, each in a fresh process; float64, tuned malloc for
# the reference (ours sets its own), OpenBLAS single-threaded, torch.set_num_threads = threads.
source "$(dirname "$0")/side_by_side.sh"
export OPENBLAS_NUM_THREADS=1
REF=${REFERENCE:-../shared/reference}/drnmf/drnmf_ref.py
ref() {  # threads, steps, args...
  local t=$1 s=$2; shift 2
  OMP_NUM_THREADS=$t GLIBC_TUNABLES=$TUNED /usr/bin/python3 $REF _time_child --threads $t --steps $s --warmup 1 --dtype float64 "$@" 2>&1 | tail -1 | \
    /usr/bin/python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print('ref  %s thr %d  min %.3f s  median %.3f s  peak %.0f MB' % (' '.join(sys.argv[1:]), d['threads'], d['s_per_step_min'], d['s_per_step_median'], d['peak_rss_mb']))" "$@"
}
for round in ${ROUNDS:-1 2}; do
  echo "=== round $round $(date +%T)"
  for t in 1 2; do
    for nk in "200 2" "200 5" ${BIG-"2000 2" "2000 5"}; do
      set -- $nk
      reps=3; steps=3; [ $1 = 2000 ] && reps=2 && steps=2
      ours "BM_DrNmfTrainingStep/N:$1/B:32/T:500/K:$2/threads:$t\$" $reps
      for impl in bptt autograd; do ref $t $steps --what drnmf --N $1 --K $2 --form factored --impl $impl --batch 32; done
    done
  done
  [ -n "$NO_LSTM" ] && continue
  for lh in "2 54" "2 244" "5 70" "5 250"; do
    set -- $lh
    ours "BM_DrNmfLstmTrainingStep/layers:$1/hidden:$2/B:32/T:500\$" 3
    for t in 1 2; do ref $t 2 --what lstm --layers $1 --hidden $2 --batch 32; done
  done
  for n in 200 2000; do
    ours "BM_DrNmfInference/N:$n/T:1250/K:(2|5)\$|BM_DrNmfSnmfInference/N:$n/T:1250/iterations:200\$" 3
    form=gram; [ $n = 2000 ] && form=factored
    for t in 1 2; do
      for k in 2 5; do ref $t 3 --what drnmf_infer --N $n --K $k --form $form --frames 1250; done
      ref $t 3 --what snmf_infer --N $n --iters 200 --frames 1250
    done
  done
done
echo "=== done $(date +%T)"
