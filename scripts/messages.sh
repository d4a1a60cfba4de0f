#!/usr/bin/env bash
# Extract translatable strings into per-app catalogues: nabij/<app>/locale/nl/LC_MESSAGES/django.po for each app,
# and nabij/locale/ for the shared templates (nabij/templates) and settings. Usage: scripts/messages.sh [app ...]
# Then fill in the Dutch msgstr entries; `make install` compiles them (compilemessages).
set -euo pipefail
cd "$(dirname "$0")/.."
ADMIN="$PWD/.venv/bin/django-admin"
apps=("$@")
if [ ${#apps[@]} -eq 0 ]; then
  apps=(shared $(ls -d nabij/*/apps.py | xargs -n1 dirname | xargs -n1 basename))
fi
for app in "${apps[@]}"; do
  if [ "$app" = shared ]; then
    ignores=()
    for d in nabij/*/apps.py; do ignores+=(--ignore "$(basename "$(dirname "$d")")/*"); done
    (cd nabij && mkdir -p locale && "$ADMIN" makemessages -l nl --no-obsolete --no-location "${ignores[@]}" --ignore "static/*" >/dev/null)
  else
    (cd "nabij/$app" && mkdir -p locale && "$ADMIN" makemessages -l nl --no-obsolete --no-location >/dev/null)
  fi
  echo "updated $app"
done
