"""Stochastic depth (Huang et al., 2016): drop whole residual branches while training."""
import ember
from ember import nn

__all__ = ["stochastic_depth", "StochasticDepth"]


def stochastic_depth(input, p, mode, training=True):
    """Zero the input per sample (``mode="row"``) or as a whole (``"batch"``) with
    probability ``p`` and scale what survives by ``1 / (1 - p)``; identity when not
    training or ``p == 0``.

    Args:
        input (Tensor): ``(N, *)``.
        p (float): the probability of zeroing.
        mode (str): ``"row"`` or ``"batch"``.
        training (bool): apply it; else return ``input``. Default: ``True``.

    Shape:
        - Input: ``(N, *)``.
        - Output: the same.

    Example::

        >>> from ember.vision.ops import stochastic_depth
        >>> stochastic_depth(ember.ones(4, 3), 0.5, "row").shape
        ember.Size([4, 3])
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"drop probability has to be between 0 and 1, but got {p}")
    if mode not in ("batch", "row"):
        raise ValueError(f"mode has to be either 'batch' or 'row', but got {mode}")
    if not training or p == 0.0:
        return input
    survival = 1.0 - p
    size = [input.shape[0]] + [1] * (input.ndim - 1) if mode == "row" else [1] * input.ndim
    noise = ember.empty(size, dtype=input.dtype).bernoulli_(survival)
    if survival > 0.0:
        noise.div_(survival)
    return input * noise


class StochasticDepth(nn.Module):
    """``stochastic_depth`` as a layer (active in training mode only).

    Args:
        p (float): the probability of zeroing.
        mode (str): ``"row"`` (per sample) or ``"batch"`` (all at once).

    Shape:
        - Input: ``(N, *)``.
        - Output: the same.

    Example::

        >>> from ember.vision.ops import StochasticDepth
        >>> StochasticDepth(0.2, "row").eval()(ember.ones(2, 3)).sum().item()
        6.0
    """

    def __init__(self, p, mode):
        super().__init__()
        self.p, self.mode = p, mode

    def forward(self, input):
        return stochastic_depth(input, self.p, self.mode, self.training)

    def __repr__(self):
        return f"{type(self).__name__}(p={self.p}, mode={self.mode})"
