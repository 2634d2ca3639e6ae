//! The host functions against the in-memory `Ext` (`exec::ext::MemoryStorage`), without
//! externalities: the same results, gas, proof size and storage accounting as against the
//! chain's contract storage.

use super::*;
use crate::exec::{self, ext::MemoryStorage, Entry, ExecContext, ExecOutcome};
use qvm_primitives::{ExecutionMode, GasConfig, Limits};

/// A call sequence over every host function of the fixture, storage-changing ones included.
const CALLS: [(&str, &[u8]); 12] = [
    ("get", b"init"),
    ("set", b"\x03keyvalue"),
    ("get", b"key"),
    ("size", b"key"),
    ("set", b"\x03keyother value"),
    ("remove", b"key"),
    ("remove", b"key"),
    ("hash", b"abcdef"),
    ("echo", b"xyz"),
    ("emit", b"\x02tpdata"),
    ("revert_with", b"why"),
    ("set_then_trap", b"\x01kv"),
];

fn ctx(input: &[u8]) -> ExecContext {
    ExecContext {
        caller: vec![1; 32],
        address: [7; 32],
        block_height: 1,
        timestamp: 0,
        input: input.to_vec(),
        value: 0,
        read_only: false,
        capabilities: Capabilities::ALL,
    }
}

/// Runs the constructor (input "seed") and then `CALLS` against `storage()`, the code
/// compiled as uploaded code is (validated).
fn run_all(storage: impl Fn() -> Box<dyn exec::ext::Ext>) -> Vec<ExecOutcome> {
    run_all_from(exec::CodeSource::Untrusted, storage)
}

/// [`run_all`] with the code compiled as code from `source` is.
fn run_all_from(
    source: exec::CodeSource,
    storage: impl Fn() -> Box<dyn exec::ext::Ext>,
) -> Vec<ExecOutcome> {
    let (s, l) = (GasConfig::default(), Limits::default());
    let key = exec::cache::EngineKey::new(s, l, wasmi::CompilationMode::LazyTranslation);
    let parts = exec::cache::EngineParts::new(&key).unwrap();
    let p = exec::compile_on(parts, &host_code(), &s, source, u64::MAX).unwrap();
    let mut out = vec![exec::execute(
        &p,
        &s,
        &l,
        ctx(b"seed"),
        storage(),
        Entry::Constructor,
        GAS,
    )];
    for (method, input) in CALLS {
        out.push(exec::execute(
            &p,
            &s,
            &l,
            ctx(input),
            storage(),
            Entry::Method(method),
            GAS,
        ));
    }
    out
}

#[test]
fn host_functions_run_without_externalities_as_on_the_chain() {
    let memory = MemoryStorage::default();
    let in_memory = run_all(|| Box::new(memory.clone()));
    // No externalities were needed, and the writes landed.
    assert_eq!(memory.get(b"init"), Some(b"seed".to_vec()));
    assert_eq!(memory.get(b"key"), None, "removed");
    assert!(
        memory.get(b"k").is_some(),
        "a trap's write stays in the backend (the stack rolls back)"
    );
    let on_chain = new_test_ext().execute_with(|| {
        let trie = crate::address::trie_id(&ContractAddress([7; 32]));
        let account = sp_runtime::AccountId32::new([7; 32]);
        run_all(|| {
            Box::new(crate::exec::chain::ChainExt::<crate::mock::Test>::new(
                &trie,
                account.clone(),
            ))
        })
    });
    assert_eq!(in_memory, on_chain);
    // And the sequence did what it says: a read of the constructor's write, a revert, a trap.
    // (`get` returns the value's length, then the value.)
    assert_eq!(
        in_memory[1].result.as_ref().unwrap().output,
        b"\x04\0\0\0seed".to_vec()
    );
    assert!(in_memory[11].result.as_ref().unwrap().reverted);
    assert!(in_memory[12].result.is_err());
}

/// `pay` input of the host fixture: the recipient, then the amount.
fn pay(to: [u8; 32], amount: u128) -> Vec<u8> {
    let mut input = to.to_vec();
    input.extend_from_slice(&amount.to_le_bytes());
    input
}

#[test]
fn value_host_functions_run_without_externalities_as_on_the_chain() {
    const OWN: [u8; 32] = [7; 32];
    const MINIMUM: u64 = 10;
    // The contract holds 110 (100 to spend); BOB exists on the chain, [9; 32] nowhere.
    let calls: Vec<(&str, Vec<u8>)> = vec![
        ("balance", vec![]),
        ("minimum", vec![]),
        ("pay", pay([2; 32], 60)),
        ("pay", pay([2; 32], 41)),
        ("pay", pay([9; 32], 9)),
        ("pay", pay([9; 32], 0)),
        ("pay", pay([9; 32], 10)),
        ("balance", vec![]),
        ("pay_raw", vec![31]),
    ];
    let run = |ext: &dyn Fn() -> Box<dyn exec::ext::Ext>| {
        let (s, l) = (GasConfig::default(), Limits::default());
        let p = exec::compile(&host_code(), &s, &l, ExecutionMode::Interpreter).unwrap();
        calls
            .iter()
            .map(|(m, input)| {
                let out = exec::execute(&p, &s, &l, ctx(input), ext(), Entry::Method(m), GAS);
                (out.gas_used, out.proof_size, out.result.map(|r| r.output))
            })
            .collect::<Vec<_>>()
    };
    let memory = MemoryStorage::with_balance(&OWN, 110, u128::from(MINIMUM));
    let in_memory = run(&|| Box::new(memory.clone()));
    let on_chain = new_test_ext().execute_with(|| {
        use frame_support::traits::fungible::Mutate;
        ExistentialDeposit::set(MINIMUM);
        let account = AccountId32::new(OWN);
        Balances::set_balance(&account, 110);
        let trie = crate::address::trie_id(&ContractAddress(OWN));
        run(&|| Box::new(exec::chain::ChainExt::<Test>::new(&trie, account.clone())))
    });
    assert_eq!(in_memory, on_chain);
    let code = |i: usize| out_i32(in_memory[i].2.as_ref().unwrap());
    let amount =
        |i: usize| u128::from_le_bytes(in_memory[i].2.clone().unwrap().try_into().unwrap());
    assert_eq!((amount(0), amount(1)), (100, 10));
    assert_eq!(code(2), 0);
    assert_eq!(
        code(3),
        qvm_primitives::abi::ReturnCode::InsufficientBalance.as_i32()
    );
    assert_eq!(
        code(4),
        qvm_primitives::abi::ReturnCode::BelowMinimumBalance.as_i32()
    );
    assert_eq!((code(5), code(6)), (0, 0));
    assert_eq!(amount(7), 30);
    assert_eq!(memory.balance_of(&[9; 32]), 10);
    assert!(
        in_memory[8].2.is_err(),
        "a 31-byte account is InvalidAccount"
    );
}

#[test]
fn stored_code_compiled_unvalidated_runs_as_validated_code() {
    let run = |source| {
        let memory = MemoryStorage::default();
        run_all_from(source, || Box::new(memory.clone()))
    };
    assert_eq!(
        run(exec::CodeSource::Stored),
        run(exec::CodeSource::Untrusted)
    );
}
