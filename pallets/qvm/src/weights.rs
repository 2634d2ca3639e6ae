//! Weights of `pallet-qvm`'s dispatchables.
//!
//! HAND-SET, conservative values until FRAME benchmarking generates this file. Execution is
//! not part of these weights: it is paid as gas (see [`crate::gas::gas_to_weight`]).

use core::marker::PhantomData;
use frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weight functions needed by `pallet-qvm`.
pub trait WeightInfo {
    /// `upload_code` of `c` bytes.
    fn upload_code(c: u32) -> Weight;
    /// `deploy` of `c` bytes of code with `i` bytes of constructor input (excluding gas).
    fn deploy(c: u32, i: u32) -> Weight;
    /// `instantiate` with `i` bytes of constructor input (excluding gas).
    fn instantiate(i: u32) -> Weight;
    /// `call` with `i` bytes of input (excluding gas).
    fn call(i: u32) -> Weight;
    /// `remove_code`.
    fn remove_code() -> Weight;
}

/// Conservative hand-set weights (ref_time in picoseconds, proof size in bytes).
pub struct SubstrateWeight<T>(PhantomData<T>);

/// Upper bound of the proof size of reading a contract's code (the maximum code size plus
/// storage overhead).
const CODE_PROOF: u64 = 128 * 1024 + 1024;

fn upload(c: u32) -> Weight {
    // Validation and compilation (~2 µs per byte on wasmi), hashing, one code write.
    Weight::from_parts(100_000_000, 3_000)
        .saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(u64::from(c)))
        .saturating_add(RocksDbWeight::get().reads_writes(2, 2))
}

fn instantiate_base(i: u32) -> Weight {
    // Code, code info, nonce and contract info reads; nonce, info and refcount writes.
    Weight::from_parts(150_000_000, CODE_PROOF + 4_000)
        .saturating_add(Weight::from_parts(1_000, 0).saturating_mul(u64::from(i)))
        .saturating_add(RocksDbWeight::get().reads_writes(4, 3))
}

impl<T> WeightInfo for SubstrateWeight<T> {
    fn upload_code(c: u32) -> Weight {
        upload(c)
    }
    fn deploy(c: u32, i: u32) -> Weight {
        upload(c).saturating_add(instantiate_base(i))
    }
    fn instantiate(i: u32) -> Weight {
        instantiate_base(i)
    }
    fn call(i: u32) -> Weight {
        Weight::from_parts(100_000_000, CODE_PROOF + 3_000)
            .saturating_add(Weight::from_parts(1_000, 0).saturating_mul(u64::from(i)))
            .saturating_add(RocksDbWeight::get().reads_writes(2, 1))
    }
    fn remove_code() -> Weight {
        Weight::from_parts(50_000_000, 3_000)
            .saturating_add(RocksDbWeight::get().reads_writes(2, 2))
    }
}

impl WeightInfo for () {
    fn upload_code(c: u32) -> Weight {
        SubstrateWeight::<()>::upload_code(c)
    }
    fn deploy(c: u32, i: u32) -> Weight {
        SubstrateWeight::<()>::deploy(c, i)
    }
    fn instantiate(i: u32) -> Weight {
        SubstrateWeight::<()>::instantiate(i)
    }
    fn call(i: u32) -> Weight {
        SubstrateWeight::<()>::call(i)
    }
    fn remove_code() -> Weight {
        SubstrateWeight::<()>::remove_code()
    }
}
