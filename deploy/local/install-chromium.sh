#!/usr/bin/env bash
# Installs Debian's Chromium and a Chinese font for the browser tests when missing; prints Chromium's path.
set -euo pipefail
packages=()
command -v chromium >/dev/null || packages+=(chromium)
# Without a CJK font the pages' Chinese renders as boxes in screenshots.
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || packages+=(fonts-wqy-microhei)
if [ ${#packages[@]} -gt 0 ]; then
  bash "$(dirname "$0")/apt-install.sh" install-chromium "${packages[@]}"
fi
command -v chromium
