#!/usr/bin/env bash
# sysbench through three paths to the same MariaDB server: direct, HAProxy (TCP mode) and Junction.
# Runs are interleaved (for each workload and prepared-statement mode: direct, haproxy, junction) so
# that drift of the machine hits all three alike. Prints QPS, TPS, p95 latency and errors per run and,
# for the proxies, their CPU time per forwarded statement (utime+stime from /proc/<pid>/stat over the
# run, divided by the statements sysbench reports). Each run starts with SYSBENCH_SETTLE seconds that are not
# measured (sysbench's counters are reset by a checkpoint report, the CPU is sampled from then on): new
# connections, and for Junction the JIT recompiling code for the new workload, settle first.
#
#   benchmarks/sysbench.sh            (build first: mvn install -DskipTests)
#
# Environment: SYSBENCH_TIME (measured s per run, 20), SYSBENCH_SETTLE (unmeasured s before, 5), SYSBENCH_THREADS (8), SYSBENCH_TABLES (4),
# SYSBENCH_TABLE_SIZE (10000), SYSBENCH_WORKLOADS ("oltp_point_select oltp_read_only oltp_read_write"),
# SYSBENCH_PS_MODES ("auto disable"), SYSBENCH_TARGETS ("direct haproxy junction"), JUNCTION_JAVA_OPTS_EXTRA
# (added to the JVM options of the Junction under test), PROXY_THREADS (1: HAProxy's nbthread and
# Junction's worker_threads), SYSBENCH_ROUNDS (1: with more, the whole interleaved sequence is repeated, and the
# medians per workload, mode and target are printed too, and Junction against HAProxy round by round; a single run
# on a shared 2-core VM varies by several percent). Junction gets an unmeasured warm-up run of every workload and mode first (JIT compilation),
# SYSBENCH_WARMUP s each (8).
# Installs sysbench and haproxy (Debian packages) when missing. Everything started is stopped on exit. Run as root,
# it turns the scheduler's autogroups off while it runs (see plain_scheduling in common.sh): otherwise Junction, a
# daemon in a session of its own, would be scheduled unlike HAProxy.
# Note: Debian's sysbench 1.0.20 crashes (segfault) when a server closes its connection (upstream
# issue 527); such a run is reported as crashed and the script goes on.
set -uo pipefail
cd "$(dirname "$0")/.."

DURATION=${SYSBENCH_TIME:-20}
SETTLE=${SYSBENCH_SETTLE:-5}
WARMUP=${SYSBENCH_WARMUP:-8}
THREADS=${SYSBENCH_THREADS:-8}
TABLES=${SYSBENCH_TABLES:-4}
TABLE_SIZE=${SYSBENCH_TABLE_SIZE:-10000}
WORKLOADS=${SYSBENCH_WORKLOADS:-"oltp_point_select oltp_read_only oltp_read_write"}
PS_MODES=${SYSBENCH_PS_MODES:-"auto disable"}
TARGETS=${SYSBENCH_TARGETS:-"direct haproxy junction"}
PROXY_THREADS=${PROXY_THREADS:-1}
ROUNDS=${SYSBENCH_ROUNDS:-1}

BENCH=sysbench.sh
. benchmarks/common.sh

require_tools sysbench:sysbench haproxy:haproxy
find_build

# --- set-up ------------------------------------------------------------------------------------------
work=$(mktemp -d)
home="$work/junction-$version"
demo_pid=""
haproxy_pid=""
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$haproxy_pid" ]; then kill "$haproxy_pid" 2> /dev/null; wait "$haproxy_pid" 2> /dev/null; fi
  stop_demo
  restore_scheduling
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
plain_scheduling

db_port=$(free_port)
junction_port=$(free_port)
ssh_port=$(free_port)
haproxy_port=$(free_port)

# Both proxies get the same number of threads (PROXY_THREADS, default 1: on a 2-core machine the load
# generator and the server need the other core).
unpack_junction "$ssh_port"
[ -n "${JUNCTION_JAVA_OPTS_EXTRA:-}" ] && echo "JUNCTION_JAVA_OPTS=\"\$JUNCTION_JAVA_OPTS $JUNCTION_JAVA_OPTS_EXTRA\"" >> "$home/etc/junction.env"

say "starting one MariaDB server (port $db_port) and Junction (port $junction_port)"
# The cluster is described by its file only (--metadata static): Junction forwards as the protocol core
# does, without per-statement analysis, which is the fair comparison with HAProxy's byte copying.
start_demo --servers 1 --base-port "$db_port" --junction-port "$junction_port" --metadata static

cat > "$work/haproxy.cfg" <<EOF
global
  maxconn 4096
  nbthread ${PROXY_THREADS}
defaults
  mode tcp
  timeout connect 5s
  timeout client 1h
  timeout server 1h
listen mysql
  bind 127.0.0.1:$haproxy_port
  server db 127.0.0.1:$db_port
EOF
haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 &
haproxy_pid=$!
for _ in $(seq 1 100); do timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$haproxy_port" 2> /dev/null && break; sleep 0.1; done
kill -0 "$haproxy_pid" 2> /dev/null || { cat "$work/haproxy.log" >&2; die "haproxy did not start"; }

common=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-user=app --mysql-password=app --mysql-db=demo
  --tables="$TABLES" --table-size="$TABLE_SIZE")
say "preparing $TABLES tables x $TABLE_SIZE rows (direct)"
sysbench oltp_read_write "${common[@]}" --mysql-port="$db_port" cleanup > /dev/null 2>&1
sysbench oltp_read_write "${common[@]}" --mysql-port="$db_port" prepare > "$work/prepare.log" 2>&1 \
  || { cat "$work/prepare.log" >&2; die "sysbench prepare failed"; }

# --- runs --------------------------------------------------------------------------------------------
ticks=$(getconf CLK_TCK)
# utime+stime of a process in clock ticks (all its threads), fields 14 and 15 of /proc/<pid>/stat.
cpu_ticks() { [ -r "/proc/$1/stat" ] && sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
junction_jvm() { tr -dc '0-9' < "$home/data/junction.pid" 2> /dev/null; }

rows=()
notes=()
run() { # workload ps_mode target
  local wl=$1 ps=$2 target=$3 port pid="" c0="" c1="" rc out qps tps p95 errs cpu="-" note=""
  case "$target" in
    direct) port=$db_port ;;
    haproxy) port=$haproxy_port; pid=$haproxy_pid ;;
    junction) port=$junction_port; pid=$(junction_jvm) ;;
  esac
  out="$work/run-$wl-$ps-$target.log"
  say "$wl, ps-mode $ps, $target: ${SETTLE}s + ${DURATION}s x $THREADS threads"
  # the proxy's CPU is sampled from the checkpoint (end of the settling seconds) to the end of the run
  [ -n "$pid" ] && { sleep "$SETTLE"; cpu_ticks "$pid" > "$work/cpu0"; } &
  local sampler=$!
  timeout $(( SETTLE + DURATION + 120 )) sysbench "$wl" "${common[@]}" --mysql-port="$port" --db-ps-mode="$ps" \
    --threads="$THREADS" --time=$(( SETTLE + DURATION )) --report-checkpoints="$SETTLE" --report-interval=0 \
    --percentile=95 run > "$out" 2>&1
  rc=$?
  [ -n "$pid" ] && c1=$(cpu_ticks "$pid")
  wait "$sampler" 2> /dev/null
  [ -n "$pid" ] && c0=$(cat "$work/cpu0" 2> /dev/null)
  qps=$(sed -n 's/^ *queries: *[0-9]* *(\([0-9.]*\) per sec.*/\1/p' "$out" | tail -n 1)
  tps=$(sed -n 's/^ *transactions: *[0-9]* *(\([0-9.]*\) per sec.*/\1/p' "$out" | tail -n 1)
  p95=$(sed -n 's/^ *95th percentile: *\([0-9.]*\).*/\1/p' "$out" | tail -n 1)
  errs=$(sed -n 's/^ *ignored errors: *\([0-9]*\).*/\1/p' "$out" | tail -n 1)
  local queries
  queries=$(sed -n 's/^ *queries: *\([0-9]*\) .*/\1/p' "$out" | tail -n 1)
  if [ -n "$c0" ] && [ -n "$c1" ] && [ -n "$queries" ] && [ "$queries" -gt 0 ]; then
    cpu=$(awk -v d=$(( c1 - c0 )) -v t="$ticks" -v q="$queries" 'BEGIN { printf "%.1f", d / t * 1e6 / q }')
  fi
  if [ "$rc" -ne 0 ]; then
    if [ "$rc" -eq 139 ] || grep -q 'Segmentation fault\|signal 11' "$out"; then
      note="sysbench crashed (segfault: the server closed a connection, sysbench issue 527)"
    elif [ "$rc" -eq 124 ]; then
      note="sysbench timed out"
    else
      note=$(grep -m 1 -i 'FATAL\|error' "$out" | cut -c 1-150)
      note="failed (exit $rc): ${note:-see log}"
    fi
    errs="FAILED"
  fi
  rows+=("$(printf '%-18s %-8s %-9s %10s %9s %9s %8s %12s' "$wl" "$ps" "$target" "${qps:--}" "${tps:--}" \
    "${p95:--}" "${errs:--}" "$cpu")")
  [ "$rc" -eq 0 ] && printf '%s %s %s %s %s %s %s\n' "$wl" "$ps" "$target" "${qps:--}" "${p95:--}" "$cpu" "$round" \
    >> "$work/results"
  [ -n "$note" ] && notes+=("$wl/$ps/$target: $note")
}

# A JVM compiles its hot code during the first seconds of each new kind of traffic (and a C2 compile of a big
# method costs a core for up to seconds): Junction gets every workload and mode once before anything is
# measured, as a proxy in service has seen its traffic long before.
case " $TARGETS " in
  *" junction "*)
    for wl in $WORKLOADS; do
      for ps in $PS_MODES; do
        say "warming Junction up: $wl, ps-mode $ps (${WARMUP}s, not reported)"
        timeout $(( WARMUP + 120 )) sysbench "$wl" "${common[@]}" --mysql-port="$junction_port" --db-ps-mode="$ps" \
          --threads="$THREADS" --time="$WARMUP" --report-interval=0 run > "$work/warmup.log" 2>&1 \
          || say "warm-up run failed: see the report"
      done
    done
    ;;
esac

for round in $(seq 1 "$ROUNDS"); do
  [ "$ROUNDS" -gt 1 ] && say "round $round of $ROUNDS"
  for wl in $WORKLOADS; do
    for ps in $PS_MODES; do
      for target in $TARGETS; do
        run "$wl" "$ps" "$target"
      done
    done
  done
done

# --- report ------------------------------------------------------------------------------------------
echo
echo "sysbench $(sysbench --version | awk '{print $2}'), $THREADS threads, ${DURATION}s measured per run after ${SETTLE}s settling, $TABLES tables x $TABLE_SIZE rows;" \
  "MariaDB $(sed -n 's/.*MARIADB_VERSION = "\(.*\)";/\1/p' demo/src/main/java/dev/junction/demo/DemoCluster.java)," \
  "$(haproxy -v | head -n 1 | awk '{print "HAProxy", $3}'), Junction $version; $(nproc) cores;" \
  "proxy threads $PROXY_THREADS; scheduler autogroups $([ "$(cat "$AUTOGROUP" 2> /dev/null)" = 1 ] && echo on || echo off)"
printf '%-18s %-8s %-9s %10s %9s %9s %8s %12s\n' workload ps-mode target QPS TPS "p95 ms" errors "proxy µs/q"
for r in "${rows[@]}"; do echo "$r"; done
if [ ${#notes[@]} -gt 0 ]; then
  echo
  for n in "${notes[@]}"; do echo "$n"; done
fi
echo "(proxy µs/q: CPU time, user + system, of the HAProxy or Junction process per statement sysbench reports)"
if [ "$ROUNDS" -gt 1 ] && [ -s "$work/results" ]; then
  # the median of a space-separated list of numbers (insertion sort: a list holds one entry per round)
  awk_median='
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }'
  echo
  echo "medians over $ROUNDS rounds (runs that failed are left out):"
  printf '%-18s %-8s %-9s %10s %9s %12s\n' workload ps-mode target QPS "p95 ms" "proxy µs/q"
  awk "$awk_median"'
    { k = $1 " " $2 " " $3; if (!(k in q)) order[++n] = k; q[k] = q[k] " " $4; p[k] = p[k] " " $5; c[k] = c[k] " " $6 }
    END {
      for (i = 1; i <= n; i++) {
        k = order[i]; split(k, f, " ")
        cpu = c[k] ~ /-/ ? "-" : sprintf("%.1f", median(c[k]))
        printf "%-18s %-8s %-9s %10.0f %9.2f %12s\n", f[1], f[2], f[3], median(q[k]), median(p[k]), cpu
      }
    }' "$work/results"
  # Pairs: each round's Junction run against the same round's HAProxy run (same workload and mode, run one after
  # the other), so slow drift of the machine cancels out; the share of rounds Junction led says more than a median.
  awk "$awk_median"'
    { k = $1 " " $2; if (!(k in seen)) { seen[k] = 1; order[++n] = k } qps[k, $3, $7] = $4 }
    END {
      for (i = 1; i <= n; i++) {
        k = order[i]; pairs = 0; ahead = 0; list = ""; lo = 1e9; hi = 0; sj = 0; sh = 0
        for (r = 1; r <= rounds; r++) {
          if (!((k, "haproxy", r) in qps) || !((k, "junction", r) in qps)) continue
          ratio = qps[k, "junction", r] / qps[k, "haproxy", r] * 100
          pairs++; list = list " " ratio; ahead += ratio >= 100
          lo = ratio < lo ? ratio : lo; hi = ratio > hi ? ratio : hi
          sj += qps[k, "junction", r]; sh += qps[k, "haproxy", r]
        }
        if (pairs == 0) continue
        if (!header++) {
          print ""
          print "Junction against HAProxy, round by round (Junction QPS as % of the HAProxy run of the same round):"
          printf "%-18s %-8s %6s %8s %14s %14s %14s\n", "workload", "ps-mode", "pairs", "ahead", "median %", "range %", "total QPS %"
        }
        split(k, f, " ")
        printf "%-18s %-8s %6d %8d %14.1f %14s %14.1f\n", f[1], f[2], pairs, ahead, median(list),
          sprintf("%.1f-%.1f", lo, hi), sj / sh * 100
      }
    }' rounds="$ROUNDS" "$work/results"
fi
