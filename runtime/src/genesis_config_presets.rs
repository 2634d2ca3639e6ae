//! Genesis presets: `development` (one authority, Alice) and `local_testnet` (Alice and Bob).

use crate::{dev_accounts, AccountId, BalancesConfig, RuntimeGenesisConfig, SudoConfig, ENDOWMENT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::PresetId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

fn testnet_genesis(
    authorities: Vec<(AuraId, GrandpaId)>,
    endowed: Vec<AccountId>,
    root: AccountId,
) -> Value {
    build_struct_json_patch!(RuntimeGenesisConfig {
        balances: BalancesConfig {
            balances: endowed
                .iter()
                .cloned()
                .map(|k| (k, ENDOWMENT))
                .collect::<Vec<_>>()
        },
        aura: pallet_aura::GenesisConfig {
            authorities: authorities.iter().map(|x| x.0.clone()).collect::<Vec<_>>()
        },
        grandpa: pallet_grandpa::GenesisConfig {
            authorities: authorities
                .iter()
                .map(|x| (x.1.clone(), 1))
                .collect::<Vec<_>>(),
        },
        sudo: SudoConfig { key: Some(root) },
    })
}

fn authority(k: Sr25519Keyring, e: Ed25519Keyring) -> (AuraId, GrandpaId) {
    (k.public().into(), e.public().into())
}

/// The `development` preset: Alice authors and finalizes alone.
pub fn development_config_genesis() -> Value {
    testnet_genesis(
        vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
        dev_accounts(),
        Sr25519Keyring::Alice.to_account_id(),
    )
}

/// The `local_testnet` preset: Alice and Bob are authorities.
pub fn local_config_genesis() -> Value {
    testnet_genesis(
        vec![
            authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
            authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
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
