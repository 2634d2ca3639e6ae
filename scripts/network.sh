#!/usr/bin/env bash
# zombienet network test: three qvm-node validators (alice, bob, charlie; Aura + GRANDPA
# authorities written by zombienet into the `local` chain spec) on loopback with the native
# provider, driven by zombienet/solochain.zndsl: peers, blocks and finality, the token deployed
# through one node, transferred through a second and read through a third (one state root on
# all), a validator restarted that catches up with nothing lost, a pruned full node serving
# recent state, and a full node that joins late with `--sync warp` (zombienet/warp-join.js).
#
# Installs what it needs (setup.sh, @zombienet/cli from npm into zombienet/node_modules), builds
# qvm-node (debug) if needed, and stops every node it started. QVM_NETWORK_TIMEOUT bounds the run
# (default 900 s). Network state and logs: $QVM_NETWORK_DIR (default a new temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
./scripts/build-contracts.sh >/dev/null
qvm_build_node
source scripts/zombienet.sh
zombienet_install
dir=${QVM_NETWORK_DIR:-$(mktemp -d -t qvm-zombienet.XXXXXX)/network}
PATH="$CARGO_TARGET_DIR/debug:$PATH" zombienet_test solochain.zndsl "$dir" qvm-node \
  'token 0x|caught up|warp-synced|pruned block' "${QVM_NETWORK_TIMEOUT:-900}"
