"""ember.special and the torch-level special functions against torch, through SciPy and through
the NumPy fallbacks (SciPy hidden by a monkeypatch)."""
import sys

import numpy as np
import pytest

import ember
from ember._ops.elementwise import ops as E
from ember._ops.special import ops as S
from tests.helpers import check_op, assert_close, errors_like_torch, torch


@pytest.fixture(params=["scipy", "numpy"])
def backend(request, monkeypatch):
    """Run a test once with SciPy's kernels and once with the NumPy fallbacks, as if SciPy were
    not installed (its import fails; the cache of looked-up functions starts empty)."""
    if request.param == "scipy":
        pytest.importorskip("scipy.special")
    else:
        monkeypatch.setitem(sys.modules, "scipy", None)
        monkeypatch.setitem(sys.modules, "scipy.special", None)
        monkeypatch.setattr(E, "_SPECIAL", {})
        assert S.library(np, "gammaln") is None
    return request.param


# name, (low, high) of the random inputs; all of these have gradients in torch
GRAD_UNARY = [
    ("gammaln", 0.1, 6), ("digamma", 0.1, 6), ("psi", 0.3, 9), ("erfcx", -2, 8), ("ndtr", -5, 5),
    ("ndtri", 0.01, 0.99), ("log_ndtr", -12, 5), ("i0", -5, 5), ("i0e", -40, 40),
    ("i1", -5, 5), ("i1e", -40, 40), ("entr", 0.05, 3), ("sinc", -3, 3), ("expit", -5, 5),
    ("erf", -3, 3), ("erfc", -3, 3), ("erfinv", -0.95, 0.95), ("logit", 0.05, 0.95),
    ("exp2", -3, 3), ("expm1", -3, 3), ("log1p", -0.9, 3),
]
# torch gives these without a gradient
NO_GRAD_UNARY = [
    ("bessel_j0", -30, 30), ("bessel_j1", -30, 30), ("bessel_y0", 0.05, 30),
    ("bessel_y1", 0.05, 30), ("modified_bessel_i0", -35, 35), ("modified_bessel_i1", -35, 35),
    ("modified_bessel_k0", 0.05, 20), ("modified_bessel_k1", 0.05, 20),
    ("scaled_modified_bessel_k0", 0.05, 40), ("scaled_modified_bessel_k1", 0.05, 40),
    ("airy_ai", -12, 8), ("spherical_bessel_j0", -20, 20),
]


@pytest.mark.parametrize("name, low, high", GRAD_UNARY)
def test_unary_values_and_gradients(backend, name, low, high):
    fn = (lambda lib, x: getattr(lib.special, name)(x))
    check_op(fn, [(40,)], low=low, high=high, rtol=2e-4)
    check_op(fn, [(3, 4)], low=low, high=high, dtype="float64", gradcheck=False)


@pytest.mark.parametrize("name, low, high", NO_GRAD_UNARY)
def test_unary_without_gradient(backend, name, low, high):
    fn = (lambda lib, x: getattr(lib.special, name)(x))
    check_op(fn, [(60,)], low=low, high=high, atol=1e-5, rtol=1e-4)
    check_op(fn, [(60,)], low=low, high=high, dtype="float64", atol=1e-6, rtol=1e-5)


EDGES = np.array([0.0, -0.0, 1.0, 2.0, -1.0, -2.0, -2.5, -0.5, 0.5, 1e-30, -1e-30, 30.0, 60.0,
                  200.0, -60.0, np.inf, -np.inf, np.nan])


@pytest.mark.parametrize("name", [n for n, _, _ in GRAD_UNARY + NO_GRAD_UNARY])
def test_edge_values(backend, name):
    """Poles, zeros, negative arguments, infinities and NaN give torch's values."""
    loose = name == "airy_ai"  # torch's Ai(-2.5) is off by 2e-6 relative
    check_op(lambda lib, x: getattr(lib.special, name)(x), arrays=[EDGES.copy()], grad=False,
             atol=1e-9, rtol=1e-5 if loose else 1e-6)


def test_probability_tails(backend):
    p = np.array([1e-300, 1e-100, 1e-20, 1e-9, 0.5, 1 - 1e-9, 0.0, 1.0, -0.5, 1.5])
    check_op(lambda lib, x: lib.special.ndtri(x), arrays=[p], grad=False, rtol=1e-7)
    x = np.array([-40.0, -20.0, -5.0, 0.0, 5.0, 9.0, 40.0])
    check_op(lambda lib, x: lib.special.log_ndtr(x), arrays=[x], rtol=1e-7)
    check_op(lambda lib, x: lib.special.erfcx(x), arrays=[np.array([-20.0, -1.0, 30.0, 1e10])],
             rtol=1e-7, gradcheck=False)  # erfcx(-20) ~ 1e174: beyond finite differences


def test_lgamma_and_digamma_on_the_negative_axis(backend):
    x = np.array([-3.7, -2.5, -1.2, -0.3, 0.2, 7.5])
    check_op(lambda lib, x: lib.lgamma(x) + lib.digamma(x), arrays=[x], rtol=1e-6)


@pytest.mark.parametrize("n", [0, 1, 2, 4])
def test_polygamma(backend, n):
    check_op(lambda lib, x: lib.special.polygamma(n, x), [(20,)], low=0.2, high=6)
    check_op(lambda lib, x: lib.polygamma(n, x), arrays=[np.array([-2.5, 0.0, 1.5, 30.0])],
             grad=False, rtol=1e-6)
    check_op(lambda lib, x: x.polygamma(n), [(3,)], low=0.5, high=4)


@pytest.mark.parametrize("p", [1, 2, 4])
def test_multigammaln(backend, p):
    check_op(lambda lib, x: lib.special.multigammaln(x, p), [(10,)], low=2, high=6)
    check_op(lambda lib, x: lib.mvlgamma(x, p) + x.mvlgamma(p), [(2, 3)], low=2, high=6,
             dtype="float64")


def test_binary_functions(backend):
    rng = np.random.default_rng(7)
    a = rng.uniform(1.5, 5, 12).astype(np.float32)
    x = rng.uniform(0.2, 8, 12).astype(np.float32)
    check_op(lambda lib, x, y: lib.special.xlog1py(x, y), [(12,), (12,)], low=-0.9, high=3)
    check_op(lambda lib, y: lib.special.xlog1py(lib.tensor([0.0, 2.0, 0.0]), y),
             arrays=[np.array([np.nan, -1.0, -1.0])], gradcheck=False)
    check_op(lambda lib, y: lib.special.xlog1py(2.0, y), [(3,)], low=0, high=2)
    # zeta and the incomplete gammas are differentiable in their second argument only
    check_op(lambda lib, q: lib.special.zeta(lib.tensor(a), q), arrays=[x])
    check_op(lambda lib, q: lib.special.zeta(3.0, q), arrays=[x + 1])
    check_op(lambda lib, s: lib.special.zeta(s, 2.0), arrays=[x + 1], grad=False)
    for name in ("gammainc", "gammaincc"):
        check_op(lambda lib, v: getattr(lib.special, name)(lib.tensor(a), v), arrays=[x])
    check_op(lambda lib, v: lib.igamma(lib.tensor(a * 4), v) + lib.igammac(
        lib.tensor(a), v * 3), arrays=[x], dtype="float64")


def test_binary_edges(backend):
    s = np.array([1.0, 0.5, 2.0, 2.0, 2.5, 3.0, np.nan, 2.0, 2.0, 2.0, 4.0])
    q = np.array([1.0, 1.0, 0.0, -2.0, -1.5, -1.5, 1.0, np.inf, np.nan, -np.inf, -40.5])
    check_op(lambda lib, s, q: lib.special.zeta(s, q), arrays=[s, q], grad=False)
    a = np.array([0.0, 0.0, 1.0, -1.0, 2.0, 2.0, 3.0, np.inf])
    x = np.array([0.0, 1.0, 0.0, 1.0, -1.0, np.inf, 1e-10, 1.0])
    for name in ("gammainc", "gammaincc"):
        check_op(lambda lib, a, x: getattr(lib.special, name)(a, x), arrays=[a, x], grad=False)


def test_backward_raises_where_torch_has_no_derivative():
    def cases(lib):
        s = lib.tensor([2.0, 3.0], requires_grad=True)
        q = lib.tensor([1.0, 2.0])
        return [
            (lambda: lib.special.zeta(s, q).sum().backward(), RuntimeError,
             "the derivative for 'zeta' is not implemented"),
            (lambda: lib.special.gammainc(s, q).sum().backward(), RuntimeError,
             "the derivative for 'igamma: input' is not implemented"),
            (lambda: lib.special.gammaincc(s, q).sum().backward(), RuntimeError,
             "the derivative for 'igammac: input' is not implemented"),
        ]
    errors_like_torch(cases)


POLYNOMIALS = ["chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
               "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t",
               "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
               "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
               "laguerre_polynomial_l", "legendre_polynomial_p"]


@pytest.mark.parametrize("name", POLYNOMIALS)
def test_orthogonal_polynomials(name):
    # (NaN only at degrees -1, 0, 1: past those, torch's vectorised loop returns a neighbour's
    # value for a NaN input)
    x = np.array([-1.5, -1.0, -0.7, 0.0, 0.3, 0.5, 1.0, 1.2])
    for n in (-1, 0, 1, 2, 5, 2.7):
        check_op(lambda lib, x: getattr(lib.special, name)(x, n), arrays=[x.copy()], rtol=1e-6)
    for n in (-1, 0, 1):
        check_op(lambda lib, x: getattr(lib.special, name)(x, n), arrays=[np.array([np.nan])])
    degrees = np.array([0.0, 1.0, 3.0, 4.0, 6.0, 8.0, 7.0, -2.0])
    check_op(lambda lib, x, n: getattr(lib.special, name)(x, n),
             arrays=[x.astype(np.float32), degrees.astype(np.float32)], rtol=1e-5)
    check_op(lambda lib, n: getattr(lib.special, name)(0.25, n), arrays=[degrees], rtol=1e-6)
    check_op(lambda lib, x: getattr(lib.special, name)(x, lib.tensor([2, 3])),
             arrays=[np.array([[0.5], [2.0]])], rtol=1e-6)


def test_hermite_degree_limit():
    x = np.array([0.1, 0.2])
    for n in (128, 129, 600):
        check_op(lambda lib, x: lib.special.hermite_polynomial_h(x.float(), n),
                 arrays=[x], grad=False)


# -- the torch-level names, Tensor methods and in-place forms ------------------------------------
@pytest.mark.parametrize("name", ["lgamma", "digamma", "i0", "sinc"])
def test_top_level_methods_and_inplace(name):
    check_op(lambda lib, x: getattr(lib, name)(x) + getattr(x, name)(), [(5,)], low=0.2, high=4)

    def inplace(lib, x):
        y = x * 1
        getattr(y, name + "_")()
        return y
    check_op(inplace, [(5,)], low=0.2, high=4)


def test_inplace_polygamma_mvlgamma_igamma():
    def fn(lib, x):
        a, b = x * 1, x * 1 + 2
        c, d = lib.full((4,), 1.5, dtype=x.dtype), lib.full((4,), 0.7, dtype=x.dtype)
        a.polygamma_(2)
        b.mvlgamma_(3)
        c.igamma_(x)  # differentiable in ``other`` only
        d.igammac_(x)
        return a, b, c, d
    check_op(fn, [(4,)], low=0.5, high=3)
    check_op(lambda lib, x, y: x.igamma(y) + y.igammac(x).detach(), [(4,), (4,)], low=0.5,
             high=3, grad=False)


def test_dtypes_zero_dim_and_empty():
    ints = np.array([1, 2, 3])
    for name in ("gammaln", "erfcx", "i1e", "bessel_j0", "ndtr"):
        check_op(lambda lib, x: getattr(lib.special, name)(x), arrays=[ints])
        check_op(lambda lib, x: getattr(lib.special, name)(x), arrays=[np.array(1.5)])
        check_op(lambda lib, x: getattr(lib.special, name)(x), [(0, 3)])
    check_op(lambda lib, x: lib.special.xlog1py(x, 2), arrays=[ints])
    out = ember.empty(0)
    got = ember.special.gammaln(ember.tensor([3.0]), out=out)
    assert got is out
    assert_close(out, torch.special.gammaln(torch.tensor([3.0])))


def test_aliases_and_reductions():
    check_op(lambda lib, x: lib.special.softmax(x, 1) + lib.special.log_softmax(x, dim=0),
             [(3, 4)])
    check_op(lambda lib, x: lib.special.logsumexp(x, 1, keepdim=True), [(3, 4)])
    check_op(lambda lib, x: lib.special.softmax(x, 0, dtype=lib.float64), [(3,)],
             gradcheck=False)
    check_op(lambda lib, x: lib.special.round(x, decimals=1) + lib.special.xlogy(x, 2.0),
             [(5,)], low=0.1, high=3, gradcheck=False)
    check_op(lambda lib, x: lib.special.logit(x, eps=0.1), [(5,)], low=0.0, high=1.0)


def test_namespace_matches_torch():
    public = {n for n in dir(torch.special) if not n.startswith("_")}
    public -= {"Tensor", "torch", "common_args", "multi_dim_common"}
    assert public == set(ember.special.__all__)


def test_errors_like_torch():
    def cases(lib):
        x = lib.tensor([1.0, 2.0])
        return [
            (lambda: lib.polygamma(-1, x), RuntimeError,
             r"polygamma\(n, x\) does not support negative n"),
            (lambda: lib.special.polygamma(1.5, x), TypeError, "must be int, not float"),
            (lambda: lib.special.multigammaln(x, 0), RuntimeError,
             r"p has to be greater than or equal to 1"),
            (lambda: lib.special.multigammaln(x, 1.5), TypeError, "must be int, not float"),
            (lambda: lib.lgamma(x.to(lib.complex64)), NotImplementedError,
             "not implemented for 'ComplexFloat'"),
            (lambda: lib.special.gammainc(x, 2.0), TypeError, "must be Tensor, not float"),
            (lambda: lib.special.chebyshev_polynomial_t(x, lib.ones(3)), RuntimeError,
             r"The size of tensor a \(2\) must match the size of tensor b \(3\)"),
        ]
    errors_like_torch(cases)
