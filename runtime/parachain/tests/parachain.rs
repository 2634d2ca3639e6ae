//! The parachain flavour through its compiled runtime wasm, as a collator runs it: its genesis
//! presets build with the standard chain-spec builder, and a parachain block (the relay chain's
//! validation data and the timestamp as inherents, then QVM extrinsics) is built, finalized and
//! imported again with the same state root.

use codec::{Decode, Encode};
use cumulus_primitives_core::{relay_chain::HeadData, ParaId, PersistedValidationData};
use cumulus_primitives_parachain_inherent::ParachainInherentData;
use cumulus_test_relay_sproof_builder::RelayStateSproofBuilder;
use qvm_parachain_runtime::{
    genesis_config_presets::PARA_ID, Block, Header, Runtime, RuntimeCall, SignedPayload,
    UncheckedExtrinsic, ENDOWMENT, VERSION, WASM_BINARY, WASM_BINARY_PATH,
};
use qvm_primitives::{api::DryRun, ExecReturn};
use sc_executor::WasmExecutor;
use sp_core::{
    traits::{CallContext, CodeExecutor, RuntimeCode, WrappedRuntimeCode},
    Pair, H256,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
    traits::{Block as _, Hash as _, Header as _},
    ApplyExtrinsicResult,
};

type HostFunctions = (
    sp_io::SubstrateHostFunctions,
    cumulus_primitives_proof_size_hostfunction::storage_proof_size::HostFunctions,
);

/// The compiled runtime wasm with the host functions a collator provides.
struct Wasm {
    executor: WasmExecutor<HostFunctions>,
    code: &'static [u8],
    hash: Vec<u8>,
}

impl Wasm {
    fn new() -> Self {
        let code = WASM_BINARY.expect("parachain runtime wasm built");
        Self {
            executor: WasmExecutor::builder().build(),
            code,
            hash: sp_runtime::traits::BlakeTwo256::hash(code).encode(),
        }
    }

    /// Runs runtime API `method` with SCALE-encoded `data`; its SCALE-encoded result.
    fn call(&self, ext: &mut sp_io::TestExternalities, method: &str, data: &[u8]) -> Vec<u8> {
        let fetcher = WrappedRuntimeCode(self.code.into());
        let runtime_code = RuntimeCode {
            code_fetcher: &fetcher,
            heap_pages: None,
            hash: self.hash.clone(),
        };
        self.executor
            .call(
                &mut ext.ext(),
                &runtime_code,
                method,
                data,
                CallContext::Onchain { import: false },
            )
            .0
            .unwrap_or_else(|err| panic!("wasm {method}: {err}"))
    }
}

/// The raw chain spec `chain-spec-builder create --relay-chain rococo-local -s named-preset
/// <preset>` writes for the runtime wasm, parsed.
fn chain_spec(preset: &str) -> serde_json::Value {
    // One file per call: the tests run in parallel.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let out = std::env::temp_dir().join(format!(
        "qvm-parachain-{preset}-{}-{n}.json",
        std::process::id()
    ));
    let wasm = WASM_BINARY_PATH.expect("parachain runtime wasm built");
    let args = [
        "chain-spec-builder",
        "-c",
        out.to_str().unwrap(),
        "create",
        "--relay-chain",
        "rococo-local",
        "-s",
        "-r",
        wasm,
        "named-preset",
        preset,
    ];
    let cmd = <staging_chain_spec_builder::ChainSpecBuilder as clap::Parser>::parse_from(args);
    cmd.run()
        .unwrap_or_else(|e| panic!("chain-spec-builder {preset}: {e}"));
    let spec = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    serde_json::from_str(&spec).unwrap()
}

/// The genesis state of a raw chain spec.
fn genesis_state(spec: &serde_json::Value) -> sp_io::TestExternalities {
    let top = spec["genesis"]["raw"]["top"]
        .as_object()
        .expect("a raw chain spec")
        .iter()
        .map(|(k, v)| {
            let hex = |s: &str| sp_core::bytes::from_hex(s).expect("hex");
            (hex(k), hex(v.as_str().unwrap()))
        })
        .collect();
    sp_io::TestExternalities::new(sp_core::storage::Storage {
        top,
        children_default: Default::default(),
    })
}

#[test]
fn genesis_presets_build_with_the_chain_spec_builder() {
    for (preset, collators) in [("development", 1), ("local_testnet", 2)] {
        let spec = chain_spec(preset);
        // The extensions a collator reads to find its relay chain.
        assert_eq!(spec["relay_chain"], "rococo-local", "{preset}");
        let mut ext = genesis_state(&spec);
        ext.execute_with(|| {
            assert_eq!(
                staging_parachain_info::Pallet::<Runtime>::parachain_id(),
                ParaId::from(PARA_ID)
            );
            assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), collators);
            let alice = Sr25519Keyring::Alice.to_account_id();
            assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice.clone()));
            for who in [alice, Sr25519Keyring::Ferdie.to_account_id()] {
                assert_eq!(
                    pallet_balances::Pallet::<Runtime>::free_balance(who),
                    ENDOWMENT
                );
            }
        });
    }
}

/// `call` signed by `signer` with `nonce`, immortal, for the chain of `genesis_hash`.
fn signed(
    call: RuntimeCall,
    signer: Sr25519Keyring,
    nonce: u32,
    genesis_hash: H256,
) -> UncheckedExtrinsic {
    let tx_ext = qvm_parachain_runtime::tx_extension(nonce);
    let implicit = (
        (),
        VERSION.spec_version,
        VERSION.transaction_version,
        genesis_hash,
        genesis_hash,
        (),
        (),
        (),
    );
    let payload = SignedPayload::from_raw(call.clone(), tx_ext.clone(), implicit);
    let signature = payload.using_encoded(|p| signer.pair().sign(p));
    UncheckedExtrinsic::new_signed(
        call,
        signer.to_account_id().into(),
        qvm_parachain_runtime::Signature::Sr25519(signature),
        tx_ext,
    )
}

/// The inherent data a collator gives block `parent + 1`: the relay chain's validation data (a
/// relay chain state proof for parachain [`PARA_ID`] at slot 0) and the timestamp (slot 0).
fn inherent_data(parent: &Header) -> sp_inherents::InherentData {
    let sproof = RelayStateSproofBuilder {
        para_id: ParaId::from(PARA_ID),
        included_para_head: Some(HeadData(parent.encode())),
        ..Default::default()
    };
    let (relay_parent_storage_root, relay_chain_state) = sproof.into_state_root_and_proof();
    let para = ParachainInherentData {
        validation_data: PersistedValidationData {
            parent_head: HeadData(parent.encode()),
            relay_parent_number: 1,
            relay_parent_storage_root,
            max_pov_size: 5 * 1024 * 1024,
        },
        relay_chain_state,
        downward_messages: Vec::new(),
        horizontal_messages: Default::default(),
        relay_parent_descendants: Vec::new(),
        collator_peer_id: None,
    };
    let mut data = sp_inherents::InherentData::new();
    data.put_data(
        cumulus_primitives_parachain_inherent::INHERENT_IDENTIFIER,
        &para,
    )
    .unwrap();
    data.put_data(sp_timestamp::INHERENT_IDENTIFIER, &0u64)
        .unwrap();
    data
}

#[test]
fn a_parachain_block_with_qvm_extrinsics_builds_and_imports() {
    let wasm = Wasm::new();
    let spec = chain_spec("development");
    let mut ext = genesis_state(&spec);
    let genesis_hash = ext.execute_with(|| frame_system::BlockHash::<Runtime>::get(0));
    let genesis_header = Header::new(
        0,
        Default::default(),
        Default::default(),
        Default::default(),
        Default::default(),
    );
    let header = Header::new(
        1,
        Default::default(),
        Default::default(),
        genesis_hash,
        Default::default(),
    );
    wasm.call(&mut ext, "Core_initialize_block", &header.encode());

    // The inherents, as the runtime builds them from the collator's inherent data.
    let inherents = Vec::<UncheckedExtrinsic>::decode(
        &mut &wasm.call(
            &mut ext,
            "BlockBuilder_inherent_extrinsics",
            &inherent_data(&genesis_header).encode(),
        )[..],
    )
    .unwrap();
    assert_eq!(inherents.len(), 2, "validation data and timestamp");

    // The token (the pallet's balance-map fixture): Alice deploys it with 1000, sends Bob 100.
    let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);
    let code = wat::parse_str(include_str!(
        "../../../pallets/qvm/fixtures/balance_map.wat"
    ))
    .unwrap();
    let contract = pallet_qvm::address::contract_address(&alice.to_account_id(), 0);
    let mut transfer = bob.to_account_id().encode();
    transfer.extend_from_slice(&100u64.to_le_bytes());
    let qvm = [
        RuntimeCall::Qvm(pallet_qvm::Call::deploy {
            code,
            value: 0,
            constructor_args: 1000u64.to_le_bytes().to_vec(),
            gas_limit: 2_000_000,
            capabilities: None,
            storage_deposit_limit: None,
        }),
        RuntimeCall::Qvm(pallet_qvm::Call::call {
            contract,
            value: 0,
            method: b"transfer".to_vec(),
            args: transfer,
            gas_limit: 2_000_000,
            storage_deposit_limit: None,
        }),
    ];
    let signed_xts: Vec<_> = qvm
        .into_iter()
        .enumerate()
        .map(|(nonce, call)| signed(call, alice, nonce as u32, genesis_hash))
        .collect();
    let extrinsics: Vec<_> = inherents.into_iter().chain(signed_xts).collect();
    for xt in &extrinsics {
        let r = wasm.call(&mut ext, "BlockBuilder_apply_extrinsic", &xt.encode());
        let r = ApplyExtrinsicResult::decode(&mut &r[..]).unwrap();
        assert_eq!(r, Ok(Ok(())), "{xt:?}");
    }
    let header =
        Header::decode(&mut &wasm.call(&mut ext, "BlockBuilder_finalize_block", &[])[..]).unwrap();

    // Bob's balance in the token, read by the QvmApi dry run.
    let balance_of = |ext: &mut sp_io::TestExternalities| {
        let args = (
            alice.to_account_id(),
            contract,
            b"balance_of".to_vec(),
            bob.to_account_id().encode(),
            None::<u64>,
        );
        let dry =
            DryRun::<ExecReturn>::decode(&mut &wasm.call(ext, "QvmApi_query", &args.encode())[..])
                .unwrap();
        dry.result.expect("balance_of succeeds").output
    };
    assert_eq!(balance_of(&mut ext), 100u64.to_le_bytes().to_vec());

    // A full node imports the block: same extrinsics, same state root (checked by the runtime).
    let block = Block::new(header.clone(), extrinsics);
    let mut imported = genesis_state(&spec);
    wasm.call(&mut imported, "Core_execute_block", &block.encode());
    assert_eq!(balance_of(&mut imported), 100u64.to_le_bytes().to_vec());
    let root = imported.execute_with(|| sp_io::storage::root(sp_runtime::StateVersion::V1));
    assert_eq!(H256::from_slice(&root), *header.state_root());
}
