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
cargo build -q -p qvm-node
(cd node/e2e && npm ci --no-audit --no-fund --loglevel=error)

port=${QVM_LOAD_RPC_PORT:-9955}
blocks=${QVM_LOAD_BLOCKS:-100}
cap=${QVM_LOAD_TIMEOUT_S:-$((300 + blocks * 9))}
report=${QVM_LOAD_REPORT:-$CARGO_TARGET_DIR/qvm-load-report.json}
rpc_up() {
  curl -sf -m 2 -H 'Content-Type: application/json' -d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader"}' \
    "http://127.0.0.1:$port" >/dev/null 2>&1
}
if rpc_up; then
  echo "something already answers on 127.0.0.1:$port; set QVM_LOAD_RPC_PORT to a free port" >&2
  exit 1
fi

log=$(mktemp -t qvm-load-node.XXXXXX.log)
"$CARGO_TARGET_DIR/debug/qvm-node" --dev --tmp --rpc-port "$port" --no-prometheus --no-telemetry \
  --listen-addr /ip4/127.0.0.1/tcp/0 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if rpc_up; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "qvm-node exited:"; tail -50 "$log"; exit 1; fi
  sleep 1
done

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
