//! Builds the example contracts from source (once per process), so tests never run a stale
//! binary.

use std::{path::PathBuf, process::Command, sync::OnceLock};

/// The repository root: from the `CARGO_MANIFEST_DIR` cargo sets when it runs a test or an
/// example, else the one this crate was compiled in. (Clones of the repository that share a
/// target directory share its artifacts too: cargo hashes workspace members by their path
/// relative to the workspace, so a compile-time path can name another clone.)
pub fn repo_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(|dir| PathBuf::from(dir).join("../.."))
        .filter(|root| root.join("contracts/examples").is_dir())
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

fn target_dir() -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    base.join("contracts")
}

static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();

fn build_all() -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = target_dir();
    let status = Command::new(cargo)
        .current_dir(repo_root().join("contracts/examples"))
        .args([
            "build",
            "--release",
            "--target",
            "wasm32v1-none",
            "--target-dir",
        ])
        .arg(&target)
        .env_remove("CARGO_TARGET_WASM32V1_NONE_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .status()
        .map_err(|e| format!("running cargo: {e}"))?;
    if !status.success() {
        return Err(format!("building the example contracts failed: {status}"));
    }
    Ok(target.join("wasm32v1-none/release"))
}

/// The Wasm of example contract `name` (`token`, `amm`, `counter`, ...), built from
/// `contracts/examples/<name>` with the release (size-optimised) profile.
pub fn example_wasm(name: &str) -> Vec<u8> {
    let dir = BUILT
        .get_or_init(build_all)
        .as_ref()
        .unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}
