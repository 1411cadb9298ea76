#!/usr/bin/env bash
# The test command: installs and starts what the tests need (PostgreSQL 15 on loopback), runs every test
# project of the solution, and ends with one line "N passed, N failed" counted from the test results.
set -euo pipefail
cd "$(dirname "$0")"

PG_VERSION=15
PG_PORT="${CUSTOMERACTORS_PG_PORT:-5432}"
PG_PASSWORD=postgres

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

install_packages() {
  local missing=()
  [ -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ] || missing+=("postgresql-$PG_VERSION")
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

start_postgres() {
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$PG_VERSION main"; then
    log "creating PostgreSQL cluster $PG_VERSION/main"
    as_root pg_createcluster "$PG_VERSION" main -p "$PG_PORT" >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
    log "starting PostgreSQL $PG_VERSION"
    as_root pg_ctlcluster "$PG_VERSION" main start
  fi
  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
    sleep 0.5
  done
  pg_isready -h 127.0.0.1 -p "$PG_PORT" >/dev/null
  as_root su postgres -c "psql -q -p $PG_PORT -c \"ALTER USER postgres PASSWORD '$PG_PASSWORD'\"" >/dev/null
}

install_packages
start_postgres
export CUSTOMERACTORS_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD;Database=postgres"

results="$(pwd)/TestResults"
rm -rf "$results"
log "building"
dotnet build CustomerActors.sln -c Release -nologo -v quiet
log "testing"
set +e
dotnet test CustomerActors.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?
set -e

# Count from the TRX files the test runs wrote (one per test project).
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$status" -eq 0 ]; then
  log "no test results were found"; status=1
fi
echo "$passed passed, $failed failed"
exit "$status"
