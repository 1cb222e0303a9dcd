"""torch.autograd.functional's jvp, hessian, vhp, hvp and jacobian options (create_graph,
strict, vectorize, strategy) against torch, with torch's errors; vjp and the basic jacobian
are in tests/test_autograd_functional.py."""
import numpy as np
import pytest

import ember
from tests.helpers import assert_close, errors_like_torch

torch = pytest.importorskip("torch")


def _pair(*shapes, seed=0):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(np.float64) for s in shapes]
    return [ember.tensor(a) for a in arrays], [torch.tensor(a) for a in arrays]


def _cubic(lib):
    return lambda x, y: (x.sin() * y).sum() + (x ** 3 * y.exp()).sum()


def _vector(lib):
    return lambda x, y: (x * y.tanh(), x.sum() * y)


def both(call, *shapes, tuple_inputs=True):
    """``call(lib, F, inputs)`` for each library on the same inputs, compared (nested
    tuples allowed); the results of both."""
    e_in, t_in = _pair(*shapes)
    e_in, t_in = (tuple(e_in), tuple(t_in)) if tuple_inputs else (e_in[0], t_in[0])
    e = call(ember, ember.autograd.functional, e_in)
    t = call(torch, torch.autograd.functional, t_in)
    assert_close(e, t, atol=1e-8, rtol=1e-6)
    return e, t


@pytest.mark.parametrize("create_graph", [False, True])
def test_jvp_matches_torch(create_graph):
    e, t = both(lambda L, F, xs: F.jvp(_vector(L), xs, (L.ones(3), L.ones(3) * 2),
                                       create_graph=create_graph), (3,), (3,))
    assert all(r.requires_grad == create_graph for r in e[1])
    both(lambda L, F, x: F.jvp(lambda a: a.exp(), x), (1,), tuple_inputs=False)


@pytest.mark.parametrize("fn_name", ["vhp", "hvp"])
def test_hessian_vector_products_match_torch(fn_name):
    both(lambda L, F, xs: getattr(F, fn_name)(_cubic(L), xs, (L.ones(3), L.ones(3) * 0.5)),
         (3,), (3,))
    both(lambda L, F, x: getattr(F, fn_name)(lambda a: (a ** 4).sum(), x, x.detach() * 2,
                                             create_graph=True), (4,), tuple_inputs=False)


@pytest.mark.parametrize("strategy", ["reverse-mode", "forward-mode"])
def test_hessian_matches_torch(strategy):
    vec = strategy == "forward-mode"
    both(lambda L, F, xs: F.hessian(_cubic(L), xs, vectorize=vec,
                                    outer_jacobian_strategy=strategy), (3,), (3,))
    both(lambda L, F, x: F.hessian(lambda a: (a.sin() ** 2).sum(), x, vectorize=vec,
                                   outer_jacobian_strategy=strategy), (2, 2),
         tuple_inputs=False)


@pytest.mark.parametrize("strategy, vectorize", [("reverse-mode", True),
                                                 ("forward-mode", True)])
def test_jacobian_strategies_match_torch(strategy, vectorize):
    both(lambda L, F, xs: F.jacobian(_vector(L), xs, vectorize=vectorize, strategy=strategy),
         (3,), (3,))


def test_create_graph_results_can_be_differentiated_again():
    results = {}
    for lib in (torch, ember):
        x = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
        _, g = lib.autograd.functional.vjp(lambda a: (a ** 3).sum(), x, create_graph=True)
        jac = lib.autograd.functional.jacobian(lambda a: a.sin() * a, x, create_graph=True)
        (g.sum() + jac.sum()).backward()
        results[lib] = x.grad
    assert_close(results[ember], results[torch], atol=1e-10)


def _strict_errors(lib):
    F = lib.autograd.functional
    x = lib.ones(2, dtype=lib.float64)
    return [
        (lambda: F.jvp(lambda a: lib.ones(2, dtype=lib.float64), x, x, strict=True),
         RuntimeError, "Output 0 of the user-provided function does not require gradients"),
        (lambda: F.vjp(lambda a, b: a * 2, (x, x), x, strict=True), RuntimeError,
         "The output of the user-provided function is independent of input 1"),
        (lambda: F.hessian(lambda a: a.sum(), x, strict=True), RuntimeError,
         "the jacobian of the user-provided function with respect to input 0 is independent"),
        (lambda: F.vhp(lambda a: (a * a).sum(), x, x * 2, strict=True, create_graph=True),
         RuntimeError, "The hessian of the user-provided function is independent of input 0"
                       ". This is not allowed in strict mode when create_graph=True"),
        (lambda: F.jacobian(lambda a: a, x, strict=True, vectorize=True), RuntimeError,
         "`strict=True` and `vectorized=True` are not supported together"),
        (lambda: F.jacobian(lambda a: a, x, strategy="sideways"), AssertionError,
         "Expected strategy to be either"),
        (lambda: F.jacobian(lambda a: a, x, strategy="forward-mode"), NotImplementedError,
         "only implemented for `vectorize=True`"),
        (lambda: F.jacobian(lambda a: a, x, strategy="forward-mode", vectorize=True,
                            create_graph=True), NotImplementedError,
         "are not supported together \\(yet\\)"),
        (lambda: F.hvp(lambda a: a, x, x), RuntimeError,
         "The Tensor returned by the function given to hvp should contain a single element"),
        (lambda: F.vhp(lambda a: (a, a), x, x), RuntimeError,
         "The function given to vhp should return a single Tensor"),
        (lambda: F.hessian(lambda a: a * 2, x), RuntimeError,
         "The Tensor returned by the function given to hessian should contain a single"),
        (lambda: F.jvp(lambda a: a, x), RuntimeError,
         "The vector v can only be None if the input to the user-provided function is a "
         "single Tensor with a single element"),
        (lambda: F.jvp(lambda a: a, x, lib.ones(3, dtype=lib.float64)), RuntimeError,
         "v has invalid size: should be \\w+.Size\\(\\[2\\]\\) but got \\w+.Size\\(\\[3\\]\\)"),
        (lambda: F.vjp(lambda a: (a, a), (x,), (x,)), RuntimeError,
         "v is a tuple of invalid length: should be 2 but got 1"),
        (lambda: F.vjp(lambda a: a, (x,), (x, x)), RuntimeError,
         "The given v should contain a single Tensor"),
        (lambda: F.hvp(lambda a: a.sum(), [x], x), TypeError,
         "The inputs given to hvp must be either a Tensor or a tuple of Tensors but the given "
         "inputs has type <class 'list'>"),
    ]


def test_errors_match_torch():
    errors_like_torch(_strict_errors)
