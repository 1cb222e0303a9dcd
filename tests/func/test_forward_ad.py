"""torch.autograd.forward_ad's API against torch: tangents of compositions, the
UnpackedDualTensor result, levels, and torch's errors."""
import numpy as np
import pytest

import ember
from tests.helpers import assert_close, errors_like_torch

torch = pytest.importorskip("torch")


def _tangents(lib, fn, *arrays):
    fw = lib.autograd.forward_ad
    with fw.dual_level():
        duals = [fw.make_dual(lib.tensor(a), lib.tensor(np.ones_like(a) * 0.5 + a))
                 for a in arrays]
        out = fn(lib)(*duals)
        outs = out if isinstance(out, tuple) else (out,)
        unpacked = [fw.unpack_dual(o) for o in outs]
    assert all(type(u).__name__ == "UnpackedDualTensor" for u in unpacked)
    return [u.primal for u in unpacked], [u.tangent for u in unpacked]


@pytest.mark.parametrize("fn", [
    lambda L: lambda x: x.sin() * x,
    lambda L: lambda x, w: (L.tanh(x @ w), (x ** 2).sum()),
    lambda L: lambda x, w: L.nn.functional.layer_norm(x @ w, (2,)).softmax(-1),
    lambda L: lambda x, w: L.nn.functional.cross_entropy(x @ w, L.tensor([1, 0, 1])),
])
def test_tangents_match_torch(fn):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((3, 4)), rng.standard_normal((4, 2))]
    n = fn(torch).__code__.co_argcount
    e_p, e_t = _tangents(ember, fn, *arrays[:n])
    t_p, t_t = _tangents(torch, fn, *arrays[:n])
    assert_close(e_p, t_p, atol=1e-10)
    assert_close(e_t, t_t, atol=1e-10)


def test_tangent_is_none_without_a_dual_and_after_the_level():
    fw = ember.autograd.forward_ad
    x = ember.tensor([1.0, 2.0])
    with fw.dual_level():
        d = fw.make_dual(x, ember.ones(2))
        y = d * 2
        assert fw.unpack_dual(x).tangent is None
        assert fw.unpack_dual(ember.ones(2) * 3).tangent is None
        assert_close(fw.unpack_dual(d).tangent, torch.ones(2))
    primal, tangent = fw.unpack_dual(y)
    assert tangent is None and primal is y


def _errors(lib):
    fw = lib.autograd.forward_ad
    x = lib.ones(2)

    def nested():
        with fw.dual_level():
            with fw.dual_level():
                pass

    def wrong_size():
        with fw.dual_level():
            fw.make_dual(x, lib.ones(3))
    return [
        (lambda: fw.make_dual(x, lib.ones(2)), RuntimeError,
         "Trying to create a dual Tensor for forward AD but no level exists"),
        (nested, RuntimeError, "Nested forward mode AD is not supported at the moment"),
        (wrong_size, RuntimeError, "Tensor is of size \\[2\\] while the given forward gradient "
                                   "is of size \\[3\\]"),
    ]


def test_errors_match_torch():
    errors_like_torch(_errors)
