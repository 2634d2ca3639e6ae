#!/usr/bin/env bash
# Deploys the example token on a running dev chain (./scripts/dev.sh) and transfers 100 to Bob
# with polkadot.js. QVM_WS overrides the endpoint (default ws://127.0.0.1:9944).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build-contracts.sh
(cd node/e2e && npm ci --no-audit --no-fund --loglevel=error && node demo.mjs)
