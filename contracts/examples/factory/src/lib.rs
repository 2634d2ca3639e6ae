//! A token factory: instantiates `token` contracts (the code given at construction, by hash)
//! for whoever asks, hands them the whole supply and lists them. Shows `qnet_instantiate`
//! (the factory is the new token's deployer and first holder) followed by a call of the new
//! contract. The factory pays each token's minimum balance: deploy it with some value.
#![no_std]

extern crate alloc;

use alloc::string::String;
use qvm_sdk::{
    call_or_revert, caller, contract, emit_indexed, instantiate, ok_or_revert, require,
    storage::{Mapping, Value},
    Account, Hash,
};

static TOKEN_CODE: Value<Hash> = Value::new(b"code");
static COUNT: Value<u32> = Value::new(b"count");
static TOKENS: Mapping<u32, Account> = Mapping::new(b"t");

contract! {
    /// A factory of tokens running the stored code `token_code`.
    fn constructor(token_code: Hash) {
        TOKEN_CODE.set(&token_code);
    }

    /// Creates a token minting `supply` to the caller; its address.
    fn create(name: String, symbol: String, supply: u128) -> Account {
        let code = TOKEN_CODE.get_or_default();
        let token = match instantiate(&code, (name, symbol, supply), 0, 0) {
            Ok(token) => token,
            Err(_) => qvm_sdk::revert_str("instantiation failed"),
        };
        // The token minted its supply to its deployer, the factory: pass it on.
        let who = caller();
        let ok: bool = call_or_revert(&token, "transfer", (who, supply));
        require(ok, "transfer failed");
        let n = COUNT.get_or_default();
        TOKENS.set(&n, token.address());
        COUNT.set(&ok_or_revert(n.checked_add(1), "overflow"));
        emit_indexed(b"Created", &[who, *token.address()], &n);
        *token.address()
    }

    /// Tokens created so far.
    fn count() -> u32 { COUNT.get_or_default() }

    /// The `i`-th token created.
    fn token(i: u32) -> Option<Account> { TOKENS.get(&i) }
}
