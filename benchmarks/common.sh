# Shared by the benchmark scripts (sourced, from the repository root, after the script sets BENCH to its name):
# messages, installing Debian packages, finding the build, free loopback ports, unpacking and stopping Junction.

say() { echo "$BENCH: $*" >&2; }
die() { say "$*"; exit 1; }

# Installs the Debian packages whose command is missing: require_tools sysbench:sysbench mariadb:mariadb-client
require_tools() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" > /dev/null || missing+=("${pair#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -q > /dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" > /dev/null \
      || die "apt-get install failed"
  fi
  demo/install-deps.sh || die "cannot install the MariaDB server's libraries"
}

# Sets version and tarball; stops unless the distribution and the demo are built.
find_build() {
  version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
  tarball="distribution/target/junction-$version.tar.gz"
  [ -f "$tarball" ] && [ -f demo/target/classpath.txt ] && [ -d demo/target/classes ] \
    || die "build first: mvn install -DskipTests"
}

# A free TCP port on 127.0.0.1, distinct from those already handed out.
used_ports=" "
free_port() {
  local p
  while true; do
    p=$(( 10000 + RANDOM % 22000 )) # below the ephemeral range (32768+): no outgoing connection holds it
    case "$used_ports" in *" $p "*) continue ;; esac
    if ! timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2> /dev/null; then
      used_ports="$used_ports$p "
      echo "$p"
      return
    fi
  done
}

# Unpacks the tarball into $work (as $home) with the SSH shell on $1 and PROXY_THREADS event loops.
unpack_junction() {
  tar xzf "$tarball" -C "$work" || die "cannot unpack $tarball"
  sed -i "s/^port.*/port = $1/" "$home/etc/dev.junction.ssh.cfg"
  sed -i "s/^worker_threads.*/worker_threads = $PROXY_THREADS/" "$home/etc/dev.junction.proxy.cfg"
}

# Stops the demo (Junction and its servers) started as $demo_pid, then any Junction left in $home.
stop_demo() {
  if [ -n "${demo_pid:-}" ] && kill -0 "$demo_pid" 2> /dev/null; then
    kill -TERM "$demo_pid"
    for _ in $(seq 1 600); do kill -0 "$demo_pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$demo_pid" 2> /dev/null
  fi
  [ -x "$home/bin/junction" ] && "$home/bin/junction" stop > /dev/null 2>&1
}

# Starts the demo (MariaDB servers + Junction in $home) with the given DemoCluster arguments, logging to
# $work/demo.log; sets demo_pid and returns once it is ready (at most 180 s).
start_demo() {
  java -cp "demo/target/classes:$(cat demo/target/classpath.txt)" dev.junction.demo.DemoCluster \
    "$@" --no-console "$home" > "$work/demo.log" 2>&1 &
  demo_pid=$!
  for _ in $(seq 1 1800); do
    grep -q '^demo: ready' "$work/demo.log" && return
    kill -0 "$demo_pid" 2> /dev/null || { cat "$work/demo.log" >&2; die "the demo cluster did not start"; }
    sleep 0.1
  done
  cat "$work/demo.log" >&2
  die "the demo cluster did not get ready in 180 s"
}

# Linux's autogroup scheduling shares the CPU between sessions before threads: a daemon started with setsid (as
# bin/junction starts Junction) then gets up to half the machine for itself, while what the script starts (HAProxy,
# sysbench, MariaDB) shares the other half, so two proxies compared side by side would run under different
# scheduling (the one alone is woken at once for every packet, the other batches more packets per wake-up and
# costs less CPU per statement). Turns autogroup off, as root, for the script's run so that every thread competes
# alike; restore_scheduling (call it on exit) puts the setting back. Without root the run is reported as skewed.
AUTOGROUP=/proc/sys/kernel/sched_autogroup_enabled
autogroup_was=""
plain_scheduling() {
  [ -r "$AUTOGROUP" ] || return 0
  [ "$(cat "$AUTOGROUP")" = 1 ] || return 0
  if (echo 0 > "$AUTOGROUP") 2> /dev/null; then
    autogroup_was=1
    say "scheduler autogroups off for this run (restored on exit)"
  else
    say "warning: scheduler autogroups are on and cannot be turned off (not root): Junction, a daemon in its own" \
      "session, is scheduled unlike HAProxy and sysbench; the comparison is skewed"
  fi
}
restore_scheduling() {
  [ -n "$autogroup_was" ] && echo "$autogroup_was" > "$AUTOGROUP" 2> /dev/null
  autogroup_was=""
}
