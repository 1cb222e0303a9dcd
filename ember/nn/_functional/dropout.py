"""Dropout: elementwise, channel-wise (1d/2d/3d) and the SELU-preserving alpha variants.

In training each element (or channel) is kept with probability 1 - p and
scaled by 1 / (1 - p); outside training, or with p = 0, the input itself is
returned, as in torch.  The masks come from ember's default generator, so
``ember.manual_seed`` makes them reproducible.  The scaled mask is applied
by one ``ScaleShift`` op, whose backward multiplies by the same mask.
"""
import math
import warnings

from ..._ops.inplace import apply_inplace
from ..._ops.activation.ops import ScaleShift
from ..._ops.base import get_xp
from ...random import uniform_on

__all__ = ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
           "feature_alpha_dropout"]

_SELU_NEG = 1.7580993408473766  # -scale * alpha of SELU: where SELU saturates


def check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _keep_mask(input, shape, p):
    """Bernoulli(1 - p) draws of ``shape`` as input's dtype, on input's device."""
    return (uniform_on(get_xp(input._data), shape) >= p).astype(input._data.dtype)


def _dropout(input, p, training, inplace, channelwise=False, alpha=False):
    """The shared body: mask shape per element or per (batch, channel); plain or alpha."""
    check_p(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    shape = tuple(input.shape)
    if channelwise:
        if input.dim() < 2:
            raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
        shape = shape[:2] + (1,) * (input.dim() - 2)
    if p == 1:
        op = ScaleShift(0)
    else:
        if input._data.dtype.kind not in "fc":   # the float mask cannot scale it in place
            raise RuntimeError("result type Float can't be cast to the desired output type "
                               f"{input.dtype._tensor_type[:-6]}")
        mask = _keep_mask(input, shape, p)
        if alpha:
            a = 1.0 / math.sqrt((_SELU_NEG ** 2 * p + 1) * (1 - p))
            op = ScaleShift(mask * a, (mask - 1) * (_SELU_NEG * a) + _SELU_NEG * a * p)
        else:
            mask *= 1.0 / (1.0 - p)
            op = ScaleShift(mask)
    return apply_inplace(input, op) if inplace else op(input)


def dropout(input, p=0.5, training=True, inplace=False):
    """Randomly zero elements when ``training``: each is kept with probability ``1 - p`` and scaled
    by ``1 / (1 - p)``.

    The scaling keeps the expected value unchanged, so without ``training`` the input is returned
    unchanged.

    Args:
        input (Tensor): the input.
        p (float): probability that an element (or channel) is zeroed. Default: ``0.5``.
        training (bool): apply dropout; ``False`` returns the input. Default: ``True``.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: the same shape.

    Example:
        >>> y = ember.nn.functional.dropout(ember.ones(2, 8), p=0.5, training=True)
        >>> y[(y != 0) & (y != 2)].numel()
        0
    """
    return _dropout(input, p, training, inplace)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout for self-normalising (SELU) networks that keeps mean 0 and variance 1.

    Dropped elements are set to SELU's negative saturation value ``-alpha * scale`` instead of 0,
    and an affine map ``a * x + b`` restores zero mean and unit variance. Without ``training`` the
    input is returned unchanged.

    Args:
        input (Tensor): the input.
        p (float): probability that an element (or channel) is zeroed. Default: ``0.5``.
        training (bool): apply dropout; ``False`` returns the input. Default: ``False``.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: the same shape.

    Example:
        >>> y = ember.nn.functional.alpha_dropout(ember.zeros(2, 8), p=0.5, training=True)
        >>> y.unique().numel() <= 2
        True
    """
    return _dropout(input, p, training, inplace, alpha=True)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout of whole channels, for SELU networks with convolutions.

    As ``AlphaDropout`` but one draw per ``(n, c)`` channel. Without ``training`` the input is
    returned unchanged.

    Args:
        input (Tensor): the input.
        p (float): probability that an element (or channel) is zeroed. Default: ``0.5``.
        training (bool): apply dropout; ``False`` returns the input. Default: ``False``.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(N, C, *)``.
        - Output: the same shape.

    Example:
        >>> x = ember.zeros(2, 4, 3)
        >>> y = ember.nn.functional.feature_alpha_dropout(x, p=0.5, training=True)
        >>> (y.amax(-1) == y.amin(-1)).all()
        tensor(True)
    """
    return _dropout(input, p, training, inplace, channelwise=True, alpha=True)


def _unbatched(input, p, training, inplace):
    """Channel-wise dropout of an input without a batch dim (one is added, then removed)."""
    x = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    out = _dropout(x, p, training, inplace, channelwise=True)
    return out.squeeze_(0) if inplace else out.squeeze(0)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Randomly zero whole channels of 1-D signals when ``training``, scaling the kept ones by
    ``1 / (1 - p)``.

    Each ``(n, c)`` channel is zeroed as a whole, which suits convolutional features whose
    neighbouring values are strongly correlated. Without ``training`` the input is returned
    unchanged.

    Args:
        input (Tensor): the input.
        p (float): probability that an element (or channel) is zeroed. Default: ``0.5``.
        training (bool): apply dropout; ``False`` returns the input. Default: ``True``.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(N, C, L)`` or ``(C, L)``.
        - Output: the same shape.

    Example:
        >>> y = ember.nn.functional.dropout1d(ember.ones(2, 4, 3), p=0.5, training=True)
        >>> (y.amax(-1) == y.amin(-1)).all()
        tensor(True)
    """
    check_p(p)
    if input.dim() not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.dim()}D "
                           "input. Note that dropout1d exists to provide channel-wise dropout on "
                           "inputs with 1 spatial dimension, a channel dimension, and an optional "
                           "batch dimension (i.e. 2D or 3D inputs).")
    if input.dim() == 2:
        return _unbatched(input, p, training, inplace)
    return _dropout(input, p, training, inplace, channelwise=True)


def _deprecated_rank(name, nd, ndim):
    warnings.warn(f"{name}: Received a {ndim}-D input to {name}, which is deprecated and will "
                  "result in an error in a future release. To retain the behavior and silence "
                  f"this warning, please use dropout instead. Note that {name} exists to provide "
                  f"channel-wise dropout on inputs with {nd} spatial dimensions, a channel "
                  f"dimension, and an optional batch dimension (i.e. {nd + 1}D or {nd + 2}D "
                  "inputs).", stacklevel=3)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Randomly zero whole channels of 2-D feature maps when ``training``, scaling the kept ones by
    ``1 / (1 - p)``.

    Each ``(n, c)`` plane is zeroed as a whole. Without ``training`` the input is returned
    unchanged. As in torch a 3-D input is read as ``(N, C, L)`` with a warning.

    Args:
        input (Tensor): the input.
        p (float): probability that an element (or channel) is zeroed. Default: ``0.5``.
        training (bool): apply dropout; ``False`` returns the input. Default: ``True``.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: the same shape.

    Example:
        >>> y = ember.nn.functional.dropout2d(ember.ones(2, 4, 3, 3), p=0.5, training=True)
        >>> (y.amax((-2, -1)) == y.amin((-2, -1))).all()
        tensor(True)
    """
    check_p(p)
    if input.dim() not in (3, 4):
        _deprecated_rank("dropout2d", 2, input.dim())
    if input.dim() == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
                      "1D dropout behavior is desired - input is interpreted as shape (N, C, L), "
                      "where C is the channel dim. This behavior will change in a future release "
                      "to interpret the input as one without a batch dimension, i.e. shape "
                      "(C, H, W). To maintain the 1D channel-wise dropout behavior, please switch "
                      "to using dropout1d instead.", stacklevel=2)
    return _dropout(input, p, training, inplace, channelwise=True)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Randomly zero whole channels of 3-D volumes when ``training``, scaling the kept ones by
    ``1 / (1 - p)``.

    Each ``(n, c)`` volume is zeroed as a whole. Without ``training`` the input is returned
    unchanged.

    Args:
        input (Tensor): the input.
        p (float): probability that an element (or channel) is zeroed. Default: ``0.5``.
        training (bool): apply dropout; ``False`` returns the input. Default: ``True``.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
        - Output: the same shape.

    Example:
        >>> y = ember.nn.functional.dropout3d(ember.ones(2, 4, 2, 2, 2), p=0.5, training=True)
        >>> (y.amax((-3, -2, -1)) == y.amin((-3, -2, -1))).all()
        tensor(True)
    """
    check_p(p)
    if input.dim() not in (4, 5):
        _deprecated_rank("dropout3d", 3, input.dim())
    if input.dim() != 5:
        return _unbatched(input, p, training, inplace)
    return _dropout(input, p, training, inplace, channelwise=True)
