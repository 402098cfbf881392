#!/usr/bin/env bash
# Builds Junction if needed and runs it in the foreground with its interactive shell.
# Stop with 'exit' (or Ctrl-D) at the prompt.
set -euo pipefail
cd "$(dirname "$0")"

version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
dist="distribution/target/junction-$version"
# Rebuild when the distribution is missing or any source is newer than it.
if [ ! -x "$dist/bin/junction" ] || [ -n "$(find . -path ./distribution/target -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/dist/*' -o -name '*.bnd*' \) -newer "$dist/bin/junction" -print -quit)" ]; then
  echo "run.sh: building Junction (mvn install, tests skipped; ./test.sh runs them)"
  mvn -B -q install -DskipTests
fi
exec "$dist/bin/junction" console
