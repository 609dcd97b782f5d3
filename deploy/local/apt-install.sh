#!/usr/bin/env bash
# Installs the named Debian packages (as root, after refreshing the package lists).
#   bash deploy/local/apt-install.sh WHY PACKAGE...
set -euo pipefail
why=$1
shift
if [ "$(id -u)" -ne 0 ]; then
  echo "$why: missing $*; run as root or install them" >&2
  exit 1
fi
echo "$why: installing $* from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq "$@" >&2
