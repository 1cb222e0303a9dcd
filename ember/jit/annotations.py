"""``torch.jit.annotations``: the type names TorchScript signatures use.

Only annotations matter here (ember never compiles them), so these are the
``typing`` forms; ``BroadcastingListN[int]`` is an int or a tuple of N ints.

Example::

    >>> from ember.jit.annotations import BroadcastingList2
    >>> def pool(x, kernel_size: BroadcastingList2[int]): ...
"""
from typing import Any, Dict, List, Optional, Tuple, Union  # noqa: F401

__all__ = ["Any", "Dict", "List", "Optional", "Tuple", "Union", "BroadcastingList1",
           "BroadcastingList2", "BroadcastingList3"]


class _BroadcastingList:
    """``BroadcastingListN[T]``: ``T`` or a tuple of ``N`` of them."""

    def __init__(self, n):
        self.n = n

    def __getitem__(self, item):
        return Union[item, Tuple[(item,) * self.n]]


BroadcastingList1 = _BroadcastingList(1)
BroadcastingList2 = _BroadcastingList(2)
BroadcastingList3 = _BroadcastingList(3)
