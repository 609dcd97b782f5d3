#!/usr/bin/env bash
# Installs PostgreSQL server binaries from Debian's packages when none are present,
# then prints the folder that holds initdb and pg_ctl.
set -euo pipefail
find_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

bindir=$(find_bindir)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-postgres: PostgreSQL is missing; run as root or install the 'postgresql' package" >&2
    exit 1
  fi
  echo "install-postgres: installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bindir=$(find_bindir)
fi
echo "$bindir"
