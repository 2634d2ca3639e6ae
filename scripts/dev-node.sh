# Starts a `qvm-node --dev --tmp` on loopback for a test script (sourced):
#
#   source scripts/dev-node.sh
#   start_dev_node BINARY PORT [EXTRA_ARGS...]
#
# Refuses a port something already answers on, waits (up to 120 s) until its RPC answers, and
# stops the node by its pid when the calling script exits. Sets `node_pid` and `node_log` (the
# node's output).

# True if a node answers JSON-RPC on 127.0.0.1:$1.
rpc_up() {
  curl -sf -m 2 -H 'Content-Type: application/json' -d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader"}' \
    "http://127.0.0.1:$1" >/dev/null 2>&1
}

start_dev_node() {
  local bin=$1 port=$2
  shift 2
  if rpc_up "$port"; then
    echo "something already answers on 127.0.0.1:$port; choose another port" >&2
    exit 1
  fi
  node_log=$(mktemp -t qvm-node.XXXXXX.log)
  "$bin" --dev --tmp --rpc-port "$port" --no-prometheus --no-telemetry \
    --listen-addr /ip4/127.0.0.1/tcp/0 "$@" >"$node_log" 2>&1 &
  node_pid=$!
  trap 'kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    if rpc_up "$port"; then return 0; fi
    if ! kill -0 "$node_pid" 2>/dev/null; then echo "qvm-node exited:"; tail -50 "$node_log"; exit 1; fi
    sleep 1
  done
  echo "qvm-node did not answer on 127.0.0.1:$port within 120 s"; tail -50 "$node_log"; exit 1
}
