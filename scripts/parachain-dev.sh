#!/usr/bin/env bash
# The quickest way to try QVM as a parachain: builds the parachain flavour's runtime wasm
# (qvm-parachain-runtime), writes a chain spec of its `development` preset with the omni-node's
# chain-spec-builder and runs it on polkadot-omni-node in dev mode: no relay chain, a block sealed
# every 6 s as if the relay chain had included the previous one, Alice collating, temporary
# database, RPC on ws://127.0.0.1:9944. polkadot-omni-node is built from crates.io the first time
# (scripts/tool.sh). Extra arguments go to the node. In another terminal: ./scripts/demo.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
omni="$(./scripts/tool.sh omni-node)/polkadot-omni-node"
cargo build -q -p qvm-parachain-runtime
wasm="$CARGO_TARGET_DIR/debug/wbuild/qvm-parachain-runtime/qvm_parachain_runtime.compact.compressed.wasm"
# Debug builds write the plain wasm only (no compact/compressed variant).
[ -f "$wasm" ] || wasm="${wasm%.compact.compressed.wasm}.wasm"
spec="$CARGO_TARGET_DIR/qvm-parachain-dev.json"
"$omni" chain-spec-builder -c "$spec" create --relay-chain rococo-local --runtime "$wasm" \
  named-preset development >/dev/null
exec "$omni" --chain "$spec" --dev --dev-block-time 6000 "$@"
