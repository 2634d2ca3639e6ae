//! Runtime API implementations: the set both flavours share (`common_apis.rs`, with `QvmApi`)
//! plus the parachain's own, which a collator (`polkadot-omni-node`) calls.

use crate::{configs::ConsensusHook, ParachainSystem};
use cumulus_primitives_core::ParaId;

runtime_apis! {
    impl cumulus_primitives_aura::AuraUnincludedSegmentApi<Block> for Runtime {
        fn can_build_upon(
            included_hash: <Block as BlockT>::Hash,
            slot: cumulus_primitives_aura::Slot,
        ) -> bool {
            ConsensusHook::can_build_upon(included_hash, slot)
        }
    }

    impl cumulus_primitives_core::CollectCollationInfo<Block> for Runtime {
        fn collect_collation_info(header: &<Block as BlockT>::Header) -> cumulus_primitives_core::CollationInfo {
            ParachainSystem::collect_collation_info(header)
        }
    }

    impl cumulus_primitives_core::GetParachainInfo<Block> for Runtime {
        fn parachain_id() -> ParaId {
            crate::ParachainInfo::parachain_id()
        }
    }

    #[api_version(2)]
    impl cumulus_primitives_core::RelayParentOffsetApi<Block> for Runtime {
        fn relay_parent_offset() -> u32 {
            use frame_support::traits::Get;
            <Runtime as cumulus_pallet_parachain_system::Config>::RelayParentOffset::get()
        }

        /// Asynchronous backing: a candidate may land in the next relay block or the one after.
        fn max_claim_queue_offset() -> u8 {
            1
        }
    }
}
