#!/usr/bin/env bash
# `scripts/tool.sh omni-node|polkadot`: prints the bin directory of a polkadot-sdk stable2609
# binary, building it from crates.io into $QVM_TOOLS (default ~/.cache/qvm-tools) the first time
# (`cargo install --locked`, with one target directory for both, apart from QVM's so that they stay
# warm: the relay node reuses most of what the omni-node built):
#   omni-node  polkadot-omni-node 0.24.0: runs qvm-parachain-runtime (dev mode or as a collator);
#              a cold build took 104 min on this 2-core machine (2026-12-06); on 2026-12-07 one
#              finished in 92 min at nice 19 beside other builds, resuming a partial one
#   polkadot   polkadot 41.0.0 (polkadot-cli 42.0.0) with its PVF workers: the relay chain of
#              zombienet/parachain.json (rococo-local); it builds the rococo and westend runtimes too;
#              42 min at nice 19 after the omni-node, on its target directory (2026-12-07)
# Both need libclang (RocksDB's bindings), installed here. Build progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  omni-node) krate=polkadot-omni-node@0.24.0; bin=polkadot-omni-node ;;
  polkadot) krate=polkadot@41.0.0; bin=polkadot ;;
  *) echo "usage: $0 omni-node|polkadot" >&2; exit 2 ;;
esac
root="${QVM_TOOLS:-$HOME/.cache/qvm-tools}/$1"
if [ ! -x "$root/bin/$bin" ]; then
  ./scripts/setup.sh >&2
  if ! dpkg -s libclang-dev >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libclang-dev >&2
  fi
  echo "building $krate into $root (once; see the timings above)" >&2
  start=$(date +%s)
  cargo install "$krate" --locked --root "$root" --target-dir "${QVM_TOOLS:-$HOME/.cache/qvm-tools}/target" >&2
  echo "built $krate in $(( ($(date +%s) - start) / 60 )) min" >&2
fi
echo "$root/bin"
