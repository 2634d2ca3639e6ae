//! Chain specifications built from the runtime's genesis presets.

use qvm_runtime::WASM_BINARY;
use sc_service::ChainType;

/// The chain spec type.
pub type ChainSpec = sc_service::GenericChainSpec;

fn properties() -> sc_chain_spec::Properties {
    let mut p = sc_chain_spec::Properties::new();
    p.insert("tokenSymbol".into(), "QNET".into());
    p.insert("tokenDecimals".into(), 12.into());
    p.insert("ss58Format".into(), 42.into());
    p
}

fn wasm() -> Result<&'static [u8], String> {
    WASM_BINARY.ok_or_else(|| "the runtime wasm was not built (SKIP_WASM_BUILD set?)".to_string())
}

/// `--dev`: one authority (Alice), dev accounts endowed.
pub fn development_config() -> Result<ChainSpec, String> {
    Ok(ChainSpec::builder(wasm()?, None)
        .with_name("QVM Development")
        .with_id("qvm_dev")
        .with_chain_type(ChainType::Development)
        .with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
        .with_properties(properties())
        .build())
}

/// `--chain local`: Alice and Bob are authorities.
pub fn local_testnet_config() -> Result<ChainSpec, String> {
    Ok(ChainSpec::builder(wasm()?, None)
        .with_name("QVM Local Testnet")
        .with_id("qvm_local")
        .with_chain_type(ChainType::Local)
        .with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
        .with_properties(properties())
        .build())
}
