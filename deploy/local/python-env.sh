#!/usr/bin/env bash
# Creates .venv with the pinned, hash-checked dependencies of requirements.lock (wheels cached in
# .cache/pip), and recreates it whenever the lock file changes.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="$root/.venv"
lock="$root/requirements.lock"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$lock" | cut -d' ' -f1)

if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "python-env: Python 3.11 or newer is required" >&2; exit 1; }
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  # Debian and Ubuntu ship venv's pip bootstrap apart from Python itself: installed here when root may.
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    bash "$root/deploy/local/apt-install.sh" python-env python3-venv
  fi
  if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    echo "python-env: $python cannot make a virtual environment; install it with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y python3-venv" >&2
    exit 1
  fi
fi
echo "python-env: installing pinned dependencies into .venv" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
PIP_CACHE_DIR="$root/.cache/pip" PIP_DISABLE_PIP_VERSION_CHECK=1 \
  "$venv/bin/pip" install --quiet --require-hashes --no-deps -r "$lock"
echo "$want" > "$stamp"
