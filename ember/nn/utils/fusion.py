"""Fold an eval-mode BatchNorm into the convolution or linear layer before it.

In eval mode BatchNorm is the affine map ``y = (x - mean) / sqrt(var + eps) * w + b``
per channel, so it can be absorbed into the preceding layer: each output
channel's weights are scaled by ``w / sqrt(var + eps)`` and its bias becomes
``(bias - mean) * w / sqrt(var + eps) + b``.  The fused layer computes the
same outputs with one op fewer.

Example::

    >>> conv, bn = nn.Conv2d(3, 8, 3).eval(), nn.BatchNorm2d(8).eval()
    >>> fused = fuse_conv_bn_eval(conv, bn)   # fused(x) == bn(conv(x)), up to rounding
"""
import copy
import ember
from ..parameter import Parameter

__all__ = ["fuse_conv_bn_eval", "fuse_conv_bn_weights", "fuse_linear_bn_eval",
           "fuse_linear_bn_weights"]


def _bn_scale_shift(bn_rm, bn_rv, bn_eps, bn_w, bn_b):
    """Per-channel ``scale`` and the running mean, with a missing weight/bias as 1/0."""
    scale = ember.rsqrt(bn_rv + bn_eps)
    if bn_w is not None:
        scale = scale * bn_w
    shift = bn_b if bn_b is not None else ember.zeros_like(bn_rm)
    return scale, shift


def _parameters(weight, bias, like_w, like_b):
    """The fused weight and bias as Parameters with the original dtypes and grad flags."""
    if like_b is None:  # a new bias, made from constants, as torch makes it
        return (Parameter(weight.to(like_w.dtype), like_w.requires_grad),
                Parameter(bias.to(like_w.dtype), False))
    return (Parameter(weight.to(like_w.dtype), like_w.requires_grad),
            Parameter(bias.to(like_b.dtype), like_b.requires_grad))


def fuse_conv_bn_weights(conv_w, conv_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b, transpose=False):
    """``(weight, bias)`` Parameters of the convolution that equals ``conv`` then BatchNorm.

    ``conv_w`` is (out, in/groups, *kernel), or (in, out/groups, *kernel) with
    ``transpose=True``; ``conv_b`` may be None (zero).  ``bn_*`` are the
    BatchNorm's running mean/var, eps, weight and bias (weight/bias may be None).
    """
    scale, shift = _bn_scale_shift(bn_rm, bn_rv, bn_eps, bn_w, bn_b)
    bias = conv_b if conv_b is not None else bn_rm.new_zeros(bn_rm.shape)
    shape = ([1, -1] if transpose else [-1, 1]) + [1] * (conv_w.dim() - 2)
    return _parameters(conv_w * scale.reshape(shape), (bias - bn_rm) * scale + shift,
                       conv_w, conv_b)


def fuse_linear_bn_weights(linear_w, linear_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b):
    """``(weight, bias)`` Parameters of the linear layer that equals ``linear`` then BatchNorm
    (``linear_w`` is (out, in); ``linear_b`` may be None)."""
    scale, shift = _bn_scale_shift(bn_rm, bn_rv, bn_eps, bn_w, bn_b)
    bias = linear_b if linear_b is not None else bn_rm.new_zeros(bn_rm.shape)
    return _parameters(linear_w * scale.unsqueeze(-1), (bias - bn_rm) * scale + shift,
                       linear_w, linear_b)


def _fused_copy(layer, bn):
    """A copy of ``layer`` to fuse into, after torch's checks on the two modules."""
    if layer.training or bn.training:
        raise AssertionError("Fusion only for eval!")
    if bn.running_mean is None or bn.running_var is None:
        raise AssertionError("bn.running_mean and bn.running_var must not be None")
    return copy.deepcopy(layer)


def fuse_conv_bn_eval(conv, bn, transpose=False):
    """A new convolution computing ``bn(conv(x))`` (both in eval mode; ``bn`` with running stats)."""
    fused = _fused_copy(conv, bn)
    fused.weight, fused.bias = fuse_conv_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias,
        transpose)
    return fused


def fuse_linear_bn_eval(linear, bn):
    """A new ``Linear`` computing ``bn(linear(x))``; BatchNorm's features must equal the
    linear layer's outputs (or be 1)."""
    fused = _fused_copy(linear, bn)
    if linear.out_features != bn.num_features and bn.num_features != 1:
        raise AssertionError(
            f"To fuse, linear.out_features == bn.num_features or bn.num_features == 1, "
            f"got linear.out_features={linear.out_features} and bn.num_features={bn.num_features}")
    fused.weight, fused.bias = fuse_linear_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias)
    return fused
