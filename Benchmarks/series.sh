#!/usr/bin/env bash
# The whole table of docs/performance.md in one command: publishes the gateway and the load generator in Release,
# runs every scenario in the order the document gives (a fresh gateway and store where it says so), keeps each
# run's JSON result, and ends with the table of medians (`summarize`).
#
#   Benchmarks/series.sh [results-folder]      (default: ./benchmark-results/<UTC time>)
#
# Environment:
#   PGHOST, PGPORT, PGUSER, PGPASSWORD   a PostgreSQL server on which the script may drop and create the databases
#                                       bench_platform and bench_baseline (the libpq variables psql reads): adds the
#                                       PostgreSQL ingest rows and the per-event baseline. Unset: those rows are skipped.
#   FULL=1                              also fills a store with 1,000,000 customers and measures start-to-ready and
#                                       memory per customer on it (about 6 more minutes).
#   PORT                                the gateway's port (5000).
#   GATEWAY_ENV                         settings for every gateway the series starts, as NAME=VALUE words, e.g.
#                                       GATEWAY_ENV=Storage__CommitLog=false for the embedded store without its commit log.
#
# About 12 minutes without FULL on the 2-core machine of docs/performance.md. Nothing else should run meanwhile.
# With dotnet-trace installed, one more event -> alert run at 10,000 events/s is traced and its garbage-collection
# pauses summed up (gc-pauses-10000). Not included: ingest over RabbitMQ (a reference figure without a target; see Benchmarks/README.md for its command).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$(realpath -m "${1:-benchmark-results/$(date -u +%Y%m%dT%H%M%SZ)}")"
port="${PORT:-5000}"
url="http://127.0.0.1:$port"
work="$(mktemp -d)"
gateway_pid=""

stop_gateway() {
  if [ -n "$gateway_pid" ] && kill -0 "$gateway_pid" 2>/dev/null; then
    kill "$gateway_pid"
    wait "$gateway_pid" 2>/dev/null || true
  fi
  gateway_pid=""
}
trap 'stop_gateway; rm -rf "$work"' EXIT

# start_gateway FOLDER [NAME=VALUE...]: a gateway whose working directory (and so its SQLite store) is FOLDER.
start_gateway() {
  local folder="$1"; shift
  stop_gateway
  if curl -sf "$url/readyz" >/dev/null; then
    echo "Something already answers on $url (a gateway left running?): stop it first, or set PORT." >&2
    return 1
  fi
  mkdir -p "$folder"
  # shellcheck disable=SC2086 # GATEWAY_ENV is a list of words
  (cd "$folder" && exec env ${GATEWAY_ENV:-} "$@" ASPNETCORE_URLS="$url" Logging__LogLevel__Default=Warning \
    dotnet "$work/gateway/CustomerActors.Gateway.dll" >"$folder/gateway.log" 2>&1) &
  gateway_pid=$!
  for _ in $(seq 1 240); do
    curl -sf "$url/readyz" >/dev/null && return 0
    kill -0 "$gateway_pid" 2>/dev/null || { cat "$folder/gateway.log" >&2; return 1; }
    sleep 0.5
  done
  echo "The gateway did not become ready; its log: $folder/gateway.log" >&2
  return 1
}

# bench RESULT ARGS...: one run of the load generator; its JSON goes to RESULT.json, its summary line to the terminal.
# A run that reports a failure (failed requests, probes not received) keeps its result and the series goes on.
bench() {
  local result="$1"; shift
  dotnet "$work/bench/CustomerActors.Benchmarks.dll" "$@" --url "$url" >"$results/$result.json" || echo "($result reported a failure; see $results/$result.json)"
}

mkdir -p "$results"
echo "Publishing (Release) into $work"
dotnet publish "$repo/Gateway" -c Release -o "$work/gateway" >/dev/null
dotnet publish "$repo/Benchmarks" -c Release -o "$work/bench" >/dev/null
echo "Results: $results"

echo "== the ceiling: the ingest traffic through transport, parser and policy alone (no platform running)"
for run in 1 2 3; do
  dotnet "$work/bench/CustomerActors.Benchmarks.dll" ceiling --seed "$run" >"$results/ceiling-$run.json" \
    || echo "(ceiling-$run reported a failure; see $results/ceiling-$run.json)"
done

echo "== ingest over HTTP, SQLite (one fresh store), then lookups and event -> alert on it"
start_gateway "$work/sqlite"
for run in 1 2 3; do bench "ingest-sqlite-$run" ingest --events 150000 --seed "$run"; done
for run in 1 2 3; do bench "lookup-max-$run" lookup --seconds 15 --concurrency 32; done
for rate in 10000 15000 20000; do
  for run in 1 2 3; do bench "lookup-rate$rate-$run" lookup --seconds 15 --rate "$rate" --concurrency 64; done
done
for run in 1 2 3; do bench "latency-1000-$run" latency --rate 1000 --seconds 20; done
bench "latency-5000-1" latency --rate 5000 --seconds 20
# The target's rate (kept up since the fifth session of 2026-11-24); 100-event batches every 10 ms.
for run in 1 2 3; do bench "latency-10000-$run" latency --rate 10000 --seconds 20; done
# What the tail at that rate is made of: one more run, not among the three above, with the collector's events traced
# (dotnet-trace, when installed: dotnet tool install -g dotnet-trace), summed up by bench gc-pauses.
trace_tool="$(command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace")"
if [ -x "$trace_tool" ]; then
  "$trace_tool" collect -p "$gateway_pid" --profile gc-collect --duration 00:00:00:26 -o "$work/gc-10000.nettrace" >/dev/null 2>&1 &
  trace_pid=$!
  bench "latency-10000-traced-1" latency --rate 10000 --seconds 20
  wait "$trace_pid" || true
  dotnet "$work/bench/CustomerActors.Benchmarks.dll" gc-pauses "$work/gc-10000.nettrace" >"$results/gc-pauses-10000-1.json" \
    || echo "(gc-pauses-10000-1 reported a failure; see $results/gc-pauses-10000-1.json)"
else
  echo "(no dotnet-trace: the collector's pauses at 10,000 events/s are not traced)"
fi

if [ -n "${PGHOST:-}" ] && command -v psql >/dev/null; then
  echo "== ingest over HTTP, PostgreSQL, beside the per-event baseline"
  for database in bench_platform bench_baseline; do
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
  done
  postgres="Host=$PGHOST;Port=${PGPORT:-5432};Username=${PGUSER:-postgres};Password=${PGPASSWORD:-}"
  start_gateway "$work/postgres" Storage__Provider=postgres "Storage__ConnectionString=$postgres;Database=bench_platform"
  for run in 1 2 3; do
    bench "ingest-postgres-$run" ingest --events 100000 --seed "$run" --baseline "$postgres;Database=bench_baseline"
  done
else
  echo "== PostgreSQL rows skipped (set PGHOST, PGUSER, PGPASSWORD and have psql)"
fi

if [ "${FULL:-0}" = 1 ]; then
  echo "== a store of 1,000,000 customers, start to ready on it, memory per customer"
  start_gateway "$work/million"
  bench "fill-million-1" ingest --customers 1000000 --events 1000000 --seed-every-customer --batch-size 10000
  stop_gateway
  dotnet "$work/bench/CustomerActors.Benchmarks.dll" restart --gateway "$work/gateway/CustomerActors.Gateway.dll" \
    --workdir "$work/million" --runs 3 >"$results/restart-1.json" || echo "(restart-1 reported a failure; see $results/restart-1.json)"
  for run in 1 2 3; do
    start_gateway "$work/million"
    bench "memory-$run" memory --pid "$gateway_pid" --customers 1000000 --concurrency 16
  done
fi

stop_gateway
echo
dotnet "$work/bench/CustomerActors.Benchmarks.dll" summarize "$results" | tee "$results/summary.md"
