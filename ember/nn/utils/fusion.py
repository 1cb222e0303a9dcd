"""Fold an eval-mode BatchNorm into the convolution or linear layer before it.

In eval mode BatchNorm is the affine map ``y = (x - mean) / sqrt(var + eps) * w + b``
per channel, so it can be absorbed into the preceding layer: each output
channel's weights are scaled by ``w / sqrt(var + eps)`` and its bias becomes
``(bias - mean) * w / sqrt(var + eps) + b``.  The fused layer computes the
same outputs with one op fewer.

Example:
    >>> conv, bn = ember.nn.Conv2d(3, 8, 3).eval(), ember.nn.BatchNorm2d(8).eval()
    >>> fused = ember.nn.utils.fuse_conv_bn_eval(conv, bn)   # bn(conv(x)), up to rounding
    >>> fused.weight.shape
    ember.Size([8, 3, 3, 3])
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
    """The ``(weight, bias)`` parameters of the convolution that equals a convolution then a batch
    norm.

    Args:
        conv_w (Tensor): ``(out, in / groups, *kernel)``, or ``(in, out / groups, *kernel)`` with
          ``transpose``.
        conv_b (Tensor or None): the convolution bias (``None`` is zero).
        bn_rm (Tensor): the batch norm's running mean.
        bn_rv (Tensor): its running variance.
        bn_eps (float): its ``eps``.
        bn_w (Tensor or None): its weight (``None`` is one).
        bn_b (Tensor or None): its bias (``None`` is zero).
        transpose (bool): the weight is a transposed convolution's. Default: ``False``.

    Returns:
        tuple of Parameter: the fused weight and bias.

    Example:
        >>> w, b = ember.nn.utils.fuse_conv_bn_weights(
        ...     ember.ones(2, 1, 1, 1), None, ember.zeros(2), ember.full((2,), 4.), 0.0, None, None)
        >>> w.data.flatten(), b.data
        (tensor([0.5000, 0.5000]), tensor([0., 0.]))
    """
    scale, shift = _bn_scale_shift(bn_rm, bn_rv, bn_eps, bn_w, bn_b)
    bias = conv_b if conv_b is not None else bn_rm.new_zeros(bn_rm.shape)
    shape = ([1, -1] if transpose else [-1, 1]) + [1] * (conv_w.dim() - 2)
    return _parameters(conv_w * scale.reshape(shape), (bias - bn_rm) * scale + shift,
                       conv_w, conv_b)


def fuse_linear_bn_weights(linear_w, linear_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b):
    """The ``(weight, bias)`` parameters of the linear layer that equals a linear layer then a batch
    norm.

    Args:
        linear_w (Tensor): ``(out, in)``.
        linear_b (Tensor or None): the linear bias (``None`` is zero).
        bn_rm (Tensor): the batch norm's running mean.
        bn_rv (Tensor): its running variance.
        bn_eps (float): its ``eps``.
        bn_w (Tensor or None): its weight (``None`` is one).
        bn_b (Tensor or None): its bias (``None`` is zero).

    Returns:
        tuple of Parameter: the fused weight and bias.

    Example:
        >>> mean, var = ember.zeros(2), ember.full((2,), 4.)
        >>> w, b = ember.nn.utils.fuse_linear_bn_weights(
        ...     ember.ones(2, 3), ember.ones(2), mean, var, 0.0, None, None)
        >>> w.data, b.data
        (tensor([[0.5000, 0.5000, 0.5000],
                [0.5000, 0.5000, 0.5000]]), tensor([0.5000, 0.5000]))
    """
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
    """A new convolution computing ``bn(conv(x))`` for eval mode, with the batch norm folded in.

    Both layers must be in eval mode and ``bn`` must track running statistics: the fused weight is
    ``w * gamma / sqrt(var + eps)`` per output channel and the bias is adjusted likewise.  The
    originals are left unchanged.

    Args:
        conv (Module): a ``Conv1d/2d/3d`` (or a transposed convolution with ``transpose=True``).
        bn (Module): the ``BatchNorm`` after it.
        transpose (bool): ``conv`` is a transposed convolution. Default: ``False``.

    Example:
        >>> conv, bn = ember.nn.Conv2d(3, 4, 3).eval(), ember.nn.BatchNorm2d(4).eval()
        >>> fused = ember.nn.utils.fuse_conv_bn_eval(conv, bn)
        >>> x = ember.randn(1, 3, 5, 5)
        >>> fused(x).allclose(bn(conv(x)), atol=1e-6)
        True
    """
    fused = _fused_copy(conv, bn)
    fused.weight, fused.bias = fuse_conv_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias,
        transpose)
    return fused


def fuse_linear_bn_eval(linear, bn):
    """A new ``Linear`` computing ``bn(linear(x))`` for eval mode, with the batch norm folded in.

    The batch norm's feature count must equal the linear layer's outputs (or be 1).

    Args:
        linear (Linear): the linear layer, in eval mode.
        bn (Module): the ``BatchNorm1d`` after it, in eval mode with running statistics.

    Example:
        >>> lin, bn = ember.nn.Linear(3, 4).eval(), ember.nn.BatchNorm1d(4).eval()
        >>> fused = ember.nn.utils.fuse_linear_bn_eval(lin, bn)
        >>> x = ember.randn(2, 3)
        >>> fused(x).allclose(bn(lin(x)), atol=1e-6)
        True
    """
    fused = _fused_copy(linear, bn)
    if linear.out_features != bn.num_features and bn.num_features != 1:
        raise AssertionError(
            f"To fuse, linear.out_features == bn.num_features or bn.num_features == 1, "
            f"got linear.out_features={linear.out_features} and bn.num_features={bn.num_features}")
    fused.weight, fused.bias = fuse_linear_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias)
    return fused
