#!/usr/bin/env bash
# Fetches the pinned Keycloak server distribution (org.keycloak:keycloak-quarkus-dist, a zip) from Maven
# Central into .cache/keycloak, checks it against the pinned SHA-256 and unpacks it into
# .cache/keycloak/<version>. Prints that folder. The build (kc.sh build) is the launcher's: deploy/local/keycloak.py.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=26.7.3
sha256=27a6535553c3cdcd083872ba40629efafb3475e3b758e0c6f691395561dd0f1f
cache="$root/.cache/keycloak"
zip="$cache/keycloak-quarkus-dist-$version.zip"
home="$cache/$version"

if [ ! -f "$home/.unpacked" ]; then
  mkdir -p "$cache"
  if [ ! -f "$zip" ]; then
    command -v mvn >/dev/null || { echo "fetch-keycloak: Maven (mvn) is required" >&2; exit 1; }
    mvn -B -q -Dstyle.color=never --strict-checksums -Dmaven.repo.local="$root/.cache/m2" \
      dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" -DoutputDirectory="$cache" >&2
    rm -rf "$root/.cache/m2/org/keycloak/keycloak-quarkus-dist"  # 170 MB, kept once: the zip above
  fi
  if [ "$(sha256sum "$zip" | cut -d' ' -f1)" != "$sha256" ]; then
    echo "fetch-keycloak: $zip does not match the pinned SHA-256" >&2
    rm -f "$zip"
    exit 1
  fi
  rm -rf "$home" "$home.partial" && mkdir -p "$home.partial"
  command -v unzip >/dev/null || bash "$root/deploy/local/apt-install.sh" fetch-keycloak unzip
  unzip -q "$zip" -d "$home.partial"
  mv "$home.partial/keycloak-$version" "$home" && rmdir "$home.partial"
  touch "$home/.unpacked"
fi
echo "$home"
