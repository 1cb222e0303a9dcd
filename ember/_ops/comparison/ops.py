"""Comparison ops: ``where`` (differentiable in its two value operands) and the
array kernels behind comparisons and closeness tests.

Comparisons and logical ops give bool tensors that never need gradients, so
they are plain array functions; ``Compare`` wraps one as an op only so that
the in-place forms (``x.lt_(y)``) go through autograd's in-place machinery.
"""
from ..base import Op, sum_to, get_xp
from ..elementwise.ops import quiet


class Where(Op):
    """cond ? x : y; the gradient goes to x where cond holds and to y elsewhere."""

    def __init__(self, cond, np_dtype):
        self.cond, self.np_dtype = cond, np_dtype

    def forward(self, x, y):
        self.shapes = (getattr(x, "shape", ()), getattr(y, "shape", ()))
        xp = get_xp(self.cond)
        out = xp.where(self.cond, x, y)
        return out if out.dtype == self.np_dtype else out.astype(self.np_dtype)

    def backward(self, g):
        nx, ny = self.needs_input_grad
        xp = get_xp(g)
        return (sum_to(xp.where(self.cond, g, 0), self.shapes[0]) if nx else None,
                sum_to(xp.where(self.cond, 0, g), self.shapes[1]) if ny else None)


class Compare(Op):
    """A comparison or logical ufunc (by name) as an op: bool result, zero gradients."""

    def __init__(self, ufunc):
        self.ufunc = ufunc

    def forward(self, a, b=None):
        self.shapes = (a.shape, getattr(b, "shape", ()))
        fn = getattr(get_xp(a), self.ufunc)
        return fn(a) if b is None else fn(a, b)

    def backward(self, g):
        xp = get_xp(g)
        return tuple(xp.zeros(s, g.dtype) if n else None
                     for s, n in zip(self.shapes, self.needs_input_grad))


@quiet
def isclose(xp, a, b, rtol, atol, equal_nan):
    """|a - b| <= atol + rtol * |b| elementwise, with equal infinities close (torch's rule)."""
    close = a == b
    if equal_nan and a.dtype.kind in "fc":
        close |= xp.isnan(a) & xp.isnan(b)
    if rtol == 0 and atol == 0:
        return close
    if a.dtype.kind == "b":
        a, b = a.astype(xp.float32), b.astype(xp.float32)
    # unsigned differences must not wrap around; signed ones wrap as in torch
    err = xp.where(a > b, a - b, b - a) if a.dtype.kind == "u" else xp.abs(a - b)
    return close | (xp.isfinite(err) & (err <= atol + rtol * xp.abs(b)))
