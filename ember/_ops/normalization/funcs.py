"""Normalisation: batch, instance, layer, group and RMS norm (one fused op each way),
local response norm and ``normalize``.

``batch_norm`` and ``instance_norm`` also update running statistics in place
(without autograd), with the biased batch variance used for normalising and
the unbiased one folded into ``running_var``, as torch does.
"""
import math

from ..creation import zeros
from ..shape.copies import cat
from ..elementwise.funcs import div
from ..._dtype import finfo
from .ops import Normalize

__all__ = ["batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm",
           "local_response_norm", "normalize"]


def _check_numel(name, t, n):
    if t is not None and t.numel() != n:
        raise RuntimeError(f"{name} should contain {n} elements not {t.numel()}")


def _update_running(running, batch_stat, momentum):
    """running = (1 - momentum) * running + momentum * batch_stat, in place (a version bump)."""
    arr = running._data
    arr *= 1 - momentum
    arr += (momentum * batch_stat).astype(arr.dtype, copy=False)
    running._vc[0] += 1


def _channel_shape(input):
    """(1, C, 1, ...): how per-channel weights broadcast against an (N, C, *) input."""
    return (1, input.shape[1]) + (1,) * (input.dim() - 2)


def _single_value_error(input, per_sample):
    """torch's ValueError when a training statistic would come from a single value."""
    n = math.prod(input.shape[2:]) * (1 if per_sample else input.shape[0])
    if n == 1:
        what = "spatial element" if per_sample else "value per channel"
        raise ValueError(f"Expected more than 1 {what} when training, got input size "
                         f"{input.shape}")


def _per_channel(input, running_mean, running_var, weight, bias, use_input_stats, axes, eps,
                 missing, label):
    """Batch/instance norm's shared body: checks, then (output, the op when it used the
    input's own statistics, else None); ``label`` names the node as torch does."""
    c = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        _check_numel(name, t, c)
    shape = _channel_shape(input)
    if use_input_stats:
        op = Normalize(axes, eps, affine_shape=shape, label=label)
        return op(input, weight, bias), op
    if running_mean is None or running_var is None:
        raise RuntimeError(missing)
    stats = (running_mean._data.reshape(shape), running_var._data.reshape(shape))
    op = Normalize(axes, eps, affine_shape=shape, stats=stats, label=label)
    return op(input, weight, bias), None


def _check_rank(input, name):
    if input.dim() < 2:
        raise ValueError(f"{name} expects an input of shape (N, C, *), got input of size "
                         f"{input.shape}")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-05):
    """Batch normalisation: ``y = (x - mean) / sqrt(var + eps) * weight + bias`` per channel.

    Statistics are per channel (dimension 1) over every other dimension.  With ``training=True``
    the batch's mean and biased variance are used, and the running buffers, when given, move toward
    them in place (``running = (1 - momentum) * running + momentum * batch``, unbiased variance);
    otherwise the running statistics are used.

    Args:
        input (Tensor): ``(N, C, *)``.
        running_mean (Tensor or None): ``(C,)`` running mean.
        running_var (Tensor or None): ``(C,)`` running variance.
        weight (Tensor, optional): ``(C,)`` scale. Default: ``None`` (ones).
        bias (Tensor, optional): ``(C,)`` shift. Default: ``None`` (zeros).
        training (bool): use batch statistics. Default: ``False``.
        momentum (float): update factor of the running statistics. Default: ``0.1``.
        eps (float): added to the variance. Default: ``1e-5``.

    Shape:
        - Input: ``(N, C, *)``.
        - Output: the same shape.

    Example:
        >>> x = ember.tensor([[1.], [3.]])
        >>> ember.nn.functional.batch_norm(x, None, None, training=True)
        tensor([[-1.0000],
                [ 1.0000]])
    """
    _check_rank(input, "batch_norm")
    if training:
        _single_value_error(input, False)
    axes = (0,) + tuple(range(2, input.dim()))
    out, op = _per_channel(input, running_mean, running_var, weight, bias, training, axes, eps,
                           "running_mean must be defined in evaluation mode", "NativeBatchNorm")
    if op is not None:
        c = input.shape[1]
        n = input.numel() // c
        if running_mean is not None:
            _update_running(running_mean, op.mean.reshape(c), momentum)
        if running_var is not None:
            _update_running(running_var, op.var.reshape(c) * (n / (n - 1)), momentum)
    return out


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-05):
    """Instance normalisation: normalise each channel of each sample over its spatial dimensions.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias``.  With ``use_input_stats`` the sample's own
    statistics are used and the running buffers, when given, move toward their batch average;
    otherwise the running statistics are used.

    Args:
        input (Tensor): ``(N, C, *)``.
        running_mean (Tensor, optional): ``(C,)``. Default: ``None``.
        running_var (Tensor, optional): ``(C,)``. Default: ``None``.
        weight (Tensor, optional): ``(C,)`` scale. Default: ``None``.
        bias (Tensor, optional): ``(C,)`` shift. Default: ``None``.
        use_input_stats (bool): use each instance's statistics. Default: ``True``.
        momentum (float): update factor of the running statistics. Default: ``0.1``.
        eps (float): added to the variance. Default: ``1e-5``.

    Shape:
        - Input: ``(N, C, *)``.
        - Output: the same shape.

    Example:
        >>> ember.nn.functional.instance_norm(ember.tensor([[[1., 3.]]]))
        tensor([[[-1.0000,  1.0000]]])
    """
    _check_rank(input, "instance_norm")
    if use_input_stats:
        _single_value_error(input, True)
    axes = tuple(range(2, input.dim()))
    out, op = _per_channel(input, running_mean, running_var, weight, bias, use_input_stats,
                           axes, eps, "Expected running_mean and running_var to be defined when "
                                      "use_input_stats is false", "View")
    if op is not None:
        c, n = input.shape[1], math.prod(input.shape[2:])
        if running_mean is not None:
            _update_running(running_mean, op.mean.reshape(-1, c).mean(axis=0), momentum)
        if running_var is not None:
            _update_running(running_var, op.var.reshape(-1, c).mean(axis=0) * (n / (n - 1)),
                            momentum)
    return out


def _normalized_shape(normalized_shape):
    if isinstance(normalized_shape, int):
        return (normalized_shape,)
    return tuple(int(s) for s in normalized_shape)


def _check_trailing(input, shape, weight, bias):
    """RuntimeError as torch's when input's last dims or the affine params don't match."""
    k = len(shape)
    if input.dim() < k or tuple(input.shape[input.dim() - k:]) != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size"
                           f"{list(input.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {list(t.shape)} and normalized_shape = "
                               f"{list(shape)}")


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    """Layer normalisation over the last ``len(normalized_shape)`` dimensions.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias`` with the biased variance.

    Args:
        input (Tensor): ``(*, normalized_shape)``.
        normalized_shape (int or tuple): sizes of the trailing dimensions normalised.
        weight (Tensor, optional): elementwise scale of shape ``normalized_shape``. Default:
          ``None``.
        bias (Tensor, optional): elementwise shift of shape ``normalized_shape``. Default: ``None``.
        eps (float): added to the variance. Default: ``1e-5``.

    Shape:
        - Input: ``(*, normalized_shape[0], ..., normalized_shape[-1])``.
        - Output: the same shape.

    Example:
        >>> ember.nn.functional.layer_norm(ember.tensor([[1., 3.], [2., 2.]]), (2,))
        tensor([[-1.0000,  1.0000],
                [ 0.0000,  0.0000]])
    """
    shape = _normalized_shape(normalized_shape)
    _check_trailing(input, shape, weight, bias)
    axes = tuple(range(input.dim() - len(shape), input.dim()))
    return Normalize(axes, eps, affine_shape=shape, label="NativeLayerNorm")(input, weight, bias)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """Root-mean-square normalisation: ``y = x / sqrt(mean(x ** 2) + eps) * weight``.

    Args:
        input (Tensor): ``(*, normalized_shape)``.
        normalized_shape (int or tuple): sizes of the trailing dimensions averaged over.
        weight (Tensor, optional): elementwise scale. Default: ``None``.
        eps (float, optional): added under the root. Default: the machine epsilon of the dtype.

    Shape:
        - Input: ``(*, normalized_shape[0], ..., normalized_shape[-1])``.
        - Output: the same shape.

    Example:
        >>> ember.nn.functional.rms_norm(ember.tensor([3., 4.]), (2,))
        tensor([0.8485, 1.1314])
    """
    shape = _normalized_shape(normalized_shape)
    _check_trailing(input, shape, weight, None)
    if eps is None:
        eps = finfo(input.dtype).eps
    axes = tuple(range(input.dim() - len(shape), input.dim()))
    op = Normalize(axes, eps, affine_shape=shape, center=False, label="Mul")
    return op(input, weight, None)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05):
    """Group normalisation: normalise each group of channels of each sample, then scale and shift.

    Args:
        input (Tensor): ``(N, C, *)``.
        num_groups (int): number of groups; must divide ``C``.
        weight (Tensor, optional): ``(C,)`` per-channel scale. Default: ``None``.
        bias (Tensor, optional): ``(C,)`` per-channel shift. Default: ``None``.
        eps (float): added to the variance. Default: ``1e-5``.

    Shape:
        - Input: ``(N, C, *)``.
        - Output: the same shape.

    Example:
        >>> x = ember.tensor([[1., 3., 0., 4.]]).reshape(1, 4, 1)
        >>> ember.nn.functional.group_norm(x, 2).flatten()
        tensor([-1.0000,  1.0000, -1.0000,  1.0000])
    """
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.dim()}")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, "
                           f"but got input of shape {list(input.shape)} and num_groups="
                           f"{num_groups}")
    spatial = math.prod(input.shape[2:])
    if n * c // num_groups * spatial == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size "
                         f"{[n * c // num_groups, num_groups] + list(input.shape[2:])}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of "
                               f"channels in input, but got {name} of shape {list(t.shape)} and "
                               f"input of shape {list(input.shape)}")
    g = num_groups
    view = (n, g, c // g, spatial)
    op = Normalize((2, 3), eps, view=view, affine_shape=(1, g, c // g, 1), label="NativeGroupNorm")
    return op(input, weight, bias)


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """Local response normalisation:
    ``y_c = x_c / (k + alpha / size * sum_{c'} x_{c'} ** 2) ** beta``.

    The sum runs over the ``size`` channels around ``c``, zero-padded at the ends.

    Args:
        input (Tensor): ``(N, C, *)``, at least 3-D.
        size (int): number of neighbouring channels.
        alpha (float): multiplicative factor. Default: ``1e-4``.
        beta (float): exponent. Default: ``0.75``.
        k (float): additive constant. Default: ``1.0``.

    Shape:
        - Input: ``(N, C, *)``.
        - Output: the same shape.

    Example:
        >>> ember.nn.functional.local_response_norm(ember.ones(1, 3, 1, 1), 2).flatten()
        tensor([1.0000, 0.9999, 0.9999])
    """
    if input.dim() < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {input.dim()} "
                         "dimensions)")
    if input.numel() == 0:
        return input
    c = input.shape[1]
    parts = [input * input]
    for m, at in ((size // 2, 0), ((size - 1) // 2, 2)):
        if m:
            parts.insert(at, zeros((input.shape[0], m) + tuple(input.shape[2:]),
                                   dtype=input.dtype, device=input.device))
    padded = cat(parts, dim=1)
    total = padded[:, 0:c]
    for j in range(1, size):
        total = total + padded[:, j:j + c]
    return input / (total * (alpha / size) + k) ** beta


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """Divide by the ``p``-norm along ``dim``: ``y = x / max(||x||_p, eps)``.

    Args:
        input (Tensor): the input.
        p (float): the norm's exponent. Default: ``2.0``.
        dim (int or tuple): dimension(s) the norm is taken over. Default: ``1``.
        eps (float): lower bound of the divisor, avoiding division by zero. Default: ``1e-12``.
        out (Tensor, optional): where to write the result. Default: ``None``.

    Shape:
        - Input: ``(*)``.
        - Output: the same shape.

    Example:
        >>> ember.nn.functional.normalize(ember.tensor([[3., 4.], [1., 0.]]))
        tensor([[0.6000, 0.8000],
                [1.0000, 0.0000]])
    """
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return div(input, denom, out=out)
