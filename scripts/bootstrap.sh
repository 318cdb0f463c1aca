#!/usr/bin/env bash
# Create .venv with Python 3.11 and install the locked dependencies (exact versions, hashes).
#   scripts/bootstrap.sh        runtime dependencies (requirements.lock)
#   scripts/bootstrap.sh dev    runtime + test and lint tools (requirements-dev.lock)
set -euo pipefail
cd "$(dirname "$0")/.."
lock=requirements.lock
[ "${1:-}" = "dev" ] && lock=requirements-dev.lock

py=""
for c in python3.11 python3; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    py=$(command -v "$c"); break
  fi
done
[ -n "$py" ] || { echo "bootstrap: Python 3.11 is needed (Django 5.2 LTS on 3.11)" >&2; exit 1; }

[ -x .venv/bin/python ] || "$py" -m venv .venv
stamp=".venv/.installed-$(basename "$lock")"
sum=$(sha256sum "$lock" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade "pip>=24"
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
  echo "$sum" > "$stamp"
fi
echo "bootstrap: .venv ready ($lock)"
