#!/usr/bin/env bash
# What the whitelist-ratelimit bundle costs plain forwarding: sysbench oltp_point_select through Junction
# without the bundle, with it enabled and no rule, and with a throttle that covers no statement of the run
# (the statement filter runs and passes everything). Runs are interleaved round by round so that drift of the
# machine hits all states alike; the report gives QPS per run, the mean per state and its difference to the run
# without the bundle (goal: within 3% with the bundle and no rule matching).
#
#   benchmarks/ratelimit-overhead.sh            (build first: mvn install -DskipTests)
#
# Environment: SYSBENCH_TIME (s per run, 20), SYSBENCH_THREADS (8), SYSBENCH_TABLES (4), SYSBENCH_TABLE_SIZE
# (10000), ROUNDS (3), SYSBENCH_PS_MODES ("disable auto": text statements, then prepared ones), STATES
# ("without norule nomatch"), PROXY_THREADS (1: Junction's worker_threads).
# Junction gets one unmeasured warm-up run first (JIT compilation). Installs sysbench when missing.
# Everything started is stopped on exit.
set -uo pipefail
cd "$(dirname "$0")/.."

DURATION=${SYSBENCH_TIME:-20}
THREADS=${SYSBENCH_THREADS:-8}
TABLES=${SYSBENCH_TABLES:-4}
TABLE_SIZE=${SYSBENCH_TABLE_SIZE:-10000}
ROUNDS=${ROUNDS:-3}
PS_MODES=${SYSBENCH_PS_MODES:-"disable auto"}
STATES=${STATES:-"without norule nomatch"}
PROXY_THREADS=${PROXY_THREADS:-1}

BENCH=ratelimit-overhead.sh
. benchmarks/common.sh

require_tools sysbench:sysbench
find_build

# --- set-up ------------------------------------------------------------------------------------------
work=$(mktemp -d)
home="$work/junction-$version"
demo_pid=""
cleanup() {
  trap - EXIT INT TERM
  stop_demo
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

db_port=$(free_port)
junction_port=$(free_port)
ssh_port=$(free_port)

unpack_junction "$ssh_port"
rules="$home/etc/dev.junction.ratelimit.cfg"
shipped_rules=$(cat "$rules")

say "starting one MariaDB server (port $db_port) and Junction (port $junction_port)"
start_demo --servers 1 --base-port "$db_port" --junction-port "$junction_port" --metadata static

common=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-user=app --mysql-password=app --mysql-db=demo
  --tables="$TABLES" --table-size="$TABLE_SIZE")
say "preparing $TABLES tables x $TABLE_SIZE rows (direct)"
sysbench oltp_point_select "${common[@]}" --mysql-port="$db_port" cleanup > /dev/null 2>&1
sysbench oltp_point_select "${common[@]}" --mysql-port="$db_port" prepare > "$work/prepare.log" 2>&1 \
  || { cat "$work/prepare.log" >&2; die "sysbench prepare failed"; }

# --- states ------------------------------------------------------------------------------------------
shell_shows() { # command text: wait up to 30 s until the shell's output of command contains text
  for _ in $(seq 1 150); do
    "$home/bin/junction" shell "$1" 2> /dev/null | grep -q "$2" && return 0
    sleep 0.2
  done
  die "'$1' never showed '$2'"
}
write_rules() { printf '%s\n' "$1" > "$rules.tmp" && mv "$rules.tmp" "$rules"; }
state() {
  case "$1" in
    without)
      "$home/bin/junction" disable whitelist-ratelimit > /dev/null || die "cannot disable the bundle"
      shell_shows "junction:bundles" "whitelist-ratelimit[[:space:]]\+disabled" ;;
    norule)
      write_rules "$shipped_rules"
      "$home/bin/junction" enable whitelist-ratelimit > /dev/null || die "cannot enable the bundle"
      shell_shows "junction:ratelimit" "No throttle or circuit breaker" ;;
    nomatch)
      # a throttle for another user: the statement filter runs for every statement and lets it pass
      write_rules "$shipped_rules
throttle.other.user = nobody
throttle.other.qps = 1"
      "$home/bin/junction" enable whitelist-ratelimit > /dev/null || die "cannot enable the bundle"
      shell_shows "junction:ratelimit" "throttle.other" ;;
    *) die "unknown state $1 (without, norule, nomatch)" ;;
  esac
}

rows=()
declare -A sum count
run() { # state ps_mode round
  local st=$1 ps=$2 round=$3 out qps errs
  out="$work/run-$st-$ps-$round.log"
  say "round $round, $st, ps-mode $ps: ${DURATION}s x $THREADS threads"
  timeout $(( DURATION + 120 )) sysbench oltp_point_select "${common[@]}" --mysql-port="$junction_port" \
    --db-ps-mode="$ps" --threads="$THREADS" --time="$DURATION" --report-interval=0 run > "$out" 2>&1
  qps=$(sed -n 's/^ *queries: *[0-9]* *(\([0-9.]*\) per sec.*/\1/p' "$out" | head -n 1)
  errs=$(sed -n 's/^ *ignored errors: *\([0-9]*\).*/\1/p' "$out" | head -n 1)
  rows+=("$(printf '%-6s %-8s %-8s %10s %8s' "$round" "$ps" "$st" "${qps:-FAILED}" "${errs:--}")")
  if [ -n "$qps" ]; then
    sum[$st/$ps]=$(awk -v a="${sum[$st/$ps]:-0}" -v b="$qps" 'BEGIN { print a + b }')
    count[$st/$ps]=$(( ${count[$st/$ps]:-0} + 1 ))
  fi
}

say "warming Junction up (10 s of oltp_point_select, not reported)"
timeout 130 sysbench oltp_point_select "${common[@]}" --mysql-port="$junction_port" --threads="$THREADS" \
  --time=10 --report-interval=0 run > "$work/warmup.log" 2>&1 || say "warm-up run failed"

for round in $(seq 1 "$ROUNDS"); do
  for st in $STATES; do
    state "$st"
    for ps in $PS_MODES; do
      run "$st" "$ps" "$round"
    done
  done
done

# --- report ------------------------------------------------------------------------------------------
echo
echo "sysbench $(sysbench --version | awk '{print $2}') oltp_point_select through Junction $version, $THREADS threads," \
  "${DURATION}s per run, $ROUNDS rounds, $TABLES tables x $TABLE_SIZE rows; $(nproc) cores; worker_threads $PROXY_THREADS"
echo "states: without = bundle disabled; norule = enabled, no rule; nomatch = enabled, a throttle for another user"
printf '%-6s %-8s %-8s %10s %8s\n' round ps-mode state QPS errors
for r in "${rows[@]}"; do echo "$r"; done
echo
printf '%-8s %-8s %10s %10s\n' ps-mode state "mean QPS" "vs without"
for ps in $PS_MODES; do
  base=""
  [ -n "${count[without/$ps]:-}" ] && base=$(awk -v s="${sum[without/$ps]}" -v n="${count[without/$ps]}" 'BEGIN { print s / n }')
  for st in $STATES; do
    [ -n "${count[$st/$ps]:-}" ] || continue
    mean=$(awk -v s="${sum[$st/$ps]}" -v n="${count[$st/$ps]}" 'BEGIN { printf "%.1f", s / n }')
    diff="-"
    [ -n "$base" ] && [ "$st" != without ] && diff=$(awk -v m="$mean" -v b="$base" 'BEGIN { printf "%+.1f%%", (m - b) / b * 100 }')
    printf '%-8s %-8s %10s %10s\n' "$ps" "$st" "$mean" "$diff"
  done
done
