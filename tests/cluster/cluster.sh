#!/bin/sh
# A throw-away one-node Slurm cluster for the tests (Debian 12's slurm-wlm 22.05 + munge):
# munged, slurmctld and slurmd with their key, configuration, state, sockets and logs in a
# temporary folder, no systemd, no cgroups (proctrack/linuxproc), no accounting.
#   tests/cluster/cluster.sh start DIR   prints the SLURM_CONF path on stdout once the node
#                                        is idle (sbatch/squeue/scontrol need it exported)
#   tests/cluster/cluster.sh stop DIR    stops the daemons and removes DIR
# Exit 3 (and a message) when slurm-wlm or munge is not installed.
set -e
cmd=$1 dir=$2
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
stop_all() {
  pids=""
  for p in slurmd slurmctld munged; do
    [ -f "$dir/$p.pid" ] && pids="$pids $(cat "$dir/$p.pid")"
  done
  [ -n "$pids" ] || return 0
  kill $pids 2>/dev/null || true
  i=0  # up to 5 s for them to go, then SIGKILL
  while [ $i -lt 50 ] && kill -0 $pids 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
  kill -9 $pids 2>/dev/null || true
}
case $cmd in
start)
  for b in munged slurmctld slurmd sbatch; do
    command -v $b >/dev/null 2>&1 || [ -x /usr/sbin/$b ] ||
      { echo "Slurm is not installed (slurm-wlm munge): no $b" >&2; exit 3; }
  done
  PATH=$PATH:/usr/sbin
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
  chmod 700 "$dir" "$dir/munge"
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 2>/dev/null
  chmod 400 "$dir/munge/munge.key"
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/socket" \
    --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed" ||
    { cat "$dir/log/munged.log" >&2; exit 1; }
  host=$(hostname -s)
  # two ports of our own (a system Slurm may hold 6817/6818)
  base=$(( 20000 + $$ % 20000 ))
  cpus=$(nproc)
  mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)
  cat > "$dir/slurm.conf" <<CONF
ClusterName=onemaptest
SlurmctldHost=$host
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1,sched_min_interval=100000
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MaxArraySize=1001
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -f "$SLURM_CONF" || { cat "$dir/log/slurmctld.log" >&2; stop_all; exit 1; }
  slurmd -f "$SLURM_CONF" || { cat "$dir/log/slurmd.log" >&2; stop_all; exit 1; }
  # idle within 30 s
  i=0
  while [ $i -lt 150 ]; do
    st=$(sinfo -h -o %T 2>/dev/null | head -1)
    case $st in idle*) echo "$SLURM_CONF"; exit 0 ;; esac
    sleep 0.2; i=$((i + 1))
  done
  echo "the Slurm node did not become idle (state '$st'):" >&2
  tail -5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2
  stop_all; exit 1
  ;;
stop)
  stop_all
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
