//! The pallet-contracts side of the QVM performance suite (`benchmarking/perf-suite.sh`).
//!
//! The hand-written token of QVM's `pallets/qvm/fixtures/balance_map.wat` (2 storage reads,
//! 2 writes and 1 event per transfer) ported to pallet-contracts 51.0.0's `seal` ABI
//! (`token.wat` here), run on a mock runtime of TestVM's shape (System, Timestamp, Balances and
//! the contracts pallet, in one `TestExternalities`), the way the QVM side runs its transfers:
//! `bare_call` after `bare_call` inside one `execute_with`, alternating two funded recipients.
//!
//! Prints one `RESULT <name> <value> <unit>` line per measurement for the suite's table.
//! `PERF_TRANSFERS` sets the transfers per case (default 10,000; the CI smoke uses a few).

use codec::{Decode, Encode};
use frame_support::{
    derive_impl, parameter_types,
    traits::{fungible::Mutate, Randomness},
    weights::{constants::ParityDbWeight, constants::RocksDbWeight, RuntimeDbWeight, Weight},
};
use pallet_contracts::{
    weights::WeightInfo, CollectEvents, DebugInfo, Determinism, Frame, Schedule,
};
use sp_runtime::{traits::IdentityLookup, AccountId32, BuildStorage};
use std::time::Instant;

type Block = frame_system::mocking::MockBlock<Runtime>;

frame_support::construct_runtime!(
    pub enum Runtime {
        System: frame_system,
        Timestamp: pallet_timestamp,
        Balances: pallet_balances,
        Contracts: pallet_contracts,
    }
);

parameter_types! {
    /// The database weights the chain charges: RocksDB (pallet-contracts' reference) or ParityDB
    /// (what QVM's node runs), switched between the two weight reports.
    pub static DbWeight: RuntimeDbWeight = RocksDbWeight::get();
    /// pallet-contracts' default schedule.
    pub ContractsSchedule: Schedule<Runtime> = Default::default();
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Runtime {
    type Block = Block;
    type AccountId = AccountId32;
    type Lookup = IdentityLookup<AccountId32>;
    type AccountData = pallet_balances::AccountData<u64>;
    type DbWeight = DbWeight;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Runtime {
    type AccountStore = System;
}

impl pallet_timestamp::Config for Runtime {
    type Moment = u64;
    type OnTimestampSet = ();
    type MinimumPeriod = frame_support::traits::ConstU64<1>;
    type WeightInfo = ();
}

/// A fixed seed (the token never asks for randomness).
pub struct NoRandomness;

impl Randomness<sp_core::H256, u64> for NoRandomness {
    fn random(_subject: &[u8]) -> (sp_core::H256, u64) {
        (Default::default(), 0)
    }
}

#[derive_impl(pallet_contracts::config_preludes::TestDefaultConfig)]
impl pallet_contracts::Config for Runtime {
    type Time = Timestamp;
    type Randomness = NoRandomness;
    type Currency = Balances;
    type CallStack = [Frame<Self>; 5];
    type Schedule = ContractsSchedule;
    type WeightInfo = pallet_contracts::weights::SubstrateWeight<Self>;
    type UploadOrigin = frame_system::EnsureSigned<AccountId32>;
    type InstantiateOrigin = frame_system::EnsureSigned<AccountId32>;
}

const GAS: Weight = Weight::from_parts(100_000_000_000, 3 * 1024 * 1024);

fn account(n: u8) -> AccountId32 {
    AccountId32::new([n; 32])
}

fn report(name: &str, value: f64, unit: &str) {
    println!("RESULT {name} {value:.3} {unit}");
}

fn main() {
    let n: u32 = std::env::var("PERF_TRANSFERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let code = wat::parse_str(include_str!("../token.wat")).expect("token.wat is valid");
    let storage = RuntimeGenesisConfig::default()
        .build_storage()
        .expect("genesis builds");
    let mut ext = sp_io::TestExternalities::new(storage);
    ext.execute_with(|| {
        System::set_block_number(1);
        Timestamp::set_timestamp(1);
        let (alice, bob, carol) = (account(1), account(2), account(3));
        for who in [&alice, &bob, &carol] {
            Balances::set_balance(who, 1 << 50);
        }
        // Deploy (upload + instantiate; supply u64 LE as the constructor input).
        let start = Instant::now();
        let deployed = Contracts::bare_instantiate(
            alice.clone(),
            0,
            GAS,
            None,
            pallet_contracts::Code::Upload(code.clone()),
            u64::MAX.encode(),
            vec![],
            DebugInfo::Skip,
            CollectEvents::Skip,
        );
        report("deploy_us", start.elapsed().as_secs_f64() * 1e6, "us");
        let token = deployed.result.expect("token deploys").account_id;
        let transfer = |to: &AccountId32| {
            let mut input = to.encode();
            input.extend(1u64.to_le_bytes());
            Contracts::bare_call(
                alice.clone(),
                token.clone(),
                0,
                GAS,
                None,
                input,
                DebugInfo::Skip,
                CollectEvents::Skip,
                Determinism::Enforced,
            )
        };
        // Warm up (and give both recipients a balance entry), then the measured transfers.
        for k in 0..n.min(100) {
            let r = transfer(if k % 2 == 0 { &bob } else { &carol });
            assert!(r.result.is_ok_and(|r| !r.did_revert()), "transfer fails");
        }
        let start = Instant::now();
        let mut consumed = Weight::zero();
        for k in 0..n {
            consumed = transfer(if k % 2 == 0 { &bob } else { &carol }).gas_consumed;
        }
        let us = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        report("transfer_us", us, "us");
        // The transfer went through: balances moved as the calls say.
        let balance = |who: &AccountId32| {
            let r = Contracts::bare_call(
                alice.clone(),
                token.clone(),
                0,
                GAS,
                None,
                who.encode(),
                DebugInfo::Skip,
                CollectEvents::Skip,
                Determinism::Enforced,
            );
            u64::decode(&mut &r.result.expect("balance_of runs").data[..]).expect("u64")
        };
        let moved = balance(&bob) + balance(&carol);
        assert_eq!(moved, u64::from(n + n.min(100)), "every transfer moved 1");
        // Charged weight of the `call` dispatchable: its base weight plus the gas consumed
        // (both reported as pallet-contracts computes them), under each database's weights.
        for (db, weights) in [
            ("rocksdb", RocksDbWeight::get()),
            ("paritydb", ParityDbWeight::get()),
        ] {
            DbWeight::set(weights);
            let charged = <Runtime as pallet_contracts::Config>::WeightInfo::call()
                .saturating_add(transfer(&bob).gas_consumed);
            report(
                &format!("transfer_charged_ref_time_{db}_ms"),
                charged.ref_time() as f64 / 1e9,
                "ms",
            );
            report(
                &format!("transfer_charged_proof_{db}_kb"),
                charged.proof_size() as f64 / 1e3,
                "kB",
            );
        }
        report(
            "transfer_gas_ref_time_ms",
            consumed.ref_time() as f64 / 1e9,
            "ms",
        );
        report("code_bytes", code.len() as f64, "B");
    });
}
