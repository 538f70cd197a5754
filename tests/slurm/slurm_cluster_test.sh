#!/usr/bin/env bash
# Runs a spec on a real one-node Slurm cluster the way `nmfbench slurm --submit` sends it (a
# training job, a 4-task array of shards, a merge job) and checks that the merged results equal
# a single-machine run of the same spec. It starts its own munged, slurmctld and slurmd on
# localhost, with every file in a temporary folder and ports away from Slurm's defaults, so a
# Slurm installed on the machine is left alone; the daemons are stopped however the test ends.
#
# usage: [KEEP=1] slurm_cluster_test.sh NMFBENCH SPEC    (KEEP=1 keeps the temporary folder)
# Exit 0: passed, 1: failed, 77: skipped (not root, or not Debian), as CTest's SKIP_RETURN_CODE.
set -euo pipefail

nmfbench=$(realpath "$1")
spec=$(realpath "$2")
shards=4
bound_s=150 # the longest one submission's jobs may take: two of them stay well within CTest's timeout

log() { echo "slurm test: $*"; }
skip() {
  echo "slurm test: SKIPPED: $*"
  exit 77
}
fail() {
  echo "slurm test: FAILED: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || skip "it starts munged, slurmctld and slurmd, which needs root (CI runs it as root)"
command -v dpkg-query >/dev/null || skip "it installs Debian's slurm-wlm and munge, and this is not Debian"
installed=$(dpkg-query -W -f='${Status}\n' slurm-wlm munge 2>/dev/null | grep -c "install ok installed" || true)
if [ "$installed" -ne 2 ]; then
  log "installing Debian's slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

# munged wants every folder above its socket searchable by all.
tmp=$(mktemp -d /tmp/nmfbench-slurm.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp/key" "$tmp/run" "$tmp/state" "$tmp/spool" "$tmp/log"
chmod 700 "$tmp/key"
export SLURM_CONF="$tmp/slurm.conf"
out="$tmp/slurm out" # a space, so that the scripts' quoting is exercised by sbatch and bash
daemons=()
jobs_submitted=()

stop() {
  local status=$?
  if ((${#jobs_submitted[@]})); then scancel "${jobs_submitted[@]}" 2>/dev/null || true; fi
  for ((i = ${#daemons[@]} - 1; i >= 0; --i)); do kill "${daemons[i]}" 2>/dev/null || true; done
  for pid in "${daemons[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then
    for f in "$tmp"/log/* "$out"/*/slurm/*.out; do
      [ -f "$f" ] && { echo "--- $f (last lines)"; tail -n 15 "$f"; }
    done
  fi
  ((${#daemons[@]})) && log "daemons stopped"
  [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 130' INT TERM

wait_for() { # SECONDS WHAT COMMAND...: until COMMAND succeeds
  local seconds=$1 what=$2
  shift 2
  for ((t = 0; t < seconds * 5; ++t)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  fail "$what did not come up within $seconds s"
}

dd if=/dev/urandom of="$tmp/key/munge.key" bs=1024 count=1 status=none
chmod 600 "$tmp/key/munge.key"
munged --foreground --key-file="$tmp/key/munge.key" --socket="$tmp/run/munge.sock" \
  --pid-file="$tmp/run/munged.pid" --seed-file="$tmp/key/seed" --log-file="$tmp/log/munged.log" \
  >"$tmp/log/munged.out" 2>&1 &
daemons+=($!)
wait_for 10 munged munge --socket="$tmp/run/munge.sock" --no-input

# The node as slurmd sees it (CPUs, sockets, cores, memory), under a name of the test's own.
node_hardware=$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]* //')
host=$(hostname -s)
cat >"$SLURM_CONF" <<EOF
ClusterName=nmfbench-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$tmp/run/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$tmp/log/jobcomp.txt
MailProg=/bin/true
NodeName=nmfbench-node NodeAddr=127.0.0.1 NodeHostname=$host $node_hardware
PartitionName=nmfbench Nodes=nmfbench-node Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
daemons+=($!)
slurmd -D -f "$SLURM_CONF" -N nmfbench-node >"$tmp/log/slurmd.out" 2>&1 &
daemons+=($!)
node_idle() { [ "$(sinfo -h -n nmfbench-node -o %T)" = idle ]; }
wait_for 30 "the Slurm node" node_idle
log "one-node cluster up: munged, slurmctld, slurmd (${node_hardware%% Boards*}), state in $tmp"

start=$SECONDS
"$nmfbench" run "$spec" --out "$tmp/single" --threads "$(nproc)" >"$tmp/log/single.out" 2>&1 ||
  fail "the single-machine run failed: $(tail -n 5 "$tmp/log/single.out")"
log "single-machine run done in $((SECONDS - start)) s"

# Runs a submission (a command that prints "train job N", "shards job N ...", "merge job N"
# as `nmfbench slurm --submit` and its submit.sh do) and waits for its jobs.
submit_and_wait() {
  local start=$SECONDS
  "$@" >"$tmp/log/submit.out" 2>&1 || fail "the submission failed: $(cat "$tmp/log/submit.out")"
  sed 's/^/  /' "$tmp/log/submit.out"
  job_id() { sed -n "s/^$1 job \([0-9]*\).*/\1/p" "$tmp/log/submit.out"; }
  train=$(job_id train) array=$(job_id shards) merge=$(job_id merge)
  [ -n "$train" ] && [ -n "$array" ] && [ -n "$merge" ] || fail "no job ids in the submission's output"
  jobs_submitted+=("$train" "$array" "$merge")
  log "submitted: train job $train, shards job $array (array 0-$((shards - 1))), merge job $merge"
  # Every array task apart; each change of state is logged. A job that failed ends the wait:
  # afterok would leave the merge pending for ever.
  local states id name state
  declare -A seen
  while :; do
    ((SECONDS - start < bound_s)) || fail "the jobs did not finish within $bound_s s"
    states=$(squeue -h -r -t all -j "$train,$array,$merge" -o "%i %j %T" 2>/dev/null) || true
    while read -r id name state; do
      [ -n "$id" ] && [ "${seen[$id]:-}" != "$state" ] || continue
      seen[$id]=$state
      log "job $id ($name): $state"
    done <<<"$states"
    case "$states" in
      *FAILED* | *CANCELLED* | *TIMEOUT* | *NODE_FAIL* | *OUT_OF_MEMORY* | *PREEMPTED* | *BOOT_FAIL* | *DEADLINE*)
        fail "a job did not complete" ;;
    esac
    [ "${seen[$merge]:-}" = COMPLETED ] && break
    sleep 1
  done
  log "all jobs completed in $((SECONDS - start)) s; final states (jobcomp):"
  awk -v ids=" $train $array $merge " '{
    for (i = 1; i <= NF; ++i) { split($i, kv, "="); f[kv[1]] = kv[2] }
    array = f["ArrayJobId"] != "" ? f["ArrayJobId"] "_" f["ArrayTaskId"] : ""
    if (index(ids, " " f["JobId"] " ") || index(ids, " " f["ArrayJobId"] " "))
      print "  job " f["JobId"] (array != "" ? " (" array ")" : "") " " f["Name"] ": " \
            f["JobState"] ", exit code " f["ExitCode"]
    delete f
  }' "$tmp/log/jobcomp.txt"
}

# What legitimately differs from run to run: manifest.run (threads and wall time of a single
# run, the number of shards of a merge), each cell's runtime_s and the training logs' wall_s. The results are written
# with one space of indent per level, so manifest.run is the block from `  "run": {` to `  }`.
without_timing() { sed -e '/^  "run": {/,/^  }/d' -e '/^ *"runtime_s": /d' -e '/^ *"wall_s": /d' "$1"; }
expect_identical_results() {
  [ -f "$merged" ] || fail "the merge wrote no $merged"
  if ! cmp -s <(without_timing "$single") <(without_timing "$merged"); then
    diff <(without_timing "$single") <(without_timing "$merged") | head -n 40
    fail "the merged results differ from the single-machine run's"
  fi
  log "merged results identical to the single-machine run's ($(without_timing "$merged" | wc -l) lines; manifest.run, cells' runtime_s and training logs' wall_s removed)"
}

submit_and_wait "$nmfbench" slurm "$spec" --shards "$shards" --out "$out" --time 10 --submit
slurm_logs=$(sed -n 's/^scripts and job logs: //p' "$tmp/log/submit.out")
name=$(basename "$(dirname "$slurm_logs")")
grep -q "split training done" "$slurm_logs/train-$train.out" || fail "the train job did not train"
# The shards only read the trained cache: no shard trains (a training step logs its loss).
if grep -l "loss" "$slurm_logs"/shards-*.out; then fail "a shard trained instead of reading the cache"; fi
log "the train job trained; the shards read its cache ($(ls "$out/$name/trained" | wc -l) model(s))"
log "merge job's output:"
sed 's/^/  /' "$slurm_logs/merge-$merge.out"
single="$tmp/single/$name/results.json" merged="$out/$name/results.json"
expect_identical_results

# Resuming: a cell lost (as a task killed by its time limit loses the cells in flight), then
# the same submission again. The training is cached, only the lost cell runs.
cells=("$out/shard-1/$name"/cells-*/*.json)
rm "${cells[0]}" "$merged"
log "removed one finished cell of shard 1 and the merged results; submitting again"
submit_and_wait bash "$slurm_logs/submit.sh"
for ((i = 0; i < shards; ++i)); do
  line=$(grep "cells, " "$slurm_logs/shards-${array}_$i.out") || fail "no summary in shard $i's log"
  log "shard $i: $line"
done
grep -q "1 run, 1 already done" "$slurm_logs/shards-${array}_1.out" || fail "shard 1 did not run just its lost cell"
if grep -l "loss" "$slurm_logs/train-$train.out"; then fail "the resubmitted train job trained again"; fi
expect_identical_results
