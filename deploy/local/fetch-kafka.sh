#!/usr/bin/env bash
# Fetches the pinned Apache Kafka broker classpath from Maven Central into
# .cache/kafka/<version>/libs and checks every jar against deploy/kafka/jars.sha256.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pom="$root/deploy/kafka/pom.xml"
sums="$root/deploy/kafka/jars.sha256"
version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")
libs="$root/.cache/kafka/$version/libs"

verify() { [ -d "$libs" ] && (cd "$libs" && sha256sum --quiet --strict -c "$sums") >/dev/null 2>&1; }

if verify; then
  echo "$libs"
  exit 0
fi
command -v mvn >/dev/null || { echo "fetch-kafka: Maven (mvn) is required" >&2; exit 1; }
rm -rf "$libs" && mkdir -p "$libs"
mvn -B -q -Dstyle.color=never --strict-checksums -f "$pom" \
  -Dmaven.repo.local="$root/.cache/m2" \
  -DoutputDirectory="$libs" \
  -DbuildDirectory="$root/.cache/kafka/build" \
  package >&2
if ! verify; then
  echo "fetch-kafka: jar checksums differ from deploy/kafka/jars.sha256" >&2
  (cd "$libs" && sha256sum --strict -c "$sums" | grep -v ': OK$') >&2 || true
  exit 1
fi
echo "$libs"
