#!/usr/bin/env bash
# Run the test suite against a throwaway PostgreSQL cluster (tests/pg_cluster.py), then remove
# the cluster. Arguments go to pytest:  tests/run_on_postgres.sh -q tests/test_hours_web.py
set -euo pipefail
cd "$(dirname "$0")/.."

cluster=$(mktemp -d /tmp/helpline-pg.XXXXXX)
cleanup() {
    .venv/bin/python -m tests.pg_cluster stop "$cluster" >/dev/null 2>&1 || true
    rm -rf "$cluster"
}
trap cleanup EXIT

TEST_POSTGRES_URL=$(.venv/bin/python -m tests.pg_cluster start "$cluster")
export TEST_POSTGRES_URL
echo "PostgreSQL test cluster: $TEST_POSTGRES_URL"
.venv/bin/pytest "$@"
