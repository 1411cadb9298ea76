#!/usr/bin/env bash
# Starts the test broker on loopback (AMQP 5672, management API 15672) with the plugins the platform and the
# tests need, and waits until it has booted. Tolerates a broker that is already running. Used by test.sh and
# by the fault tests that restart the broker mid-stream. Needs root (or the rabbitmq user).
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

if [ ! -f /etc/rabbitmq/conf.d/90-customeractors-tests.conf ]; then
  as_root mkdir -p /etc/rabbitmq/conf.d
  printf '%s\n' '# Written by CustomerActors test.sh: the test broker listens on loopback only.' \
    'listeners.tcp.default = 127.0.0.1:5672' 'management.tcp.ip = 127.0.0.1' 'management.tcp.port = 15672' \
    | as_root tee /etc/rabbitmq/conf.d/90-customeractors-tests.conf >/dev/null
fi
as_root rabbitmq-plugins enable --offline rabbitmq_sharding rabbitmq_consistent_hash_exchange rabbitmq_management >/dev/null

if ! as_root rabbitmqctl -q ping >/dev/null 2>&1; then
  # epmd and Erlang distribution (what rabbitmqctl talks to) on loopback too.
  as_root env ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    rabbitmq-server -detached
fi

# await_startup fails at once while the node has not yet registered with epmd: retry until it answers.
for _ in $(seq 1 120); do
  if as_root rabbitmqctl -q await_startup --timeout 60 >/dev/null 2>&1; then
    # A node that was already running started with the plugins of its time: enable them on it too (idempotent).
    as_root rabbitmq-plugins -q enable rabbitmq_sharding rabbitmq_consistent_hash_exchange rabbitmq_management >/dev/null
    exit 0
  fi
  sleep 1
done
echo "RabbitMQ did not start within 2 minutes; see /var/log/rabbitmq/" >&2
exit 1
