#!/usr/bin/env bash
# Copies the pinned npm front-end assets into nabij/static/vendor (served by WhiteNoise; no CDN).
set -euo pipefail
nm=node_modules
out=nabij/static/vendor
rm -rf "$out"
mkdir -p "$out/utrecht" "$out/theme" "$out/htmx" "$out/leaflet" "$out/fonts"
cp "$nm/@utrecht/component-library-css/dist/index.css" "$out/utrecht/component-library.css"
cp "$nm/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css" "$out/theme/voorbeeld-theme.css"
cp "$nm/htmx.org/dist/htmx.min.js" "$out/htmx/htmx.min.js"
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.js.map" "$nm/leaflet/dist/leaflet.css" "$out/leaflet/"
cp -r "$nm/leaflet/dist/images" "$out/leaflet/images"
# Noto Sans (the voorbeeld theme's font), self-hosted: latin subsets only keep the page light.
cp "$nm/@fontsource-variable/noto-sans/files/noto-sans-latin-wght-normal.woff2" "$out/fonts/"
cp "$nm/@fontsource-variable/noto-sans/files/noto-sans-latin-ext-wght-normal.woff2" "$out/fonts/"
