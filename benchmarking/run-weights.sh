#!/usr/bin/env bash
# Regenerates pallets/qvm/src/weights.rs with the real FRAME benchmarking CLI:
# builds qvm-node (release) with `--features runtime-benchmarks`, runs `benchmark pallet` for
# pallet_qvm on the runtime wasm and writes the file through benchmarking/weight-template.hbs.
# STEPS and REPEAT override the sampling (defaults 20 and 5; CI's benchmark tests use the
# benchmark test suite instead).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
steps=${STEPS:-20}
repeat=${REPEAT:-5}
profile=${PROFILE:-release}
cargo build --profile "$profile" -p qvm-node --features runtime-benchmarks
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
"$CARGO_TARGET_DIR/$dir/qvm-node" benchmark pallet \
  --chain dev \
  --pallet pallet_qvm \
  --extrinsic '*' \
  --wasm-execution compiled \
  --steps "$steps" \
  --repeat "$repeat" \
  --heap-pages 4096 \
  --template benchmarking/weight-template.hbs \
  --output pallets/qvm/src/weights.rs
echo "wrote pallets/qvm/src/weights.rs"
