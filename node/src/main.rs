//! `qvm-node`: a Substrate node running the QVM reference runtime.
#![warn(missing_docs)]
// `sc_cli::Error` (the error type every Substrate CLI returns) is large; not ours to box.
#![allow(clippy::result_large_err)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
    command::run()
}
