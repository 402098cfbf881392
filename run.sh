#!/usr/bin/env bash
# Builds Junction if needed and runs the demo: three local MariaDB servers as cluster 'demo' (zones
# z1-z3, ports 3307-3309, data under the distribution's data/demo/, kept for the next run) and
# Junction in the foreground with its interactive shell, configured for them (MySQL port 2883).
# Stop with 'exit' (or Ctrl-D) at the prompt; the servers stop with it.
#   ./run.sh [--servers N] [--base-port P] [--junction-port P] [--no-console]
# DEMO_JAVA_OPTS passes options to the demo's JVM.
set -euo pipefail
cd "$(dirname "$0")"

version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
dist="distribution/target/junction-$version"
# Rebuild when the distribution or the demo is missing, or any source is newer than the distribution.
if [ ! -x "$dist/bin/junction" ] || [ ! -f demo/target/classpath.txt ] \
  || [ ! -f demo/target/classes/dev/junction/demo/DemoCluster.class ] \
  || [ -n "$(find . -path ./distribution/target -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/dist/*' -o -name '*.bnd*' \) -newer "$dist/bin/junction" -print -quit)" ]; then
  echo "run.sh: building Junction (mvn install, tests skipped; ./test.sh runs them)"
  mvn -B -q install -DskipTests
fi
demo/install-deps.sh
# shellcheck disable=SC2086
exec java ${DEMO_JAVA_OPTS:-} -cp "demo/target/classes:$(cat demo/target/classpath.txt)" \
  dev.junction.demo.DemoCluster "$@" "$dist"
