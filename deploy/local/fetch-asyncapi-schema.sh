#!/usr/bin/env bash
# Fetches the AsyncAPI specification's JSON schemas (npm @asyncapi/specs) that the test of docs/asyncapi.json
# validates against, checks the tarball against its pinned SHA-256 and unpacks the 3.0.0 schema into
# .cache/asyncapi-specs. Prints its path.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=6.11.1
sha256=01af8744dc33c0c7eb2e908f6a955319ee58b70ecadc9387d1aeb16c0cd28928
cache="$root/.cache/asyncapi-specs"
tarball="$cache/asyncapi-specs-$version.tgz"

if [ "$(cat "$cache/.version" 2>/dev/null)" != "$version" ]; then
  mkdir -p "$cache"
  if [ ! -f "$tarball" ]; then
    (cd "$cache" && npm pack --silent "@asyncapi/specs@$version" >/dev/null)
  fi
  if [ "$(sha256sum "$tarball" | cut -d' ' -f1)" != "$sha256" ]; then
    echo "fetch-asyncapi-schema: $tarball does not match the pinned SHA-256" >&2
    rm -f "$tarball"
    exit 1
  fi
  tar -xzf "$tarball" -C "$cache" --strip-components=2 package/schemas/3.0.0-without-\$id.json
  echo "$version" >"$cache/.version"
fi
echo "$cache/3.0.0-without-\$id.json"
