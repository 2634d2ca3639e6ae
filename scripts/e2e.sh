#!/usr/bin/env bash
# polkadot.js end-to-end test: builds the token contract and a debug qvm-node, starts
# `qvm-node --dev --tmp` on loopback, runs node/e2e (node --test), stops the node by its pid.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
./scripts/build-contracts.sh >/dev/null
cargo build -q -p qvm-node
(cd node/e2e && npm ci --no-audit --no-fund --loglevel=error)

port=${QVM_RPC_PORT:-9944}
log=$(mktemp -t qvm-node.XXXXXX.log)
"$CARGO_TARGET_DIR/debug/qvm-node" --dev --tmp --rpc-port "$port" --no-prometheus --no-telemetry \
  --listen-addr /ip4/127.0.0.1/tcp/0 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -sf -H 'Content-Type: application/json' -d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader"}' \
    "http://127.0.0.1:$port" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "qvm-node exited:"; tail -50 "$log"; exit 1; fi
  sleep 1
done
status=0
(cd node/e2e && QVM_WS="ws://127.0.0.1:$port" npm test) || status=$?
if [ "$status" -ne 0 ]; then echo "--- qvm-node log (tail)"; tail -40 "$log"; fi
exit "$status"
