//! Gas: mapping the [`GasConfig`] onto wasmi's per-operator fuel table, and gas ↔ `Weight`.
//!
//! One gas unit is `schedule.ref_time_per_gas` picoseconds of `ref_time` (calibrated from the
//! benchmarks, see [`crate::schedule`]). Proof size is accounted separately during execution
//! (code bytes, storage accesses) and bounded by one byte per unit of gas: an execution with
//! limit `g` reserves `g` bytes of proof size and never accounts more.

use frame_support::weights::Weight;
use qvm_primitives::GasConfig;
use wasmi::{CustomFuelCosts, OperatorCost};

/// The weight reserved for an execution with `gas_limit`: its `ref_time`, and a proof-size
/// budget of one byte per unit of gas.
pub fn gas_limit_weight(schedule: &GasConfig, gas_limit: u64) -> Weight {
    Weight::from_parts(
        gas_limit.saturating_mul(schedule.ref_time_per_gas),
        gas_limit,
    )
}

/// The weight of an execution that used `gas_used` gas and accounted `proof_size` bytes.
pub fn execution_weight(schedule: &GasConfig, gas_used: u64, proof_size: u64) -> Weight {
    Weight::from_parts(
        gas_used.saturating_mul(schedule.ref_time_per_gas),
        proof_size,
    )
}

/// The largest gas limit whose reserved weight ([`gas_limit_weight`]) fits in `weight`.
pub fn weight_to_gas(schedule: &GasConfig, weight: Weight) -> u64 {
    (weight.ref_time() / schedule.ref_time_per_gas.max(1)).min(weight.proof_size())
}

macro_rules! set_costs {
    ($table:ident, $cost:expr => [$($op:ident),* $(,)?]) => {
        $( $table.$op = $cost; )*
    };
}

/// wasmi's per-operator cost table for `schedule`. Operators not named here keep wasmi's
/// defaults: 1 for ordinary operators (locals, constants, select, ...), 0 for
/// structured control (`block`, `loop`, `end`, `return`, `drop`, `unreachable`).
/// `nop` costs [`crate::exec::instrument::NOP_GAS`] (the unit of the first-entry charge).
pub fn operator_costs(schedule: &GasConfig) -> OperatorCost {
    let mut t = OperatorCost::default();
    set_costs!(t, schedule.add => [
        i32_add, i32_sub, i64_add, i64_sub,
        i32_and, i32_or, i32_xor, i64_and, i64_or, i64_xor,
        i32_shl, i32_shr_s, i32_shr_u, i32_rotl, i32_rotr,
        i64_shl, i64_shr_s, i64_shr_u, i64_rotl, i64_rotr,
        i32_clz, i32_ctz, i32_popcnt, i64_clz, i64_ctz, i64_popcnt,
        i32_eqz, i32_eq, i32_ne, i32_lt_s, i32_lt_u, i32_gt_s, i32_gt_u,
        i32_le_s, i32_le_u, i32_ge_s, i32_ge_u,
        i64_eqz, i64_eq, i64_ne, i64_lt_s, i64_lt_u, i64_gt_s, i64_gt_u,
        i64_le_s, i64_le_u, i64_ge_s, i64_ge_u,
        i32_wrap_i64, i64_extend_i32_s, i64_extend_i32_u,
        i32_extend8_s, i32_extend16_s, i64_extend8_s, i64_extend16_s, i64_extend32_s,
    ]);
    set_costs!(t, schedule.mul => [i32_mul, i64_mul]);
    set_costs!(t, schedule.div => [
        i32_div_s, i32_div_u, i32_rem_s, i32_rem_u,
        i64_div_s, i64_div_u, i64_rem_s, i64_rem_u,
    ]);
    set_costs!(t, schedule.memory_read => [
        i32_load, i64_load, i32_load8_s, i32_load8_u, i32_load16_s, i32_load16_u,
        i64_load8_s, i64_load8_u, i64_load16_s, i64_load16_u, i64_load32_s, i64_load32_u,
    ]);
    set_costs!(t, schedule.memory_write => [
        i32_store, i64_store, i32_store8, i32_store16, i64_store8, i64_store16, i64_store32,
    ]);
    set_costs!(t, schedule.call => [call, call_indirect, return_call, return_call_indirect]);
    set_costs!(t, schedule.global => [global_get, global_set]);
    set_costs!(t, schedule.br_table => [br_table]);
    set_costs!(t, schedule.branch => [br, br_if, if_, else_]);
    set_costs!(t, schedule.memory_op => [
        memory_size, memory_grow, memory_copy, memory_fill, memory_init, data_drop,
    ]);
    // The unit of the first-entry charge injected by `exec::instrument`.
    t.nop = crate::exec::instrument::NOP_GAS;
    t
}

/// wasmi's dynamic fuel costs: bulk memory operations per byte; translation and validation
/// are free (the pallet charges code loading per byte up front), so gas does not depend on the
/// compilation mode or on whether a compiled module is reused.
pub fn dynamic_costs(schedule: &GasConfig) -> CustomFuelCosts {
    CustomFuelCosts {
        bytes_copied_per_fuel: schedule.bulk_bytes_per_gas.max(1),
        fuel_per_bytes_translated: 0,
        fuel_per_bytes_validated: 0,
    }
}
