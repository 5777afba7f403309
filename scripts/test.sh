#!/usr/bin/env bash
# The whole suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL names one.
set -euo pipefail
.venv/bin/ruff check feedback360 tests bench
echo "== tests on SQLite"
.venv/bin/pytest -q -p no:cacheprovider "$@"
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== tests on PostgreSQL ($(echo "$TEST_DATABASE_URL" | sed 's#//[^@]*@#//#'))"
  .venv/bin/pytest -q -p no:cacheprovider -m "not browser" "$@"
else
  echo "== PostgreSQL runs SKIPPED: set TEST_DATABASE_URL=postgresql+psycopg://user:pass@host/db to run them."
fi
