#!/usr/bin/env bash
# Installs PostgreSQL server binaries from Debian's packages when none are present,
# then prints the folder that holds initdb and pg_ctl.
set -euo pipefail
here=$(dirname "$0")
find_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

bindir=$(find_bindir)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  bash "$here/apt-install.sh" install-postgres postgresql
  bindir=$(find_bindir)
fi
echo "$bindir"
