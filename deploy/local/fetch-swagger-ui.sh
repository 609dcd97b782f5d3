#!/usr/bin/env bash
# Fetches Swagger UI (the npm package swagger-ui-dist) for the services' /docs, checks the tarball against
# its pinned SHA-256 and unpacks the files /docs serves into .cache/swagger-ui/dist. Prints that folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=5.35.0
sha256=1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6
cache="$root/.cache/swagger-ui"
dest="$cache/dist"
tarball="$cache/swagger-ui-dist-$version.tgz"

if [ "$(cat "$dest/.version" 2>/dev/null)" != "$version" ]; then
  mkdir -p "$cache"
  if [ ! -f "$tarball" ]; then
    (cd "$cache" && npm pack --silent "swagger-ui-dist@$version" >/dev/null)
  fi
  if [ "$(sha256sum "$tarball" | cut -d' ' -f1)" != "$sha256" ]; then
    echo "fetch-swagger-ui: $tarball does not match the pinned SHA-256" >&2
    rm -f "$tarball"
    exit 1
  fi
  rm -rf "$dest" && mkdir -p "$dest"
  tar -xzf "$tarball" -C "$dest" --strip-components=1 \
    package/swagger-ui-bundle.js package/swagger-ui.css package/favicon-32x32.png package/LICENSE package/NOTICE
  echo "$version" >"$dest/.version"
fi
echo "$dest"
