"""Elementwise ops: arithmetic, casts and unary maths, with their gradients.

Binary ops take arrays or Python scalars; their backward reduces broadcast
gradients with ``sum_to``.  Where the output is cheaper to keep than the
input (exp, sqrt, tanh, sigmoid, relu) the op saves its output.  Gradients at
edge points follow torch's definitions (abs'(0) = 0, relu'(0) = 0, ties of
maximum split evenly, pow's exponent gradient is 0 where the base is 0).

Ops whose values can leave the domain (log(0), 1/0, sqrt(-1)) run under
``quiet``, so NumPy does not warn where torch silently gives inf or nan.
"""
import math

import numpy as np

from ..base import Op, all_finite, sum_to, get_xp

#: decorator: NumPy floating-point warnings off for the call (torch gives inf/nan silently)
quiet = np.errstate(all="ignore")

_LN2, _LN10 = math.log(2.0), math.log(10.0)
_DEG = math.pi / 180.0
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Cast(Op):
    """Convert to another dtype; the gradient converts back."""

    def __init__(self, np_dtype):
        self.np_dtype = np_dtype

    def name(self):
        return "ToCopyBackward0"

    def forward(self, a):
        self.src = a.dtype
        return a.astype(self.np_dtype)

    def backward(self, g):
        if g.dtype.kind == "c" and self.src.kind != "c":
            g = g.real  # a real input's gradient is the real part (torch's convention)
        return g.astype(self.src)


# -- arithmetic ---------------------------------------------------------------
class Add(Op):
    """a + alpha * b; ``sign`` is b's sign, so Sub shares the gradient.  ``label``, when set,
    is torch's node name for the calling function (``RsubBackward1``)."""

    sign = 1
    label = None

    def __init__(self, alpha=1):
        self.alpha = alpha

    def name(self):
        return self.label or f"{type(self).__name__}Backward0"

    def forward(self, a, b):
        self.shapes = (_shape(a), _shape(b))
        if self.alpha != 1:
            b = b * self.alpha
        return a + b

    def backward(self, g):
        na, nb = self.needs_input_grad
        ga = sum_to(g, self.shapes[0]) if na else None
        gb = None
        if nb:
            scale = self.sign * self.alpha
            gb = sum_to(g if scale == 1 else -g if scale == -1 else g * scale, self.shapes[1])
        return ga, gb


class Sub(Add):
    """a - alpha * b."""

    sign = -1

    def forward(self, a, b):
        self.shapes = (_shape(a), _shape(b))
        if self.alpha != 1:
            b = b * self.alpha
        return a - b


class Mul(Op):
    save_inputs = Op.saved_by_need((1,), (0,))

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, g):
        na, nb = self.needs_input_grad
        a, b = self.a, self.b
        if g.dtype.kind == "c":  # torch's (Wirtinger) convention: times the other's conjugate
            a, b = conj(a), conj(b)
        ga = sum_to(g * b, _shape(a)) if na else None
        gb = sum_to(g * a, _shape(b)) if nb else None
        return ga, gb


class Binary(Op):
    """f(a, b) of arrays or Python scalars; subclasses give ``f``, ``grad_a``, ``grad_b``.

    ``grad_a``/``grad_b`` return the gradient at the broadcast shape, read
    ``self.a``, ``self.b`` (and ``self.y`` when ``save_output``), and are only
    called for inputs that need one.  ``scalar_arrays`` turns a Python-scalar
    operand into a 0-d array of the other's dtype, for ops that apply ufuncs
    to it alone (NumPy would make those float64).
    """

    save_inputs = (0, 1)
    scalar_arrays = False

    @quiet
    def forward(self, a, b):
        if self.scalar_arrays:
            a, b = _scalar_array(a, b), _scalar_array(b, a)
        self.a, self.b = a, b
        y = self.f(_xp(a, b), a, b)
        if self.save_output:
            self.y = y
        return y

    @quiet
    def backward(self, g):
        if g.dtype.kind == "c":  # torch's convention: the real formula on conjugated values
            saved = self.a, self.b, self.__dict__.get("y")
            self.a, self.b, self.y = (conj(v) for v in saved)
            try:
                return self._grads(g)
            finally:
                self.a, self.b, self.y = saved
        return self._grads(g)

    def _grads(self, g):
        na, nb = self.needs_input_grad
        xp = get_xp(g)
        return (sum_to(self.grad_a(xp, g), _shape(self.a)) if na else None,
                sum_to(self.grad_b(xp, g), _shape(self.b)) if nb else None)


def conj(x):
    """The complex conjugate of an array or a Python number (None stays None).  A complex
    op's backward applies its real formula to conjugated values: for a holomorphic f that
    gives torch's gradient g * conj(f'(z))."""
    return None if x is None else x.conjugate()


def _is_number(x):
    """A Python number (not None, not an array): how an op tells a scalar operand apart."""
    return x is not None and not hasattr(x, "shape")


class Div(Binary):
    """a / b (true division; the caller has made integer operands float)."""

    save_inputs = Op.saved_by_need((1,), (0, 1))

    def f(self, xp, a, b):
        return a / b

    def grad_a(self, xp, g):
        return g / self.b

    def grad_b(self, xp, g):
        return -g * self.a / (self.b * self.b)


class RoundedDiv(Binary):
    """a / b rounded toward zero ('trunc') or down ('floor'); its gradient is zero."""

    save_inputs = ()

    def __init__(self, mode):
        self.mode = mode

    def name(self):
        return "DivBackward2"

    def f(self, xp, a, b):
        return rounded_div(xp, a, b, self.mode)

    def grad_a(self, xp, g):
        return xp.zeros_like(g)

    grad_b = grad_a


class FloorDivide(RoundedDiv):
    """``a // b``: torch defines no derivative, so backward raises as torch does."""

    def __init__(self):
        self.mode = "floor"

    def name(self):
        return "NotImplemented"

    def backward(self, g):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class Fmod(Binary):
    """C-style remainder (sign of the dividend); d/db = -trunc(a / b)."""

    mode, fn = "trunc", "fmod"

    def name(self):
        # torch's overloads: Tensor by Scalar, Tensor by Tensor
        return f"{type(self).__name__}Backward{0 if _is_number(self.__dict__.get('b')) else 1}"

    def f(self, xp, a, b):
        _check_int_divisor(a, b)
        return getattr(xp, self.fn)(a, b)

    def grad_a(self, xp, g):
        return g

    def grad_b(self, xp, g):
        return -g * rounded_div(xp, self.a, self.b, self.mode)


class Remainder(Fmod):
    """Python-style remainder (sign of the divisor); d/db = -floor(a / b).

    torch has no derivative for a scalar dividend (``3 % x``), so that backward raises.
    """

    mode, fn = "floor", "remainder"

    def grad_b(self, xp, g):
        if _is_number(self.a):
            raise RuntimeError("derivative for aten::remainder is not implemented")
        return super().grad_b(xp, g)


class Pow(Binary):
    """a ** b for tensors, a scalar exponent or a scalar base.

    d/da = b * a**(b-1), and 0 where b == 0; d/db = y * log(a), and 0 where
    a == 0 and b >= 0 (torch's conventions, which avoid 0 * inf = nan).
    """

    save_output = True

    def name(self):
        # torch's overloads: Tensor ** Scalar, Tensor ** Tensor, Scalar ** Tensor
        if _is_number(self.__dict__.get("b")):
            return "PowBackward0"
        return "PowBackward2" if _is_number(self.__dict__.get("a")) else "PowBackward1"

    def f(self, xp, a, b):
        if not hasattr(b, "shape"):  # only a tensor exponent's gradient reads the output
            self.save_output = False
        if _is_int(a, b):
            return _int_pow(xp, a, b)
        return a ** b

    def grad_a(self, xp, g):
        a, b = self.a, self.b
        if not hasattr(b, "shape"):
            if b == 0:
                return xp.zeros_like(g)
            return g * (2 * a) if b == 2 else g * (b * a ** (b - 1))
        return xp.where(b == 0, 0, g * (b * a ** (b - 1)))

    def grad_b(self, xp, g):
        a, b = self.a, self.b
        log_a = xp.log(a) if hasattr(a, "shape") else _scalar_log(a)
        return g * xp.where((a == 0) & (b >= 0), 0, self.y * log_a)


class Maximum(Binary):
    """Elementwise max (NaN propagates); a tie sends half the gradient to each side."""

    pick = "maximum"

    def f(self, xp, a, b):
        return getattr(xp, self.pick)(a, b)

    def grad_a(self, xp, g):
        return self._tie_grad(xp, g, True)

    def grad_b(self, xp, g):
        return self._tie_grad(xp, g, False)

    def _tie_grad(self, xp, g, first):
        a, b = self.a, self.b
        split = xp.where(a == b, g * 0.5, g)
        loses = (a < b) if (first == (self.pick == "maximum")) else (a > b)
        return xp.where(loses, 0, split)


class Minimum(Maximum):
    pick = "minimum"


class Fmax(Binary):
    """Max ignoring NaN; the gradient goes to the chosen side (ties to ``a``)."""

    pick = "fmax"

    def f(self, xp, a, b):
        return getattr(xp, self.pick)(a, b)

    def _a_wins(self, xp):
        a, b = self.a, self.b
        return ((a >= b) if self.pick == "fmax" else (a <= b)) | xp.isnan(b)

    def grad_a(self, xp, g):
        return xp.where(self._a_wins(xp), g, 0)

    def grad_b(self, xp, g):
        return xp.where(self._a_wins(xp), 0, g)


class Fmin(Fmax):
    pick = "fmin"


class Atan2(Binary):
    """atan2(a, b); the gradient is 0 at the origin, as torch defines it."""

    def f(self, xp, a, b):
        return xp.arctan2(a, b)

    def _scale(self, xp, g):
        a, b = self.a, self.b
        denom = a * a + b * b
        return xp.where(denom == 0, 0, g / denom)

    def grad_a(self, xp, g):
        return self._scale(xp, g) * self.b

    def grad_b(self, xp, g):
        return self._scale(xp, g) * -self.a


class Hypot(Binary):
    save_output = True

    def f(self, xp, a, b):
        return xp.hypot(a, b)

    def grad_a(self, xp, g):
        return g * self.a / self.y

    def grad_b(self, xp, g):
        return g * self.b / self.y


class Xlogy(Binary):
    """a * log(b), defined as 0 where a == 0 (unless b is NaN)."""

    scalar_arrays = True

    def f(self, xp, a, b):
        return xlogy(xp, a, b)

    def grad_a(self, xp, g):
        return xp.where((self.a == 0) & (self.b <= 0), 0, xlogy(xp, g, self.b))

    def grad_b(self, xp, g):
        return g * self.a / self.b


class Copysign(Binary):
    """|a| with the sign of b; the gradient reaches only ``a`` (and is 0 at a == 0)."""

    save_output = True

    def f(self, xp, a, b):
        return xp.copysign(a, b)

    def grad_a(self, xp, g):
        return g * xp.where(self.a == 0, 0, self.y / self.a)

    def grad_b(self, xp, g):
        return xp.zeros_like(g)


class Lerp(Op):
    """start + weight * (end - start), written as torch does for accuracy at weight = 1."""

    save_inputs = Op.saved_by_need((2,), (2,), (0, 1))

    def name(self):
        # a saved array is dropped after backward; a number weight stays
        return "LerpBackward0" if _is_number(self.__dict__.get("weight")) else "LerpBackward1"

    @quiet
    def forward(self, start, end, weight):
        self.start, self.end, self.weight = start, end, weight
        diff = end - start
        if not hasattr(weight, "shape"):
            return start + weight * diff if abs(weight) < 0.5 else end - diff * (1 - weight)
        xp = get_xp(start)
        return xp.where(xp.abs(weight) < 0.5, start + weight * diff, end - diff * (1 - weight))

    def backward(self, g):
        ns, ne, nw = self.needs_input_grad
        w, start, end = self.weight, self.start, self.end
        if g.dtype.kind == "c":
            w, start, end = conj(w), conj(start), conj(end)
        return (sum_to(g * (1 - w), _shape(start)) if ns else None,
                sum_to(g * w, _shape(end)) if ne else None,
                sum_to(g * (end - start), _shape(w)) if nw else None)


class Addcmul(Op):
    """input + value * t1 * t2."""

    save_inputs = Op.saved_by_need((), (2,), (1,))

    def __init__(self, value=1):
        self.value = value

    def forward(self, x, t1, t2):
        self.shape, self.t1, self.t2 = _shape(x), t1, t2
        prod = t1 * t2
        return x + (prod if self.value == 1 else self.value * prod)

    def backward(self, g):
        n0, n1, n2 = self.needs_input_grad
        gv, t1, t2 = self._conj_terms(g)
        return (sum_to(g, self.shape) if n0 else None,
                sum_to(gv * t2, _shape(t1)) if n1 else None,
                sum_to(gv * t1, _shape(t2)) if n2 else None)

    def _conj_terms(self, g):
        """g times value, t1 and t2, all conjugated for a complex g (torch's convention)."""
        value, t1, t2 = self.value, self.t1, self.t2
        if g.dtype.kind == "c":
            value, t1, t2 = conj(value), conj(t1), conj(t2)
        return (g if value == 1 else g * value), t1, t2


class Addcdiv(Addcmul):
    """input + value * t1 / t2 (torch keeps t2 for every gradient, so its version is checked)."""

    save_inputs = Op.saved_by_need((2,), (2,), (1, 2))

    @quiet
    def forward(self, x, t1, t2):
        self.shape, self.t1, self.t2 = _shape(x), t1, t2
        quot = t1 / t2
        return x + (quot if self.value == 1 else self.value * quot)

    @quiet
    def backward(self, g):
        n0, n1, n2 = self.needs_input_grad
        gv, t1, t2 = self._conj_terms(g)
        return (sum_to(g, self.shape) if n0 else None,
                sum_to(gv / t2, _shape(t1)) if n1 else None,
                sum_to(-gv * t1 / (t2 * t2), _shape(t2)) if n2 else None)


class Clamp(Op):
    """min(max(x, lo), hi) with scalar or array bounds (None: unbounded on that side).

    Where lo > hi the result is hi.  Gradients: x where lo <= x <= hi, lo where
    x < lo <= hi, hi where the result is hi because max(x, lo) > hi.
    """

    save_inputs = (0, 1, 2)
    #: torch's grad_fn stem for the calling function: Clamp, ClampMin or ClampMax
    label = "Clamp"

    def name(self):
        # torch numbers clamp's Tensor overload 0 and clamp_min/max's Scalar overload 0
        d = self.__dict__
        number = _is_number(d.get("lo")) or _is_number(d.get("hi"))
        return f"{self.label}Backward{int(number == (self.label == 'Clamp'))}"

    def forward(self, x, lo, hi):
        self.x, self.lo, self.hi = x, lo, hi
        xp = get_xp(x)
        if lo is None:
            return xp.minimum(x, hi)
        if hi is None:
            return xp.maximum(x, lo)
        return xp.clip(x, lo, hi)

    def backward(self, g):
        nx, nlo, nhi = self.needs_input_grad
        xp = get_xp(g)
        x, lo, hi = self.x, self.lo, self.hi
        gx = glo = ghi = None
        if nx:
            keep = (x >= lo) if lo is not None else True
            if hi is not None:
                keep = keep & (x <= hi)
            gx = sum_to(xp.where(keep, g, 0), x.shape)
        if nlo:
            below = (x < lo) if hi is None else (x < lo) & (lo <= hi)
            glo = sum_to(xp.where(below, g, 0), lo.shape)
        if nhi:
            above = (x > hi) if lo is None else (x > hi) | (lo > hi)
            ghi = sum_to(xp.where(above, g, 0), hi.shape)
        return gx, glo, ghi


# -- unary maths ----------------------------------------------------------------
class Unary(Op):
    """Elementwise f(a); ``df(xp, g, a, y)`` gives the input gradient.

    ``keep`` names what backward reads: "a" (the input), "y" (the output),
    both, or "" (nothing: zero or constant gradients); only that is saved.
    """

    keep = "a"
    save_inputs = (0,)

    @quiet
    def forward(self, a):
        y = self.f(get_xp(a), a)
        if self.needs_input_grad[0]:
            keep = self.keep
            self.a = a if "a" in keep else None
            self.y = y if "y" in keep else None
        return y

    @quiet
    def backward(self, g):
        if g.dtype.kind == "c":  # torch's convention: g times the conjugate derivative
            return self.df(get_xp(g), g, conj(self.a), conj(self.y))
        return self.df(get_xp(g), g, self.a, self.y)


def _unary(name, f, df, keep="a", doc=None, grad_fn=None):
    """A Unary op class with forward ``f(xp, a)`` and gradient ``df(xp, g, a, y)``;
    ``grad_fn`` is torch's node name where it is not ``name + 'Backward0'``."""
    body = {"f": staticmethod(f), "df": staticmethod(df), "keep": keep,
            "save_inputs": (0,) if "a" in keep else (), "save_output": "y" in keep, "__doc__": doc}
    if grad_fn is not None:
        body["name"] = lambda self: grad_fn
    return type(name, (Unary,), body)


def _zero_grad(xp, g, a, y):
    return xp.zeros_like(g)


Neg = _unary("Neg", lambda xp, a: -a, lambda xp, g, a, y: -g, "")
Positive = _unary("Positive", lambda xp, a: a, lambda xp, g, a, y: g, "")
Abs = _unary("Abs", lambda xp, a: xp.abs(a), lambda xp, g, a, y: g * sign(xp, a),
             doc="|a|; the gradient at 0 and at NaN is 0 (torch's sign).")
Square = _unary("Square", lambda xp, a: a * a, lambda xp, g, a, y: g * (2 * a),
                grad_fn="PowBackward0")
Reciprocal = _unary("Reciprocal", lambda xp, a: 1 / a, lambda xp, g, a, y: g * -(y * y), "y")
Exp = _unary("Exp", lambda xp, a: xp.exp(a), lambda xp, g, a, y: g * y, "y",
             doc="e**a; keeps its output, which is also its derivative.")
Exp2 = _unary("Exp2", lambda xp, a: xp.exp2(a), lambda xp, g, a, y: g * (y * _LN2), "y")
Expm1 = _unary("Expm1", lambda xp, a: xp.expm1(a), lambda xp, g, a, y: g * (y + 1), "y")
Log = _unary("Log", lambda xp, a: xp.log(a), lambda xp, g, a, y: g / a)
Log2 = _unary("Log2", lambda xp, a: xp.log2(a), lambda xp, g, a, y: g / (a * _LN2))
Log10 = _unary("Log10", lambda xp, a: xp.log10(a), lambda xp, g, a, y: g / (a * _LN10))
Log1p = _unary("Log1p", lambda xp, a: xp.log1p(a), lambda xp, g, a, y: g / (a + 1),
               grad_fn="Log1PBackward0")
Sqrt = _unary("Sqrt", lambda xp, a: xp.sqrt(a), lambda xp, g, a, y: g / (2 * y), "y")
Rsqrt = _unary("Rsqrt", lambda xp, a: 1 / xp.sqrt(a), lambda xp, g, a, y: g * (-0.5 * y * y * y),
               "y")
Sin = _unary("Sin", lambda xp, a: xp.sin(a), lambda xp, g, a, y: g * xp.cos(a))
Cos = _unary("Cos", lambda xp, a: xp.cos(a), lambda xp, g, a, y: g * -xp.sin(a))
Tan = _unary("Tan", lambda xp, a: xp.tan(a), lambda xp, g, a, y: g * (1 + y * y), "y")
Asin = _unary("Asin", lambda xp, a: xp.arcsin(a), lambda xp, g, a, y: g / xp.sqrt(1 - a * a))
Acos = _unary("Acos", lambda xp, a: xp.arccos(a), lambda xp, g, a, y: -g / xp.sqrt(1 - a * a))
Atan = _unary("Atan", lambda xp, a: xp.arctan(a), lambda xp, g, a, y: g / (1 + a * a))
Sinh = _unary("Sinh", lambda xp, a: xp.sinh(a), lambda xp, g, a, y: g * xp.cosh(a))
Cosh = _unary("Cosh", lambda xp, a: xp.cosh(a), lambda xp, g, a, y: g * xp.sinh(a))
Tanh = _unary("Tanh", lambda xp, a: xp.tanh(a), lambda xp, g, a, y: g * (1 - y * y), "y")
Asinh = _unary("Asinh", lambda xp, a: xp.arcsinh(a), lambda xp, g, a, y: g / xp.sqrt(a * a + 1))
def _acosh_grad(xp, g, a, y):
    """1 / sqrt(a^2 - 1) for real a, as torch; for complex a the branch torch takes,
    1 / (sqrt(a - 1) sqrt(a + 1))."""
    if a.dtype.kind == "c":
        return g / (xp.sqrt(a - 1) * xp.sqrt(a + 1))
    return g / xp.sqrt(a * a - 1)


Acosh = _unary("Acosh", lambda xp, a: xp.arccosh(a), _acosh_grad)
Atanh = _unary("Atanh", lambda xp, a: xp.arctanh(a), lambda xp, g, a, y: g / (1 - a * a))
Deg2rad = _unary("Deg2rad", lambda xp, a: a * _DEG, lambda xp, g, a, y: g * _DEG, "",
                 grad_fn="Deg2RadBackward0")
Rad2deg = _unary("Rad2deg", lambda xp, a: a / _DEG, lambda xp, g, a, y: g / _DEG, "",
                 grad_fn="Rad2DegBackward0")
Frac = _unary("Frac", lambda xp, a: a - xp.trunc(a), lambda xp, g, a, y: g, "")
Floor = _unary("Floor", lambda xp, a: xp.floor(a), _zero_grad, "")
Ceil = _unary("Ceil", lambda xp, a: xp.ceil(a), _zero_grad, "")
Trunc = _unary("Trunc", lambda xp, a: xp.trunc(a), _zero_grad, "")
Sign = _unary("Sign", lambda xp, a: sign(xp, a), _zero_grad, "",
              doc="-1, 0 or 1 (0 for NaN and for bool False, as torch).")
def _sgn_grad(xp, g, a, y):
    """sgn's gradient: 0 for real input; for complex z (handed over conjugated, as every
    complex backward gets its values) torch's (g - Re(g conj(s)) s) / |z|, s = z / |z|."""
    if a.dtype.kind != "c":
        return xp.zeros_like(g)
    s, size = y.conjugate(), xp.abs(a)
    return xp.where(size == 0, 0, (g - (g * y).real * s) / xp.where(size == 0, 1, size))


Sgn = _unary("Sgn", lambda xp, a: sign(xp, a), _sgn_grad, "ay",
             doc="z / |z| (0 at 0) for complex input, torch.sign for real input.")
def _relu_grad(xp, g, a, y):
    # a multiply by the mask is ~10x faster than where(), but an inf gradient at a masked
    # place would give NaN there instead of torch's 0
    return g * ~(y <= 0) if all_finite(g) else xp.where(y <= 0, 0, g)


Relu = _unary("Relu", lambda xp, a: xp.maximum(a, 0), _relu_grad, "y",
              doc="max(a, 0); the gradient at 0 is 0 and NaN passes it through.")
Sigmoid = _unary("Sigmoid", lambda xp, a: sigmoid(xp, a),
                 lambda xp, g, a, y: g * (y * (1 - y)), "y")
Erf = _unary("Erf", lambda xp, a: erf(xp, a),
             lambda xp, g, a, y: g * (_TWO_OVER_SQRT_PI * xp.exp(-(a * a))))
Erfc = _unary("Erfc", lambda xp, a: erfc(xp, a),
              lambda xp, g, a, y: g * (-_TWO_OVER_SQRT_PI * xp.exp(-(a * a))))
Erfinv = _unary("Erfinv", lambda xp, a: erfinv(xp, a),
                lambda xp, g, a, y: g * (xp.exp(y * y) / _TWO_OVER_SQRT_PI), "y")


class Round(Unary):
    """Round half to even, at ``decimals`` places; its gradient is zero."""

    keep = ""
    save_inputs = ()
    df = staticmethod(_zero_grad)

    def __init__(self, decimals=0):
        self.decimals = decimals

    def name(self):
        return "RoundBackward1" if self.decimals else "RoundBackward0"

    def f(self, xp, a):
        return xp.round(a, self.decimals) if self.decimals else xp.rint(a)


class Logit(Unary):
    """log(a / (1 - a)) with ``a`` clamped to [eps, 1 - eps] when eps is given (a negative
    eps counts as none).  The gradient g / (a * (1 - a)) is g * inf at a = 0 and 1 (either
    sign of zero), and outside the range NaN without eps, 0 with it, as torch's kernel."""

    def __init__(self, eps=None):
        self.eps = None if eps is None or eps < 0 else eps

    def f(self, xp, a):
        if self.eps is not None:
            a = xp.clip(a, self.eps, 1 - self.eps)
        return xp.log(a / (1 - a))

    def df(self, xp, g, a, y):
        edge = (a == 0) | (a == 1)  # g / +0 there: +-inf by g's sign, either sign of zero
        grad = g / xp.where(edge, 0, a * (1 - a))
        if self.eps is None:
            return xp.where((a < 0) | (a > 1), xp.nan, grad)
        return xp.where((a < self.eps) | (a > 1 - self.eps), 0, grad)


class NanToNum(Unary):
    """NaN and +-inf replaced by finite values; the gradient is 0 at those places."""

    def __init__(self, nan, posinf, neginf):
        self.values = (nan, posinf, neginf)

    def f(self, xp, a):
        nan, posinf, neginf = self.values
        return xp.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)

    def df(self, xp, g, a, y):
        return g * xp.isfinite(a)  # torch's mask multiply: an infinite g gives NaN there


# -- helpers shared with the public layer -----------------------------------------
def rounded_div(xp, a, b, mode):
    """a / b rounded toward zero ('trunc') or down ('floor'), staying integer for ints."""
    if mode == "floor":
        _check_int_divisor(a, b)
        return xp.floor_divide(a, b)
    if _is_int(a, b):
        _check_int_divisor(a, b)
        return (a - xp.fmod(a, b)) // b
    return xp.trunc(a / b)


def sign(xp, a):
    """torch.sign: like NumPy's, but 0 for NaN, and bool stays bool."""
    if a.dtype.kind == "b":
        return a.copy()
    if a.dtype.kind == "f":
        return (a > 0).astype(a.dtype) - (a < 0)
    return xp.sign(a)


def sigmoid(xp, a):
    """1 / (1 + e**-a), with one temporary."""
    t = xp.exp(-a)
    t += 1
    return xp.reciprocal(t, out=t) if hasattr(t, "shape") and t.ndim else 1 / t


def xlogy(xp, x, y):
    """x * log(y), and 0 where x == 0 unless y is NaN."""
    return xp.where((x == 0) & ~xp.isnan(y), 0, x * xp.log(y))


def _check_int_divisor(a, b):
    """Integer division by zero raises, as in torch (NumPy would give 0 and a warning); an
    empty result divides nothing, so it never raises."""
    if _is_int(a, b) and not (b.all() if hasattr(b, "all") else b) \
            and getattr(a, "size", 1) and getattr(b, "size", 1):
        raise RuntimeError("ZeroDivisionError")


def _int_pow(xp, a, b):
    """Integer power; a negative exponent gives 1/a**|b| truncated (1, -1 or 0), as torch."""
    if not hasattr(b, "shape"):
        return a ** b
    neg = b < 0
    if not neg.any():
        return a ** b
    y = a ** xp.where(neg, 0, b)
    odd_sign = 1 - 2 * (b & 1)
    inv = xp.where(a == 1, 1, xp.where(a == -1, odd_sign, 0))
    return xp.where(neg, inv, y).astype(y.dtype, copy=False)


def _scalar_log(a):
    """log of a Python scalar as a weak Python float (-inf at 0, NaN below)."""
    return math.log(a) if a > 0 else (-math.inf if a == 0 else math.nan)


def _is_int(a, b):
    """Whether the (already promoted) operands are integer or bool."""
    arr = a if hasattr(a, "dtype") else b
    return arr.dtype.kind in "iub"


def _scalar_array(x, like):
    return x if hasattr(x, "shape") else get_xp(like).asarray(x, dtype=like.dtype)


def _xp(a, b):
    return get_xp(a if hasattr(a, "shape") else b)


def _shape(x):
    """Shape of an array operand; () for a Python scalar."""
    return getattr(x, "shape", ())


# -- special functions: SciPy (or CuPy's) when importable, else NumPy series -------
_SPECIAL = {}


def _special(xp, name):
    """``scipy.special.<name>`` (``cupyx.scipy.special`` for CuPy), or None if absent; for
    the Tensor namespace of a create_graph backward, ember's differentiable one."""
    if hasattr(xp, "special"):
        return getattr(xp.special, name, None)
    key = (xp.__name__, name)
    if key not in _SPECIAL:
        try:
            if xp is np:
                import scipy.special as sp
            else:
                import cupyx.scipy.special as sp
            _SPECIAL[key] = getattr(sp, name)
        except ImportError:
            _SPECIAL[key] = None
    return _SPECIAL[key]


def _with_special(name, fallback):
    """An array function using the library ``name`` if importable, else ``fallback``."""
    def fn(xp, a):
        lib = _special(xp, name)
        y = lib(a) if lib is not None else fallback(xp, a)
        return y.astype(a.dtype, copy=False)
    fn.__name__ = name
    return fn


_CF_FROM = 1.5  # below: power series; from here on: continued fraction


def erf_numpy(xp, x):
    """erf in float64 without SciPy: a power series for |x| < 1.5, else 1 - erfc.

    The series x * sum (2x^2)^n / (2n+1)!! has only positive terms (no
    cancellation) and reaches float64 precision within 40 terms there.
    """
    x = xp.asarray(x, dtype=xp.float64)
    small = xp.abs(x) < _CF_FROM
    xs = xp.where(small, x, 0.0)
    term = xs.copy()
    total = xs.copy()
    two_x2 = 2 * xs * xs
    for n in range(1, 40):
        term *= two_x2 / (2 * n + 1)
        total += term
    series = _TWO_OVER_SQRT_PI * xp.exp(-xs * xs) * total
    tail = xp.sign(x) * (1 - _erfc_cf(xp, xp.abs(xp.where(small, _CF_FROM, x))))
    return xp.where(small, series, tail)


def erfc_numpy(xp, x):
    """erfc in float64 without SciPy: the continued fraction from 1.5 on, else 1 - erf."""
    x = xp.asarray(x, dtype=xp.float64)
    large = x >= _CF_FROM
    cf = _erfc_cf(xp, xp.where(large, x, _CF_FROM))
    return xp.where(large, cf, 1 - erf_numpy(xp, xp.where(large, 0.0, x)))


def _erfc_cf(xp, x):
    """erfc(x) for x >= 1.5: exp(-x^2) times ``erfcx_cf``."""
    return xp.exp(-x * x) * erfcx_cf(xp, x)


def erfcx_cf(xp, x, terms=100):
    """exp(x^2) erfc(x) for x >= 1.5 by Laplace's continued fraction, evaluated from its tail:
    1 / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...))))."""
    k = x.copy()
    for n in range(terms, 0, -1):
        k = x + (n / 2) / k
    return 1 / (math.sqrt(math.pi) * k)


def erfinv_numpy(xp, y):
    """erfinv without SciPy: Winitzki's closed form refined by three Halley steps.

    Past |y| = 0.5 the residual is taken on erfc, so that values near +-1 keep
    their relative accuracy.
    """
    y = xp.asarray(y, dtype=xp.float64)
    ay = xp.abs(y)
    inside = ay < 1
    ya = xp.where(inside, ay, 0.5)
    a = 0.147
    log_term = xp.log((1 - ya) * (1 + ya))
    t = 2 / (math.pi * a) + log_term / 2
    x = xp.sqrt(xp.sqrt(t * t - log_term / a) - t)
    tail = ya >= 0.5
    for _ in range(3):
        resid = xp.where(tail, (1 - ya) - erfc_numpy(xp, x), erf_numpy(xp, x) - ya)
        ratio = resid / (_TWO_OVER_SQRT_PI * xp.exp(-x * x))
        x = x - ratio / (1 + x * ratio)
    out = xp.where(inside, x, xp.where(ay == 1, xp.inf, xp.nan))
    return xp.copysign(out, y)


erf = _with_special("erf", erf_numpy)
erfc = _with_special("erfc", erfc_numpy)
erfinv = _with_special("erfinv", erfinv_numpy)
