#!/usr/bin/env bash
# QVM's performance suite, side by side in one run on this machine (results as ratios):
#   1. QVM on the native mock runtime (TestVM's runtime): the seed's operations, cache hit and
#      miss (contracts/test/examples/perf_suite.rs)
#   2. pallet-contracts 51.0.0, the same hand-written token on its `seal` ABI, in a mock runtime
#      of the same shape (benchmarking/pallet-contracts-harness, its own workspace)
#   3. the same transfer as native Rust on the same child-trie storage (in 1)
#   4. a full block of SDK-token transfers imported through the compiled runtime wasm
#      (runtime/examples/block_import.rs)
#   5. the charged weight per transfer and transfers per block (in 4, and in 2 for
#      pallet-contracts)
#   6. with PERF_NODE=1: a release `qvm-node --dev` under sustained pre-signed transfers
#      (benchmarking/node-load.sh; builds the release node, ~22 min cold)
# Each native side runs PERF_ROUNDS times (default 3), alternating, and the best of each number
# is kept. Writes the markdown table to PERF_OUT (default $CARGO_TARGET_DIR/perf-suite.md).
#
# PERF_PROFILE=dev builds everything unoptimised (the CI smoke: the debug builds the tests
# made are reused; its numbers mean nothing, it only keeps the suite from rotting).
#
#   ./benchmarking/perf-suite.sh                       # the full suite (10,000 calls per case)
#   PERF_PROFILE=dev PERF_TRANSFERS=20 PERF_ROUNDS=1 ./benchmarking/perf-suite.sh   # CI smoke
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
./scripts/build-contracts.sh >/dev/null
transfers=${PERF_TRANSFERS:-10000}
rounds=${PERF_ROUNDS:-3}
out=${PERF_OUT:-$CARGO_TARGET_DIR/perf-suite.md}
profile=${PERF_PROFILE:-release}
bin="$CARGO_TARGET_DIR/$([ "$profile" = dev ] && echo debug || echo "$profile")"

echo "== building ($profile): the QVM suite, the pallet-contracts harness, the block-import tool"
SKIP_WASM_BUILD=1 cargo build -q --profile "$profile" "${QVM_PALLET_PKGS[@]}" --example perf_suite
(cd benchmarking/pallet-contracts-harness && cargo build -q --profile "$profile" --locked)
# The runtime wasm of a debug build (optimised either way), driven by the tool (with the tests'
# selection: a dev-profile run reuses what the tests built).
qvm_build_node
if [ "$profile" != dev ]; then
  SKIP_WASM_BUILD=1 cargo build -q --profile "$profile" "${QVM_NODE_PKGS[@]}" --example block_import
fi
wasm="$CARGO_TARGET_DIR/debug/wbuild/qvm-runtime/qvm_runtime.wasm"

results=$(mktemp -t qvm-perf.XXXXXX)
trap 'rm -f "$results" "$results.runtime" "$results.node"' EXIT
for round in $(seq 1 "$rounds"); do
  echo "== round $round/$rounds"
  PERF_TRANSFERS=$transfers "$bin/examples/perf_suite" \
    | sed -n 's/^RESULT /qvm /p' | tee -a "$results"
  PERF_TRANSFERS=$transfers "$bin/pallet-contracts-harness" \
    | sed -n 's/^RESULT /contracts /p' | tee -a "$results"
done
block_limit=()
[ "$transfers" -lt 1000 ] && block_limit=(env PERF_TRANSFERS="$transfers")
"${block_limit[@]}" env QVM_RUNTIME_WASM="$wasm" \
  QVM_TOKEN_WASM=contracts/examples/target-wasm/token.wasm QVM_TIMING_REPS="$rounds" \
  "$bin/examples/block_import" | tee "$results.runtime"
sed -n 's/^RESULT /runtime /p' "$results.runtime" >>"$results"
if [ "${PERF_NODE:-0}" = "1" ]; then
  QVM_TPUT_TRANSFERS=${PERF_NODE_TRANSFERS:-6000} ./benchmarking/node-load.sh | tee "$results.node"
  sed -n 's/^RESULT /node /p' "$results.node" >>"$results"
fi
python3 benchmarking/perf-table.py "$results" >"$out"
cat "$out"
echo "wrote $out"
