//! Extrinsic builders for `benchmark overhead` and `benchmark extrinsic`.

use crate::service::FullClient;
use codec::Encode;
use qvm_runtime as runtime;
use runtime::{AccountId, Balance, BalancesCall, SystemCall};
use sc_cli::Result;
use sc_client_api::BlockBackend;
use sp_core::Pair;
use sp_inherents::{InherentData, InherentDataProvider};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{OpaqueExtrinsic, SaturatedConversion};
use std::{sync::Arc, time::Duration};

/// Builds `System::remark` extrinsics.
pub struct RemarkBuilder {
    client: Arc<FullClient>,
}

impl RemarkBuilder {
    /// A builder on `client`.
    pub fn new(client: Arc<FullClient>) -> Self {
        Self { client }
    }
}

impl frame_benchmarking_cli::ExtrinsicBuilder for RemarkBuilder {
    fn pallet(&self) -> &str {
        "system"
    }

    fn extrinsic(&self) -> &str {
        "remark"
    }

    fn build(&self, nonce: u32) -> std::result::Result<OpaqueExtrinsic, &'static str> {
        let xt = create_extrinsic(
            &self.client,
            Sr25519Keyring::Bob.pair(),
            SystemCall::remark { remark: vec![] }.into(),
            nonce,
        )?;
        OpaqueExtrinsic::try_from_encoded_extrinsic(&xt.encode()).map_err(|_| "encoding")
    }
}

/// Builds `Balances::transfer_keep_alive` extrinsics.
pub struct TransferKeepAliveBuilder {
    client: Arc<FullClient>,
    dest: AccountId,
    value: Balance,
}

impl TransferKeepAliveBuilder {
    /// A builder on `client` transferring `value` to `dest`.
    pub fn new(client: Arc<FullClient>, dest: AccountId, value: Balance) -> Self {
        Self {
            client,
            dest,
            value,
        }
    }
}

impl frame_benchmarking_cli::ExtrinsicBuilder for TransferKeepAliveBuilder {
    fn pallet(&self) -> &str {
        "balances"
    }

    fn extrinsic(&self) -> &str {
        "transfer_keep_alive"
    }

    fn build(&self, nonce: u32) -> std::result::Result<OpaqueExtrinsic, &'static str> {
        let call = BalancesCall::transfer_keep_alive {
            dest: self.dest.clone().into(),
            value: self.value,
        }
        .into();
        let xt = create_extrinsic(&self.client, Sr25519Keyring::Bob.pair(), call, nonce)?;
        OpaqueExtrinsic::try_from_encoded_extrinsic(&xt.encode()).map_err(|_| "encoding")
    }
}

/// A signed extrinsic of `call` by `sender` valid on `client`'s best block.
pub fn create_extrinsic(
    client: &FullClient,
    sender: sp_core::sr25519::Pair,
    call: runtime::RuntimeCall,
    nonce: u32,
) -> std::result::Result<runtime::UncheckedExtrinsic, &'static str> {
    let genesis_hash = client
        .block_hash(0)
        .ok()
        .flatten()
        .ok_or("genesis block missing")?;
    let best_hash = client.chain_info().best_hash;
    let best_block = client.chain_info().best_number;
    let period = runtime::configs::BlockHashCount::get()
        .checked_next_power_of_two()
        .map(|c| c / 2)
        .unwrap_or(2) as u64;
    let tx_ext: runtime::TxExtension = (
        frame_system::CheckNonZeroSender::<runtime::Runtime>::new(),
        frame_system::CheckSpecVersion::<runtime::Runtime>::new(),
        frame_system::CheckTxVersion::<runtime::Runtime>::new(),
        frame_system::CheckGenesis::<runtime::Runtime>::new(),
        frame_system::CheckEra::<runtime::Runtime>::from(sp_runtime::generic::Era::mortal(
            period,
            best_block.saturated_into(),
        )),
        frame_system::CheckNonce::<runtime::Runtime>::from(nonce),
        frame_system::CheckWeight::<runtime::Runtime>::new(),
        pallet_transaction_payment::ChargeTransactionPayment::<runtime::Runtime>::from(0),
        frame_system::WeightReclaim::<runtime::Runtime>::new(),
    );
    let raw_payload = runtime::SignedPayload::from_raw(
        call.clone(),
        tx_ext.clone(),
        (
            (),
            runtime::VERSION.spec_version,
            runtime::VERSION.transaction_version,
            genesis_hash,
            best_hash,
            (),
            (),
            (),
            (),
        ),
    );
    let signature = raw_payload.using_encoded(|e| sender.sign(e));
    Ok(runtime::UncheckedExtrinsic::new_signed(
        call,
        sp_runtime::AccountId32::from(sender.public()).into(),
        runtime::Signature::Sr25519(signature),
        tx_ext,
    ))
}

/// Inherent data for the benchmark commands.
pub fn inherent_benchmark_data() -> Result<InherentData> {
    let mut inherent_data = InherentData::new();
    let timestamp = sp_timestamp::InherentDataProvider::new(Duration::from_millis(0).into());
    futures::executor::block_on(timestamp.provide_inherent_data(&mut inherent_data))
        .map_err(|e| format!("creating inherent data: {e:?}"))?;
    Ok(inherent_data)
}

/// Runs `qvm-node benchmark ...`.
pub fn run(
    cli: &crate::cli::Cli,
    cmd: &frame_benchmarking_cli::BenchmarkCmd,
) -> sc_cli::Result<()> {
    use crate::service;
    use frame_benchmarking_cli::{BenchmarkCmd, ExtrinsicFactory, SUBSTRATE_REFERENCE_HARDWARE};
    use qvm_runtime::{Block, EXISTENTIAL_DEPOSIT};
    use sc_cli::SubstrateCli;
    use sc_service::PartialComponents;

    // `benchmark pallet --runtime <wasm>` needs no chain spec (the node may be built without the
    // runtime wasm, see benchmarking/run-weights.sh).
    if let BenchmarkCmd::Pallet(pallet) = cmd {
        if pallet.runtime.is_some() {
            return pallet.run_with_spec::<sp_runtime::traits::HashingFor<Block>, ()>(None);
        }
    }
    let runner = cli.create_runner(cmd)?;
    runner.sync_run(|config| match cmd {
        BenchmarkCmd::Pallet(cmd) => {
            cmd.run_with_spec::<sp_runtime::traits::HashingFor<Block>, ()>(Some(config.chain_spec))
        }
        BenchmarkCmd::Block(cmd) => {
            let PartialComponents { client, .. } = service::new_partial(&config)?;
            cmd.run(client)
        }
        BenchmarkCmd::Storage(cmd) => {
            let PartialComponents {
                client, backend, ..
            } = service::new_partial(&config)?;
            let db = backend.expose_db();
            let storage = backend.expose_storage();
            let shared_cache = backend.expose_shared_trie_cache();
            cmd.run(config, client, db, storage, shared_cache)
        }
        BenchmarkCmd::Overhead(cmd) => {
            let PartialComponents { client, .. } = service::new_partial(&config)?;
            let ext_builder = RemarkBuilder::new(client.clone());
            cmd.run(
                config.chain_spec.name().into(),
                client,
                inherent_benchmark_data()?,
                Vec::new(),
                &ext_builder,
                false,
            )
        }
        BenchmarkCmd::Extrinsic(cmd) => {
            let PartialComponents { client, .. } = service::new_partial(&config)?;
            let ext_factory = ExtrinsicFactory(vec![
                Box::new(RemarkBuilder::new(client.clone())),
                Box::new(TransferKeepAliveBuilder::new(
                    client.clone(),
                    Sr25519Keyring::Alice.to_account_id(),
                    EXISTENTIAL_DEPOSIT,
                )),
            ]);
            cmd.run(client, inherent_benchmark_data()?, Vec::new(), &ext_factory)
        }
        BenchmarkCmd::Machine(cmd) => cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone()),
    })
}
