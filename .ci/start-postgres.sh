#!/usr/bin/env bash
# Start Debian's PostgreSQL cluster and create the test role and database (idempotent).
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_roles WHERE rolname='feedback360'\"" | grep -q 1 ||
  su postgres -c "psql -q -c \"CREATE ROLE feedback360 LOGIN PASSWORD 'feedback360' SUPERUSER\""
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname='feedback360_test'\"" | grep -q 1 ||
  su postgres -c "createdb -O feedback360 feedback360_test"
echo "PostgreSQL $version is up."
