#!/usr/bin/env bash
# The parachain on a real relay chain (zombienet/parachain.zndsl): a rococo-local relay chain of
# two polkadot validators and one QVM collator (polkadot-omni-node running qvm-parachain-runtime,
# registered as parachain 1000 at genesis); checks that the parachain is registered, that its
# blocks are backed and included, and that a token deployed and transferred on the parachain lands
# in a block the relay chain has included (zombienet/parachain-token.js).
#
# Builds what it needs: polkadot and polkadot-omni-node from crates.io into ~/.cache/qvm-tools
# (scripts/tool.sh; hours on a 2-core machine the first time), the parachain runtime wasm and the
# example contracts; stops every node it started. QVM_NETWORK_TIMEOUT bounds the run (default
# 1800 s). Network state and logs: $QVM_NETWORK_DIR (default a new temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
relay_bin=$(./scripts/tool.sh polkadot)
omni_bin=$(./scripts/tool.sh omni-node)
./scripts/build-contracts.sh >/dev/null
qvm_build_node
source scripts/zombienet.sh
zombienet_install

dir=${QVM_NETWORK_DIR:-$(mktemp -d -t qvm-parachain.XXXXXX)/network}
mkdir -p "$(dirname "$dir")"
# The collator's chain spec (plain, so that zombienet can add its own settings; it registers the
# parachain on the relay chain with the genesis head and wasm it exports from it).
# The relay chain refuses validation code above its `max_code_size` (3 MiB in rococo-local's
# genesis) and the debug build's plain wasm is ~4.8 MB, so the collator runs it compressed as
# substrate-wasm-builder compresses a release build's (the zstd frame behind
# sp-maybe-compressed-blob's 8-byte prefix; ~0.9 MB): no release build of the runtime needed.
plain="$CARGO_TARGET_DIR/debug/wbuild/qvm-parachain-runtime/qvm_parachain_runtime.wasm"
wasm="$(dirname "$dir")/qvm_parachain_runtime.compressed.wasm"
{ printf '\x52\xbc\x53\x76\x46\xdb\x8e\x05'; zstd -q -19 -c "$plain"; } > "$wasm"
export QVM_PARACHAIN_SPEC="$(dirname "$dir")/qvm-parachain-local.json"
"$omni_bin/polkadot-omni-node" chain-spec-builder -c "$QVM_PARACHAIN_SPEC" create \
  --relay-chain rococo-local --para-id 1000 --runtime "$wasm" named-preset development >/dev/null

PATH="$relay_bin:$omni_bin:$PATH" zombienet_test parachain.zndsl "$dir" \
  '(polkadot|polkadot-omni-node|polkadot-[a-z]+-worker)' 'parachain token' "${QVM_NETWORK_TIMEOUT:-1800}"
