#!/usr/bin/env bash
# The main job: installs prerequisites, builds qvm-node (debug; the runtime wasm is always
# optimised) and starts a single-authority dev chain (`--dev`: Alice authors, temporary
# database) with RPC on ws://127.0.0.1:9944. Extra arguments go to qvm-node.
# In another terminal: ./scripts/demo.sh deploys the token contract and transfers from polkadot.js.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
cargo build -p qvm-node
exec "$CARGO_TARGET_DIR/debug/qvm-node" --dev "$@"
