#!/usr/bin/env bash
# Start-up benchmark: time from 'bin/junction start' to the MySQL port accepting a TCP connection,
# over several cold starts of a freshly unpacked distribution. Goal: under 1.0 s.
#   benchmarks/startup.sh [runs]      (build first: mvn install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
tarball="distribution/target/junction-$version.tar.gz"
[ -f "$tarball" ] || { echo "build first: mvn install -DskipTests" >&2; exit 1; }

dir=$(mktemp -d)
trap '"$home/bin/junction" stop > /dev/null 2>&1 || true; rm -rf "$dir"' EXIT
tar xzf "$tarball" -C "$dir"
home="$dir/junction-$version"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sshport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -i "s/^listen_port.*/listen_port = $port/" "$home/etc/dev.junction.proxy.cfg"
sed -i "s/^port.*/port = $sshport/" "$home/etc/dev.junction.ssh.cfg"

accepts() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; }
times=()
for i in $(seq 1 "$runs"); do
  t0=$(date +%s%N)
  "$home/bin/junction" start > /dev/null &
  until accepts; do sleep 0.005; done
  t1=$(date +%s%N)
  wait
  ms=$(( (t1 - t0) / 1000000 ))
  times+=("$ms")
  platform=$(grep -o 'platform started in [0-9]* ms' "$home/log/console.log" | tail -n 1 || true)
  echo "run $i: port accepting after $ms ms ($platform)"
  "$home/bin/junction" stop > /dev/null
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "start -> port accepting over $runs runs: min $(echo "$sorted" | head -n 1) ms," \
  "median $(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p") ms, max $(echo "$sorted" | tail -n 1) ms"
