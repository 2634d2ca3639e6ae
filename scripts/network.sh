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
(cd node/e2e && npm ci --no-audit --no-fund --loglevel=error)
(cd zombienet && npm ci --no-audit --no-fund --loglevel=error)

dir=${QVM_NETWORK_DIR:-$(mktemp -d -t qvm-zombienet.XXXXXX)/network}
# Every node of this run has its base path under $dir: stop any still running on exit.
stop_nodes() {
  local pids
  pids=$(pgrep -f -- "qvm-node .*$dir" || true)
  [ -z "$pids" ] || kill $pids 2>/dev/null || true
}
trap stop_nodes EXIT
status=0
(cd zombienet && PATH="$CARGO_TARGET_DIR/debug:$PATH" timeout "${QVM_NETWORK_TIMEOUT:-900}" \
  npx zombienet test solochain.zndsl --provider native -d "$dir") >"$dir.log" 2>&1 || status=$?
# The results table, without colours.
sed 's/\x1b\[[0-9;]*m//g' "$dir.log" | grep -E '✅|❌|Error running|token 0x|caught up|warp-synced|pruned block' || true
if [ "$status" -ne 0 ]; then
  echo "network test failed ($status); log: $dir.log, node logs: $dir/*.log"
  for f in "$dir"/*.log; do [ -f "$f" ] && { echo "--- $f (tail)"; tail -15 "$f"; }; done
fi
exit "$status"
