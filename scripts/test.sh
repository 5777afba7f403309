#!/usr/bin/env bash
# Every test: on SQLite, in a real browser, and again on PostgreSQL when TEST_DATABASE_URL names one.
# Each run ends with pytest's own count line, so the output shows what ran and that nothing skipped.
# The PostgreSQL runs go side by side with the SQLite ones (their databases share nothing), which
# keeps CI well under its time; their output is printed whole once both are done.
set -uo pipefail
pytest=(.venv/bin/pytest -q -p no:cacheprovider)
.venv/bin/ruff check feedback360 tests bench || exit 1
.venv/bin/bandit -q -r feedback360 -c pyproject.toml || exit 1

# The SQLite runs must not see TEST_DATABASE_URL: the fixtures switch to PostgreSQL when it is set.
on_sqlite() {
  local failed=0
  echo "== tests on SQLite"
  env -u TEST_DATABASE_URL "${pytest[@]}" -m "not browser and not postgres" "$@" || failed=1
  echo "== browser tests in headless Chromium (SQLite)"
  env -u TEST_DATABASE_URL "${pytest[@]}" -m browser tests/e2e "$@" || failed=1
  return $failed
}

on_postgres() {
  local failed=0
  echo "== tests on PostgreSQL"
  # Tests that read no database would only repeat the SQLite pass exactly: they run there.
  "${pytest[@]}" -m "not browser and not no_database" "$@" || failed=1
  echo "== browser tests in headless Chromium (PostgreSQL)"
  "${pytest[@]}" -m browser tests/e2e "$@" || failed=1
  return $failed
}

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  on_postgres "$@" >"$log" 2>&1 &
  postgres=$!
  sqlite_status=0
  on_sqlite "$@" || sqlite_status=1
  postgres_status=0
  wait "$postgres" || postgres_status=1
  cat "$log"
  [ "$sqlite_status" = 0 ] && [ "$postgres_status" = 0 ] || exit 1
elif [ -n "${CI:-}" ]; then
  echo "== CI must run the PostgreSQL tests too, but TEST_DATABASE_URL is not set." >&2
  exit 1
else
  on_sqlite "$@" || exit 1
  echo "== PostgreSQL runs SKIPPED: set TEST_DATABASE_URL=postgresql+psycopg://user:pass@host/db to run them."
fi
