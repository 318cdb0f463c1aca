#!/usr/bin/env bash
# Run the whole test suite on PostgreSQL (and Redis for the Celery worker test), with the browser
# journeys in headless Chromium. Extra arguments go to pytest, e.g. scripts/test.sh -k login
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-deps.sh
scripts/bootstrap.sh dev
scripts/services.sh
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ssportal}"
export REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
mkdir -p test-artifacts
.venv/bin/python -m pytest "$@"
