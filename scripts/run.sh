#!/usr/bin/env bash
# Set up and serve the portal at http://127.0.0.1:8000 with demo data.
# With no environment: SQLite in var/, tasks in-process, codes printed here and kept in
# var/outbox.jsonl. Set DATABASE_URL and/or REDIS_URL to use real servers (a Celery worker is
# started beside the web server when REDIS_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-deps.sh run
scripts/bootstrap.sh
mkdir -p var
py=.venv/bin/python
$py manage.py migrate --noinput -v0
$py manage.py seed_demo
if [ -n "${REDIS_URL:-}" ]; then
  .venv/bin/celery -A config worker --pool solo -l warning --logfile var/worker.log &
  worker=$!
  trap 'kill $worker 2>/dev/null || true' EXIT
  echo "Celery worker started (log: var/worker.log)"
fi
echo "Codes sent by SMS or email are printed below and kept in var/outbox.jsonl"
exec_or_wait() { $py manage.py runserver 127.0.0.1:8000 "$@"; }
exec_or_wait --noreload
