#!/usr/bin/env bash
# `make test-postgres`: the store, ingest and concurrency suites against a real PostgreSQL.
#
# Starts a throwaway cluster from Debian's `postgresql` package (installed with apt-get when
# missing and running as root; otherwise it says what to run) in a temporary directory, on a
# free loopback port, as the unprivileged `postgres` user when run as root (the server refuses
# root). The tests get RBK_DATABASE_URL pointing at it and create a fresh database per test
# (tests/conftest.py). The cluster is stopped and removed whatever happens (trap on EXIT).
# The cluster trades durability for speed (fsync off): it only ever holds test databases.
#
# Usage: scripts/test_postgres.sh [pytest arguments]   (default: the suites listed below)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

pg_bindir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

BINDIR=$(pg_bindir)
if [ -z "$BINDIR" ] || [ ! -x "$BINDIR/initdb" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "PostgreSQL is not installed: installing Debian's postgresql package" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        BINDIR=$(pg_bindir)
    else
        echo "PostgreSQL is not installed. Run: sudo apt-get install postgresql" >&2
        exit 1
    fi
fi

WORK=$(mktemp -d /tmp/rbk-pg.XXXXXX)
RUN=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$WORK"
    RUN=(runuser -u postgres --)
fi

PYTEST=
cleanup() {
    status=$?
    if [ -n "$PYTEST" ] && kill -0 "$PYTEST" 2>/dev/null; then
        kill -TERM "$PYTEST" 2>/dev/null || true
        wait "$PYTEST" 2>/dev/null || true
    fi
    if [ -f "$WORK/data/postmaster.pid" ]; then
        "${RUN[@]}" "$BINDIR/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ "$status" -ne 0 ] && [ -f "$WORK/server.log" ]; then
        echo "--- last lines of the PostgreSQL server log" >&2
        tail -n 30 "$WORK/server.log" >&2 || true
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$WORK" && "${RUN[@]}" "$BINDIR/initdb" -D "$WORK/data" -U postgres --auth=trust \
    -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1) || { cat "$WORK/initdb.log" >&2; exit 1; }
(cd "$WORK" && "${RUN[@]}" "$BINDIR/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -t 60 \
    -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null)
echo "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT ($WORK)"

export RBK_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
if [ "$#" -eq 0 ]; then
    # the store and concurrency suites (tests/store), ingest (CLI, page, SIGKILL, property
    # tests), the Peta page drawn from a PostgreSQL store, and every page while it is down
    set -- tests/store tests/ingest tests/ui/test_peta_postgres.py tests/ui/test_store_unreachable.py
fi
# Without --doctest-modules (addopts): the docstring examples need no store and run in
# `make test`, and collecting the folders' conftest.py files as modules clashes by name when
# folders are named one by one.
# In the background, so that a signal to this script runs the cleanup at once (bash runs
# traps only between commands); the cleanup stops pytest first.
"$PY" -m pytest -p no:cacheprovider -o addopts="-q -ra" "$@" &
PYTEST=$!
wait "$PYTEST"
