//! The execution stack: one entry point (deploy, instantiate, call, query) from start to its
//! single commit point.
//!
//! A [`Stack`] is built once per entry point and holds what every frame of it shares: the
//! [`ExecConfig`], the schedule and limits (read once), the capabilities the chain allows, the
//! block context and the contracts on the call stack. The entry point runs one frame; each
//! `qnet_call` or `qnet_instantiate` of a running contract pushes another above it (see
//! [`super::nested`]) with its own gas and proof budget (taken from what its caller has left,
//! the rest given back), its own storage transaction (a callee that fails or reverts rolls
//! back only itself: its value transfer, storage, events and records) and its own output.
//! Whatever happens, the effects of the entry point are kept or dropped in one place,
//! [`Stack::commit_point`].
//!
//! Rules: at most `Limits::max_call_depth` frames; a contract already on the stack may be
//! called again only if every frame of it that is waiting allowed re-entry
//! (`CALL_FLAG_ALLOW_REENTRY` on the call it is waiting on); a contract under construction has
//! no record yet, so it cannot be called; a read-only frame's callees are read-only.

use super::{
    cache,
    chain::{self, ChainExt},
    ext::TransferError,
    nested::{Nested, Request, Response},
    Budget, Entry, ExecContext, ExecError, Prepared,
};
use crate::{
    deposit::{self, Charge},
    pallet::{CodeInfoOf, ContractInfoOf, Error, Event, Nonces, Pallet, PristineCode},
    storage::StorageDelta,
    BalanceOf, CodeHash, Config, ContractAddress, ContractInfo, ContractOutcome, ExecReturn,
    TrieId,
};
use alloc::{boxed::Box, vec::Vec};
use codec::{Decode, Encode};
use core::marker::PhantomData;
use frame_support::{
    storage::{with_transaction, TransactionOutcome},
    traits::{fungible::Inspect, Get, Time},
};
use qvm_primitives::{Capabilities, GasConfig, Limits, ReturnCode, StorageDeposit};
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
    /// The most storage deposit the origin lets the entry point charge it, net of refunds
    /// (`None`: no limit but the origin's balance).
    pub deposit_limit: Option<u128>,
}

impl ExecConfig {
    /// An extrinsic: effects are kept if the run succeeds.
    pub const COMMIT: Self = Self {
        commit: true,
        read_only: false,
        deposit_limit: None,
    };
    /// A dry run: runs as the extrinsic would, keeps nothing.
    pub const DRY_RUN: Self = Self {
        commit: false,
        read_only: false,
        deposit_limit: None,
    };
    /// A read-only query: state changes are refused, nothing is kept.
    pub const QUERY: Self = Self {
        commit: false,
        read_only: true,
        deposit_limit: None,
    };

    /// This configuration with a storage deposit limit.
    pub fn with_deposit_limit(self, limit: Option<u128>) -> Self {
        Self {
            deposit_limit: limit,
            ..self
        }
    }

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
    /// The contract's record as the frame started (its storage usage change is applied to
    /// the stored record when the frame succeeds).
    info: ContractInfo<T::AccountId>,
    budget: Budget,
    /// State changes are refused (a query, or a read-only call).
    read_only: bool,
}

/// A contract on the call stack, as the rules for the next call see it.
struct OnStack {
    address: ContractAddress,
    /// The call this frame is waiting on allowed re-entry.
    allows_reentry: bool,
}

/// What a frame that succeeded asks of its contract's record.
#[derive(Default)]
struct Effects {
    /// Its storage usage change.
    delta: StorageDelta,
    /// Its new code (`qnet_set_code_hash`).
    new_code: Option<CodeHash>,
    /// The encoded beneficiary of its removal (`qnet_terminate`).
    terminate: Option<Vec<u8>>,
}

/// Why a frame did not run (nothing happened; no gas used).
type Refusal<T> = Error<T>;

/// What every frame of one entry point shares.
pub struct Stack<T: Config> {
    config: ExecConfig,
    schedule: GasConfig,
    limits: Limits,
    /// What the chain allows contracts to use now.
    allowed: Capabilities,
    block_height: u64,
    timestamp: u64,
    /// The contracts executing, outermost first.
    frames: Vec<OnStack>,
    /// Storage deposit charges of the frames that succeeded, one buffer per running frame
    /// (the first for the entry point): a frame's buffer joins its caller's when it succeeds
    /// and is dropped when it fails.
    charges: Vec<Vec<Charge<T>>>,
    /// Deposit already held from the origin outside the charges (a new code's).
    held_outside: u128,
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
            frames: Vec::new(),
            charges: alloc::vec![Vec::new()],
            held_outside: 0,
            _config: PhantomData,
        }
    }

    /// The schedule the stack charges.
    pub fn schedule(&self) -> &GasConfig {
        &self.schedule
    }

    /// Uploads (if needed) and instantiates `code`.
    pub fn deploy(
        mut self,
        deployer: T::AccountId,
        code: Vec<u8>,
        value: BalanceOf<T>,
        input: Vec<u8>,
        gas_limit: u64,
        capabilities: Option<Capabilities>,
    ) -> ContractOutcome<(ContractAddress, ExecReturn)> {
        let origin = deployer.clone();
        self.commit_point(
            &origin,
            |r: &(ContractAddress, ExecReturn)| r.1.reverted,
            |s| {
                let fresh = !CodeInfoOf::<T>::contains_key(sp_io::hashing::blake2_256(&code));
                let code_hash = match Pallet::<T>::store_code(&deployer, code) {
                    Ok(hash) => hash,
                    Err(e) => return ContractOutcome::failed(e),
                };
                if fresh {
                    s.held_outside = CodeInfoOf::<T>::get(code_hash)
                        .map_or(0, |info| info.deposit.unique_saturated_into());
                }
                s.instantiate_entry(deployer, code_hash, value, input, gas_limit, capabilities)
            },
        )
    }

    /// Instantiates stored code.
    pub fn instantiate(
        mut self,
        deployer: T::AccountId,
        code_hash: CodeHash,
        value: BalanceOf<T>,
        input: Vec<u8>,
        gas_limit: u64,
        capabilities: Option<Capabilities>,
    ) -> ContractOutcome<(ContractAddress, ExecReturn)> {
        let origin = deployer.clone();
        self.commit_point(
            &origin,
            |r: &(ContractAddress, ExecReturn)| r.1.reverted,
            |s| s.instantiate_entry(deployer, code_hash, value, input, gas_limit, capabilities),
        )
    }

    /// Calls `method` of `contract`.
    pub fn call(
        mut self,
        caller: T::AccountId,
        contract: ContractAddress,
        value: BalanceOf<T>,
        method: &[u8],
        input: Vec<u8>,
        gas_limit: u64,
    ) -> ContractOutcome<ExecReturn> {
        let read_only = self.config.read_only;
        let origin = caller.clone();
        self.commit_point(
            &origin,
            |r: &ExecReturn| r.reverted,
            |s| {
                let budget = Budget::of_gas(gas_limit);
                s.call_frame(caller, contract, value, method, input, budget, read_only)
                    .unwrap_or_else(ContractOutcome::failed)
            },
        )
    }

    /// The single commit point: runs `f` in a storage transaction, settles the storage
    /// deposits of a run that succeeded without reverting (`reverted` says which) against
    /// `origin`, and keeps it all only if the configuration commits and both succeeded.
    fn commit_point<R>(
        &mut self,
        origin: &T::AccountId,
        reverted: impl Fn(&R) -> bool,
        f: impl FnOnce(&mut Self) -> ContractOutcome<R>,
    ) -> ContractOutcome<R> {
        let commit = self.config.commit && !self.config.read_only;
        let outcome = in_transaction(|| {
            let mut o = f(self);
            if o.result.as_ref().is_ok_and(|r| !reverted(r)) {
                let charges = self.charges.pop().unwrap_or_default();
                let held = self.held_outside;
                let (deposit, settled) = match self.config.deposit_limit {
                    // A new code's deposit alone is over the limit.
                    Some(limit) if held > limit => (
                        StorageDeposit::default(),
                        Err(Error::<T>::StorageDepositLimitExhausted),
                    ),
                    limit => deposit::settle::<T>(origin, charges, limit.map(|l| l - held)),
                };
                o.storage_deposit = add_held(deposit, self.held_outside);
                if let Err(e) = settled {
                    o.result = Err(e.into());
                }
            }
            let keep = commit && o.result.as_ref().is_ok_and(|r| !reverted(r));
            (o, keep)
        });
        match outcome {
            Ok(o) => o,
            // The transaction layer limit was hit: nothing ran.
            Err(e) => ContractOutcome::failed(e),
        }
    }

    /// What the host functions of `frame` see.
    fn context(&self, frame: &Frame<T>, input: Vec<u8>) -> ExecContext {
        let mut capabilities = frame.info.capabilities.intersection(self.allowed);
        if frame.read_only {
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
            read_only: frame.read_only,
        }
    }

    /// The code of `code_hash` (`code_len` bytes, from its [`crate::CodeInfo`]) compiled for a
    /// run with `input` and `budget`: from the module cache ([`cache`]), else read and
    /// compiled (and cached). The limits are checked first, hit or miss alike, so a run that
    /// cannot pay for loading the code (gas, and proof size: the code's bytes) never reads it.
    /// An error comes with the gas and proof size it used.
    fn prepare(
        &self,
        code_hash: &CodeHash,
        code_len: u32,
        input: &[u8],
        budget: Budget,
    ) -> Result<Prepared, (u64, u64, Error<T>)> {
        if input.len() > self.limits.max_input_len as usize {
            return Err((0, 0, Error::<T>::InputTooLarge));
        }
        let len = u64::from(code_len);
        if budget.gas < self.schedule.least_load_cost(len) || budget.proof < len {
            return Err((budget.gas, 0, Error::<T>::OutOfGas));
        }
        // Executions translate lazily whatever `Config::ExecutionMode` says: translation is
        // charged per function on first entry (`exec::instrument`), which is what lazy
        // translation costs; an eager one would translate functions nobody paid for.
        let key = cache::EngineKey::new(
            self.schedule,
            self.limits,
            wasmi::CompilationMode::LazyTranslation,
        );
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
        let prepared = super::compile_on(
            parts,
            &code,
            &self.schedule,
            super::CodeSource::Stored,
            budget.gas,
        )
        // As a cache hit whose load the budget cannot pay ends (`exec::execute`).
        .map_err(|e| match e {
            ExecError::OutOfGas => (budget.gas, budget.proof, Error::<T>::OutOfGas),
            e => failed(e),
        })?;
        cache::with(|c| c.insert(*code_hash, &key, prepared.clone()));
        Ok(prepared)
    }

    /// Runs `entry` of the code in `frame` (on top of the stack; the calls it makes push the
    /// frames above it); deposits its events on success. Its storage usage change comes back
    /// with the outcome, for the frame's owner to apply (and to [`Self::keep_charges`]); the
    /// deposit charges of the frames it called wait in its buffer.
    fn run(
        &mut self,
        frame: &Frame<T>,
        entry: Entry<'_>,
        input: Vec<u8>,
    ) -> (ContractOutcome<ExecReturn>, Effects) {
        self.charges.push(Vec::new());
        let (outcome, effects) = self.run_code(frame, entry, input);
        if !outcome.result.as_ref().is_ok_and(|r| !r.reverted) {
            // Failed or reverted: the charges of its callees go with their other effects.
            self.charges.pop();
        }
        (outcome, effects)
    }

    /// A frame that succeeded: its own storage change of `contract` (and `fixed` items and
    /// bytes) and its callees' charges join its caller's buffer.
    fn keep_charges(
        &mut self,
        contract: ContractAddress,
        account: T::AccountId,
        delta: StorageDelta,
        fixed: (u64, u64),
    ) {
        let mut mine = self.charges.pop().unwrap_or_default();
        mine.push(Charge {
            contract,
            account,
            delta,
            fixed,
        });
        match self.charges.last_mut() {
            Some(caller) => caller.append(&mut mine),
            None => self.charges.push(mine),
        }
    }

    /// [`Self::run`] without the charge buffers.
    fn run_code(
        &mut self,
        frame: &Frame<T>,
        entry: Entry<'_>,
        input: Vec<u8>,
    ) -> (ContractOutcome<ExecReturn>, Effects) {
        let prepared = match self.prepare(
            &frame.info.code_hash,
            frame.info.code_len,
            &input,
            frame.budget,
        ) {
            Ok(p) => p,
            Err((gas_used, proof_size, e)) => {
                let outcome = ContractOutcome {
                    gas_used,
                    proof_size,
                    ..ContractOutcome::failed(e)
                };
                return (outcome, Effects::default());
            }
        };
        let ctx = self.context(frame, input);
        let (schedule, limits) = (self.schedule, self.limits);
        let capabilities = frame.info.capabilities.intersection(self.allowed);
        let ext = Box::new(ChainExt::<T>::new(
            &frame.info.trie_id,
            frame.account.clone(),
        ));
        self.frames.push(OnStack {
            address: frame.address,
            allows_reentry: false,
        });
        let mut calls = FrameCalls {
            stack: self,
            account: &frame.account,
            capabilities,
        };
        let outcome = super::execute_frame(
            &prepared,
            &schedule,
            &limits,
            ctx,
            ext,
            entry,
            frame.budget,
            &mut calls,
        );
        self.frames.pop();
        let gas_used = outcome.gas_used;
        let mut effects = Effects::default();
        let result = match outcome.result {
            Err(e) => Err(Error::<T>::from(e).into()),
            Ok(s) => {
                if !s.reverted {
                    effects = Effects {
                        delta: s.storage_delta,
                        new_code: s.new_code,
                        terminate: s.terminate,
                    };
                    for ev in &s.events {
                        Pallet::<T>::deposit_contract_event(frame.address, ev);
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
        let outcome = ContractOutcome {
            gas_used,
            proof_size: outcome.proof_size,
            storage_deposit: StorageDeposit::default(),
            result,
        };
        (outcome, effects)
    }

    /// The entry point's instantiation: `capabilities` asked by the deployer.
    fn instantiate_entry(
        &mut self,
        deployer: T::AccountId,
        code_hash: CodeHash,
        value: BalanceOf<T>,
        input: Vec<u8>,
        gas_limit: u64,
        capabilities: Option<Capabilities>,
    ) -> ContractOutcome<(ContractAddress, ExecReturn)> {
        let budget = Budget::of_gas(gas_limit);
        let read_only = self.config.read_only;
        self.instantiate_frame(
            deployer,
            code_hash,
            value,
            input,
            budget,
            read_only,
            |code| Pallet::<T>::grant(code, capabilities),
        )
        .unwrap_or_else(ContractOutcome::failed)
    }

    /// A new contract of `code_hash` by `deployer`, its constructor run with `input`; `grant`
    /// decides its capabilities from what the code requires.
    #[allow(clippy::too_many_arguments)]
    fn instantiate_frame(
        &mut self,
        deployer: T::AccountId,
        code_hash: CodeHash,
        value: BalanceOf<T>,
        input: Vec<u8>,
        budget: Budget,
        read_only: bool,
        grant: impl FnOnce(Capabilities) -> Result<Capabilities, Error<T>>,
    ) -> Result<ContractOutcome<(ContractAddress, ExecReturn)>, Refusal<T>> {
        let mut code_info = CodeInfoOf::<T>::get(code_hash).ok_or(Error::<T>::CodeNotFound)?;
        let capabilities = grant(code_info.capabilities)?;
        let nonce = Nonces::<T>::get(&deployer);
        let next = nonce.checked_add(1).ok_or(Error::<T>::NonceOverflow)?;
        let address = crate::address::contract_address(&deployer, nonce);
        if ContractInfoOf::<T>::contains_key(address) {
            return Err(Error::<T>::ContractAlreadyExists);
        }
        let trie_id = TrieId::try_from(crate::address::trie_id(&address))
            .map_err(|_| Error::<T>::ContractAlreadyExists)?;
        let account = Pallet::<T>::account_of(&address);
        // The new account gets the minimum balance besides the value, so it exists (and stays)
        // whatever the constructor does with the value.
        let endowment = T::Currency::minimum_balance().saturating_add(value);
        chain::transfer::<T>(&deployer, &account, endowment).map_err(transfer_error::<T>)?;
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
            budget,
            read_only,
        };
        let (outcome, effects) = self.run(&frame, Entry::Constructor, input);
        let gas_used = outcome.gas_used;
        let mut result = outcome.result;
        if result.as_ref().is_ok_and(|r| !r.reverted) {
            if effects.terminate.is_some() {
                self.charges.pop();
                result = Err(Error::<T>::TerminatedInConstructor.into());
            } else {
                Nonces::<T>::insert(&deployer, next);
                code_info.refcount = code_info.refcount.saturating_add(1);
                CodeInfoOf::<T>::insert(code_hash, code_info);
                apply_delta(&mut frame.info, effects.delta);
                if let Some(new) = effects.new_code {
                    switch_code::<T>(address, &mut frame.info, new);
                }
                ContractInfoOf::<T>::insert(address, frame.info.clone());
                let record = (1, deposit::record_bytes::<T>());
                self.keep_charges(address, frame.account.clone(), effects.delta, record);
                Pallet::<T>::deposit_event(Event::Deployed {
                    deployer,
                    contract: address,
                    code_hash,
                    gas_used,
                    capabilities,
                });
            }
        }
        Ok(ContractOutcome {
            gas_used,
            proof_size: outcome.proof_size,
            storage_deposit: StorageDeposit::default(),
            result: result.map(|r| (address, r)),
        })
    }

    /// `method` of `contract`, called by `caller` with `input`.
    #[allow(clippy::too_many_arguments)]
    fn call_frame(
        &mut self,
        caller: T::AccountId,
        contract: ContractAddress,
        value: BalanceOf<T>,
        method: &[u8],
        input: Vec<u8>,
        budget: Budget,
        read_only: bool,
    ) -> Result<ContractOutcome<ExecReturn>, Refusal<T>> {
        let info = ContractInfoOf::<T>::get(contract).ok_or(Error::<T>::ContractNotFound)?;
        let method = core::str::from_utf8(method).map_err(|_| Error::<T>::MethodNotFound)?;
        let account = Pallet::<T>::account_of(&contract);
        chain::transfer::<T>(&caller, &account, value).map_err(transfer_error::<T>)?;
        let frame = Frame::<T> {
            caller,
            address: contract,
            account,
            value,
            info,
            budget,
            read_only,
        };
        let (mut outcome, effects) = self.run(&frame, Entry::Method(method), input);
        if !outcome.result.as_ref().is_ok_and(|r| !r.reverted) {
            return Ok(outcome);
        }
        if effects.delta != StorageDelta::default() || effects.new_code.is_some() {
            // Applied to the record as stored now: a re-entrant call of the same contract may
            // have changed it since this frame read it.
            ContractInfoOf::<T>::mutate(contract, |info| {
                if let Some(info) = info {
                    apply_delta(info, effects.delta);
                    if let Some(new) = effects.new_code {
                        switch_code::<T>(contract, info, new);
                    }
                }
            });
        }
        if let Some(beneficiary) = &effects.terminate {
            if let Err(e) = self.terminate(contract, &frame.account, beneficiary) {
                self.charges.pop();
                outcome.result = Err(e.into());
                return Ok(outcome);
            }
        }
        self.keep_charges(contract, frame.account, effects.delta, (0, 0));
        Pallet::<T>::deposit_event(Event::Called {
            caller: frame.caller,
            contract,
            gas_used: outcome.gas_used,
        });
        Ok(outcome)
    }

    /// Removes `contract` (whose account is `account`) at the end of its frame: its record,
    /// a reference to its code, its funds and storage deposit (to the account `beneficiary`
    /// encodes); its storage goes to the deletion queue.
    fn terminate(
        &self,
        contract: ContractAddress,
        account: &T::AccountId,
        beneficiary: &[u8],
    ) -> Result<(), Error<T>> {
        if self.frames.iter().any(|f| f.address == contract) {
            return Err(Error::<T>::TerminatedWhileReentrant);
        }
        let mut input = beneficiary;
        let to = T::AccountId::decode(&mut input).map_err(|_| Error::<T>::InvalidAccount)?;
        if !input.is_empty() || to == *account {
            return Err(Error::<T>::InvalidAccount);
        }
        let info = ContractInfoOf::<T>::take(contract).ok_or(Error::<T>::ContractNotFound)?;
        release_code_ref::<T>(&info.code_hash);
        deposit::release_contract::<T>(account);
        chain::transfer_all::<T>(account, &to).map_err(transfer_error::<T>)?;
        crate::deletion::queue::<T>(info.trie_id);
        Pallet::<T>::deposit_event(Event::Terminated {
            contract,
            beneficiary: to,
        });
        Ok(())
    }

    /// Serves `request` of the contract whose account is `account` (its frame is on top of the
    /// stack): the rules of the module docs, then the callee's frame in its own transaction.
    fn nested(
        &mut self,
        account: &T::AccountId,
        capabilities: Capabilities,
        request: Request,
        budget: Budget,
    ) -> Response {
        if self.frames.len() >= self.limits.max_call_depth as usize {
            return Response::refused(ReturnCode::CallDepthExceeded);
        }
        let Ok(value) = BalanceOf::<T>::try_from(request_value(&request)) else {
            return Response::refused(ReturnCode::InsufficientBalance);
        };
        let caller = account.clone();
        match request {
            Request::Call {
                callee,
                method,
                input,
                allow_reentry,
                read_only,
                ..
            } => {
                let callee = ContractAddress(callee);
                // The caller's own frame is waiting on this call: its flag counts too.
                self.set_reentry(allow_reentry);
                let response = if self
                    .frames
                    .iter()
                    .any(|f| f.address == callee && !f.allows_reentry)
                {
                    Response::refused(ReturnCode::ReentranceDenied)
                } else {
                    self.in_frame_transaction(|s| {
                        s.call_frame(caller, callee, value, &method, input, budget, read_only)
                            .map(|o| (o, None))
                    })
                };
                self.set_reentry(false);
                response
            }
            Request::Instantiate {
                code_hash, input, ..
            } => self.in_frame_transaction(|s| {
                let grant = |required: Capabilities| {
                    // A contract creates contracts with no more power than it has.
                    if capabilities.includes(required) {
                        Pallet::<T>::grant(required, None)
                    } else {
                        Err(Error::<T>::CodeNotFound)
                    }
                };
                let outcome =
                    s.instantiate_frame(caller, code_hash, value, input, budget, false, grant)?;
                let ContractOutcome {
                    gas_used,
                    proof_size,
                    result,
                    ..
                } = outcome;
                let (result, address) = match result {
                    Ok((address, r)) => (Ok(r), Some(address.0)),
                    Err(e) => (Err(e), None),
                };
                let outcome = ContractOutcome {
                    gas_used,
                    proof_size,
                    storage_deposit: StorageDeposit::default(),
                    result,
                };
                Ok((outcome, address))
            }),
        }
    }

    /// Marks whether the frame on top of the stack allows re-entry for the call it makes.
    fn set_reentry(&mut self, allows: bool) {
        if let Some(top) = self.frames.last_mut() {
            top.allows_reentry = allows;
        }
    }

    /// Runs a nested frame in its own storage transaction, kept if it returned: the response
    /// its caller sees.
    fn in_frame_transaction(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<(ContractOutcome<ExecReturn>, Option<[u8; 32]>), Refusal<T>>,
    ) -> Response {
        let response = in_transaction(|| {
            let response = match f(self) {
                Err(refusal) => Response::refused(refusal_code(refusal)),
                Ok((outcome, address)) => response_of(outcome, address),
            };
            let keep = response.code.is_none();
            (response, keep)
        });
        response.unwrap_or_else(|_| Response::refused(ReturnCode::CallDepthExceeded))
    }
}

/// `deposit` with `held` more charged (held outside the settlement).
fn add_held(deposit: StorageDeposit, held: u128) -> StorageDeposit {
    let net = deposit
        .net()
        .saturating_add(held.min(i128::MAX as u128) as i128);
    if net >= 0 {
        StorageDeposit::Charge(net as u128)
    } else {
        StorageDeposit::Refund(net.unsigned_abs())
    }
}

/// The value a request transfers.
fn request_value(request: &Request) -> u128 {
    match request {
        Request::Call { value, .. } | Request::Instantiate { value, .. } => *value,
    }
}

/// How a nested frame's outcome looks to its caller.
fn response_of(outcome: ContractOutcome<ExecReturn>, address: Option<[u8; 32]>) -> Response {
    let (code, output) = match outcome.result {
        Ok(r) if r.reverted => (Some(ReturnCode::CalleeReverted), r.output),
        Ok(r) => (None, r.output),
        Err(_) => (Some(ReturnCode::CalleeFailed), Vec::new()),
    };
    Response {
        code,
        output,
        gas_used: outcome.gas_used,
        proof_size: outcome.proof_size,
        address: if code.is_none() { address } else { None },
    }
}

/// The return code of a nested frame that did not run.
fn refusal_code<T: Config>(refusal: Refusal<T>) -> ReturnCode {
    match refusal {
        Error::<T>::InsufficientBalance => ReturnCode::InsufficientBalance,
        Error::<T>::BelowMinimumBalance => ReturnCode::BelowMinimumBalance,
        Error::<T>::ContractNotFound => ReturnCode::ContractNotFound,
        Error::<T>::CodeNotFound => ReturnCode::CodeNotFound,
        _ => ReturnCode::CalleeFailed,
    }
}

/// Runs `f` in a storage transaction, committed if it says so; `Err` if the transaction layer
/// limit was hit (nothing ran).
fn in_transaction<R>(f: impl FnOnce() -> (R, bool)) -> Result<R, DispatchError> {
    let mut out = None;
    with_transaction(|| {
        let (r, keep) = f();
        out = Some(r);
        if keep {
            TransactionOutcome::Commit(Ok::<(), DispatchError>(()))
        } else {
            TransactionOutcome::Rollback(Ok(()))
        }
    })?;
    out.ok_or(DispatchError::Corruption)
}

/// The calls of the frame on top of the stack, served by the stack.
struct FrameCalls<'a, T: Config> {
    stack: &'a mut Stack<T>,
    account: &'a T::AccountId,
    capabilities: Capabilities,
}

impl<T: Config> Nested for FrameCalls<'_, T> {
    fn run(&mut self, request: Request, gas: u64, proof: u64) -> Response {
        let budget = Budget { gas, proof };
        self.stack
            .nested(self.account, self.capabilities, request, budget)
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

/// One contract fewer runs the code `code_hash`.
fn release_code_ref<T: Config>(code_hash: &CodeHash) {
    CodeInfoOf::<T>::mutate(code_hash, |code| {
        if let Some(code) = code {
            code.refcount = code.refcount.saturating_sub(1);
        }
    });
}

/// Makes `info` (the record of `contract`) run the stored code `new`: the references of both
/// codes follow. `new` was checked to exist when it was asked for; if it is gone, nothing
/// changes.
pub(crate) fn switch_code<T: Config>(
    contract: ContractAddress,
    info: &mut ContractInfo<T::AccountId>,
    new: CodeHash,
) {
    let Some(mut new_info) = CodeInfoOf::<T>::get(new) else {
        return;
    };
    let old = info.code_hash;
    if old == new {
        return;
    }
    new_info.refcount = new_info.refcount.saturating_add(1);
    info.code_len = new_info.code_len;
    info.code_hash = new;
    CodeInfoOf::<T>::insert(new, new_info);
    release_code_ref::<T>(&old);
    Pallet::<T>::deposit_event(Event::CodeHashChanged {
        contract,
        new_code_hash: new,
        old_code_hash: old,
    });
}

/// Applies a frame's storage usage change to a contract's record.
fn apply_delta<A>(info: &mut ContractInfo<A>, delta: StorageDelta) {
    info.storage_items =
        add_signed(u64::from(info.storage_items), delta.items).min(u64::from(u32::MAX)) as u32;
    info.storage_bytes = add_signed(info.storage_bytes, delta.bytes);
}

fn add_signed(value: u64, delta: i64) -> u64 {
    if delta >= 0 {
        value.saturating_add(delta as u64)
    } else {
        value.saturating_sub(delta.unsigned_abs())
    }
}
