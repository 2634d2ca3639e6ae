//! Helpers shared by the runtime's tests and examples: genesis, signed extrinsics, and the two
//! ways of executing runtime calls (the compiled runtime wasm through sc-executor, as a node
//! does, and the native runtime).
#![allow(dead_code)] // each user takes what it needs

use codec::{Decode, Encode};
use qvm_primitives::{api::DryRun, ContractAddress};
use qvm_runtime::{
    AccountId, BalancesConfig, Executive, Header, Runtime, RuntimeCall, RuntimeGenesisConfig,
    SignedPayload, TxExtension, UncheckedExtrinsic, VERSION, WASM_BINARY,
};
use sc_executor::WasmExecutor;
use sp_core::{
    traits::{CallContext, CodeExecutor, RuntimeCode, WrappedRuntimeCode},
    Pair,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
    traits::{Hash as _, Header as _},
    BuildStorage,
};

/// Genesis with Alice and Bob funded.
pub fn genesis() -> sp_io::TestExternalities {
    let config = RuntimeGenesisConfig {
        balances: BalancesConfig {
            balances: vec![
                (Sr25519Keyring::Alice.to_account_id(), 1u128 << 60),
                (Sr25519Keyring::Bob.to_account_id(), 1u128 << 60),
            ],
            ..Default::default()
        },
        ..Default::default()
    };
    sp_io::TestExternalities::new(config.build_storage().expect("genesis builds"))
}

/// Genesis state with block 1 initialised by `exec`, and the genesis hash.
pub fn block_one(exec: &dyn Exec) -> (sp_io::TestExternalities, sp_core::H256) {
    let mut ext = genesis();
    let genesis_hash = ext.execute_with(|| frame_system::BlockHash::<Runtime>::get(0));
    let header = Header::new(
        1,
        Default::default(),
        Default::default(),
        genesis_hash,
        Default::default(),
    );
    exec.call(&mut ext, "Core_initialize_block", &header.encode());
    (ext, genesis_hash)
}

/// `call` signed by `signer` with `nonce`, immortal, for the chain of `genesis_hash`.
pub fn signed(
    call: RuntimeCall,
    signer: Sr25519Keyring,
    nonce: u32,
    genesis_hash: sp_core::H256,
) -> UncheckedExtrinsic {
    let tx_ext: TxExtension = qvm_runtime::tx_extension(nonce);
    let implicit = (
        (),
        VERSION.spec_version,
        VERSION.transaction_version,
        genesis_hash,
        genesis_hash,
        (),
        (),
        (),
        (),
    );
    let payload = SignedPayload::from_raw(call.clone(), tx_ext.clone(), implicit);
    let signature = payload.using_encoded(|p| signer.pair().sign(p));
    UncheckedExtrinsic::new_signed(
        call,
        signer.to_account_id().into(),
        qvm_runtime::Signature::Sr25519(signature),
        tx_ext,
    )
}

/// One way of executing runtime API calls against externalities.
pub trait Exec {
    /// Runs runtime API `method` with SCALE-encoded `data`; its SCALE-encoded result.
    fn call(&self, ext: &mut sp_io::TestExternalities, method: &str, data: &[u8]) -> Vec<u8>;
}

/// The compiled runtime wasm, as a node executes it.
pub struct Wasm {
    executor: WasmExecutor<sp_io::SubstrateHostFunctions>,
    code: Vec<u8>,
    /// The runtime code's hash (sc-executor's cache key), computed once.
    hash: Vec<u8>,
}

impl Wasm {
    /// Executes the runtime wasm with `executor`: the file `QVM_RUNTIME_WASM` names if set (e.g.
    /// the runtime a debug build made, for a release build with `SKIP_WASM_BUILD=1`), else the
    /// one built with this crate.
    pub fn new(executor: WasmExecutor<sp_io::SubstrateHostFunctions>) -> Self {
        let code = match std::env::var("QVM_RUNTIME_WASM") {
            Ok(path) => std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
            Err(_) => WASM_BINARY
                .expect("runtime wasm built (or set QVM_RUNTIME_WASM)")
                .to_vec(),
        };
        let hash = sp_runtime::traits::BlakeTwo256::hash(&code).encode();
        Self {
            executor,
            code,
            hash,
        }
    }
}

impl Exec for Wasm {
    fn call(&self, ext: &mut sp_io::TestExternalities, method: &str, data: &[u8]) -> Vec<u8> {
        let fetcher = WrappedRuntimeCode((&self.code[..]).into());
        let runtime_code = RuntimeCode {
            code_fetcher: &fetcher,
            heap_pages: None,
            hash: self.hash.clone(),
        };
        let mut e = ext.ext();
        self.executor
            .call(
                &mut e,
                &runtime_code,
                method,
                data,
                CallContext::Onchain { import: false },
            )
            .0
            .unwrap_or_else(|err| panic!("wasm {method}: {err}"))
    }
}

/// The native runtime.
pub struct Native;

impl Exec for Native {
    fn call(&self, ext: &mut sp_io::TestExternalities, method: &str, data: &[u8]) -> Vec<u8> {
        ext.execute_with(|| match method {
            "Core_initialize_block" => {
                let header = Header::decode(&mut &data[..]).unwrap();
                Executive::initialize_block(&header).encode()
            }
            "Core_execute_block" => {
                let block = <qvm_runtime::Block as sp_runtime::traits::Block>::LazyBlock::decode(
                    &mut &data[..],
                )
                .unwrap();
                Executive::execute_block(block);
                Vec::new()
            }
            "BlockBuilder_apply_extrinsic" => {
                let xt = UncheckedExtrinsic::decode(&mut &data[..]).unwrap();
                Executive::apply_extrinsic(xt).encode()
            }
            "QvmApi_call" => {
                let (origin, contract, value, method, input, gas): (
                    AccountId,
                    ContractAddress,
                    qvm_runtime::Balance,
                    Vec<u8>,
                    Vec<u8>,
                    Option<u64>,
                ) = Decode::decode(&mut &data[..]).unwrap();
                let limit = gas.unwrap_or_else(|| {
                    pallet_qvm::Pallet::<Runtime>::max_call_gas_limit(input.len())
                });
                let (o, gas_required) = pallet_qvm::Pallet::<Runtime>::dry_run_call(
                    origin, contract, value, &method, input, limit,
                );
                DryRun {
                    gas_used: o.gas_used,
                    gas_required,
                    storage_deposit: o.storage_deposit,
                    result: o.result,
                }
                .encode()
            }
            other => panic!("no native path for {other}"),
        })
    }
}
