#!/usr/bin/env bash
# Installs promtool (Debian's prometheus package) for the alert rules' checks when missing; prints its path.
# Only promtool is wanted: the Prometheus server the package brings is not left running or enabled.
set -euo pipefail
if ! command -v promtool >/dev/null; then
  bash "$(dirname "$0")/apt-install.sh" install-promtool --no-install-recommends prometheus
  if command -v systemctl >/dev/null && systemctl is-enabled --quiet prometheus 2>/dev/null; then
    systemctl disable --now prometheus >&2 || true
  fi
fi
command -v promtool
