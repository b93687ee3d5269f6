#!/usr/bin/env bash
# Builds the demo corpus: the Python 3 documentation sources (PSF licence) from Debian's
# python3.x-doc package, split into one JSONL document per section.
# Usage: scripts/fetch-demo-corpus.sh <out.jsonl>
set -euo pipefail
out=${1:?usage: fetch-demo-corpus.sh <out.jsonl>}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

find_package() { apt-cache depends python3-doc 2>/dev/null | awk '/Depends: python3\.[0-9]+-doc/ {print $2; exit}'; }
package=$(find_package || true)
if [ -z "$package" ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  package=$(find_package || true)
fi
[ -n "$package" ] || { echo "fetch-demo-corpus: cannot find Debian's python3-doc package (run 'apt-get update' as root first)" >&2; exit 1; }

(cd "$work" && apt-get download -qq "$package" >/dev/null 2>&1 || true)
deb=$(ls "$work"/*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "fetch-demo-corpus: could not download $package" >&2; exit 1; }
dpkg-deb -x "$deb" "$work/unpacked"
sources=$(find "$work/unpacked" -type d -name _sources | head -n 1)
[ -n "$sources" ] || { echo "fetch-demo-corpus: $package has no _sources folder" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
node "$(dirname "$0")/rst-sections-to-jsonl.mjs" "$sources" "$out"
