#!/usr/bin/env bash
# Runs Junction's whole test suite: unit tests, the platform in a real Felix framework (Pax Exam)
# and the unpacked distribution driven through bin/junction. Installs what a fresh Debian machine
# lacks first (JDK 17, Maven, the OpenSSH client for the admin shell, the mariadb client).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v java > /dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn > /dev/null || missing+=(maven)
command -v ssh > /dev/null || missing+=(openssh-client)
command -v ssh-keygen > /dev/null || missing+=(openssh-client)
command -v mariadb > /dev/null || missing+=(mariadb-client)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# The demo module's test runs MariaDB servers: make sure the libraries they link against are there.
demo/install-deps.sh

exec mvn -B verify "$@"
