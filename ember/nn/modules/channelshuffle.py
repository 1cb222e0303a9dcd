"""ChannelShuffle: interleave the channels of ``groups`` channel groups (ShuffleNet's mixing)."""
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
        g = self.groups
        if g <= 0:
            raise RuntimeError(f"Number of groups to divide channels in must be positive. Value "
                               f"of groups:{g}")
        if input.dim() <= 2:
            raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input "
                               f"with sizes {list(input.shape)}")
        n, c, *rest = input.shape
        if c % g:
            raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} "
                               f"channels and {g} groups.")
        return input.reshape(n, g, c // g, *rest).transpose(1, 2).reshape(n, c, *rest)

    def extra_repr(self):
        return f"groups={self.groups}"
