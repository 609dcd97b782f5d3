#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing, and prints its path.
set -euo pipefail
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-chromium: Chromium is missing; run as root or install the 'chromium' package" >&2
    exit 1
  fi
  echo "install-chromium: installing Chromium from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium >&2
fi
command -v chromium
