#!/usr/bin/env bash
# The embedded default of scripts/run.sh, checked: migrate and load the demo data on a new SQLite
# database (tasks in-process), then load it again (run.sh does at every start: it must be
# idempotent). Nothing is written outside a temporary directory. Exits non-zero on any failure.
#   scripts/check_sqlite_demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DATABASE_URL="sqlite:///$tmp/db.sqlite3" OUTBOX_FILE="$tmp/outbox.jsonl" MEDIA_ROOT="$tmp/media"
unset REDIS_URL
log="$tmp/log"
step() {
  echo "check_sqlite_demo: $*"
  if ! "$py" manage.py "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "check_sqlite_demo: FAILED: manage.py $*" >&2
    exit 1
  fi
}
step migrate --noinput -v0
step seed_demo
grep -q "Demo data ready" "$log" || { cat "$log" >&2; exit 1; }
step seed_demo
echo "check_sqlite_demo: OK (migrate, seed_demo twice on SQLite)"
