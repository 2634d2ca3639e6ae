#!/usr/bin/env bash
# polkadot.js end-to-end test: builds the token contract and a debug qvm-node, starts
# `qvm-node --dev --tmp` on loopback, runs node/e2e (node --test), stops the node by its pid.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
./scripts/build-contracts.sh >/dev/null
qvm_build_node
(cd node/e2e && npm ci --no-audit --no-fund --loglevel=error)

port=${QVM_RPC_PORT:-9944}
source scripts/dev-node.sh
start_dev_node "$CARGO_TARGET_DIR/debug/qvm-node" "$port"
status=0
(cd node/e2e && QVM_WS="ws://127.0.0.1:$port" npm test) || status=$?
if [ "$status" -ne 0 ]; then echo "--- qvm-node log (tail)"; tail -40 "$node_log"; fi
exit "$status"
