//! Prints the gas schedule calibrated from `weights.rs` (RocksDB database weights): the
//! `ref_time` of one gas unit, and for each host function the benchmarked `ref_time` per call
//! (and per byte) next to the gas it is charged and that gas's `ref_time`.
//!
//! `cargo run -p pallet-qvm --example calibrated_schedule` (the numbers in
//! `benchmarking/RESULTS.md` come from here).

use pallet_qvm::{
    schedule::{
        calibrate, iteration_gas, operator_classes, raised_classes, raised_costs,
        ref_time_per_unit as per_unit, WeightFn,
    },
    weights::WeightInfo,
};

type W = ();

fn main() {
    let s = calibrate::<W>();
    let rt = s.ref_time_per_gas;
    println!("ref_time per gas unit: {rt} ps");
    println!("bytes of bulk memory per gas: {}", s.bulk_bytes_per_gas);
    println!(
        "bytes of initial memory per gas: {}",
        s.initial_memory_bytes_per_gas
    );
    println!(
        "code load per byte: {} gas ({} per byte of function bodies), per function {}, per export {}, per type {}",
        s.code_load_per_byte,
        s.code_load_per_body_byte,
        s.code_load_per_function,
        s.code_load_per_export,
        s.code_load_per_type
    );
    println!("code entry per byte: {} gas", s.code_entry_per_byte);
    println!("instantiation (every execution): {} gas", s.instantiate);
    println!(
        "cross-contract call: {} gas, instantiation from a contract: {} gas, {} gas/byte",
        s.contract_call, s.contract_instantiate, s.contract_call_per_byte
    );
    println!(
        "set_code_hash: {} gas, terminate: {} gas, per indexed event topic: {} gas, \
         storage deposit settlement: {} gas",
        s.set_code, s.terminate, s.event_topic, s.storage_deposit
    );
    let key = W::on_idle_per_key(1).saturating_sub(W::on_idle_per_key(0));
    println!(
        "on_idle deletion (benchmarked): {} ps and {} B of proof per key, {} ps per queued trie",
        key.ref_time(),
        key.proof_size(),
        W::on_idle_per_key(0).ref_time()
    );
    println!();
    println!("| host function | benchmarked ps/call | gas/call | charged ps/call | benchmarked ps/byte | gas/byte |");
    println!("|---|---:|---:|---:|---:|---:|");
    type Row = (&'static str, WeightFn, u32, u64, Option<(WeightFn, u64)>);
    let rows: [Row; 23] = [
        (
            "qnet_get_block_height",
            W::host_get_block_height,
            1000,
            s.context,
            None,
        ),
        (
            "qnet_get_block_timestamp",
            W::host_get_block_timestamp,
            1000,
            s.context,
            None,
        ),
        ("qnet_get_caller", W::host_get_caller, 1000, s.context, None),
        (
            "qnet_get_contract_address",
            W::host_get_contract_address,
            1000,
            s.context,
            None,
        ),
        ("qnet_gas_left", W::host_gas_left, 1000, s.context, None),
        ("qnet_input_size", W::host_input_size, 1000, s.context, None),
        (
            "qnet_input_read",
            W::host_input_read,
            1000,
            s.input,
            Some((W::host_input_read_per_byte, s.input_per_byte)),
        ),
        (
            "qnet_return / qnet_revert",
            W::host_return_per_byte,
            1,
            s.output,
            Some((W::host_return_per_byte, s.output_per_byte)),
        ),
        (
            "qnet_storage_read",
            W::host_storage_read,
            1000,
            s.storage_read,
            Some((W::host_storage_read_per_byte, s.storage_read_per_byte)),
        ),
        (
            "qnet_storage_size",
            W::host_storage_size,
            1000,
            s.storage_read,
            None,
        ),
        (
            "qnet_storage_write",
            W::host_storage_write,
            1000,
            s.storage_write,
            Some((W::host_storage_write_per_byte, s.storage_write_per_byte)),
        ),
        (
            "qnet_storage_remove",
            W::host_storage_remove,
            1000,
            s.storage_remove,
            None,
        ),
        (
            "qnet_hash",
            W::host_hash,
            1000,
            s.hash,
            Some((W::host_hash_per_byte, s.hash_per_byte)),
        ),
        (
            "qnet_verify_signature",
            W::host_verify_signature,
            100,
            s.verify_signature,
            Some((
                W::host_verify_signature_per_byte,
                s.verify_signature_per_byte,
            )),
        ),
        (
            "qnet_emit_event",
            W::host_emit_event,
            64,
            s.emit_event,
            Some((W::host_emit_event_per_byte, s.emit_event_per_byte)),
        ),
        ("qnet_balance", W::host_balance, 1000, s.balance, None),
        (
            "qnet_value_transferred",
            W::host_value_transferred,
            1000,
            s.context,
            None,
        ),
        (
            "qnet_minimum_balance",
            W::host_minimum_balance,
            1000,
            s.context,
            None,
        ),
        (
            "qnet_return_data_size",
            W::host_return_data_size,
            1000,
            s.context,
            None,
        ),
        (
            "qnet_return_data_read",
            W::host_return_data_read,
            1000,
            s.input,
            None,
        ),
        (
            "qnet_set_code_hash (checks)",
            W::host_set_code_hash,
            100,
            s.set_code,
            None,
        ),
        ("qnet_transfer", W::host_transfer, 100, s.transfer, None),
        (
            "memory.grow (per page)",
            W::instr_memory_grow,
            64,
            s.memory_cost(1),
            None,
        ),
    ];
    for (name, f, n, gas, bytes) in rows {
        let measured = if n == 1 {
            f(0).ref_time().saturating_sub(W::run_empty(0).ref_time())
        } else {
            per_unit(f, n)
        };
        let (per_byte, gas_per_byte) = match bytes {
            Some((g, gas)) => (per_unit(g, 16 * 1024).to_string(), gas.to_string()),
            None => ("".into(), "".into()),
        };
        println!(
            "| {name} | {measured} | {gas} | {} | {per_byte} | {gas_per_byte} |",
            gas * rt
        );
    }
    println!();
    println!("| operator loop | benchmarked ps/iteration | gas/iteration | charged ps/iteration |");
    println!("|---|---:|---:|---:|");
    // Iteration gas under `s`: the seed's, plus the raises of the class's operators and of the
    // loop's own `br_if`.
    let seeded = operator_classes::<W>()
        .into_iter()
        .map(|(name, f, gas)| (name, f, iteration_gas(&s, gas, None, 0)));
    let raised = raised_classes::<W>()
        .into_iter()
        .enumerate()
        .map(|(i, (name, f, gas, ops))| (name, f, iteration_gas(&s, gas, Some(i), ops)));
    for (name, f, gas) in seeded.chain(raised) {
        println!("| {name} | {} | {gas} | {} |", per_unit(f, 1000), gas * rt);
    }
    let seed = qvm_primitives::GasConfig::default();
    println!();
    println!("| raised cost | seed | calibrated |");
    println!("|---|---:|---:|");
    let names = [
        "call, call_indirect",
        "",
        "global.get/set",
        "br_table",
        "br, br_if, if, else",
        "memory.size/grow/copy/fill/init, data.drop",
    ];
    for ((name, seed), cal) in names.iter().zip(raised_costs(&seed)).zip(raised_costs(&s)) {
        if !name.is_empty() {
            println!("| {name} | {seed} | {cal} |");
        }
    }
}
