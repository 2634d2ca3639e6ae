#!/usr/bin/env bash
# Builds the example contracts for wasm32v1-none (size-optimised) and, when binaryen's wasm-opt
# is available (apt package `binaryen`, installed by scripts/setup.sh), optimises them further.
# Output: contracts/examples/target-wasm/<name>.wasm (and <name>.opt.wasm). Prints sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
# The runtime cfg flag is for substrate crates only; contracts use .cargo/config.toml.
unset CARGO_TARGET_WASM32V1_NONE_RUSTFLAGS
target="$CARGO_TARGET_DIR/contracts"
# Run from the contracts workspace so its .cargo/config.toml (stack size) applies.
(cd contracts/examples && cargo build -q --release --target wasm32v1-none --target-dir "$target")
out=contracts/examples/target-wasm
mkdir -p "$out"
for wasm in "$target"/wasm32v1-none/release/*.wasm; do
  name=$(basename "$wasm" .wasm)
  cp "$wasm" "$out/$name.wasm"
  size=$(stat -c %s "$wasm")
  if command -v wasm-opt >/dev/null 2>&1; then
    # The Wasm features QVM enables and the contracts are compiled with (.cargo/config.toml).
    wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --strip-debug --strip-producers -o "$out/$name.opt.wasm" "$wasm"
    echo "$name: $size bytes ($(stat -c %s "$out/$name.opt.wasm") after wasm-opt -Oz)"
  else
    echo "$name: $size bytes"
  fi
done
