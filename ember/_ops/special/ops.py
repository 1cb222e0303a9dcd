"""Special-function ops (gamma family, error-function relatives, Bessel functions, ...).

Each value comes from ``scipy.special`` (``cupyx.scipy.special`` on CuPy) when
it is installed, else from the NumPy fallbacks in ``special_numpy``; results
keep the input's float dtype, and NumPy's floating-point warnings are off (torch
gives inf and NaN silently).  Gradients follow torch's formulas; where torch
has none (an igamma's ``a``, zeta's ``x``) backward raises torch's error.
"""
import math

from ..elementwise import ops as E
from . import numpy_fallback as N
from ..elementwise.ops import Unary, Binary, _unary, quiet

_SQRT_2PI = math.sqrt(2 * math.pi)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


def library(xp, name):
    """SciPy's (or CuPy's) special function ``name``, or None when that library is absent or
    lacks it (CuPy has no ``airy``, for one)."""
    try:
        return E._special(xp, name)
    except AttributeError:
        return None


def kernel(name, scipy_name=None, torch_edges=None):
    """f(xp, *arrays): SciPy's ``scipy_name`` (default ``name``) when installed, else the
    NumPy fallback ``special_numpy.<name>``; the result has the first array's dtype.
    ``torch_edges(xp, y, *arrays)`` replaces values where torch's definition differs."""
    fallback = getattr(N, name)

    @quiet
    def fn(xp, *args):
        lib = library(xp, scipy_name or name)
        y = lib(*args) if lib is not None else fallback(xp, *args)
        if torch_edges is not None:
            y = torch_edges(xp, y, *args)
        dtype = next((a.dtype for a in args if hasattr(a, "dtype")), xp.float64)
        return xp.asarray(y).astype(dtype, copy=False)
    fn.__name__ = name
    return fn


lgamma = kernel("lgamma", "gammaln", lambda xp, y, x: xp.where(x == -xp.inf, xp.inf, y))
digamma = kernel("digamma", "psi")
zeta = kernel("zeta", torch_edges=lambda xp, y, s, q: xp.where(q == xp.inf, xp.nan, y))
gammainc = kernel("gammainc", torch_edges=lambda xp, y, a, x: N.gamma_edges(xp, a, x, y, True))
gammaincc = kernel("gammaincc",
                   torch_edges=lambda xp, y, a, x: N.gamma_edges(xp, a, x, y, False))
erfcx = kernel("erfcx")
ndtr = kernel("ndtr")
ndtri = kernel("ndtri")
log_ndtr = kernel("log_ndtr")
i0 = kernel("i0")
i0e = kernel("i0e")
i1 = kernel("i1")
i1e = kernel("i1e")
#: functions torch gives without a gradient (their results never require grad)
NO_GRAD = {name: kernel(name) for name in ("j0", "j1", "y0", "y1", "k0", "k1", "k0e", "k1e")}
NO_GRAD["i0"], NO_GRAD["i1"] = i0, i1


@quiet
def polygamma(xp, n, x):
    """The n-th derivative of digamma (SciPy's, or (-1)^(n+1) n! zeta(n + 1, x)); NaN where
    torch's gives it: at -inf for n = 1 (its trigamma), at +inf for n >= 2 (its zeta)."""
    if n == 0:
        return digamma(xp, x)
    lib = library(xp, "polygamma")
    y = xp.asarray(lib(n, x) if lib is not None else N.polygamma(xp, n, x))
    y = xp.where(x == (-xp.inf if n == 1 else xp.inf), xp.nan, y)
    return y.astype(x.dtype, copy=False)


@quiet
def airy_ai(xp, x):
    """The Airy function Ai (SciPy's ``airy(x)[0]``, or the NumPy fallback); NaN at +-inf, as
    torch gives."""
    lib = library(xp, "airy")
    y = lib(x)[0] if lib is not None else N.airy_ai(xp, x)
    return xp.where(xp.isinf(x), xp.nan, y).astype(x.dtype, copy=False)


NO_GRAD["airy_ai"] = airy_ai


def _sign(xp, a):
    return (a > 0).astype(a.dtype) - (a < 0)


Lgamma = _unary("Lgamma", lgamma, lambda xp, g, a, y: g * digamma(xp, a),
                doc="log|Gamma(a)|; its derivative is digamma.")
Digamma = _unary("Digamma", digamma, lambda xp, g, a, y: g * polygamma(xp, 1, a))
Erfcx = _unary("Erfcx", erfcx, lambda xp, g, a, y: g * (2 * a * y - _TWO_OVER_SQRT_PI), "ay",
               grad_fn="SpecialErfcxBackward0")
Ndtr = _unary("Ndtr", ndtr, lambda xp, g, a, y: g * (xp.exp(-a * a / 2) / _SQRT_2PI),
              grad_fn="MulBackward1")
Ndtri = _unary("Ndtri", ndtri, lambda xp, g, a, y: g * (_SQRT_2PI * xp.exp(y * y / 2)), "y",
               grad_fn="SpecialNdtriBackward0")
LogNdtr = _unary("LogNdtr", log_ndtr,
                 lambda xp, g, a, y: g * (xp.exp(-a * a / 2 - y) / _SQRT_2PI), "ay",
                 grad_fn="SpecialLogNdtrBackward0")
I0 = _unary("I0", i0, lambda xp, g, a, y: g * i1(xp, a))
I0e = _unary("I0e", i0e, lambda xp, g, a, y: g * (i1e(xp, a) - _sign(xp, a) * y), "ay",
             grad_fn="SpecialI0EBackward0")
def _near_zero(xp, a):
    """Where torch's i1/i1e gradients take their limit 0.5 at 0: not |a| > eps (NaN too)."""
    return ~(xp.abs(a) > xp.finfo(a.dtype).eps)


def _i1_grad(xp, g, a, y):
    tiny = _near_zero(xp, a)
    return g * xp.where(tiny, 0.5, i0(xp, a) - y / xp.where(tiny, 1, a))


def _i1e_grad(xp, g, a, y):
    tiny = _near_zero(xp, a)
    return g * xp.where(tiny, 0.5, i0e(xp, a) - y * (_sign(xp, a) + 1 / xp.where(tiny, 1, a)))


I1 = _unary("I1", i1, _i1_grad, "ay", grad_fn="SpecialI1Backward0")
I1e = _unary("I1e", i1e, _i1e_grad, "ay", grad_fn="SpecialI1EBackward0")
Entr = _unary("Entr", lambda xp, a: xp.where(a > 0, -a * xp.log(xp.where(a > 0, a, 1)),
                                             xp.where(a == 0, 0, xp.where(a < 0, -xp.inf, a))),
              lambda xp, g, a, y: g * -(xp.log(a) + 1),
              doc="-a log a (0 at 0, -inf below 0, NaN stays NaN).", grad_fn="SpecialEntrBackward0")
Sinc = _unary("Sinc", lambda xp, a: xp.sinc(a),
              lambda xp, g, a, y: g * xp.where(a == 0, 0, (xp.cos(math.pi * a) - y)
                                               / xp.where(a == 0, 1, a)), "ay",
              doc="sin(pi a) / (pi a), 1 at 0.")


class Polygamma(Unary):
    """The n-th derivative of digamma; its own derivative is the (n + 1)-th."""

    def __init__(self, n):
        self.n = n

    def f(self, xp, a):
        return polygamma(xp, self.n, a)

    def df(self, xp, g, a, y):
        return g * polygamma(xp, self.n + 1, a)


class Multigammaln(Unary):
    """log of the multivariate gamma function of dimension p:
    p(p-1)/4 log(pi) + sum_{i<p} lgamma(a - i/2)."""

    def __init__(self, p):
        self.p = p

    def name(self):
        return "MvlgammaBackward0"

    def f(self, xp, a):
        total = sum(lgamma(xp, a - i / 2) for i in range(self.p))
        return (total + self.p * (self.p - 1) / 4 * math.log(math.pi)).astype(a.dtype)

    def df(self, xp, g, a, y):
        return g * sum(digamma(xp, a - i / 2) for i in range(self.p))


class Xlog1py(Binary):
    """a * log1p(b), defined as 0 where a == 0 (unless b is NaN)."""

    scalar_arrays = True

    def name(self):
        return "SpecialXlog1PyBackward0"

    def f(self, xp, a, b):
        return xp.where((a == 0) & ~xp.isnan(b), 0, a * xp.log1p(b))

    def grad_a(self, xp, g):
        # g * log1p(b) (0 where g is, unless b is NaN), masked only where a == 0 and b <= -1
        b = self.b
        d = xp.where((g == 0) & ~xp.isnan(b), 0, g * xp.log1p(b))
        return xp.where((self.a == 0) & (b <= -1), 0, d)

    def grad_b(self, xp, g):
        return g * self.a / (self.b + 1)


def _not_implemented(what):
    raise NotImplementedError(f"the derivative for '{what}' is not implemented.")


class Zeta(Binary):
    """The Hurwitz zeta function zeta(a, b) = sum_k (k + b)^-a; differentiable in b only."""

    scalar_arrays = True

    def name(self):
        return "SpecialZetaBackward0"

    def f(self, xp, a, b):
        return zeta(xp, a, b)

    def grad_a(self, xp, g):
        _not_implemented("zeta")

    def grad_b(self, xp, g):
        return g * -self.a * zeta(xp, self.a + 1, self.b)


class Igamma(Binary):
    """The regularised lower incomplete gamma P(a, x); differentiable in x only."""

    scalar_arrays = True
    name_ = "igamma"
    sign = 1

    def f(self, xp, a, b):
        return gammainc(xp, a, b)

    def grad_a(self, xp, g):
        _not_implemented(f"{self.name_}: input")

    def grad_b(self, xp, g):
        a, x = self.a, self.b
        density = xp.exp((a - 1) * xp.log(x) - x - lgamma(xp, a))
        return g * (self.sign * density)


class Igammac(Igamma):
    """The regularised upper incomplete gamma Q(a, x) = 1 - P(a, x)."""

    name_ = "igammac"
    sign = -1

    def f(self, xp, a, b):
        return gammaincc(xp, a, b)
