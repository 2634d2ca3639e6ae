#!/usr/bin/env bash
# Installs everything QVM needs on a fresh Debian/Ubuntu machine: apt packages and the pinned
# Rust toolchain (rust-toolchain.toml: 1.95.0 + wasm32v1-none + rust-src). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
command -v cc >/dev/null 2>&1 || need_apt+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v wasm-opt >/dev/null 2>&1 || need_apt+=(binaryen)
command -v zstd >/dev/null 2>&1 || need_apt+=(zstd)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ "${#need_apt[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

if ! command -v rustup >/dev/null 2>&1; then
  echo "rustup is required (https://rustup.rs); it installs the toolchain pinned in rust-toolchain.toml" >&2
  exit 1
fi
# Installs the toolchain, components and targets listed in rust-toolchain.toml.
rustup toolchain install >/dev/null
rustup target list --installed | grep -qx wasm32v1-none
