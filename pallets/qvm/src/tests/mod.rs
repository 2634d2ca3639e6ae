//! Tests of pallet-qvm on the mock runtime.

mod abi_doc;
mod calls;
mod capabilities;
mod config;
mod deposits;
mod ext;
mod fuzz;
mod gas;
mod host;
mod lifecycle;
mod limits;
mod proof;
mod upgrade;
mod validation;
mod value;
mod weights;

use crate::{
    mock::*, Capabilities, Capability, ContractAddress, ContractOutcome, Event as QvmEvent,
    ExecConfig, ExecReturn,
};
use frame_support::{assert_ok, weights::Weight};
use sp_runtime::{AccountId32, DispatchError};

/// A gas limit comfortably above what the fixtures need.
pub const GAS: u64 = 50_000_000;

/// Compiles WAT text to Wasm.
pub fn wasm(wat: &str) -> Vec<u8> {
    wat::parse_str(wat).expect("fixture WAT is valid")
}

/// The host-function fixture.
pub fn host_code() -> Vec<u8> {
    wasm(include_str!("../../fixtures/host_all.wat"))
}

/// The balance-map fixture.
pub fn balance_code() -> Vec<u8> {
    wasm(include_str!("../../fixtures/balance_map.wat"))
}

/// The pallet's events, most recent last.
pub fn qvm_events() -> Vec<QvmEvent<Test>> {
    System::events()
        .into_iter()
        .filter_map(|r| match r.event {
            RuntimeEvent::Qvm(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// Deploys `code` as `who` through the extrinsic and returns the new address.
pub fn deploy(who: &AccountId32, code: Vec<u8>, args: Vec<u8>) -> ContractAddress {
    assert_ok!(crate::Pallet::<Test>::deploy(
        RuntimeOrigin::signed(who.clone()),
        code,
        0,
        args,
        GAS,
        None,
        None
    ));
    qvm_events()
        .into_iter()
        .rev()
        .find_map(|e| match e {
            QvmEvent::Deployed { contract, .. } => Some(contract),
            _ => None,
        })
        .expect("Deployed event")
}

/// Calls `method` (committing on success).
pub fn call(
    who: &AccountId32,
    contract: ContractAddress,
    method: &str,
    args: &[u8],
) -> ContractOutcome<ExecReturn> {
    crate::Pallet::<Test>::bare_call(
        who.clone(),
        contract,
        0,
        method.as_bytes(),
        args.to_vec(),
        GAS,
        ExecConfig::COMMIT,
    )
}

/// Calls `method` and returns its output, asserting success.
pub fn call_ok(who: &AccountId32, contract: ContractAddress, method: &str, args: &[u8]) -> Vec<u8> {
    let out = call(who, contract, method, args);
    let r = out
        .result
        .unwrap_or_else(|e| panic!("{method} failed: {e:?}"));
    assert!(!r.reverted, "{method} reverted");
    r.output
}

/// The `DispatchError` of a pallet error.
pub fn err(e: crate::Error<Test>) -> DispatchError {
    e.into()
}

/// Decodes an `i32` output of the fixtures' `ret_i32`.
pub fn out_i32(bytes: &[u8]) -> i32 {
    i32::from_le_bytes(bytes.try_into().expect("4-byte output"))
}

/// Decodes an `i64` output of the fixtures' `ret_i64`.
pub fn out_i64(bytes: &[u8]) -> i64 {
    i64::from_le_bytes(bytes.try_into().expect("8-byte output"))
}
