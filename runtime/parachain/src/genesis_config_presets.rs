//! Genesis presets: `development` (one collator, Alice) and `local_testnet` (Alice and Bob), both
//! for parachain id [`PARA_ID`] with the dev accounts endowed and Alice as sudo.

use crate::{
    dev_accounts, AccountId, BalancesConfig, ParachainInfoConfig, RuntimeGenesisConfig, SudoConfig,
    ENDOWMENT,
};
use alloc::{vec, vec::Vec};
use cumulus_primitives_core::ParaId;
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;

/// The parachain id of the presets (the first id a relay chain's local testnet hands out to a
/// system-level parachain; the zombienet spec registers it).
pub const PARA_ID: u32 = 1000;

fn testnet_genesis(collators: Vec<AuraId>, endowed: Vec<AccountId>, root: AccountId) -> Value {
    build_struct_json_patch!(RuntimeGenesisConfig {
        balances: BalancesConfig {
            balances: endowed
                .iter()
                .cloned()
                .map(|k| (k, ENDOWMENT))
                .collect::<Vec<_>>()
        },
        parachain_info: ParachainInfoConfig {
            parachain_id: ParaId::from(PARA_ID)
        },
        aura: pallet_aura::GenesisConfig {
            authorities: collators
        },
        sudo: SudoConfig { key: Some(root) },
    })
}

/// The `development` preset: Alice collates alone.
pub fn development_config_genesis() -> Value {
    testnet_genesis(
        vec![Sr25519Keyring::Alice.public().into()],
        dev_accounts(),
        Sr25519Keyring::Alice.to_account_id(),
    )
}

/// The `local_testnet` preset: Alice and Bob collate.
pub fn local_config_genesis() -> Value {
    testnet_genesis(
        vec![
            Sr25519Keyring::Alice.public().into(),
            Sr25519Keyring::Bob.public().into(),
        ],
        dev_accounts(),
        Sr25519Keyring::Alice.to_account_id(),
    )
}

/// The JSON patch of preset `id`.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
    crate::preset_patch(id, development_config_genesis, local_config_genesis)
}

pub use crate::preset_names;
