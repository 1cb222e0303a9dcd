"""ember.distributed.tensor.placement_types: how a DTensor is laid out over a device mesh.

These are plain value objects (ember has no DTensor to place, but libraries build placement tables
at import): ``Shard(dim)`` splits along ``dim``, ``Replicate()`` copies everywhere, ``Partial()``
holds per-rank parts still to be reduced.

Example::

    >>> from ember.distributed.tensor.placement_types import Replicate, Shard
    >>> Shard(1) == Shard(1), Replicate().is_replicate()
    (True, True)
"""
from dataclasses import dataclass

__all__ = ["Partial", "Placement", "Replicate", "Shard"]


class Placement:
    """Base of the placements; answers which kind it is."""

    def is_shard(self, dim=None):
        return isinstance(self, Shard) and (dim is None or self.dim == dim)

    def is_replicate(self):
        return isinstance(self, Replicate)

    def is_partial(self, reduce_op=None):
        return isinstance(self, Partial) and (reduce_op is None or self.reduce_op == reduce_op)


@dataclass(frozen=True)
class Shard(Placement):
    """Split the tensor into equal chunks along dimension ``dim``, one per mesh rank."""
    dim: int


@dataclass(frozen=True)
class _StridedShard(Shard):
    """A shard of a shard: ``dim`` split ``split_factor`` ways first (torch's FSDP + TP layout)."""
    split_factor: int = 1

    def __repr__(self):
        return f"_StridedShard(dim={self.dim}, sf={self.split_factor})"


@dataclass(frozen=True)
class Replicate(Placement):
    """The same full tensor on every mesh rank."""


@dataclass(frozen=True)
class Partial(Placement):
    """Each rank holds a part; the full value is their ``reduce_op`` ("sum", "avg", ...)."""
    reduce_op: str = "sum"

    def __repr__(self):
        return f"Partial({self.reduce_op})"
