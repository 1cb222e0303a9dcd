"""``ember.special``: torch.special's functions, and the torch-level names some of them also
have (``lgamma``, ``digamma``, ``polygamma``, ``mvlgamma``, ``i0``, ``sinc``, ``igamma``,
``igammac``, with their Tensor methods and in-place forms).

Values come from SciPy when it is installed and from NumPy code otherwise
(``ember/_ops/special/ops.py``).  Integer and bool inputs give the default float
dtype; complex inputs raise NotImplementedError, as in torch.  Functions that
torch differentiates have gradients; the Bessel functions, the Airy function
and the orthogonal polynomials return results without a graph, as torch does.
"""
import numpy as np

from ..._tensor import Tensor, tensor_method, _wrap
from . import ops as S
from .polynomials import evaluate as _polynomial
from ..base import get_xp
from ..elementwise.ops import Sigmoid, quiet
from ..common import float_input, broadcast_shape, promote_all
from ..elementwise.funcs import (_unary, _binary, apply, apply_, check_tensor, check_kinds, out_,
                                 _FLOAT)
# torch.special's names for functions ember has elsewhere (listed in NAMESPACE)
from ..elementwise.funcs import (erf, erfc, erfinv, exp2, expm1, log1p, logit,  # noqa: F401
                                 xlogy, round)
from ..activation.softmax import softmax as _softmax, log_softmax as _log_softmax
from ..reduction.funcs import logsumexp  # noqa: F401

__all__ = ["lgamma", "digamma", "polygamma", "mvlgamma", "i0", "sinc", "igamma", "igammac"]

NAMESPACE = [
    "airy_ai", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "chebyshev_polynomial_t",
    "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w", "digamma",
    "entr", "erf", "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1", "gammainc", "gammaincc",
    "gammaln", "hermite_polynomial_h", "hermite_polynomial_he", "i0", "i0e", "i1", "i1e",
    "laguerre_polynomial_l", "legendre_polynomial_p", "log1p", "log_ndtr", "log_softmax", "logit",
    "logsumexp", "modified_bessel_i0", "modified_bessel_i1", "modified_bessel_k0",
    "modified_bessel_k1", "multigammaln", "ndtr", "ndtri", "polygamma", "psi", "round",
    "scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w", "sinc", "softmax", "spherical_bessel_j0", "xlog1py", "xlogy",
    "zeta"]


def _float_tensor(x, name):
    """``x`` as a float tensor (integers and bool become the default float dtype)."""
    x = float_input(check_tensor(x, name))
    check_kinds(name, x.dtype, _FLOAT)
    return x


# -- functions torch also has at top level and as Tensor methods ----------------------------
lgamma = _unary("lgamma", S.Lgamma, kinds=_FLOAT, to_float=True,
                doc="log|Gamma(input)| (+inf at 0, -1, -2, ...).\n\nExample: "
                    "``lgamma(tensor(4.))`` is log(6) = 1.7918.")
digamma = _unary("digamma", S.Digamma, kinds=_FLOAT, to_float=True,
                 doc="The digamma function psi(input) = d/dx log Gamma(x) (-inf at 0, NaN at the "
                     "negative integers).\n\nExample: ``digamma(tensor(1.))`` is -0.5772 (minus "
                     "Euler's constant).")
i0 = _unary("i0", S.I0, kinds=_FLOAT, to_float=True,
            doc="The modified Bessel function of the first kind of order 0, I0(input).\n\n"
                "Example: ``i0(tensor(1.))`` is 1.2661.")
sinc = _unary("sinc", S.Sinc, kinds=_FLOAT + "c", to_float=True,
              doc="The normalised sinc sin(pi x) / (pi x), 1 at 0.\n\nExample: "
                  "``sinc(tensor(0.5))`` is 2 / pi = 0.6366.")
igamma = _binary("igamma", S.Igamma, kinds=_FLOAT, to_float=True, tensor_other=True,
                 doc="The regularised lower incomplete gamma P(input, other); differentiable in "
                     "``other`` only.\n\nExample: ``igamma(tensor(1.), tensor(1.))`` is "
                     "1 - 1/e = 0.6321.")
igammac = _binary("igammac", S.Igammac, kinds=_FLOAT, to_float=True, tensor_other=True,
                  doc="The regularised upper incomplete gamma Q(input, other) = 1 - P.\n\n"
                      "Example: ``igammac(tensor(1.), tensor(1.))`` is 1/e = 0.3679.")


def _check_n(n, name):
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"{name}(): argument 'n' (position 1) must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")


def polygamma(n, input, *, out=None):
    """The n-th derivative of digamma at ``input`` (n = 0 is digamma itself).

    Example: ``polygamma(1, tensor(1.))`` is pi**2 / 6.
    """
    _check_n(n, "polygamma")
    return out_(S.Polygamma(n)(_float_tensor(input, "polygamma")), out, "polygamma")


@tensor_method("polygamma")
def _polygamma_method(self, n):
    """``x.polygamma(n)``: ``polygamma(n, x)`` (the tensor comes second in the function)."""
    return polygamma(n, self)


@tensor_method("polygamma_")
def polygamma_(self, n):
    """In-place ``polygamma(n, self)``."""
    _check_n(n, "polygamma_")
    return apply_("polygamma", self, S.Polygamma(n), kinds=_FLOAT, to_float=True)


def _check_p(p, name):
    if not isinstance(p, int) or isinstance(p, bool):
        raise TypeError(f"{name}(): argument 'p' (position 2) must be int, not {type(p).__name__}")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")


@tensor_method("mvlgamma")
def mvlgamma(input, p, *, out=None):
    """The log of the multivariate gamma function of dimension ``p``:
    p (p - 1) / 4 log(pi) + sum_{i < p} lgamma(input - i / 2).  Example:
    ``mvlgamma(tensor([2.]), 2)`` is 0.4516."""
    _check_p(p, "mvlgamma")
    if check_tensor(input, "mvlgamma")._data.dtype.kind == "b":
        raise RuntimeError("mvlgamma: the input tensor may not be a boolean tensor.")
    return out_(S.Multigammaln(p)(_float_tensor(input, "mvlgamma")), out, "mvlgamma")


@tensor_method("mvlgamma_")
def mvlgamma_(self, p):
    """In-place ``mvlgamma(self, p)``."""
    _check_p(p, "mvlgamma_")
    return apply_("mvlgamma", self, S.Multigammaln(p), kinds=_FLOAT, to_float=True)


def multigammaln(input, p, *, out=None):
    """torch.special's name for ``mvlgamma``.  Example: ``multigammaln(tensor([2.]), 2)`` is
    0.4516."""
    _check_p(p, "special_multigammaln")
    return mvlgamma(input, p, out=out)


# -- torch.special-only functions with gradients -----------------------------------------------
def _named(fn, name, doc, example):
    """Name ``fn`` and give it ``doc`` plus an example (``example`` is "call`` gives ...")."""
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"{doc}\n\nExample: ``{example}."
    return fn


def _special_unary(name, op, doc, example):
    def fn(input, *, out=None):
        return out_(op()(_float_tensor(input, "special_" + name)), out, "special_" + name)
    return _named(fn, name, doc, example)


erfcx = _special_unary("erfcx", S.Erfcx, "The scaled complementary error function "
                       "exp(x**2) * erfc(x), finite where erfc underflows.",
                       "erfcx(tensor(30.))`` is 0.0188, where erfc(30) underflows to 0")
ndtr = _special_unary("ndtr", S.Ndtr, "The standard normal CDF: the area under N(0, 1) left of x.",
                      "ndtr(tensor(0.))`` is 0.5")
ndtri = _special_unary("ndtri", S.Ndtri, "The standard normal quantile, the inverse of ``ndtr`` "
                       "(-inf at 0, inf at 1, NaN outside [0, 1]).",
                       "ndtri(tensor(0.975))`` is 1.96")
log_ndtr = _special_unary("log_ndtr", S.LogNdtr, "log(ndtr(x)), accurate far into the left tail.",
                          "log_ndtr(tensor(-40.))`` is -804.6, not -inf")
i0e = _special_unary("i0e", S.I0e, "The exponentially scaled Bessel function ``exp(-|x|) I0(x)``.",
                     "i0e(tensor(1.))`` is 0.4658")
i1 = _special_unary("i1", S.I1, "The modified Bessel function of the first kind of order 1.",
                    "i1(tensor(1.))`` is 0.5652")
i1e = _special_unary("i1e", S.I1e, "The exponentially scaled Bessel function ``exp(-|x|) I1(x)``.",
                     "i1e(tensor(1.))`` is 0.2079")
entr = _special_unary("entr", S.Entr, "The elementwise entropy term -x log x (0 at 0, -inf for "
                      "x < 0).", "entr(tensor([0., 0.5]))`` is [0, 0.3466]")


def expit(input, *, out=None):
    """The logistic sigmoid 1 / (1 + exp(-x)) (torch.special's name for ``sigmoid``).

    Example: ``expit(tensor(0.))`` is 0.5.
    """
    return out_(Sigmoid()(_float_tensor(input, "special_expit")), out, "special_expit")


def xlog1py(input, other, *, out=None):
    """input * log1p(other), 0 where input is 0 (unless other is NaN); either may be a number.

    Example: ``xlog1py(tensor([0., 2.]), tensor([-1., 1.]))`` is [0, 2 log 2].
    """
    _check_pair(input, other, "special_xlog1py")
    return apply("special_xlog1py", S.Xlog1py(), input, other, kinds=_FLOAT, to_float=True,
                 out=out)


def zeta(input, other, *, out=None):
    """The Hurwitz zeta function sum_{k >= 0} (k + other) ** -input (the Riemann zeta at
    other = 1); differentiable in ``other`` only.  Example: ``zeta(tensor(2.), 1.)`` is
    pi**2 / 6."""
    _check_pair(input, other, "special_zeta")
    return apply("special_zeta", S.Zeta(), input, other, kinds=_FLOAT, to_float=True, out=out)


def gammainc(input, other, *, out=None):
    """torch.special's name for ``igamma``: P(input, other).

    Example: ``gammainc(tensor(1.), tensor(1.))`` is 0.6321.
    """
    return igamma(input, other, out=out)


def gammaincc(input, other, *, out=None):
    """torch.special's name for ``igammac``: Q(input, other) = 1 - P(input, other).

    Example: ``gammaincc(tensor(1.), tensor(1.))`` is 0.3679.
    """
    return igammac(input, other, out=out)


def _check_pair(a, b, name):
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        raise TypeError(f"{name}() received an invalid combination of arguments - got "
                        f"({type(a).__name__}, {type(b).__name__}), but expected at least one "
                        "Tensor")


# -- no gradient in torch: results outside the graph ---------------------------------------------
def _graphless(name, kern, doc, example):
    def fn(input, *, out=None):
        x = _float_tensor(input, "special_" + name)
        return out_(_wrap(kern(get_xp(x._data), x._data)), out, "special_" + name)
    return _named(fn, name, doc + " No gradient, as in torch.", example)


bessel_j0 = _graphless("bessel_j0", S.NO_GRAD["j0"], "The Bessel function of the first kind J0.",
                       "bessel_j0(tensor(1.))`` is 0.7652")
bessel_j1 = _graphless("bessel_j1", S.NO_GRAD["j1"], "The Bessel function of the first kind J1.",
                       "bessel_j1(tensor(1.))`` is 0.4401")
bessel_y0 = _graphless("bessel_y0", S.NO_GRAD["y0"], "The Bessel function of the second kind Y0 "
                       "(x > 0; -inf at 0, NaN below).", "bessel_y0(tensor(1.))`` is 0.0883")
bessel_y1 = _graphless("bessel_y1", S.NO_GRAD["y1"], "The Bessel function of the second kind Y1 "
                       "(x > 0).", "bessel_y1(tensor(1.))`` is -0.7812")
modified_bessel_i0 = _graphless("modified_bessel_i0", S.NO_GRAD["i0"],
                                "The modified Bessel function I0 (``i0`` has a gradient).",
                                "modified_bessel_i0(tensor(1.))`` is 1.2661")
modified_bessel_i1 = _graphless("modified_bessel_i1", S.NO_GRAD["i1"],
                                "The modified Bessel function I1 (``special.i1`` has a gradient).",
                                "modified_bessel_i1(tensor(1.))`` is 0.5652")
modified_bessel_k0 = _graphless("modified_bessel_k0", S.NO_GRAD["k0"],
                                "The modified Bessel function of the second kind K0 (x > 0).",
                                "modified_bessel_k0(tensor(1.))`` is 0.4210")
modified_bessel_k1 = _graphless("modified_bessel_k1", S.NO_GRAD["k1"],
                                "The modified Bessel function of the second kind K1 (x > 0).",
                                "modified_bessel_k1(tensor(1.))`` is 0.6019")
scaled_modified_bessel_k0 = _graphless("scaled_modified_bessel_k0", S.NO_GRAD["k0e"],
                                       "exp(x) K0(x), finite where K0 underflows.",
                                       "scaled_modified_bessel_k0(tensor(1.))`` is 1.1445")
scaled_modified_bessel_k1 = _graphless("scaled_modified_bessel_k1", S.NO_GRAD["k1e"],
                                       "exp(x) K1(x), finite where K1 underflows.",
                                       "scaled_modified_bessel_k1(tensor(1.))`` is 1.6362")
airy_ai = _graphless("airy_ai", S.NO_GRAD["airy_ai"], "The Airy function Ai(x).",
                     "airy_ai(tensor(0.))`` is 0.3550")


def spherical_bessel_j0(input, *, out=None):
    """The spherical Bessel function of the first kind j0(x) = sin(x) / x (1 at 0, 0 at
    +-inf); no gradient, as in torch.  Example: ``spherical_bessel_j0(tensor(pi))`` is 0."""
    x = _float_tensor(input, "special_spherical_bessel_j0")
    a = x._data
    return out_(_wrap(_sin_over(get_xp(a), a)), out, "special_spherical_bessel_j0")


@quiet
def _sin_over(xp, a):
    return xp.where(a == 0, 1, xp.where(xp.isinf(a), 0, xp.sin(a) / a)).astype(a.dtype)


def _polynomial_fn(kind, symbol, shifted=False):
    name = ("shifted_" if shifted else "") + kind.replace("_", "_polynomial_", 1)

    def fn(input, n, *, out=None):
        _check_pair(input, n, "special_" + name)
        (x, k), rt = promote_all(input, n, to_float=True)
        broadcast_shape(*(t.shape for t in (x, k) if isinstance(t, Tensor)))
        xp = get_xp((x if isinstance(x, Tensor) else k)._data)
        xa = x._data if isinstance(x, Tensor) else xp.asarray(x, dtype=rt.np)
        ka = k._data if isinstance(k, Tensor) else k
        return out_(_wrap(_polynomial(kind, xa, ka, shifted)), out, "special_" + name)
    doc = (f"{'The shifted' if shifted else 'The'} {kind.split('_')[0].title()} polynomial "
           f"{symbol}_n({'2x - 1' if shifted else 'x'}) at x = ``input``, of degree ``n`` (a "
           "number or tensor, truncated to an integer; 0 for n < 0), by its three-term "
           "recurrence.  No gradient, as in torch.")
    value = float(_polynomial(kind, np.asarray([0.5]), 2, shifted)[0])
    return _named(fn, name, doc, f"{name}(tensor([0.5]), 2)`` is [{value:g}]")


chebyshev_polynomial_t = _polynomial_fn("chebyshev_t", "T")
chebyshev_polynomial_u = _polynomial_fn("chebyshev_u", "U")
chebyshev_polynomial_v = _polynomial_fn("chebyshev_v", "V")
chebyshev_polynomial_w = _polynomial_fn("chebyshev_w", "W")
shifted_chebyshev_polynomial_t = _polynomial_fn("chebyshev_t", "T", True)
shifted_chebyshev_polynomial_u = _polynomial_fn("chebyshev_u", "U", True)
shifted_chebyshev_polynomial_v = _polynomial_fn("chebyshev_v", "V", True)
shifted_chebyshev_polynomial_w = _polynomial_fn("chebyshev_w", "W", True)
hermite_polynomial_h = _polynomial_fn("hermite_h", "H")
hermite_polynomial_he = _polynomial_fn("hermite_he", "He")
laguerre_polynomial_l = _polynomial_fn("laguerre_l", "L")
legendre_polynomial_p = _polynomial_fn("legendre_p", "P")


# -- torch.special's aliases of functions ember already has ---------------------------------------
gammaln = lgamma
psi = digamma


def softmax(input, dim, *, dtype=None):
    """exp(x) / sum(exp(x)) along ``dim`` (computed in ``dtype`` when given).

    Example: ``softmax(tensor([0., 0.]), 0)`` is [0.5, 0.5].
    """
    return _softmax(input, dim, dtype)


def log_softmax(input, dim, *, dtype=None):
    """log(softmax(x)) along ``dim``, computed without forming softmax.

    Example: ``log_softmax(tensor([0., 0.]), 0)`` is [-log 2, -log 2].
    """
    return _log_softmax(input, dim, dtype)
