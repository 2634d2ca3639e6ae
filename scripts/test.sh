#!/usr/bin/env bash
# Sets up prerequisites and runs the QVM test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh

echo "== unit and integration tests (native)"
SKIP_WASM_BUILD=1 cargo test -p qvm-primitives -p pallet-qvm

echo "== pallet builds for wasm32v1-none (no_std)"
cargo build -q -p pallet-qvm --target wasm32v1-none --no-default-features
echo "pallet-qvm: wasm32v1-none build ok"
