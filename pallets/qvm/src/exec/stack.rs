//! The execution stack: one entry point (deploy, instantiate, call, query) from start to its
//! single commit point.
//!
//! A [`Stack`] is built once per entry point and holds what every frame of it shares: the
//! [`ExecConfig`], the schedule and limits (read once), the capabilities the chain allows and
//! the block context. Frames run on it one above the other; today an entry point runs exactly
//! one frame (cross-contract calls will push more, each with its own gas meter, storage
//! transaction and event buffer). Whatever happens, the effects of the entry point are kept
//! or dropped in one place, [`Stack::commit_point`].

use super::{
    cache,
    chain::{self, ChainExt},
    ext::TransferError,
    Entry, ExecContext, ExecError, Prepared,
};
use crate::{
    pallet::{CodeInfoOf, ContractInfoOf, Error, Event, Nonces, Pallet, PristineCode},
    BalanceOf, CodeHash, Config, ContractAddress, ContractInfo, ContractOutcome, ExecReturn,
    TrieId,
};
use alloc::{boxed::Box, vec::Vec};
use codec::Encode;
use core::marker::PhantomData;
use frame_support::{
    storage::{with_transaction, TransactionOutcome},
    traits::{fungible::Inspect, Get, Time},
};
use qvm_primitives::{Capabilities, GasConfig, Limits};
use sp_runtime::{
    traits::{Saturating, UniqueSaturatedInto},
    DispatchError,
};

/// How an entry point runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecConfig {
    /// Keep the effects of a run that succeeds without reverting (else every effect is rolled
    /// back: a dry run).
    pub commit: bool,
    /// The VM refuses every state change (`StateChangeDenied`): queries and view methods.
    pub read_only: bool,
}

impl ExecConfig {
    /// An extrinsic: effects are kept if the run succeeds.
    pub const COMMIT: Self = Self {
        commit: true,
        read_only: false,
    };
    /// A dry run: runs as the extrinsic would, keeps nothing.
    pub const DRY_RUN: Self = Self {
        commit: false,
        read_only: false,
    };
    /// A read-only query: state changes are refused, nothing is kept.
    pub const QUERY: Self = Self {
        commit: false,
        read_only: true,
    };

    /// [`Self::COMMIT`] if `commit`, else [`Self::DRY_RUN`].
    pub fn committing(commit: bool) -> Self {
        if commit {
            Self::COMMIT
        } else {
            Self::DRY_RUN
        }
    }
}

/// One contract execution on the stack.
struct Frame<T: Config> {
    caller: T::AccountId,
    address: ContractAddress,
    /// The contract's account (`Config::AddressMapper` of its address).
    account: T::AccountId,
    /// The value the caller transferred to the contract for this execution.
    value: BalanceOf<T>,
    /// The contract's record, updated by the frame (storage usage) and written back by the
    /// entry point on success.
    info: ContractInfo<T::AccountId>,
    gas_limit: u64,
}

/// What every frame of one entry point shares.
pub struct Stack<T: Config> {
    config: ExecConfig,
    schedule: GasConfig,
    limits: Limits,
    /// What the chain allows contracts to use now.
    allowed: Capabilities,
    block_height: u64,
    timestamp: u64,
    _config: PhantomData<T>,
}

impl<T: Config> Stack<T> {
    /// The stack of one entry point run with `config` (reads the schedule, limits, allowed
    /// capabilities and block context once).
    pub fn new(config: ExecConfig) -> Self {
        Self {
            config,
            schedule: T::Schedule::get(),
            limits: T::Limits::get(),
            allowed: Pallet::<T>::allowed_capabilities(),
            block_height: frame_system::Pallet::<T>::block_number().unique_saturated_into(),
            timestamp: T::Time::now().unique_saturated_into(),
            _config: PhantomData,
        }
    }

    /// The schedule the stack charges.
    pub fn schedule(&self) -> &GasConfig {
        &self.schedule
    }

    /// Uploads (if needed) and instantiates `code`.
    pub fn deploy(
        self,
        deployer: T::AccountId,
        code: Vec<u8>,
        value: BalanceOf<T>,
        input: Vec<u8>,
        gas_limit: u64,
        capabilities: Option<Capabilities>,
    ) -> ContractOutcome<(ContractAddress, ExecReturn)> {
        self.commit_point(
            |r: &(ContractAddress, ExecReturn)| r.1.reverted,
            |s| {
                let code_hash = match Pallet::<T>::store_code(&deployer, code) {
                    Ok(hash) => hash,
                    Err(e) => return ContractOutcome::failed(e),
                };
                s.instantiate_frame(deployer, code_hash, value, input, gas_limit, capabilities)
            },
        )
    }

    /// Instantiates stored code.
    pub fn instantiate(
        self,
        deployer: T::AccountId,
        code_hash: CodeHash,
        value: BalanceOf<T>,
        input: Vec<u8>,
        gas_limit: u64,
        capabilities: Option<Capabilities>,
    ) -> ContractOutcome<(ContractAddress, ExecReturn)> {
        self.commit_point(
            |r: &(ContractAddress, ExecReturn)| r.1.reverted,
            |s| s.instantiate_frame(deployer, code_hash, value, input, gas_limit, capabilities),
        )
    }

    /// Calls `method` of `contract`.
    pub fn call(
        self,
        caller: T::AccountId,
        contract: ContractAddress,
        value: BalanceOf<T>,
        method: &[u8],
        input: Vec<u8>,
        gas_limit: u64,
    ) -> ContractOutcome<ExecReturn> {
        self.commit_point(
            |r: &ExecReturn| r.reverted,
            |s| s.call_frame(caller, contract, value, method, input, gas_limit),
        )
    }

    /// The single commit point: runs `f` in a storage transaction, kept only if the
    /// configuration commits and `f` succeeded without reverting (`reverted` says which).
    fn commit_point<R>(
        &self,
        reverted: impl Fn(&R) -> bool,
        f: impl FnOnce(&Self) -> ContractOutcome<R>,
    ) -> ContractOutcome<R> {
        let commit = self.config.commit && !self.config.read_only;
        let mut outcome = None;
        let res = with_transaction(|| {
            let o = f(self);
            let keep = commit && o.result.as_ref().map(|r| !reverted(r)).unwrap_or(false);
            outcome = Some(o);
            if keep {
                TransactionOutcome::Commit(Ok::<(), DispatchError>(()))
            } else {
                TransactionOutcome::Rollback(Ok(()))
            }
        });
        match (outcome, res) {
            (Some(o), Ok(())) => o,
            // The transaction layer limit was hit: nothing ran.
            (_, Err(e)) => ContractOutcome::failed(e),
            (None, Ok(())) => ContractOutcome::failed(DispatchError::Corruption),
        }
    }

    /// What the host functions of `frame` see.
    fn context(&self, frame: &Frame<T>, input: Vec<u8>) -> ExecContext {
        let mut capabilities = frame.info.capabilities.intersection(self.allowed);
        if self.config.read_only {
            capabilities = capabilities.intersection(Capabilities::READ_ONLY);
        }
        ExecContext {
            capabilities,
            caller: frame.caller.encode(),
            address: frame.address.0,
            block_height: self.block_height,
            timestamp: self.timestamp,
            input,
            value: frame.value.unique_saturated_into(),
            read_only: self.config.read_only,
        }
    }

    /// The code of `code_hash` (`code_len` bytes, from its [`crate::CodeInfo`]) compiled for a
    /// run with `input` and `gas_limit`: from the module cache ([`cache`]), else read and
    /// compiled (and cached). The limits are checked first, hit or miss alike, so a run that
    /// cannot pay for loading the code (gas, and proof size: the code's bytes) never reads it.
    /// An error comes with the gas and proof size it used.
    fn prepare(
        &self,
        code_hash: &CodeHash,
        code_len: u32,
        input: &[u8],
        gas_limit: u64,
    ) -> Result<Prepared, (u64, u64, Error<T>)> {
        if input.len() > self.limits.max_input_len as usize {
            return Err((0, 0, Error::<T>::InputTooLarge));
        }
        let len = u64::from(code_len);
        if gas_limit < self.schedule.load_cost(len, 0, 0) || gas_limit < len {
            return Err((gas_limit, 0, Error::<T>::OutOfGas));
        }
        let mode = super::compilation_mode(T::ExecutionMode::get(), code_len as usize);
        let key = cache::EngineKey::new(self.schedule, self.limits, mode);
        if let Some(hit) = cache::with(|c| c.get(code_hash, &key)).flatten() {
            return Ok(hit);
        }
        let code = PristineCode::<T>::get(code_hash).ok_or((0, 0, Error::<T>::CodeNotFound))?;
        // The code has been read: its bytes are proven whatever happens next.
        let failed = |e: ExecError| (0, len, Error::<T>::from(e));
        let parts = match cache::with(|c| c.engine(&key)) {
            Some(parts) => parts,
            None => cache::EngineParts::new(&key),
        }
        .map_err(|_| failed(ExecError::InvalidModule))?;
        let prepared = super::compile_on(parts, &code, &self.schedule, super::CodeSource::Stored)
            .map_err(failed)?;
        cache::with(|c| c.insert(*code_hash, &key, prepared.clone()));
        Ok(prepared)
    }

    /// Runs `entry` of the code in `frame`; applies its storage usage and events on success.
    fn run(
        &self,
        frame: &mut Frame<T>,
        entry: Entry<'_>,
        input: Vec<u8>,
    ) -> ContractOutcome<ExecReturn> {
        let prepared = match self.prepare(
            &frame.info.code_hash,
            frame.info.code_len,
            &input,
            frame.gas_limit,
        ) {
            Ok(p) => p,
            Err((gas_used, proof_size, e)) => {
                return ContractOutcome {
                    gas_used,
                    proof_size,
                    ..ContractOutcome::failed(e)
                }
            }
        };
        let ctx = self.context(frame, input);
        let outcome = super::execute(
            &prepared,
            &self.schedule,
            &self.limits,
            ctx,
            Box::new(ChainExt::<T>::new(
                &frame.info.trie_id,
                frame.account.clone(),
            )),
            entry,
            frame.gas_limit,
        );
        let gas_used = outcome.gas_used;
        let result = match outcome.result {
            Err(e) => Err(Error::<T>::from(e).into()),
            Ok(s) => {
                if !s.reverted {
                    let info = &mut frame.info;
                    info.storage_items =
                        apply_delta(u64::from(info.storage_items), s.storage_delta.items)
                            .min(u64::from(u32::MAX)) as u32;
                    info.storage_bytes = apply_delta(info.storage_bytes, s.storage_delta.bytes);
                    for ev in &s.events {
                        Pallet::<T>::deposit_event(Event::ContractEmitted {
                            contract: frame.address,
                            topic: ev.topic.clone(),
                            data: ev.data.clone(),
                        });
                    }
                }
                Ok(ExecReturn {
                    output: s.output,
                    reverted: s.reverted,
                    gas_used,
                    events: s.events,
                })
            }
        };
        ContractOutcome {
            gas_used,
            proof_size: outcome.proof_size,
            result,
        }
    }

    /// A new contract of `code_hash` by `deployer`, its constructor run with `input`.
    fn instantiate_frame(
        &self,
        deployer: T::AccountId,
        code_hash: CodeHash,
        value: BalanceOf<T>,
        input: Vec<u8>,
        gas_limit: u64,
        capabilities: Option<Capabilities>,
    ) -> ContractOutcome<(ContractAddress, ExecReturn)> {
        let fail = ContractOutcome::failed;
        let Some(mut code_info) = CodeInfoOf::<T>::get(code_hash) else {
            return fail(Error::<T>::CodeNotFound);
        };
        let capabilities = match Pallet::<T>::grant(code_info.capabilities, capabilities) {
            Ok(grant) => grant,
            Err(e) => return fail(e),
        };
        let nonce = Nonces::<T>::get(&deployer);
        let Some(next) = nonce.checked_add(1) else {
            return fail(Error::<T>::NonceOverflow);
        };
        let address = crate::address::contract_address(&deployer, nonce);
        if ContractInfoOf::<T>::contains_key(address) {
            return fail(Error::<T>::ContractAlreadyExists);
        }
        let Ok(trie_id) = TrieId::try_from(crate::address::trie_id(&address)) else {
            return fail(Error::<T>::ContractAlreadyExists);
        };
        let account = Pallet::<T>::account_of(&address);
        // The new account gets the minimum balance besides the value, so it exists (and stays)
        // whatever the constructor does with the value.
        let endowment = T::Currency::minimum_balance().saturating_add(value);
        if let Err(e) = chain::transfer::<T>(&deployer, &account, endowment) {
            return fail(transfer_error(e));
        }
        let mut frame = Frame::<T> {
            caller: deployer.clone(),
            address,
            account,
            value,
            info: ContractInfo {
                code_hash,
                code_len: code_info.code_len,
                trie_id,
                deployer: deployer.clone(),
                storage_items: 0,
                storage_bytes: 0,
                capabilities,
            },
            gas_limit,
        };
        let outcome = self.run(&mut frame, Entry::Constructor, input);
        let gas_used = outcome.gas_used;
        let result = outcome.result.map(|r| {
            if !r.reverted {
                Nonces::<T>::insert(&deployer, next);
                code_info.refcount = code_info.refcount.saturating_add(1);
                CodeInfoOf::<T>::insert(code_hash, code_info);
                ContractInfoOf::<T>::insert(address, frame.info);
                Pallet::<T>::deposit_event(Event::Deployed {
                    deployer,
                    contract: address,
                    code_hash,
                    gas_used,
                    capabilities,
                });
            }
            (address, r)
        });
        ContractOutcome {
            gas_used,
            proof_size: outcome.proof_size,
            result,
        }
    }

    /// `method` of `contract`, called by `caller` with `input`.
    fn call_frame(
        &self,
        caller: T::AccountId,
        contract: ContractAddress,
        value: BalanceOf<T>,
        method: &[u8],
        input: Vec<u8>,
        gas_limit: u64,
    ) -> ContractOutcome<ExecReturn> {
        let fail = |e: Error<T>| ContractOutcome::failed(e);
        let Some(info) = ContractInfoOf::<T>::get(contract) else {
            return fail(Error::<T>::ContractNotFound);
        };
        let Ok(method) = core::str::from_utf8(method) else {
            return fail(Error::<T>::MethodNotFound);
        };
        let account = Pallet::<T>::account_of(&contract);
        if let Err(e) = chain::transfer::<T>(&caller, &account, value) {
            return fail(transfer_error(e));
        }
        let mut frame = Frame::<T> {
            caller,
            address: contract,
            account,
            value,
            info,
            gas_limit,
        };
        let usage = (frame.info.storage_items, frame.info.storage_bytes);
        let outcome = self.run(&mut frame, Entry::Method(method), input);
        if let Ok(r) = &outcome.result {
            if !r.reverted {
                // Only the storage usage changes in a call: rewrite the record only then.
                if (frame.info.storage_items, frame.info.storage_bytes) != usage {
                    ContractInfoOf::<T>::insert(contract, &frame.info);
                }
                Pallet::<T>::deposit_event(Event::Called {
                    caller: frame.caller,
                    contract,
                    gas_used: outcome.gas_used,
                });
            }
        }
        outcome
    }
}

/// The pallet error of a value transfer that moved nothing.
fn transfer_error<T: Config>(e: TransferError) -> Error<T> {
    match e {
        TransferError::InsufficientBalance => Error::<T>::InsufficientBalance,
        TransferError::BelowMinimumBalance => Error::<T>::BelowMinimumBalance,
        TransferError::InvalidAccount => Error::<T>::InvalidAccount,
    }
}

fn apply_delta(value: u64, delta: i64) -> u64 {
    if delta >= 0 {
        value.saturating_add(delta as u64)
    } else {
        value.saturating_sub(delta.unsigned_abs())
    }
}
