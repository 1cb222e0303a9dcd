"""DropBlock (Ghiasi et al., 2018): drop contiguous square regions of feature maps."""
import ember
from ember import nn
from ember.nn import functional as F

__all__ = ["drop_block2d", "DropBlock2d"]


def drop_block2d(input, p, block_size, inplace=False, eps=1e-06, training=True):
    """Zero random ``block_size`` x ``block_size`` squares of each (N, C) map and rescale
    the rest so the expected sum is kept.  Block centres are drawn with the rate that makes
    about a fraction ``p`` of the map dropped.  Identity when not training or ``p == 0``.

    Args:
        input (Tensor): ``(N, C, H, W)`` maps.
        p (float): the fraction of each map to drop.
        block_size (int): the side of the dropped squares, odd, capped at H and W.
        inplace (bool): change ``input``. Default: ``False``.
        eps (float): keeps the rescaling finite. Default: ``1e-6``.
        training (bool): apply it; else return ``input``. Default: ``True``.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: the same.

    Example::

        >>> from ember.vision.ops import drop_block2d
        >>> drop_block2d(ember.ones(1, 1, 8, 8), 0.2, 3).shape
        ember.Size([1, 1, 8, 8])
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"drop probability has to be between 0 and 1, but got {p}.")
    if input.ndim != 4:
        raise ValueError(f"input should be 4 dimensional. Got {input.ndim} dimensions.")
    if not training or p == 0.0:
        return input
    n, c, h, w = input.shape
    block_size = min(block_size, w, h)
    if block_size % 2 == 0:
        raise ValueError(f"block size should be odd. Got {block_size} which is even.")
    gamma = (p * h * w) / ((block_size ** 2) * ((h - block_size + 1) * (w - block_size + 1)))
    noise = ember.empty((n, c, h - block_size + 1, w - block_size + 1), dtype=input.dtype)
    noise.bernoulli_(gamma)
    noise = F.pad(noise, [block_size // 2] * 4, value=0)
    noise = 1 - F.max_pool2d(noise, stride=(1, 1), kernel_size=(block_size, block_size),
                             padding=block_size // 2)
    scale = noise.numel() / (eps + noise.sum())
    if inplace:
        return input.mul_(noise).mul_(scale)
    return input * noise * scale


class DropBlock2d(nn.Module):
    """``drop_block2d`` as a layer (active in training mode only).

    Args:
        p (float): the fraction of each map to drop.
        block_size (int): the side of the dropped squares (odd).
        inplace (bool): change the input. Default: ``False``.
        eps (float): keeps the rescaling finite. Default: ``1e-6``.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: the same.

    Example::

        >>> from ember.vision.ops import DropBlock2d
        >>> DropBlock2d(0.1, 3).eval()(ember.ones(1, 2, 5, 5)).sum().item()
        50.0
    """

    def __init__(self, p, block_size, inplace=False, eps=1e-06):
        super().__init__()
        self.p, self.block_size, self.inplace, self.eps = p, block_size, inplace, eps

    def forward(self, input):
        return drop_block2d(input, self.p, self.block_size, self.inplace, self.eps, self.training)

    def __repr__(self):
        return (f"{type(self).__name__}(p={self.p}, block_size={self.block_size}, "
                f"inplace={self.inplace})")
