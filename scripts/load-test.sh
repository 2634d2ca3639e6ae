#!/usr/bin/env bash
# Bounded load test: builds the token contract and a debug qvm-node, starts `qvm-node --dev --tmp`
# on loopback with its own RPC port, runs node/e2e/load.mjs against it (honest token transfers,
# maximum-gas infinite loops, storage spam, malformed and garbage extrinsics for at least
# QVM_LOAD_BLOCKS blocks), stops the node by its pid. Exits non-zero if an assertion fails.
#
#   QVM_LOAD_BLOCKS=100 QVM_LOAD_ACCOUNTS=20 ./scripts/load-test.sh
#
# Environment: QVM_LOAD_BLOCKS (100), QVM_LOAD_ACCOUNTS (20), QVM_LOAD_RPC_PORT (9955),
# QVM_LOAD_REPORT (JSON report, default $CARGO_TARGET_DIR/qvm-load-report.json),
# QVM_LOAD_TIMEOUT_S (hard cap of load.mjs, default 300 + 9 s per block); the other QVM_LOAD_*
# knobs are listed at the top of node/e2e/load.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
./scripts/build-contracts.sh >/dev/null
qvm_build_node
(cd node/e2e && npm ci --no-audit --no-fund --loglevel=error)

port=${QVM_LOAD_RPC_PORT:-9955}
blocks=${QVM_LOAD_BLOCKS:-100}
cap=${QVM_LOAD_TIMEOUT_S:-$((300 + blocks * 9))}
report=${QVM_LOAD_REPORT:-$CARGO_TARGET_DIR/qvm-load-report.json}
source scripts/dev-node.sh
start_dev_node "$CARGO_TARGET_DIR/debug/qvm-node" "$port"
pid=$node_pid
log=$node_log

status=0
(cd node/e2e && QVM_WS="ws://127.0.0.1:$port" QVM_NODE_PID="$pid" QVM_NODE_LOG="$log" \
  QVM_LOAD_REPORT="$report" QVM_LOAD_BLOCKS="$blocks" QVM_LOAD_TIMEOUT_S="$cap" \
  timeout --kill-after=30 "$((cap + 60))" node load.mjs) || status=$?
if ! kill -0 "$pid" 2>/dev/null; then
  echo "qvm-node is no longer running"; status=1
fi
if [ "$status" -ne 0 ]; then echo "--- qvm-node log (tail)"; tail -40 "$log"; fi
echo "node log: $log"
exit "$status"
