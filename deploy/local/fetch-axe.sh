#!/usr/bin/env bash
# Fetches axe-core (npm) for the pages' accessibility tests, checks the tarball against its pinned SHA-256
# and unpacks axe.min.js into .cache/axe-core. Prints the path of axe.min.js.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=4.14.1
sha256=e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
cache="$root/.cache/axe-core"
tarball="$cache/axe-core-$version.tgz"

if [ "$(cat "$cache/.version" 2>/dev/null)" != "$version" ]; then
  mkdir -p "$cache"
  if [ ! -f "$tarball" ]; then
    (cd "$cache" && npm pack --silent "axe-core@$version" >/dev/null)
  fi
  if [ "$(sha256sum "$tarball" | cut -d' ' -f1)" != "$sha256" ]; then
    echo "fetch-axe: $tarball does not match the pinned SHA-256" >&2
    rm -f "$tarball"
    exit 1
  fi
  tar -xzf "$tarball" -C "$cache" --strip-components=1 package/axe.min.js package/LICENSE
  echo "$version" >"$cache/.version"
fi
echo "$cache/axe.min.js"
