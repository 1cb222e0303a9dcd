"""Rows of special functions: gamma family, Bessel and error-function relatives, orthogonal
polynomials, at top level, as Tensor methods and in ``special``; ``special`` names that are
another row's op are that row's aliases (see ``SPECIAL_ALIASES``)."""
from .core import ALL, FLOATS, OpRow, Sample, lookup
from .samples import binary_samples, unary_samples

POS = (0.2, 3.0)

# special.<name> -> the id of the row whose op it is
SPECIAL_ALIASES = {
    "erf": "erf", "erfc": "erfc", "erfinv": "erfinv", "exp2": "exp2", "expm1": "expm1",
    "log1p": "log1p", "expit": "sigmoid", "logit": "logit", "round": "round", "xlogy": "xlogy",
    "softmax": "softmax", "log_softmax": "log_softmax", "logsumexp": "logsumexp",
    "gammaln": "lgamma", "digamma": "digamma", "psi": "digamma", "i0": "i0", "sinc": "sinc",
    "polygamma": "polygamma", "multigammaln": "mvlgamma", "gammainc": "igamma",
    "gammaincc": "igammac",
}


def elementwise(name, domain=(-2.0, 2.0), dtypes=ALL, **kw):
    """A top-level unary op with its method, in-place method and ``out=``."""
    return OpRow(name, unary_samples(), method=True, inplace=name + "_", out=True, dtypes=dtypes,
                 domain=domain, **kw)


def special(name, domain=(-2.0, 2.0), grad=True, dtypes=FLOATS, xfail=None, **kw):
    """A unary function found only in ``special`` (``out=`` too)."""
    return OpRow("special." + name, unary_samples(), out=True, grad=grad, dtypes=dtypes,
                 domain=domain, xfail=xfail or {}, **kw)


def _polygamma(make):
    return [Sample("n1", (1, make((3, 4)))), Sample("n0", (0, make((2, 3)))),
            Sample("n2_0d", (2, make(()))), Sample("empty", (1, make((0, 2))))]


def _polygamma_method(make):
    return [Sample("n1", (make((3, 4)), 1)), Sample("n3", (make((2, 3)), 3))]


def _mvlgamma(make):
    return [Sample("p2", (make((3, 4)), 2)), Sample("p1_0d", (make(()), 1)),
            Sample("p3", (make((2, 3), low=1.2), 3))]


def _incomplete_gamma(make):
    """``(a, x)`` pairs, ``a`` kept out of backward: torch has no derivative in ``a``."""
    return [Sample("same", (make((3, 4), grad=False), make((3, 4)))),
            Sample("broadcast", (make((3, 1), grad=False), make((1, 4)))),
            Sample("0d", (make((), grad=False), make((3,))))]


def _polynomial(make):
    """``(x, n)`` with an int degree, a tensor of degrees, and a 0-dim ``x``."""
    return [Sample("int_n", (make((3, 4)), 3)),
            Sample("tensor_n", (make((4,)), make.values([0, 1, 2, 5], "int64", grad=False))),
            Sample("0d", (make(()), 2))]


def _zeta(make):
    return [Sample("same", (make((3, 4), low=1.5, high=4.0, grad=False), make((3, 4)))),
            Sample("broadcast", (make((3, 1), low=1.5, high=4.0, grad=False), make((1, 4))))]


def _no_derivative(name):
    """Backward through ``name``'s first argument: torch has no derivative there."""
    return lambda lib: [(lambda: lookup(lib, name)(lib.tensor([2.0, 3.0], requires_grad=True),
                                                   lib.tensor([1.0, 2.0])).sum().backward(),
                         NotImplementedError)]


def _no_grad_output(name):
    """Backward through an op whose results never require grad."""
    return lambda lib: [(lambda: lookup(lib, name)(lib.ones(2, requires_grad=True)).sum()
                         .backward(), RuntimeError)]


POLYNOMIALS = ("chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
               "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t",
               "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
               "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
               "laguerre_polynomial_l", "legendre_polynomial_p")
NO_GRAD_UNARY = ("airy_ai", "bessel_j0", "bessel_j1", "spherical_bessel_j0", "modified_bessel_i0",
                 "modified_bessel_i1")
POSITIVE_NO_GRAD = ("bessel_y0", "bessel_y1", "modified_bessel_k0", "modified_bessel_k1",
                    "scaled_modified_bessel_k0", "scaled_modified_bessel_k1")

ROWS = [
    elementwise("lgamma", POS),
    elementwise("digamma", POS),
    elementwise("i0"),
    elementwise("sinc"),
    OpRow("polygamma", _polygamma, out=True, domain=POS,
          errors=lambda lib: [(lambda: lib.polygamma(-1, lib.ones(2)), RuntimeError)]),
    OpRow("Tensor.polygamma", _polygamma_method, inplace="polygamma_", domain=POS),
    OpRow("mvlgamma", _mvlgamma, method=True, inplace="mvlgamma_", out=True, domain=(1.1, 3.0)),
    *[OpRow(n, _incomplete_gamma, method=True, inplace=n + "_", out=True, domain=POS,
            errors=_no_derivative(n)) for n in ("igamma", "igammac")],
    special("entr", (0.1, 2.0)), special("erfcx"), special("i0e"),
    special("i1"), special("i1e"),
    special("ndtr"), special("log_ndtr"), special("ndtri", (0.05, 0.95)),
    OpRow("special.xlog1py", binary_samples(), out=True, domain=(0.1, 2.0)),
    OpRow("special.zeta", _zeta, out=True, domain=(0.5, 3.0),
          errors=_no_derivative("special.zeta")),
    *[special(n, grad=False, errors=_no_grad_output("special." + n)) for n in NO_GRAD_UNARY],
    *[special(n, POS, grad=False) for n in POSITIVE_NO_GRAD],
    *[OpRow("special." + n, _polynomial, out=True, grad=False, domain=(-1.0, 1.0))
      for n in POLYNOMIALS],
]
