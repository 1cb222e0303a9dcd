"""Activation ops on raw arrays: the parametrised pointwise activations, PReLU, GLU, and
``ScaleShift`` (x * s + t with constant s, t) behind dropout and RReLU.

Pointwise ops are ``Unary`` ops (see ``ember/_ops/elementwise/ops.py``): ``f``
computes the value, ``df(xp, g, a, y)`` the input gradient from what ``keep``
names.  Where the output determines the gradient (leaky ReLU with a
non-negative slope, ELU with alpha >= 0, hardtanh, hardsigmoid) the op keeps
its output rather than its input, so an in-place form needs no copy.
Gradients at the kinks follow torch's kernels (e.g. hardtanh's is 0 at both
bounds, softshrink's 0 at +-lambda).
"""
import math

from ..base import Op, sum_to, get_xp
from ..elementwise.ops import Unary, sigmoid, erf, sign

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_GELU_K = math.sqrt(2.0 / math.pi)
_TANH_GELU_C = 0.044715


class _Pointwise(Unary):
    """A Unary op whose ``keep`` may depend on its parameters (set by ``_keep``); ``label``,
    when set, is the grad_fn stem torch shows for the calling function (``Celu``)."""

    label = None

    def name(self):
        return (self.label or type(self).__name__) + "Backward0"

    def _keep(self, keep):
        self.keep = keep
        self.save_inputs = (0,) if "a" in keep else ()
        self.save_output = "y" in keep


def softplus_array(xp, a):
    """log(1 + e**a) without overflow: max(a, 0) + log1p(e**-|a|)."""
    return xp.maximum(a, 0) + xp.log1p(xp.exp(-xp.abs(a)))


class Threshold(_Pointwise):
    """``value`` where x <= threshold, else x (NaN stays NaN); the gradient passes elsewhere."""

    def __init__(self, threshold, value):
        self.threshold, self.value = threshold, value

    def f(self, xp, a):
        return xp.where(a <= self.threshold, self.value, a).astype(a.dtype, copy=False)

    def df(self, xp, g, a, y):
        return xp.where(a <= self.threshold, 0, g)


class Hardtanh(_Pointwise):
    """clip(x, lo, hi); the gradient passes strictly inside (lo, hi) and at NaN, read off the
    output."""

    keep, save_inputs, save_output = "y", (), True

    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi

    def f(self, xp, a):
        return xp.clip(a, self.lo, self.hi).astype(a.dtype, copy=False)

    def df(self, xp, g, a, y):
        return xp.where((y <= self.lo) | (y >= self.hi), 0, g)


class LeakyRelu(_Pointwise):
    """x where x > 0, else slope * x (keeps the output when slope >= 0)."""

    def __init__(self, slope):
        self.slope = slope
        self._keep("y" if slope >= 0 else "a")

    def f(self, xp, a):
        return xp.where(a > 0, a, a * self.slope)

    def df(self, xp, g, a, y):
        return xp.where((y if a is None else a) > 0, g, g * self.slope)


class Elu(_Pointwise):
    """ELU family: scale * x for x > 0, else scale * alpha * (exp(input_scale * x) - 1).

    ELU (scale = input_scale = 1), SELU (fixed alpha and scale) and CELU
    (input_scale = 1 / alpha).  With alpha >= 0 the gradient comes from the
    output: input_scale * (y + scale * alpha) on the negative side.  NaN takes the positive
    side's gradient, as in torch.
    """

    def __init__(self, alpha=1.0, scale=1.0, input_scale=1.0):
        self.alpha, self.scale, self.input_scale = alpha, scale, input_scale
        self._keep("y" if alpha >= 0 else "a")

    def f(self, xp, a):
        neg = xp.expm1(a * self.input_scale) * (self.alpha * self.scale)
        return xp.where(a > 0, a * self.scale if self.scale != 1 else a, neg)

    def df(self, xp, g, a, y):
        s, si = self.scale, self.input_scale
        if a is None:
            neg = g * (si * (y + self.alpha * s))
            return xp.where(y <= 0, neg, g * s)
        neg = g * (si * self.alpha * s) * xp.exp(a * si)
        return xp.where(a <= 0, neg, g * s)


class Hardsigmoid(_Pointwise):
    """clip(x / 6 + 1/2, 0, 1); the gradient 1/6 strictly inside (-3, 3), from the output."""

    keep, save_inputs, save_output = "y", (), True

    def f(self, xp, a):
        return xp.clip(a / 6 + 0.5, 0, 1)

    def df(self, xp, g, a, y):
        return xp.where((y > 0) & (y < 1), g / 6, 0)


class Hardswish(_Pointwise):
    """x * clip(x + 3, 0, 6) / 6; the gradient is 0 at and below -3, g at and above 3 (and at
    NaN), g * (x / 3 + 1/2) between."""

    def f(self, xp, a):
        return a * xp.clip(a + 3, 0, 6) / 6

    def df(self, xp, g, a, y):
        return xp.where(a <= -3, 0, xp.where(a < 3, g * (a / 3 + 0.5), g))


class Silu(_Pointwise):
    """x * sigmoid(x); d/dx = s * (1 + x * (1 - s))."""

    def f(self, xp, a):
        return a * sigmoid(xp, a)

    def df(self, xp, g, a, y):
        s = sigmoid(xp, a)
        return g * s * (1 + a * (1 - s))


class Mish(_Pointwise):
    """x * tanh(softplus(x)); d/dx = t + x * sigmoid(x) * (1 - t**2)."""

    def f(self, xp, a):
        return a * xp.tanh(softplus_array(xp, a))

    def df(self, xp, g, a, y):
        t = xp.tanh(softplus_array(xp, a))
        return g * (t + a * sigmoid(xp, a) * (1 - t * t))


class Gelu(_Pointwise):
    """x * Phi(x) (``approximate='none'``) or its tanh approximation (``'tanh'``).

    Forward keeps Phi(x) (or the tanh) for backward, so erf is evaluated once.
    """

    def __init__(self, approximate="none"):
        self.tanh = approximate == "tanh"

    def _kept(self, xp, a):
        """The tanh term (``'tanh'``) or Phi(a): what forward keeps for backward."""
        if self.tanh:
            return xp.tanh(_TANH_GELU_K * (a + _TANH_GELU_C * a * a * a))
        return 0.5 * (1 + erf(xp, a * _SQRT_HALF))

    def f(self, xp, a):
        self.kept = k = self._kept(xp, a)
        return 0.5 * a * (1 + k) if self.tanh else a * k

    def regraph(self):
        """Under create_graph: the kept term again, from the swapped input."""
        return {"kept": self._kept(get_xp(self.a), self.a)}

    def df(self, xp, g, a, y):
        k = self.kept
        if self.tanh:
            dt = (1 - k * k) * _TANH_GELU_K * (1 + 3 * _TANH_GELU_C * a * a)
            return g * (0.5 * (1 + k) + 0.5 * a * dt)
        return g * (k + a * (_INV_SQRT_2PI * xp.exp(-0.5 * a * a)))


class Softplus(_Pointwise):
    """log(1 + exp(beta * x)) / beta, and x itself where beta * x > threshold."""

    def __init__(self, beta=1.0, threshold=20.0):
        self.beta, self.threshold = beta, threshold

    def f(self, xp, a):
        z = a * self.beta
        return xp.where(z > self.threshold, a, softplus_array(xp, z) / self.beta)

    def df(self, xp, g, a, y):
        z = a * self.beta
        return xp.where(z > self.threshold, g, g * sigmoid(xp, z))


class Softsign(_Pointwise):
    """x / (1 + |x|).  The gradient is torch's sum of the quotient's two terms,
    g / d - g * x * sign(x) / d**2 with d = 1 + |x|, so that x = +-inf (and an infinite g)
    give NaN as in torch, not the limit."""

    def name(self):
        return "DivBackward0"

    def f(self, xp, a):
        return a / (1 + xp.abs(a))

    def df(self, xp, g, a, y):
        d = 1 + xp.abs(a)
        return g / d - g * a / (d * d) * sign(xp, a)


class Shrink(_Pointwise):
    """Hardshrink (0 where -lambda <= x <= lambda, else x) or softshrink (the rest also moved
    toward 0 by lambda); NaN stays NaN and passes its gradient, as in torch."""

    def __init__(self, lambd, soft):
        self.lambd, self.soft = lambd, soft

    def name(self):
        return "SoftshrinkBackward0" if self.soft else "HardshrinkBackward0"

    def _inside(self, a):
        return (a >= -self.lambd) & (a <= self.lambd)

    def f(self, xp, a):
        lam = self.lambd
        out = xp.where(a > lam, a - lam, a + lam) if self.soft else a
        return xp.where(self._inside(a), 0, out).astype(a.dtype, copy=False)

    def df(self, xp, g, a, y):
        return xp.where(self._inside(a), 0, g)


class Tanhshrink(_Pointwise):
    """x - tanh(x); the gradient is torch's g - g * (1 - tanh(x)**2) (an infinite g gives NaN)."""

    def name(self):
        return "SubBackward0"

    def f(self, xp, a):
        return a - xp.tanh(a)

    def df(self, xp, g, a, y):
        t = xp.tanh(a)
        return g - g * (1 - t * t)


class LogSigmoid(_Pointwise):
    """log(sigmoid(x)) = -softplus(-x); d/dx = sigmoid(-x)."""

    def f(self, xp, a):
        return -softplus_array(xp, -a)

    def df(self, xp, g, a, y):
        return g * sigmoid(xp, -a)


class PRelu(Op):
    """x where x > 0, else w * x, with one learned slope per channel (dim 1) or one for all."""

    def name(self):
        return "PreluKernelBackward0"

    save_inputs = (0, 1)

    def forward(self, a, w):
        self.wshape = w.shape
        w = w.reshape((-1,) + (1,) * (a.ndim - 2)) if w.size > 1 else w.reshape(())
        self.a, self.w = a, w
        return get_xp(a).where(a > 0, a, w * a)

    def backward(self, g):
        na, nw = self.needs_input_grad
        xp, a = get_xp(g), self.a
        pos = a > 0
        ga = xp.where(pos, g, g * self.w) if na else None
        gw = None
        if nw:
            gw = xp.where(pos, 0, g * a)
            gw = (sum_to(gw, self.w.shape) if self.w.size > 1 else gw.sum()).reshape(self.wshape)
        return ga, gw


class Glu(Op):
    """a * sigmoid(b), where a and b are the two halves of the input along ``axis``."""

    save_inputs = (0,)

    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        a, s = self._halves(get_xp(x), x)
        if self.needs_input_grad[0]:
            self.x, self.a, self.s = x, a, s
        return a * s

    def _halves(self, xp, x):
        """The first half and the sigmoid of the second."""
        a, b = xp.split(x, 2, axis=self.axis)
        return a, sigmoid(xp, b)

    def regraph(self):
        """Under create_graph: both halves again, from the swapped input."""
        a, s = self._halves(get_xp(self.x), self.x)
        return {"a": a, "s": s}

    def backward(self, g):
        xp, a, s = get_xp(g), self.a, self.s
        return xp.concatenate([g * s, g * a * s * (1 - s)], axis=self.axis)


class ScaleShift(Op):
    """x * scale (+ shift), with constant arrays broadcasting against x; d/dx = scale.

    Dropout (scale = mask / (1 - p)), alpha dropout (an affine map of the
    mask) and training-mode RReLU (random slopes) are all this op.
    """

    label = None

    def __init__(self, scale, shift=None):
        self.scale, self.shift = scale, shift

    def name(self):
        # torch: dropout multiplies, alpha dropout ends with an add (RReLU sets its own label)
        return self.label or ("MulBackward0" if self.shift is None else "AddBackward0")

    def forward(self, x):
        y = x * self.scale
        if self.shift is not None:
            y += self.shift
        return y

    def backward(self, g):
        return g * self.scale
