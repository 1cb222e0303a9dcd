"""ChannelShuffle: interleave the channels of ``groups`` channel groups (ShuffleNet's mixing)."""
from .._functional.vision import channel_shuffle
from .module import Module

__all__ = ["ChannelShuffle"]


class ChannelShuffle(Module):
    """Interleave channel groups: read the channels as a ``(groups, C / groups)`` grid and transpose
    it.

    ``ChannelShuffle(2)`` on channels ``[0, 1, 2, 3]`` gives ``[0, 2, 1, 3]``; it lets grouped
    convolutions exchange information (ShuffleNet).

    Args:
        groups (int): number of groups; must divide the channel count.

    Shape:
        - Input: ``(N, C, *)`` with more than two dimensions in all.
        - Output: ``(N, C, *)``.

    Example:
        >>> x = ember.arange(4.).reshape(1, 4, 1)
        >>> ember.nn.ChannelShuffle(2)(x).flatten()
        tensor([0., 2., 1., 3.])
    """

    def __init__(self, groups):
        super().__init__()
        self.groups = groups

    def forward(self, input):
        return channel_shuffle(input, self.groups)

    def extra_repr(self):
        return f"groups={self.groups}"
