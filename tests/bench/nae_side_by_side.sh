#!/bin/bash
# NAE, deep NAE, conv NAE (papers 002, 004) and conv NMF side by side: nmfbench's Google
# Benchmark rows and nae_ref.py's _time_child rows, interleaved row by row, each in a fresh
# process; float64, tuned malloc for the reference (ours sets its own). PyTorch rows run with
# OpenBLAS single-threaded and torch.set_num_threads = threads, NumPy rows (conv NMF) with
# OpenBLAS threads = threads, as `nae_ref.py time` runs them.
source "$(dirname "$0")/side_by_side.sh"
REF=${REFERENCE:-../shared/reference}/nae/nae_ref.py
ref() {  # threads, what, r, T, N
  local blas=1
  case $2 in convnmf*) blas=$1 ;; esac
  OPENBLAS_NUM_THREADS=$blas OMP_NUM_THREADS=$1 GLIBC_TUNABLES=$TUNED /usr/bin/python3 $REF _time_child \
    --threads $1 --what $2 --r $3 --T $4 --N $5 --repeats ${REPS:-5} --warmup 1 2>&1 | tail -1 | \
    /usr/bin/python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print('ref  %-14s r %3d T %d thr %d  min %.2f ms  median %.2f ms  peak %.0f MB' % (d['what'], d['r'], d['T'], d['threads'], 1e3*d['s_per_step_min'], 1e3*d['s_per_step_median'], d['peak_rss_mb']))"
}
for round in ${ROUNDS:-1 2}; do
  echo "=== round $round $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  for t in 1 2; do
    for row in "Train shallow_train 20 1 1 3000" "Train shallow_train 100 1 1 3000" \
               "Train deep_train 20 2 1 3000" "Train deep_train 100 2 1 3000" \
               "Train conv_train 20 1 8 3000" \
               "Fit shallow_fit2 20 1 1 600" "Fit shallow_fit2 100 1 1 600" \
               "Fit deep_fit2 20 2 1 600" "Fit deep_fit2 100 2 1 600" "Fit conv_fit2 20 1 8 600"; do
      set -- $row
      ours "BM_Nae$1Step/r:$3/L:$4/T:$5/threads:$t\$" ${REPS:-5}
      ref $t $2 $3 $5 $6
    done
    for rule in "0 sum" "1 average"; do
      set -- $rule
      ours "BM_ConvNmfIteration/r:20/T:8/rule:$1/threads:$t\$" ${REPS:-5}
      ref $t convnmf_$2 20 8 3000
    done
  done
done
echo "=== done $(date +%T)"
