#!/usr/bin/env bash
# Throughput of a release `qvm-node --dev` under a sustained load of pre-signed SDK-token
# transfers (node/e2e/throughput.mjs): transfers per block and per second, and whether blocks
# end on the weight limit or on the authoring deadline (with the authoring time per transfer).
# Loopback only, bounded (QVM_TPUT_TIMEOUT_S, default 600), stops the node by its pid.
#
#   QVM_TPUT_TRANSFERS=6000 ./benchmarking/node-load.sh
#
# Builds the release node with its runtime wasm (~22 min cold, in $CARGO_TARGET_DIR/release).
# QVM_NODE_BIN uses another binary. QVM_TPUT_RPC_PORT (default 9966).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
./scripts/build-contracts.sh >/dev/null
node_bin=${QVM_NODE_BIN:-}
if [ -z "$node_bin" ]; then
  cargo build -q --release -p qvm-node
  node_bin="$CARGO_TARGET_DIR/release/qvm-node"
fi
(cd node/e2e && npm ci --no-audit --no-fund --loglevel=error)

port=${QVM_TPUT_RPC_PORT:-9966}
rpc_up() {
  curl -sf -m 2 -H 'Content-Type: application/json' -d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader"}' \
    "http://127.0.0.1:$port" >/dev/null 2>&1
}
if rpc_up; then
  echo "something already answers on 127.0.0.1:$port; set QVM_TPUT_RPC_PORT to a free port" >&2
  exit 1
fi
log=$(mktemp -t qvm-tput-node.XXXXXX.log)
# A pool large enough for every pre-signed transfer; the proposer logs why it ended each block.
"$node_bin" --dev --tmp --rpc-port "$port" --no-prometheus --no-telemetry \
  --listen-addr /ip4/127.0.0.1/tcp/0 --pool-limit 20000 --pool-kbytes 65536 \
  --rpc-max-connections 100 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if rpc_up; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "qvm-node exited:"; tail -50 "$log"; exit 1; fi
  sleep 1
done
status=0
(cd node/e2e && QVM_WS="ws://127.0.0.1:$port" QVM_NODE_LOG="$log" \
  timeout --kill-after=30 "$(( ${QVM_TPUT_TIMEOUT_S:-600} + 60 ))" node throughput.mjs) || status=$?
if [ "$status" -ne 0 ]; then echo "--- qvm-node log (tail)"; tail -40 "$log"; fi
echo "node log: $log"
exit "$status"
