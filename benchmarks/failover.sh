#!/usr/bin/env bash
# sysbench oltp_read_only through Junction over three MariaDB servers (the demo cluster, zones z1-z3) with
# the ha-blacklist bundle enabled, while one server (z3) is killed with SIGKILL and restarted, and later frozen
# with SIGSTOP and thawed with SIGCONT. Prints sysbench's per-second report (TPS, errors), the fault times,
# and per fault: the errors and how long throughput took to come back, and how soon the returning server
# served statements again.
#
#   benchmarks/failover.sh            (build first: mvn install -DskipTests)
#
# Environment: FAILOVER_PHASE (s between events, 20), SYSBENCH_THREADS (8), SYSBENCH_TABLES (4),
# SYSBENCH_TABLE_SIZE (10000), PROXY_THREADS (Junction's worker_threads, 1), RECOVERED_SHARE (per cent of the
# throughput before a fault that counts as recovered, 90), FAILOVER_SYSBENCH_OPTS (more sysbench options for the
# run, e.g. "--skip_trx=on --db-ps-mode=disable" for autocommit text-protocol reads: Junction runs a plain read
# that was in flight on the failed server again elsewhere, so those see no error; statements of a transaction
# on the failed server, and prepared-statement executions, still fail).
# Timeline (t in s from the start of the run; P = FAILOVER_PHASE):
#   t = P    kill -9 z3                      recovery: first second at RECOVERED_SHARE again
#   t = 2P   restart z3 (same command line)  recovery: first statement z3 runs after it accepts logins
#   t = 3P   SIGSTOP z3                      recovery: first second at RECOVERED_SHARE again
#   t = 4P   SIGCONT z3                      recovery: first statement z3 runs after the SIGCONT
#   t = 5P   end
# sysbench runs with --mysql-ignore-errors=all: a statement that fails (one that was running on the failed
# server) is counted in err/s and its transaction is run again. Installs sysbench (Debian package) when
# missing. Everything started is stopped on exit.
set -uo pipefail
cd "$(dirname "$0")/.."

PHASE=${FAILOVER_PHASE:-20}
THREADS=${SYSBENCH_THREADS:-8}
TABLES=${SYSBENCH_TABLES:-4}
TABLE_SIZE=${SYSBENCH_TABLE_SIZE:-10000}
PROXY_THREADS=${PROXY_THREADS:-1}
RECOVERED_SHARE=${RECOVERED_SHARE:-90}

BENCH=failover.sh
. benchmarks/common.sh

require_tools sysbench:sysbench mariadb:mariadb-client
find_build

# --- set-up ------------------------------------------------------------------------------------------
work=$(mktemp -d)
home="$work/junction-$version"
demo_pid=""
sysbench_pid=""
victim_pid=""
restarted_pid=""
cleanup() {
  trap - EXIT INT TERM
  [ -n "$victim_pid" ] && kill -CONT "$victim_pid" 2> /dev/null
  if [ -n "$sysbench_pid" ]; then kill "$sysbench_pid" 2> /dev/null; wait "$sysbench_pid" 2> /dev/null; fi
  if [ -n "$restarted_pid" ]; then kill -TERM "$restarted_pid" 2> /dev/null; wait "$restarted_pid" 2> /dev/null; fi
  stop_demo
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# three consecutive free ports for z1..z3
while true; do
  base=$(free_port)
  p2=$((base + 1)); p3=$((base + 2))
  if ! timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p2" 2> /dev/null \
      && ! timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p3" 2> /dev/null; then
    used_ports="$used_ports$p2 $p3 "
    break
  fi
done
victim_port=$p3
junction_port=$(free_port)
ssh_port=$(free_port)

unpack_junction "$ssh_port"
"$home/bin/junction" enable ha-blacklist > /dev/null || die "cannot enable ha-blacklist"

say "starting MariaDB servers on ports $base-$p3 (z1-z3) and Junction (port $junction_port) with ha-blacklist"
start_demo --servers 3 --base-port "$base" --junction-port "$junction_port"

# The victim's process and command line (to restart it the same way: same port, same data).
victim_pid=$(pgrep -f -- "--port=$victim_port( |$)" | head -n 1)
[ -n "$victim_pid" ] || die "cannot find the process of the server on port $victim_port"
mapfile -d '' victim_cmd < "/proc/$victim_pid/cmdline"
victim_cwd=$(readlink "/proc/$victim_pid/cwd")

sb_common=(--mysql-user=app --mysql-password=app --mysql-db=demo --tables="$TABLES" --table-size="$TABLE_SIZE")
say "preparing $TABLES tables x $TABLE_SIZE rows on each server"
for port in $base $p2 $p3; do
  sysbench oltp_read_only "${sb_common[@]}" --mysql-host=127.0.0.1 --mysql-port="$port" cleanup > /dev/null 2>&1
  sysbench oltp_read_only "${sb_common[@]}" --mysql-host=127.0.0.1 --mysql-port="$port" prepare > /dev/null \
    || die "sysbench prepare failed on port $port"
done

# Statements the victim has run (its Com_select), read directly; empty when it does not answer.
victim_selects() {
  timeout 2 mariadb -h 127.0.0.1 -P "$victim_port" -u app -papp -N -B \
    -e "SHOW GLOBAL STATUS LIKE 'Com_select'" 2> /dev/null | awk '{print $2}'
}
now_ms() { date +%s%3N; }
# Waits until the victim runs statements again; prints the time (ms) of the first change seen.
await_victim_traffic() {
  local before after
  before=$(victim_selects)
  for _ in $(seq 1 600); do
    sleep 0.05
    after=$(victim_selects)
    if [ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt $((before + 1)) ]; then now_ms; return; fi
    [ -z "$before" ] && before=$after
  done
  echo ""
}

# --- the run -----------------------------------------------------------------------------------------
total=$((5 * PHASE))
say "sysbench oltp_read_only, $THREADS threads, ${total}s through Junction; faults on z3 (127.0.0.1:$victim_port)"
sysbench oltp_read_only "${sb_common[@]}" --mysql-host=127.0.0.1 --mysql-port="$junction_port" \
  --threads="$THREADS" --time="$total" --report-interval=1 --mysql-ignore-errors=all ${FAILOVER_SYSBENCH_OPTS:-} run \
  > "$work/sysbench.log" 2>&1 &
sysbench_pid=$!
start=$(now_ms)
tail -n +1 -f "$work/sysbench.log" --pid="$sysbench_pid" >&2 &
tail_pid=$!

at() { # sleeps until t = $1 s after the start
  local target=$((start + $1 * 1000)) n
  n=$(now_ms)
  [ "$n" -lt "$target" ] && sleep "$(awk -v d=$((target - n)) 'BEGIN{printf "%.3f", d/1000}')"
}
event() { echo "$(( $(now_ms) - start )) $*" >> "$work/events"; say "t=$(( ($(now_ms) - start) / 1000 ))s: $*"; }

at "$PHASE"
kill_ms=$(now_ms); kill -KILL "$victim_pid"; event "kill -9 z3 (pid $victim_pid)"
at $((2 * PHASE))
restart_ms=$(now_ms)
( cd "$victim_cwd" && exec "${victim_cmd[@]}" ) > "$work/victim.log" 2>&1 &
restarted_pid=$!
victim_pid=$restarted_pid
for _ in $(seq 1 600); do victim_selects > /dev/null && [ -n "$(victim_selects)" ] && break; sleep 0.05; done
up_ms=$(now_ms); event "z3 restarted (pid $restarted_pid), accepting logins after $((up_ms - restart_ms)) ms"
served_restart_ms=$(await_victim_traffic)
[ -n "$served_restart_ms" ] && event "z3 runs statements again"
at $((3 * PHASE))
stop_ms=$(now_ms); kill -STOP "$victim_pid"; event "SIGSTOP z3"
at $((4 * PHASE))
cont_ms=$(now_ms); kill -CONT "$victim_pid"; event "SIGCONT z3"
served_cont_ms=$(await_victim_traffic)
[ -n "$served_cont_ms" ] && event "z3 runs statements again"
wait "$sysbench_pid"
sysbench_pid=""
kill "$tail_pid" 2> /dev/null

# --- summary -----------------------------------------------------------------------------------------
# per-second lines: "[ 12s ] thds: 8 tps: 812.00 qps: ... err/s: 0.00 reconn/s: 0.00"
awk '/^\[ *[0-9]+s \]/ { gsub(/[\[\]s]/, "", $2); t=$2; for (i=1;i<=NF;i++) { if ($i=="tps:") tps=$(i+1); if ($i=="err/s:") err=$(i+1) } print t, tps, err }' \
  "$work/sysbench.log" > "$work/series"
# recovery after a fault at second $1: errors in seconds $1 to $2 (the fault's own second included),
# first second after $1 at >= share of the mean of the 5 s before it
recovery() {
  awk -v f="$1" -v until="$2" -v share="$RECOVERED_SHARE" '
    { t[NR]=$1; tps[$1]=$2; err[$1]=$3 }
    END {
      n=0; s=0; for (x=f-5; x<f; x++) if (x in tps) { s+=tps[x]; n++ }
      base = n ? s/n : 0; errors=0; back=""
      for (x=f; x<=until; x++) { if (x in err) errors+=err[x]; if (x > f && back=="" && (x in tps) && tps[x] >= base*share/100) back=x }
      printf "%.0f TPS before, %d errors, back to %d%% in %s\n", base, errors, share, (back=="" ? "never (within the phase)" : (back-f) " s")
    }' "$work/series"
}
kill_s=$(( (kill_ms - start) / 1000 )); stop_s=$(( (stop_ms - start) / 1000 ))
echo
echo "== failover.sh: $THREADS threads, oltp_read_only, $TABLES x $TABLE_SIZE rows, 3 servers, ha-blacklist defaults"
echo "events (ms from start):"; sed 's/^/  /' "$work/events"
echo "kill -9 at ${kill_s}s:   $(recovery "$kill_s" $((kill_s + PHASE - 1)))"
if [ -n "$served_restart_ms" ]; then
  echo "restart:           serving again $((served_restart_ms - up_ms)) ms after it accepted logins ($((served_restart_ms - restart_ms)) ms after the start command)"
else
  echo "restart:           no statement reached the restarted server"
fi
echo "SIGSTOP at ${stop_s}s:   $(recovery "$stop_s" $((stop_s + PHASE - 1)))"
if [ -n "$served_cont_ms" ]; then
  echo "SIGCONT:           serving again $((served_cont_ms - cont_ms)) ms after SIGCONT"
else
  echo "SIGCONT:           no statement reached the thawed server"
fi
grep -E '^ +(transactions|queries|ignored errors|reconnects):' "$work/sysbench.log" | sed 's/^ */  /'
