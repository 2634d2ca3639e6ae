//! The reference runtime's configuration holds together: every pallet's integrity test passes
//! (for pallet-qvm: contract memory, stack and code fit the runtime's allocator, the largest
//! code can be uploaded and loaded within one extrinsic), blocks carry a parachain-sized proof,
//! and every QVM dispatchable with the largest gas limit a dry run would give it fits in a block.

use codec::Encode;
use frame_support::{
    dispatch::{DispatchClass, GetDispatchInfo},
    traits::{Get, IntegrityTest},
    weights::Weight,
};
use qvm_primitives::Capabilities;
use qvm_runtime::{AllPalletsWithSystem, Runtime, RuntimeCall};

type Qvm = pallet_qvm::Pallet<Runtime>;

#[test]
fn every_pallet_passes_its_integrity_test() {
    sp_io::TestExternalities::default().execute_with(|| {
        AllPalletsWithSystem::integrity_test();
        assert_eq!(pallet_qvm::integrity::check::<Runtime>(), Ok(()));
    });
}

#[test]
fn dispatchables_with_the_largest_gas_limit_fit_in_a_block() {
    sp_io::TestExternalities::default().execute_with(|| {
        let weights = <Runtime as frame_system::Config>::BlockWeights::get();
        assert_eq!(
            weights.max_block.proof_size(),
            qvm_runtime::configs::MAX_BLOCK_PROOF_SIZE
        );
        let normal = weights.get(DispatchClass::Normal);
        let max = normal.max_extrinsic.expect("normal extrinsics are limited");
        let limits = <Runtime as pallet_qvm::Config>::Limits::get();
        let max_code = <<Runtime as pallet_qvm::Config>::MaxCodeLen as Get<u32>>::get() as usize;
        let input = vec![0u8; limits.max_input_len as usize];
        // As `CheckWeight` counts it: dispatch weight, base extrinsic weight, and the signed
        // extrinsic's length as proof size (the call's encoding plus at most 256 bytes of
        // signature, address and extensions).
        let fits = |call: RuntimeCall| {
            let len = call.encoded_size() as u64 + 256;
            let total = call.get_dispatch_info().total_weight()
                + qvm_runtime::configs::TxExtensionWeight::get()
                + normal.base_extrinsic
                + Weight::from_parts(0, len);
            assert!(total.all_lte(max), "{total:?} > {max:?}");
            // And as the transaction pool validates it (with the extensions' weight).
            let mut info = call.get_dispatch_info();
            info.extension_weight = qvm_runtime::configs::TxExtensionWeight::get();
            assert!(
                frame_system::CheckWeight::<Runtime>::do_validate(&info, len as usize).is_ok(),
                "{info:?} with {len} bytes is refused"
            );
        };
        fits(RuntimeCall::Qvm(pallet_qvm::Call::call {
            contract: Default::default(),
            value: u128::MAX,
            method: b"run".to_vec(),
            args: input.clone(),
            gas_limit: Qvm::max_call_gas_limit(input.len()),
            storage_deposit_limit: None,
        }));
        fits(RuntimeCall::Qvm(pallet_qvm::Call::deploy {
            code: vec![0u8; max_code],
            value: u128::MAX,
            constructor_args: input.clone(),
            gas_limit: Qvm::max_deploy_gas_limit(max_code, input.len()),
            capabilities: Some(Capabilities::ALL),
            storage_deposit_limit: None,
        }));
        fits(RuntimeCall::Qvm(pallet_qvm::Call::upload_code {
            code: vec![0u8; max_code],
        }));
        // A dry run's default gas is enough to load the largest code.
        let schedule = <Runtime as pallet_qvm::Config>::Schedule::get();
        assert!(
            Qvm::max_call_gas_limit(input.len())
                >= schedule.load_cost(&limits.largest_code_shape(max_code as u64))
        );
    });
}
