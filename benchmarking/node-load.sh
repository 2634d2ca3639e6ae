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
source scripts/dev-node.sh
# A pool large enough for every pre-signed transfer.
start_dev_node "$node_bin" "$port" --pool-limit 20000 --pool-kbytes 65536 --rpc-max-connections 100
status=0
(cd node/e2e && QVM_WS="ws://127.0.0.1:$port" QVM_NODE_LOG="$node_log" \
  timeout --kill-after=30 "$(( ${QVM_TPUT_TIMEOUT_S:-600} + 60 ))" node throughput.mjs) || status=$?
if [ "$status" -ne 0 ]; then echo "--- qvm-node log (tail)"; tail -40 "$node_log"; fi
echo "node log: $node_log"
exit "$status"
