//! The counter and escrow examples, TestVM itself, and TestVM against the pallet's extrinsics.

use codec::Encode;
use frame_support::assert_ok;
use qvm_test::{args, example_wasm, runtime, Account, QvmError, TestVM};
use sp_core::{sr25519, Pair};

#[test]
fn counter_counts() {
    let mut vm = TestVM::new();
    let c = vm.deploy(&example_wasm("counter"), args![41u64]);
    assert_eq!(vm.call_view::<u64>(&c, "get", args![]), 41);
    assert_eq!(
        vm.call(&c, "increment", args![]).unwrap().decode::<u64>(),
        42
    );
    assert_eq!(
        vm.call(&c, "increment", args![]).unwrap().decode::<u64>(),
        43
    );
    assert_eq!(vm.call_view::<u64>(&c, "get", args![]), 43);
    let storage = vm.storage(&c);
    assert_eq!(storage.get(b"count".as_slice()), Some(&43u64.encode()));
    // Overflow is checked.
    let c = vm.deploy(&example_wasm("counter"), args![u64::MAX]);
    let err = vm.call(&c, "increment", args![]).unwrap_err();
    assert_eq!(
        (err.error.clone(), err.message()),
        (QvmError::Reverted, "overflow")
    );
}

#[test]
fn escrow_holds_native_value_until_the_arbiter_signs() {
    let arbiter = sr25519::Pair::from_seed(&[42; 32]);
    let mut vm = TestVM::new();
    let payer = vm.create_account(10_000);
    let payee = vm.create_account(0);
    vm.set_caller(payer.clone());
    let e = vm.deploy(&example_wasm("escrow"), args![arbiter.public().0]);
    let contract = Account::new(e.0);
    let (payer_start, escrow_start) = (vm.balance(&payer), vm.balance(&contract));
    vm.set_value(3_000);
    let id: u64 = vm.call(&e, "open", args![payee.clone()]).unwrap().decode();
    vm.set_value(2_000);
    let id2: u64 = vm.call(&e, "open", args![payee.clone()]).unwrap().decode();
    assert_eq!((id, id2), (0, 1));
    // The value moved from the payer to the contract's account.
    assert_eq!(vm.balance(&payer), payer_start - 5_000);
    assert_eq!(vm.balance(&contract), escrow_start + 5_000);
    assert_eq!(vm.call_view::<u128>(&e, "holdings", args![]), 5_000);
    // Opening without value is refused and moves nothing.
    let err = vm.call(&e, "open", args![payee.clone()]).unwrap_err();
    assert_eq!(err.message(), "send value with the call");

    let digest: [u8; 32] = vm.call_view(&e, "digest_of", args![b"release".to_vec(), id]);
    // A signature by someone else is refused.
    let mallory = sr25519::Pair::from_seed(&[7; 32]);
    let err = vm
        .call(&e, "release", args![id, mallory.sign(&digest).0])
        .unwrap_err();
    assert_eq!(err.message(), "bad signature");
    // A refund signature does not release.
    let refund_digest: [u8; 32] = vm.call_view(&e, "digest_of", args![b"refund".to_vec(), id]);
    let err = vm
        .call(&e, "release", args![id, arbiter.sign(&refund_digest).0])
        .unwrap_err();
    assert_eq!(err.message(), "bad signature");
    // The arbiter's release signature, submitted by anyone: the payee is paid in native value.
    vm.set_caller(payee.clone());
    assert_eq!(
        vm.call(&e, "release", args![id, arbiter.sign(&digest).0])
            .unwrap()
            .decode::<u128>(),
        3_000
    );
    assert_eq!(vm.balance(&payee), 3_000);
    let err = vm
        .call(&e, "release", args![id, arbiter.sign(&digest).0])
        .unwrap_err();
    assert_eq!(err.message(), "no such escrow");
    // Refund of the second.
    let d2: [u8; 32] = vm.call_view(&e, "digest_of", args![b"refund".to_vec(), id2]);
    vm.call(&e, "refund", args![id2, arbiter.sign(&d2).0])
        .unwrap();
    assert_eq!(vm.balance(&payer), payer_start - 3_000);
    assert_eq!(vm.balance(&contract), escrow_start);
    assert_eq!(
        vm.call_view::<Option<([u8; 32], [u8; 32], u128)>>(&e, "escrow", args![id2]),
        None
    );
}

#[test]
fn testvm_blocks_gas_and_panics() {
    let mut vm = TestVM::new();
    assert_eq!(vm.block_number(), 1);
    vm.advance_block();
    assert_eq!(vm.block_number(), 2);
    let c = vm.deploy(&example_wasm("counter"), args![0u64]);
    let deploy_gas = vm.gas_used();
    assert!(deploy_gas > 0);
    vm.call(&c, "increment", args![]).unwrap();
    let gas = vm.gas_used();
    vm.call(&c, "increment", args![]).unwrap();
    assert_eq!(vm.gas_used(), gas, "same call, same gas");
    let a = vm.create_account(77);
    assert_eq!(vm.balance(&a), 77);
}

/// The same token scenario through TestVM and through signed extrinsics gives the same
/// contract storage root.
#[test]
fn testvm_matches_the_pallets_extrinsics() {
    let code = example_wasm("token");
    let mut vm = TestVM::new();
    let alice = vm.create_account(1000);
    let bob = vm.create_account(0);
    vm.set_caller(alice.clone());
    let token = vm.deploy(&code, args!["TestToken", "TST", 1000u128]);
    vm.call(&token, "transfer", args![bob.clone(), 100u128])
        .unwrap();
    vm.call(&token, "approve", args![bob.clone(), 50u128])
        .unwrap();
    let vm_root = vm.storage_root(&token);

    let mut ext = sp_io::TestExternalities::new(Default::default());
    ext.execute_with(|| {
        use frame_support::traits::fungible::Mutate;
        use runtime::{Balances, Qvm, RuntimeOrigin, System};
        System::set_block_number(1);
        // As funded in TestVM: enough for the contract account's minimum balance.
        let _ = <Balances as Mutate<_>>::set_balance(&alice, 1000);
        let origin = RuntimeOrigin::signed(alice.clone());
        let mut ctor = Vec::new();
        ("TestToken", "TST", 1000u128).encode_to(&mut ctor);
        assert_ok!(Qvm::deploy(
            origin.clone(),
            code.clone(),
            0,
            ctor,
            100_000_000,
            None,
            None
        ));
        let address = pallet_qvm::address::contract_address(&alice, 0);
        assert_eq!(address, token, "same deployer and nonce, same address");
        assert_ok!(Qvm::call(
            origin.clone(),
            address,
            0,
            b"transfer".to_vec(),
            (bob.clone(), 100u128).encode(),
            100_000_000,
            None
        ));
        assert_ok!(Qvm::call(
            origin,
            address,
            0,
            b"approve".to_vec(),
            (bob.clone(), 50u128).encode(),
            100_000_000,
            None
        ));
        assert_eq!(Qvm::storage_root(&address).unwrap(), vm_root);
        let balance = Qvm::get_storage(
            address,
            &[b"b".as_slice(), AsRef::<[u8]>::as_ref(&bob)].concat(),
        )
        .unwrap();
        assert_eq!(balance, Some(100u128.encode()));
    });
    let _: Account = bob;
}

#[test]
fn vault_holds_the_chains_currency() {
    let mut vm = TestVM::new();
    let alice = vm.create_account(1_000);
    let bob = vm.create_account(1_000);
    vm.set_caller(alice.clone());
    let v = vm.deploy(&example_wasm("vault"), args![]);
    let ed = vm.call_view::<u128>(&v, "minimum", args![]);
    assert!(ed > 0);
    // The deployer paid the vault's minimum balance; the vault can spend nothing yet.
    assert_eq!(vm.contract_balance(&v), ed);
    assert_eq!(vm.balance(&alice), 1_000 - ed);
    assert_eq!(vm.call_view::<u128>(&v, "holdings", args![]), 0);

    vm.set_value(300);
    let out = vm.call(&v, "deposit", args![]).unwrap();
    assert_eq!(out.decode::<u128>(), 300);
    vm.set_caller(bob.clone());
    vm.set_value(50);
    vm.call(&v, "deposit", args![]).unwrap();
    assert_eq!(vm.call_view::<u128>(&v, "holdings", args![]), 350);
    assert_eq!(vm.contract_balance(&v), ed + 350);

    // Withdrawing more than one's deposit reverts and moves nothing.
    let err = vm.call(&v, "withdraw", args![51u128]).unwrap_err();
    assert_eq!(
        (err.error.clone(), err.message()),
        (QvmError::Reverted, "more than deposited")
    );
    assert_eq!(vm.balance(&bob), 1_000 - 50);
    // A deposit without value reverts; a reverted deposit gives its value back.
    let err = vm.call(&v, "deposit", args![]).unwrap_err();
    assert_eq!(err.message(), "send value with the call");
    vm.set_value(10);
    vm.call(&v, "withdraw", args![1_000u128]).unwrap_err();
    assert_eq!(vm.balance(&bob), 1_000 - 50);

    assert_eq!(
        vm.call(&v, "withdraw", args![20u128])
            .unwrap()
            .decode::<u128>(),
        30
    );
    assert_eq!(vm.balance(&bob), 1_000 - 30);
    vm.set_caller(alice.clone());
    vm.call(&v, "withdraw", args![300u128]).unwrap();
    assert_eq!(vm.balance(&alice), 1_000 - ed);
    assert_eq!(
        vm.call_view::<u128>(&v, "deposit_of", args![bob.clone()]),
        30
    );
    assert_eq!(vm.contract_balance(&v), ed + 30);
}

#[test]
fn upgradeable_counter_changes_code_keeps_its_count_and_closes() {
    let mut vm = TestVM::new();
    let admin = vm.create_account(1_000);
    let other = vm.create_account(1_000);
    vm.set_caller(admin.clone());
    let c = vm.deploy(&example_wasm("upgradeable"), args![5u64]);
    assert_eq!(
        vm.call(&c, "increment", args![]).unwrap().decode::<u64>(),
        6
    );
    let counter = vm.upload(&example_wasm("counter"));
    // Only the admin upgrades; unknown code is refused.
    vm.set_caller(other.clone());
    let err = vm.call(&c, "upgrade", args![counter]).unwrap_err();
    assert_eq!(err.message(), "only the admin");
    vm.set_caller(admin.clone());
    let err = vm.call(&c, "upgrade", args![[7u8; 32]]).unwrap_err();
    assert_eq!(err.message(), "no such code");
    vm.call(&c, "upgrade", args![counter]).unwrap();
    assert_eq!(vm.code_hash(&c), Some(counter));
    // The counter's code now, with the count carried over; `close` is gone with the old code.
    assert_eq!(
        vm.call(&c, "increment", args![]).unwrap().decode::<u64>(),
        7
    );
    assert_eq!(
        vm.call(&c, "close", args![admin.clone()])
            .unwrap_err()
            .error,
        QvmError::MethodNotFound
    );
}

#[test]
fn upgradeable_counter_closes_and_pays_out() {
    let mut vm = TestVM::new();
    let admin = vm.create_account(1_000);
    let heir = vm.create_account(0);
    vm.set_caller(admin.clone());
    vm.set_value(100);
    let c = vm.deploy(&example_wasm("upgradeable"), args![0u64]);
    let funds = vm.contract_balance(&c);
    assert!(funds > 100);
    vm.call(&c, "close", args![heir.clone()]).unwrap();
    assert_eq!(vm.balance(&heir), funds);
    assert_eq!(vm.code_hash(&c), None);
    assert_eq!(
        vm.call(&c, "get", args![]).unwrap_err().error,
        QvmError::ContractNotFound
    );
}

#[test]
fn factory_instantiates_tokens_and_hands_over_their_supply() {
    let mut vm = TestVM::new();
    let alice = vm.create_account(1_000);
    vm.set_caller(alice.clone());
    let token_code = vm.upload(&example_wasm("token"));
    // The factory pays each new token's minimum balance.
    vm.set_value(100);
    let factory = vm.deploy(&example_wasm("factory"), args![token_code]);
    let out = vm
        .call(&factory, "create", args!["Apple", "APL", 5_000u128])
        .unwrap();
    let apple = qvm_test::Address(out.decode::<[u8; 32]>());
    let second = vm
        .call(&factory, "create", args!["Berry", "BRY", 7u128])
        .unwrap()
        .decode::<[u8; 32]>();
    assert_ne!(apple.0, second);
    assert_eq!(vm.call_view::<u32>(&factory, "count", args![]), 2);
    assert_eq!(
        vm.call_view::<Option<[u8; 32]>>(&factory, "token", args![0u32]),
        Some(apple.0)
    );
    // A real token, deployed by the factory, whose supply went to the caller.
    assert_eq!(vm.code_hash(&apple), Some(token_code));
    assert_eq!(
        vm.call_view::<u128>(&apple, "balance_of", args![alice.clone()]),
        5_000
    );
    assert_eq!(
        vm.call_view::<u128>(&apple, "balance_of", args![Account::new(factory.0)]),
        0
    );
    assert_eq!(vm.call_view::<String>(&apple, "symbol", args![]), "APL");
    // Indexed by creator and token.
    assert!(vm
        .events()
        .iter()
        .any(|e| e.topic == b"Created" && e.topics[1] == apple.0));
}

#[test]
fn proxy_forwards_to_its_implementation_and_the_admin_repoints_it() {
    let mut vm = TestVM::new();
    let admin = vm.create_account(1_000);
    let user = vm.create_account(1_000);
    vm.set_caller(admin.clone());
    let v1 = vm.deploy(&example_wasm("counter"), args![10u64]);
    let v2 = vm.deploy(&example_wasm("counter"), args![100u64]);
    let proxy = vm.deploy(&example_wasm("proxy"), args![v1.0]);
    vm.set_caller(user.clone());
    let forward = |vm: &mut TestVM, method: &str| -> u64 {
        let raw = vm
            .call(
                &proxy,
                "forward",
                args![method.to_string(), Vec::<u8>::new()],
            )
            .unwrap()
            .decode::<Vec<u8>>();
        codec::Decode::decode(&mut &raw[..]).unwrap()
    };
    assert_eq!(forward(&mut vm, "increment"), 11);
    assert_eq!(vm.call_view::<u64>(&v1, "get", args![]), 11);
    // A method the implementation lacks fails the forward.
    let err = vm
        .call(
            &proxy,
            "forward",
            args!["nope".to_string(), Vec::<u8>::new()],
        )
        .unwrap_err();
    assert_eq!(err.message(), "implementation failed");
    // Only the admin repoints it.
    assert_eq!(
        vm.call(&proxy, "upgrade", args![v2.0])
            .unwrap_err()
            .message(),
        "only the admin"
    );
    vm.set_caller(admin);
    vm.call(&proxy, "upgrade", args![v2.0]).unwrap();
    vm.set_caller(user);
    assert_eq!(forward(&mut vm, "increment"), 101);
    assert_eq!(
        vm.call_view::<[u8; 32]>(&proxy, "implementation", args![]),
        v2.0
    );
}
