"""ChannelShuffle: interleave the channels of ``groups`` channel groups (ShuffleNet's mixing)."""
from .._functional.vision import channel_shuffle
from .module import Module

__all__ = ["ChannelShuffle"]


class ChannelShuffle(Module):
    """(N, C, *) -> (N, C, *) with the channels read as a (groups, C / groups) grid, transposed.

    ``ChannelShuffle(2)`` on channels ``[0, 1, 2, 3]`` gives ``[0, 2, 1, 3]``.  The input needs
    more than 2 dims and a channel count divisible by ``groups``.
    """

    def __init__(self, groups):
        super().__init__()
        self.groups = groups

    def forward(self, input):
        return channel_shuffle(input, self.groups)

    def extra_repr(self):
        return f"groups={self.groups}"
