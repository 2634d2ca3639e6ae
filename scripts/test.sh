#!/usr/bin/env bash
# Sets up prerequisites and runs the whole QVM test suite:
#   1. native tests: primitives, pallet (+ its FRAME benchmarks run as tests), TestVM + example
#      contracts (built from source)
#   2. the pallet builds for wasm32v1-none (no_std)
#   3. runtime tests: the compiled runtime wasm and the native runtime agree on QVM calls
#   4. polkadot.js end-to-end against a fresh `qvm-node --dev` (debug build)
# Set QVM_SKIP_E2E=1 to skip step 4.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh

echo "== native tests: qvm-primitives, pallet-qvm (with its benchmark test suite), qvm-test (TestVM, examples)"
SKIP_WASM_BUILD=1 cargo test "${QVM_PALLET_PKGS[@]}"

# Both runtimes' wasm builds compile pallet-qvm for wasm32v1-none without std.
echo "== runtimes: compiled wasm vs native; the parachain flavour's presets and a block through its wasm"
cargo test "${QVM_NODE_PKGS[@]}"
# Smoke run of the runtime-wasm timing tool (benchmarking/wasm-timing.sh runs it for real, in
# release: debug host functions make its ratios meaningless here, so they are not checked).
QVM_TIMING_REPS=1 QVM_TIMING_CHECK=0 "$CARGO_TARGET_DIR/debug/examples/wasm_timing" \
  benchmarking/wasm-timing/br.wat benchmarking/wasm-timing/grow_once.wat | tail -n 3

if [ "${QVM_SKIP_E2E:-0}" != "1" ]; then
  echo "== polkadot.js end-to-end against qvm-node --dev"
  ./scripts/e2e.sh
fi
