#!/usr/bin/env bash
# Development server plus the background worker (mail and PDFs) beside it; both stop together.
set -euo pipefail
port="${1:-5000}"
export FEEDBACK360_ENV=development
.venv/bin/flask --app wsgi worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo
echo "feedback360 is running on http://127.0.0.1:${port}"
echo "Emails are not sent in development: read them at http://127.0.0.1:${port}/dev/outbox"
echo "Report PDFs are made in the background by 'flask worker', started beside the server."
echo
.venv/bin/flask --app wsgi run --host 127.0.0.1 --port "$port"
