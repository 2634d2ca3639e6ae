//! Exact gas estimates for dry runs.
//!
//! A dry run's `gas_used` is not always the limit the same call needs: a contract may branch
//! on `qnet_gas_left`, a call forwarding "all remaining gas" gives its callee whatever is left,
//! and proof size is bounded by the gas limit too. [`gas_required`] therefore checks its
//! candidate (the larger of the gas used and the proof size accounted) by running the call
//! again, and searches when the check fails: the limit it returns is one with which the call
//! does what the dry run did (succeeds, not reverted, same output and events), and with one
//! gas less it does not. Each probe is a dry run of its own (nothing is kept).

use crate::ContractOutcome;
use qvm_primitives::ExecReturn;

/// The part of a dry run's result an estimate must reproduce: the return of its frame.
pub trait Outcome {
    /// The entry point's return.
    fn exec_return(&self) -> &ExecReturn;
}

impl Outcome for ExecReturn {
    fn exec_return(&self) -> &ExecReturn {
        self
    }
}

impl<A> Outcome for (A, ExecReturn) {
    fn exec_return(&self) -> &ExecReturn {
        &self.1
    }
}

/// Whether `probe` did what `reference` did: succeeded without reverting, with the same output
/// and events.
fn same<R: Outcome>(reference: &ExecReturn, probe: &ContractOutcome<R>) -> bool {
    probe.result.as_ref().is_ok_and(|r| {
        let r = r.exec_return();
        !r.reverted && r.output == reference.output && r.events == reference.events
    })
}

/// The exact gas limit the run of `reference` (made with `limit`) needs; `run(l)` runs it again
/// with limit `l`, committing nothing. A reference that failed or reverted needs what it used.
pub fn gas_required<R: Outcome>(
    reference: &ContractOutcome<R>,
    limit: u64,
    mut run: impl FnMut(u64) -> ContractOutcome<R>,
) -> u64 {
    let Ok(done) = &reference.result else {
        return reference.gas_used;
    };
    let done = done.exec_return();
    if done.reverted {
        return reference.gas_used;
    }
    let mut works = |l: u64| same(done, &run(l));
    let candidate = reference.gas_used.max(reference.proof_size).min(limit);
    // `lo` is a limit known to fail, `hi` one known to work.
    let (mut lo, mut hi) = if works(candidate) {
        if candidate == 0 || !works(candidate - 1) {
            return candidate;
        }
        (0, candidate - 1)
    } else {
        (candidate, limit)
    };
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if works(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}
