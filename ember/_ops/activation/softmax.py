"""Softmax and log-softmax: ``torch.softmax``/``torch.log_softmax`` (and the Tensor methods)
with their one fused op.

This is the single front door: ``nn.functional``'s ``softmax``/``softmin``/``log_softmax``
(torch's implicit-dim rule, in ``funcs``), ``torch.special``'s forms and the losses all come
here.  softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m) with m the max along ``dim``;
log_softmax is (x_i - m) - log sum_j exp(x_j - m), formed without softmax.

Example::

    softmax(tensor([0., 0.]), 0)          # tensor([0.5, 0.5])
    tensor([[1., 2.]]).log_softmax(-1)    # tensor([[-1.3133, -0.3133]])
"""
from ..base import Op, get_xp
from ..common import handle_out
from ..reduction.ops import _quiet, _1d, _sum
from ..reduction.funcs import _define, _axis, _cast, _type_name

__all__ = ["softmax", "log_softmax"]


class Softmax(Op):
    """softmax (``log``: log_softmax) along ``axis``, shifted by the max for stability.

    Backward uses only the saved output y: y * (g - sum(g * y)) for softmax,
    g - exp(y) * sum(g) for log_softmax.
    """

    save_output = True

    def __init__(self, axis, log=False):
        self.axis, self.log = axis, log

    def name(self):
        return "LogSoftmaxBackward0" if self.log else "SoftmaxBackward0"

    @_quiet
    def forward(self, a):
        xp, axis = get_xp(a), self.axis
        x = _1d(a)
        if x.size:
            x = x - xp.amax(x, axis=axis, keepdims=True)
        if self.log:
            y = x - xp.log(_sum(xp.exp(x), axis, True))
        else:
            e = xp.exp(x)
            y = e / _sum(e, axis, True)
        self.y = y
        return y.reshape(a.shape)

    def backward(self, g):
        xp, y, axis = get_xp(g), self.y, self.axis
        g1 = g.reshape(y.shape)
        # in place where a fresh array is at hand: one temporary instead of three
        if self.log:
            grad = xp.exp(y)
            grad *= _sum(g1, axis, True)
            xp.subtract(g1, grad, out=grad)
        else:
            grad = g1 * y
            grad -= y * _sum(grad, axis, True)
        return grad.reshape(g.shape)


def _softmax(name, log):
    """torch.softmax / torch.log_softmax along ``dim`` (``dtype``: compute and return in it)."""
    def fn(input, dim, dtype=None, *, out=None):
        x = _cast(input, dtype)
        if x._data.dtype.kind not in "fc":
            raise NotImplementedError(f'"{name}" not implemented for \'{_type_name(x)}\' (pass '
                                      "dtype=ember.float32 to compute in floating point)")
        return handle_out(Softmax(_axis(x, dim), log)(x), out, name)
    return fn


softmax = _define("softmax", _softmax("softmax", False))
log_softmax = _define("log_softmax", _softmax("log_softmax", True))
