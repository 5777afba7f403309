#!/usr/bin/env bash
# Every test: on SQLite, in a real browser, and again on PostgreSQL when TEST_DATABASE_URL names one.
# Each run ends with pytest's own count line, so the output shows what ran and that nothing skipped.
set -euo pipefail
pytest=(.venv/bin/pytest -q -p no:cacheprovider)
.venv/bin/ruff check feedback360 tests bench
.venv/bin/bandit -q -r feedback360 -c pyproject.toml

# The SQLite runs must not see TEST_DATABASE_URL: the fixtures switch to PostgreSQL when it is set.
echo "== tests on SQLite"
env -u TEST_DATABASE_URL "${pytest[@]}" -m "not browser and not postgres" "$@"

echo "== browser tests in headless Chromium (SQLite)"
env -u TEST_DATABASE_URL "${pytest[@]}" -m browser tests/e2e "$@"

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== tests on PostgreSQL"
  # Tests that read no database would only repeat the SQLite pass exactly: they run there.
  "${pytest[@]}" -m "not browser and not no_database" "$@"
  echo "== browser tests in headless Chromium (PostgreSQL)"
  "${pytest[@]}" -m browser tests/e2e "$@"
elif [ -n "${CI:-}" ]; then
  echo "== CI must run the PostgreSQL tests too, but TEST_DATABASE_URL is not set." >&2
  exit 1
else
  echo "== PostgreSQL runs SKIPPED: set TEST_DATABASE_URL=postgresql+psycopg://user:pass@host/db to run them."
fi
