"""ember.autograd.functional (vjp, jacobian) against torch.autograd.functional (the other
functions and create_graph are in tests/func/test_autograd_functional.py)."""
import numpy as np
import pytest

import ember
from ember.autograd import functional as F

from .helpers import assert_close

torch = pytest.importorskip("torch")
TF = torch.autograd.functional


def _pair(*shapes):
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    return [ember.tensor(a) for a in arrays], [torch.tensor(a) for a in arrays]


def _fn(lib):
    def f(x, w, unused):
        return lib.tanh(x @ w), (x ** 2).sum()
    return f


def test_vjp_several_inputs_and_outputs_match_torch():
    (x, w, u), (tx, tw, tu) = _pair((3, 4), (4, 2), (5,))
    (v1, v2), (tv1, tv2) = _pair((3, 2), ())
    out, g = F.vjp(_fn(ember), (x, w, u), (v1, v2))
    tout, tg = TF.vjp(_fn(torch), (tx, tw, tu), (tv1, tv2))
    assert isinstance(out, tuple) and isinstance(g, tuple) and len(g) == 3
    for a, b in zip(out + g, tout + tg):
        assert_close(a, b)
        assert not a.requires_grad
    assert not x.requires_grad  # the caller's tensors are left alone


def test_vjp_single_tensor_and_default_v():
    (x,), (tx,) = _pair((4,))
    out, g = F.vjp(lambda a: (a.sin() * a).sum(), x)
    tout, tg = TF.vjp(lambda a: (a.sin() * a).sum(), tx)
    assert_close(out, tout)
    assert_close(g, tg)
    with pytest.raises(RuntimeError, match="v can only be None"):
        F.vjp(lambda a: a * 2, x)
    with pytest.raises(RuntimeError, match="v can only be None"):
        TF.vjp(lambda a: a * 2, tx)
    with pytest.raises(RuntimeError, match="independent of input 1"):
        F.vjp(lambda a, b: a.sum(), (x, x.clone()), strict=True)
    with pytest.raises(TypeError, match="must be either a Tensor or a tuple of Tensors"):
        F.vjp(lambda a: a.sum(), [1.0])


@pytest.mark.parametrize("tuple_in", [False, True])
def test_jacobian_nesting_and_values_match_torch(tuple_in):
    (x, w, u), (tx, tw, tu) = _pair((3, 4), (4, 2), (5,))
    if tuple_in:
        ours, theirs = F.jacobian(_fn(ember), (x, w, u)), TF.jacobian(_fn(torch), (tx, tw, tu))
        pairs = [(ours[i][j], theirs[i][j]) for i in range(2) for j in range(3)]
    else:
        ours, theirs = F.jacobian(lambda a: (a * a).cumsum(0), x[0]), TF.jacobian(lambda a: (a * a).cumsum(0), tx[0])
        pairs = [(ours, theirs)]
    for a, b in pairs:
        assert tuple(a.shape) == tuple(b.shape)
        assert_close(a, b)
