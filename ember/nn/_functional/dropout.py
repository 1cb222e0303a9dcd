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
        mask = _keep_mask(input, shape, p)
        if alpha:
            a = 1.0 / math.sqrt((_SELU_NEG ** 2 * p + 1) * (1 - p))
            op = ScaleShift(mask * a, (mask - 1) * (_SELU_NEG * a) + _SELU_NEG * a * p)
        else:
            mask *= 1.0 / (1.0 - p)
            op = ScaleShift(mask)
    return apply_inplace(input, op) if inplace else op(input)


def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability p and scale the rest by 1 / (1 - p) (training only)."""
    return _dropout(input, p, training, inplace)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout for SELU networks: dropped elements go to SELU's saturation value and an affine
    correction keeps mean 0 and variance 1."""
    return _dropout(input, p, training, inplace, alpha=True)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout of whole channels."""
    return _dropout(input, p, training, inplace, channelwise=True, alpha=True)


def _unbatched(input, p, training, inplace):
    """Channel-wise dropout of an input without a batch dim (one is added, then removed)."""
    x = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    out = _dropout(x, p, training, inplace, channelwise=True)
    return out.squeeze_(0) if inplace else out.squeeze(0)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) or (C, L) inputs."""
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
    """Zero whole channels of (N, C, H, W) inputs (a 3-D input is read as (N, C, L), as torch)."""
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
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) inputs."""
    check_p(p)
    if input.dim() not in (4, 5):
        _deprecated_rank("dropout3d", 3, input.dim())
    if input.dim() != 5:
        return _unbatched(input, p, training, inplace)
    return _dropout(input, p, training, inplace, channelwise=True)
