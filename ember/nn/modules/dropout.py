"""Dropout layers: active in training mode, the identity in eval mode (``model.eval()``)."""
from .._functional import dropout as F
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
           "FeatureAlphaDropout"]


class _DropoutNd(Module):
    """``p`` (checked as torch does) and ``inplace``; ``forward`` applies ``_fn``."""

    _fn = None

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        F.check_p(p)
        self.p, self.inplace = p, inplace

    def forward(self, input):
        return type(self)._fn(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Randomly zero elements in training: each is kept with probability ``1 - p`` and scaled by
    ``1 / (1 - p)``.

    The scaling keeps the expected value unchanged, so in eval mode the layer is the identity.

    Args:
        p (float): probability that an element (or channel) is zeroed. Default: ``0.5``.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.Dropout(p=0.5)
        >>> y = m(ember.ones(2, 8))
        >>> y[(y != 0) & (y != 2)].numel()
        0
        >>> m.eval()(ember.ones(2, 8)).equal(ember.ones(2, 8))
        True
    """
    _fn = F.dropout


class Dropout1d(_DropoutNd):
    """Randomly zero whole channels of 1-D signals in training, scaling the kept ones by
    ``1 / (1 - p)``.

    Each ``(n, c)`` channel is zeroed as a whole, which suits convolutional features whose
    neighbouring values are strongly correlated.  Identity in eval mode.

    Args:
        p (float): probability that an element (or channel) is zeroed. Default: ``0.5``.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(N, C, L)`` or ``(C, L)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.Dropout1d(p=0.5)
        >>> y = m(ember.ones(2, 4, 3))
        >>> (y.amax(-1) == y.amin(-1)).all()
        tensor(True)
        >>> m.eval()(ember.ones(2, 4, 3)).equal(ember.ones(2, 4, 3))
        True
    """
    _fn = F.dropout1d


class Dropout2d(_DropoutNd):
    """Randomly zero whole channels of 2-D feature maps in training, scaling the kept ones by
    ``1 / (1 - p)``.

    Each ``(n, c)`` plane is zeroed as a whole.  Identity in eval mode.  As in torch a 3-D input is
    read as ``(N, C, L)`` with a warning.

    Args:
        p (float): probability that an element (or channel) is zeroed. Default: ``0.5``.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.Dropout2d(p=0.5)
        >>> y = m(ember.ones(2, 4, 3, 3))
        >>> (y.amax((-2, -1)) == y.amin((-2, -1))).all()
        tensor(True)
        >>> m.eval()(ember.ones(2, 4, 3, 3)).equal(ember.ones(2, 4, 3, 3))
        True
    """
    _fn = F.dropout2d


class Dropout3d(_DropoutNd):
    """Randomly zero whole channels of 3-D volumes in training, scaling the kept ones by
    ``1 / (1 - p)``.

    Each ``(n, c)`` volume is zeroed as a whole.  Identity in eval mode.

    Args:
        p (float): probability that an element (or channel) is zeroed. Default: ``0.5``.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.Dropout3d(p=0.5)
        >>> y = m(ember.ones(2, 4, 2, 2, 2))
        >>> (y.amax((-3, -2, -1)) == y.amin((-3, -2, -1))).all()
        tensor(True)
        >>> m.eval()(ember.ones(2, 4, 2, 2, 2)).equal(ember.ones(2, 4, 2, 2, 2))
        True
    """
    _fn = F.dropout3d


class AlphaDropout(_DropoutNd):
    """Dropout for self-normalising (SELU) networks that keeps mean 0 and variance 1.

    Dropped elements are set to SELU's negative saturation value ``-alpha * scale`` instead of 0,
    and an affine map ``a * x + b`` restores zero mean and unit variance.  Identity in eval mode.

    Args:
        p (float): probability that an element (or channel) is zeroed. Default: ``0.5``.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.AlphaDropout(p=0.5)
        >>> y = m(ember.zeros(2, 8))
        >>> y.unique().numel() <= 2
        True
        >>> m.eval()(ember.zeros(2, 8)).equal(ember.zeros(2, 8))
        True
    """
    _fn = F.alpha_dropout


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels, for SELU networks with convolutions.

    As ``AlphaDropout`` but one draw per ``(n, c)`` channel.  Identity in eval mode.

    Args:
        p (float): probability that an element (or channel) is zeroed. Default: ``0.5``.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(N, C, *)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.FeatureAlphaDropout(p=0.5)
        >>> y = m(ember.zeros(2, 4, 3))
        >>> (y.amax(-1) == y.amin(-1)).all()
        tensor(True)
        >>> m.eval()(ember.zeros(2, 4, 3)).equal(ember.zeros(2, 4, 3))
        True
    """
    _fn = F.feature_alpha_dropout
