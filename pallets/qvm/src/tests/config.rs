//! Runtime configuration: who may upload and instantiate, the integrity test, and the gas
//! limit dry runs default to.

use super::*;
use crate::{Call as QvmCall, Pallet};
use frame_support::{
    assert_noop,
    dispatch::{DispatchClass, GetDispatchInfo},
    traits::{Get, Hooks},
};
use qvm_primitives::GasConfig;
use sp_runtime::DispatchError;

fn counter_code() -> Vec<u8> {
    crate::benchmarking::code::sized(0)
}

#[test]
fn upload_and_instantiate_origins_are_configurable() {
    new_test_ext().execute_with(|| {
        Uploaders::set(Some(vec![ALICE]));
        Instantiators::set(Some(vec![ALICE, BOB]));
        let code = counter_code();
        let hash = sp_io::hashing::blake2_256(&code);
        // BOB may not upload: neither directly nor through `deploy` of new code.
        assert_noop!(
            Pallet::<Test>::upload_code(RuntimeOrigin::signed(BOB), code.clone()),
            DispatchError::BadOrigin
        );
        let res = Pallet::<Test>::deploy(
            RuntimeOrigin::signed(BOB),
            code.clone(),
            0,
            vec![],
            GAS,
            None,
            None,
        );
        assert_eq!(res.unwrap_err().error, DispatchError::BadOrigin);
        assert!(crate::CodeInfoOf::<Test>::get(hash).is_none());
        // CHARLIE may do neither; unsigned origins never.
        for origin in [RuntimeOrigin::signed(CHARLIE), RuntimeOrigin::none()] {
            let res = Pallet::<Test>::instantiate(origin, hash, 0, vec![], GAS, None, None);
            assert_eq!(res.unwrap_err().error, DispatchError::BadOrigin);
        }
        // ALICE uploads; then BOB may instantiate and deploy the stored code.
        assert_ok!(Pallet::<Test>::upload_code(
            RuntimeOrigin::signed(ALICE),
            code.clone()
        ));
        assert_ok!(Pallet::<Test>::instantiate(
            RuntimeOrigin::signed(BOB),
            hash,
            0,
            vec![],
            GAS,
            None,
            None
        ));
        assert_ok!(Pallet::<Test>::deploy(
            RuntimeOrigin::signed(BOB),
            code,
            0,
            vec![],
            GAS,
            None,
            None
        ));
        let res = Pallet::<Test>::instantiate(
            RuntimeOrigin::signed(CHARLIE),
            hash,
            0,
            vec![],
            GAS,
            None,
            None,
        );
        assert_eq!(res.unwrap_err().error, DispatchError::BadOrigin);
        // Calls stay open to every signed account.
        let c = deploy(&ALICE, counter_code(), vec![]);
        assert_ok!(Pallet::<Test>::call(
            RuntimeOrigin::signed(CHARLIE),
            c,
            0,
            b"run".to_vec(),
            vec![],
            GAS,
            None
        ));
        assert_noop!(
            Pallet::<Test>::call(
                RuntimeOrigin::none(),
                c,
                0,
                b"run".to_vec(),
                vec![],
                GAS,
                None
            ),
            DispatchError::BadOrigin
        );
    })
}

#[test]
fn the_mock_configuration_passes_the_integrity_test() {
    new_test_ext().execute_with(|| {
        assert_eq!(crate::integrity::check::<Test>(), Ok(()));
        <Pallet<Test> as Hooks<u64>>::integrity_test();
    })
}

#[test]
fn misconfigurations_fail_the_integrity_test() {
    let good = QvmLimits::get();
    let schedule = Schedule::get();
    let cases: [(qvm_primitives::Limits, GasConfig, &str); 5] = [
        // 64 MiB of contract memory cannot be one runtime allocation.
        (
            qvm_primitives::Limits {
                max_memory_pages: 1024,
                ..good
            },
            schedule,
            "max_memory_pages",
        ),
        (
            qvm_primitives::Limits {
                max_stack_bytes: 20 * 1024 * 1024,
                ..good
            },
            schedule,
            "max_stack_bytes",
        ),
        (
            qvm_primitives::Limits {
                max_locals: 100_000,
                ..good
            },
            schedule,
            "max_locals",
        ),
        (
            good,
            GasConfig {
                ref_time_per_gas: 0,
                ..schedule
            },
            "ref_time_per_gas",
        ),
        // Loading the largest code costs more gas than a call can carry.
        (
            good,
            GasConfig {
                code_load_per_byte: u64::MAX / (256 * 1024),
                ..schedule
            },
            "largest code",
        ),
    ];
    for (limits, s, expected) in cases {
        new_test_ext().execute_with(|| {
            QvmLimits::set(limits);
            Schedule::set(s);
            let problem = crate::integrity::check::<Test>().unwrap_err();
            assert!(problem.contains(expected), "{expected}: {problem}");
            let hook = std::panic::catch_unwind(|| {
                <Pallet<Test> as Hooks<u64>>::integrity_test();
            });
            assert!(hook.is_err(), "{expected}: integrity_test did not fail");
            QvmLimits::set(good);
            Schedule::set(schedule);
        });
    }
}

/// A call submitted with the gas a dry run defaults to passes the block's weight checks: its
/// dispatch weight plus the extrinsic base weight fit `max_extrinsic`.
#[test]
fn the_dry_run_gas_limit_leaves_room_for_the_extrinsic() {
    new_test_ext().execute_with(|| {
        let weights: frame_system::limits::BlockWeights =
            <Test as frame_system::Config>::BlockWeights::get();
        let normal = weights.get(DispatchClass::Normal);
        let max = normal.max_extrinsic.unwrap_or(weights.max_block);
        for input_len in [0usize, 1_000, QvmLimits::get().max_input_len as usize] {
            let gas_limit = Pallet::<Test>::max_call_gas_limit(input_len);
            assert!(gas_limit > 0);
            let call = QvmCall::<Test>::call {
                contract: Default::default(),
                value: u64::MAX,
                method: b"run".to_vec(),
                args: vec![0; input_len],
                gas_limit,
                storage_deposit_limit: None,
            };
            // `CheckWeight` adds the extrinsic's length to its proof size: the call, plus at
            // most 256 bytes of signature, address and extensions, is within the allowance.
            let allowance = input_len as u64 + crate::EXTRINSIC_OVERHEAD_LEN;
            assert!(codec::Encode::encoded_size(&call) as u64 + 256 <= allowance);
            let total = call.get_dispatch_info().total_weight()
                + normal.base_extrinsic
                + Weight::from_parts(0, allowance);
            assert!(total.all_lte(max), "{input_len}: {total:?} > {max:?}");
            // And it is the largest such limit: one more unit of gas would not fit.
            let one_more = total + crate::gas::gas_limit_weight(&Schedule::get(), 1);
            assert!(!one_more.all_lte(max), "{input_len}: {one_more:?} fits");
        }
        let code = counter_code();
        let gas_limit = Pallet::<Test>::max_deploy_gas_limit(code.len(), 0);
        let deploy = QvmCall::<Test>::deploy {
            code,
            value: u64::MAX,
            constructor_args: vec![],
            gas_limit,
            capabilities: Some(Capabilities::ALL),
            storage_deposit_limit: None,
        };
        let total = deploy.get_dispatch_info().total_weight() + normal.base_extrinsic;
        assert!(total.all_lte(max));
    })
}
