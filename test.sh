#!/usr/bin/env bash
# The test command: installs and starts what the tests need (PostgreSQL 15 and RabbitMQ 3.10 on loopback), runs
# every test project of the solution, and ends with one line "N passed, N failed" counted from the test results.
set -euo pipefail
cd "$(dirname "$0")"

PG_VERSION=15
PG_PORT="${CUSTOMERACTORS_PG_PORT:-5432}"
PG_PASSWORD=postgres
# A second cluster that the fault tests stop with "pg_ctl stop -m immediate" and start again.
PG_FAULTS_CLUSTER=faults
PG_FAULTS_PORT="${CUSTOMERACTORS_PG_FAULTS_PORT:-5433}"

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

install_packages() {
  local missing=()
  [ -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ] || missing+=("postgresql-$PG_VERSION")
  command -v rabbitmq-server >/dev/null || missing+=(rabbitmq-server)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# start_postgres CLUSTER PORT: creates the cluster if needed, starts it, sets the password for TCP logins.
start_postgres() {
  local cluster=$1 port=$2
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$PG_VERSION $cluster"; then
    log "creating PostgreSQL cluster $PG_VERSION/$cluster on port $port"
    as_root pg_createcluster "$PG_VERSION" "$cluster" -p "$port" >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$cluster" '$1==v && $2==c {print $4}' | grep -q online; then
    log "starting PostgreSQL $PG_VERSION/$cluster"
    as_root pg_ctlcluster "$PG_VERSION" "$cluster" start
  fi
  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
  done
  pg_isready -h 127.0.0.1 -p "$port" >/dev/null
  as_root su postgres -c "psql -q -p $port -c \"ALTER USER postgres PASSWORD '$PG_PASSWORD'\"" >/dev/null
}

install_packages
start_postgres main "$PG_PORT"
start_postgres "$PG_FAULTS_CLUSTER" "$PG_FAULTS_PORT"
log "starting RabbitMQ"
Tests/servers/rabbitmq-start.sh
export CUSTOMERACTORS_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD;Database=postgres"
export CUSTOMERACTORS_TEST_FAULT_POSTGRES="Host=127.0.0.1;Port=$PG_FAULTS_PORT;Username=postgres;Password=$PG_PASSWORD;Database=postgres"
export CUSTOMERACTORS_TEST_FAULT_POSTGRES_CLUSTER="$PG_VERSION $PG_FAULTS_CLUSTER"
export CUSTOMERACTORS_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:5672/"
export CUSTOMERACTORS_TEST_RABBITMQ_MANAGEMENT="http://127.0.0.1:15672/"
export CUSTOMERACTORS_TEST_RABBITMQ_START="$(pwd)/Tests/servers/rabbitmq-start.sh"

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
# Name each failed test and the start of its message last, so that a log cut to its tail still says what failed.
if [ "$failed" -gt 0 ]; then
  log "failed tests:"
  for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    awk '
      /<UnitTestResult / && /outcome="Failed"/ {
        match($0, /testName="[^"]*"/); print "  FAILED " substr($0, RSTART + 10, RLENGTH - 11); failing = 1; shown = 0
      }
      failing && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
      failing && inmsg { line = $0; sub(/<\/Message>.*/, "", line); if (shown++ < 12) print "    " line }
      failing && /<\/Message>/ { inmsg = 0 }
      /<\/UnitTestResult>/ { failing = 0 }
    ' "$trx" | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' >&2
  done
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$status" -eq 0 ]; then
  log "no test results were found"; status=1
fi
echo "$passed passed, $failed failed"
exit "$status"
