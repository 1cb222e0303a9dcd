"""The batch-norm function behind ``nn.SyncBatchNorm`` when several processes share a batch.

Forward all-reduces per-channel ``[count, sum, sum of squares]`` so every
process normalises with the statistics of the whole (distributed) batch;
backward all-reduces per-channel ``[sum dy, sum dy * xhat]`` so each process
gets the input gradient of the sum of all processes' losses, as torch does
(DistributedDataParallel's averaging then gives the mean-loss gradient).
"""
import numpy as np

from ..autograd.function import Function
from . import _collectives
from .._tensor import _wrap

__all__ = ["sync_batch_norm"]


def _channels_sum(arr):
    """(C,) sums of an (N, C, *) array over every dim but 1."""
    return arr.sum(axis=(0,) + tuple(range(2, arr.ndim)), dtype=np.float64)


def _per_channel(vec, ndim):
    return vec.reshape((1, -1) + (1,) * (ndim - 2))


def _all_reduce(arr, pg):
    _collectives.all_reduce(_wrap(arr), group=pg)
    return arr


class _SyncBatchNorm(Function):
    @staticmethod
    def forward(ctx, input, weight, bias, running_mean, running_var, eps, momentum, pg):
        x = input._data
        count = x.size / x.shape[1]
        stats = _all_reduce(np.concatenate([[count], _channels_sum(x), _channels_sum(x * x)]), pg)
        c = x.shape[1]
        total, mean = stats[0], stats[1:1 + c] / stats[0]
        var = np.maximum(stats[1 + c:] / total - mean * mean, 0.0)
        if running_mean is not None:
            running_mean._data[...] = (1 - momentum) * running_mean._data + momentum * mean
            running_var._data[...] = ((1 - momentum) * running_var._data
                                      + momentum * var * total / max(total - 1, 1))
        invstd = 1.0 / np.sqrt(var + eps)
        xhat = (x - _per_channel(mean, x.ndim)) * _per_channel(invstd, x.ndim)
        out = xhat
        if weight is not None:
            out = out * _per_channel(weight._data.astype(np.float64), x.ndim)
        if bias is not None:
            out = out + _per_channel(bias._data.astype(np.float64), x.ndim)
        ctx.xhat, ctx.invstd, ctx.total, ctx.pg = xhat, invstd, total, pg
        ctx.has_weight, ctx.has_bias = weight is not None, bias is not None
        ctx.save_for_backward(weight)
        return _wrap(out.astype(x.dtype))

    @staticmethod
    def backward(ctx, grad_out):
        (weight,) = ctx.saved_tensors
        g, xhat = grad_out._data.astype(np.float64), ctx.xhat
        c = g.shape[1]
        local = np.concatenate([_channels_sum(g), _channels_sum(g * xhat)])
        sums = _all_reduce(local.copy(), ctx.pg)
        mean_g, mean_gx = sums[:c] / ctx.total, sums[c:] / ctx.total
        scale = ctx.invstd * (weight._data if ctx.has_weight else 1.0)
        dx = (g - _per_channel(mean_g, g.ndim) - xhat * _per_channel(mean_gx, g.ndim)) \
            * _per_channel(scale, g.ndim)
        dtype = grad_out._data.dtype
        dw = _wrap(local[c:].astype(dtype)) if ctx.has_weight else None
        db = _wrap(local[:c].astype(dtype)) if ctx.has_bias else None
        return _wrap(dx.astype(dtype)), dw, db, None, None, None, None, None


def sync_batch_norm(input, weight, bias, running_mean, running_var, eps, momentum, pg):
    """Training-mode batch norm of (N, C, *) ``input`` with statistics over every process of
    ``pg``; updates ``running_mean``/``running_var`` (when given) with ``momentum``."""
    return _SyncBatchNorm.apply(input, weight, bias, running_mean, running_var, eps, momentum, pg)
