#!/usr/bin/env bash
# Installs Debian's Chromium and a Chinese font for the browser tests when missing; prints Chromium's path.
set -euo pipefail
packages=()
command -v chromium >/dev/null || packages+=(chromium)
# Without a CJK font the pages' Chinese renders as boxes in screenshots.
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || packages+=(fonts-wqy-microhei)
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-chromium: missing ${packages[*]}; run as root or install them" >&2
    exit 1
  fi
  echo "install-chromium: installing ${packages[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${packages[@]}" >&2
fi
command -v chromium
