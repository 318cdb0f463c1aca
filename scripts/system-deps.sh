#!/usr/bin/env bash
# Debian packages the portal and its tests need: Pango/HarfBuzz and Arabic fonts for WeasyPrint,
# gettext for the message catalogues, Chromium for the browser tests, and PostgreSQL and Redis
# when the machine has none. Installs only what is missing; needs root (or sudo) to install.
#   scripts/system-deps.sh        everything the tests need
#   scripts/system-deps.sh run    only what serving the portal needs (PDFs in Arabic, catalogues)
set -euo pipefail

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-core
      fonts-hosny-amiri fonts-kacst gettext)
[ "${1:-}" = "run" ] || pkgs+=(poppler-utils chromium)
for pkg in "${pkgs[@]}"; do
  have_pkg "$pkg" || need+=("$pkg")
done
if [ "${1:-}" != "run" ]; then
  command -v pg_ctlcluster >/dev/null 2>&1 || command -v postgres >/dev/null 2>&1 || need+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
fi

if [ ${#need[@]} -eq 0 ]; then
  echo "system-deps: all Debian packages present"
  exit 0
fi
echo "system-deps: installing ${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "system-deps: run as root, or install: apt-get install ${need[*]}" >&2; exit 1; fi
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
