#!/usr/bin/env bash
# Re-vendor the map's JavaScript/CSS assets from the npm registry into buurtkaart/app/static/vendor/.
# Usage: scripts/vendor_assets.sh   (needs npm and tar; run from anywhere)
# Nothing is loaded from a CDN at run time: the app serves these files itself
# (Streamlit static serving, /app/static/vendor/...).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/buurtkaart/app/static/vendor"
PACKAGES=(
  "leaflet@1.9.4"
  "leaflet.markercluster@1.5.3"
)

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

for spec in "${PACKAGES[@]}"; do
  name="${spec%@*}"
  (cd "$TMP" && npm pack --silent "$spec" >/dev/null)
  tarball="$(ls "$TMP"/"$name"-*.tgz)"
  mkdir -p "$TMP/$name"
  tar -xzf "$tarball" -C "$TMP/$name"
  rm -rf "${DEST:?}/$name"
  mkdir -p "$DEST/$name"
  cp -r "$TMP/$name/package/dist/." "$DEST/$name/"
  # keep the licence and record the exact version
  for lic in "$TMP/$name"/package/LICEN[CS]E* "$TMP/$name"/package/MIT-LICEN[CS]E*; do
    [ -e "$lic" ] && cp "$lic" "$DEST/$name/"
  done
  cp "$TMP/$name/package/package.json" "$DEST/$name/package.json"
  rm -f "$tarball"
done

# Trim what the map never loads (source maps, ESM/unminified duplicates).
find "$DEST" -name "*.map" -delete
rm -f "$DEST/leaflet.markercluster/WhereAreTheJavascriptFiles.txt"
rm -f "$DEST/leaflet/leaflet-src.js" "$DEST/leaflet/leaflet-src.esm.js"
rm -f "$DEST/leaflet.markercluster/leaflet.markercluster-src.js"

# Category icons: only the SVGs that buurtkaart/taxonomy.toml names (plus the fallback
# "point"), from the Tabler icon set (MIT). The SVGs are package data.
TABLER="@tabler/icons@3.52.0"
(cd "$TMP" && npm pack --silent "$TABLER" >/dev/null)
mkdir -p "$TMP/tabler"
tar -xzf "$TMP"/tabler-icons-*.tgz -C "$TMP/tabler"
rm -rf "${DEST:?}/tabler-icons"
mkdir -p "$DEST/tabler-icons"
cp "$TMP/tabler/package/LICENSE" "$TMP/tabler/package/package.json" "$DEST/tabler-icons/"
for icon in point $(sed -n 's/^icon = "\([a-z0-9-]*\)"$/\1/p' "$ROOT/buurtkaart/taxonomy.toml"); do
  cp "$TMP/tabler/package/icons/outline/$icon.svg" "$DEST/tabler-icons/"
done

echo "vendored into $DEST:"
(cd "$DEST" && find . -type f | sort)
