"""ember.distributed._composable.fsdp: FSDP2's ``fully_shard``, not usable in ember."""
from ..fsdp import CPUOffloadPolicy, FSDPModule, MixedPrecisionPolicy, fully_shard

__all__ = ["CPUOffloadPolicy", "FSDPModule", "MixedPrecisionPolicy", "fully_shard"]
