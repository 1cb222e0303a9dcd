"""Linear, Bilinear, Identity, Flatten and Unflatten against torch: F.linear/F.bilinear over
shapes, the layers with torch's weights (forward, input and parameter gradients), reprs,
state_dict keys, default initialisation, and the seeds' fc1 shape error naming the layer.

``load_from_torch`` and ``compare_module`` are shared with the other layer tests.
"""
import math

import numpy as np
import pytest

import ember
from tests.helpers import check_op, assert_close, raises_like_torch

torch = pytest.importorskip("torch")


def load_from_torch(em, tm):
    """Copy torch module ``tm``'s parameters and buffers into ember module ``em``."""
    em.load_state_dict({k: ember.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})


def compare_module(tm, em, *inputs, atol=1e-5, grad_atol=1e-4, seed=0):
    """Same weights, same inputs: outputs, input gradients and parameter gradients agree.

    ``inputs`` are NumPy arrays (float ones get gradients) or None; returns the outputs.
    """
    load_from_torch(em, tm)

    def convert(lib, a):
        return None if a is None else lib.from_numpy(a.copy()).requires_grad_(a.dtype.kind == "f")
    tin = [convert(torch, a) for a in inputs]
    ein = [convert(ember, a) for a in inputs]
    tout, eout = tm(*tin), em(*ein)
    assert_close(eout, tout, atol)
    if not tout.requires_grad:
        return eout, tout
    cot = np.random.default_rng(seed).standard_normal(tuple(tout.shape)).astype(
        tout.detach().numpy().dtype)
    tout.backward(torch.from_numpy(cot.copy()))
    eout.backward(ember.from_numpy(cot.copy()))
    for i, (t, e) in enumerate(zip(tin, ein)):
        if t is not None and t.requires_grad:
            assert_close(e.grad, t.grad, grad_atol, 1e-4, f"grad of input {i}")
    tparams, eparams = dict(tm.named_parameters()), dict(em.named_parameters())
    assert list(tparams) == list(eparams)
    for name, p in tparams.items():
        if p.grad is None:
            assert eparams[name].grad is None, name
        else:
            assert_close(eparams[name].grad, p.grad, grad_atol, 1e-4, f"grad of {name}")
    return eout, tout


# (input shape, weight shape, bias shape or None)
LINEAR_CASES = [
    ((5,), (3, 5), (3,)), ((4, 5), (3, 5), (3,)), ((4, 5), (3, 5), None), ((2, 3, 5), (4, 5), (4,)),
    ((2, 1, 3, 5), (4, 5), (4,)), ((0, 5), (3, 5), (3,)), ((4, 5), (1, 5), (1,)),
    ((4, 5), (3, 5), (1,)), ((4, 5), (3, 5), ()), ((4, 5), (5,), None), ((2, 4, 5), (3, 5), (4, 3)),
]


@pytest.mark.parametrize("case", LINEAR_CASES, ids=str)
def test_linear_matches_torch(case):
    xs, ws, bs = case
    shapes = [xs, ws] + ([bs] if bs is not None else [])
    check_op(lambda lib, x, w, b=None: lib.nn.functional.linear(x, w, b), shapes)


def test_linear_float64_noncontiguous():
    check_op(lambda lib, x, w, b: lib.nn.functional.linear(x, w, b), [(6, 4), (3, 4), (3,)],
             dtype="float64", noncontiguous=True, atol=1e-12)


def test_linear_only_needed_gradients():
    x = ember.randn(4, 5)
    w = ember.randn(3, 5, requires_grad=True)
    ember.nn.functional.linear(x, w).sum().backward()
    assert x.grad is None
    np.testing.assert_allclose(w.grad.numpy(), np.tile(x.numpy().sum(0), (3, 1)), rtol=1e-5)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(7, 5), (5,), (2, 3, 5)], ids=str)
def test_linear_module_matches_torch(shape, bias):
    tm, em = torch.nn.Linear(5, 4, bias=bias), ember.nn.Linear(5, 4, bias=bias)
    assert repr(em) == repr(tm)
    assert list(em.state_dict()) == list(tm.state_dict())
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    compare_module(tm, em, x)


def test_linear_module_float64():
    tm = torch.nn.Linear(3, 2, dtype=torch.float64)
    em = ember.nn.Linear(3, 2, dtype=ember.float64)
    assert em.weight.dtype == ember.float64 and em.bias.dtype == ember.float64
    compare_module(tm, em, np.random.default_rng(1).standard_normal((4, 3)), atol=1e-12)


def _uniform_stats(values, bound):
    v = np.asarray(values, np.float64).ravel()
    assert np.abs(v).max() <= bound
    assert abs(v.mean()) < 0.05 * bound
    assert v.std() == pytest.approx(bound / math.sqrt(3), rel=0.05)


def test_linear_default_init_matches_torchs_distribution():
    ember.manual_seed(0)
    m = ember.nn.Linear(400, 300)
    _uniform_stats(m.weight.detach().numpy(), 1 / math.sqrt(400))
    assert np.abs(m.bias.detach().numpy()).max() <= 1 / math.sqrt(400)
    assert m.bias.detach().numpy().std() == pytest.approx(1 / math.sqrt(400) / math.sqrt(3),
                                                          rel=0.15)
    assert m.weight.requires_grad and m.weight.shape == (300, 400)


def test_linear_init_reproducible_under_manual_seed():
    ember.manual_seed(3)
    a = ember.nn.Linear(6, 4)
    ember.manual_seed(3)
    b = ember.nn.Linear(6, 4)
    assert np.array_equal(a.weight.detach().numpy(), b.weight.detach().numpy())


class _SeedCNN(ember.nn.Module):
    """The seeds' network with a missing max-pool: fc1 gets 1600 features instead of 9216."""

    def __init__(self):
        super().__init__()
        self.conv1 = ember.nn.Conv2d(1, 4, 3, 1)
        self.fc1 = ember.nn.Linear(9216, 128)

    def forward(self, x):
        x = ember.flatten(ember.nn.functional.relu(self.conv1(x)), 1)
        return self.fc1(x)


def test_seed_fc1_shape_error_names_the_layer():
    model = _SeedCNN()
    with pytest.raises(RuntimeError) as info:
        model(ember.randn(64, 1, 22, 22))
    msg = str(info.value)
    assert msg.startswith("fc1 (Linear(in_features=9216, out_features=128, bias=True)): "
                          "expected input with 9216 features (last dimension), got input of "
                          "shape (64, 1600)")
    assert msg.endswith("mat1 and mat2 shapes cannot be multiplied (64x1600 and 9216x128)")


@pytest.mark.parametrize("call,match", [
    (lambda F, lib: F.linear(lib.randn(64, 1600), lib.randn(128, 9216)),
     r"mat1 and mat2 shapes cannot be multiplied \(64x1600 and 9216x128\)"),
    (lambda F, lib: F.linear(lib.randn(2, 3, 1600), lib.randn(128, 9216)),
     r"mat1 and mat2 shapes cannot be multiplied \(6x1600 and 9216x128\)"),
    (lambda F, lib: F.linear(lib.tensor(1.0), lib.randn(3, 4)),
     "both arguments to linear need to be at least 1D, but they are 0D and 2D"),
    (lambda F, lib: F.linear(lib.randn(2, 4), lib.randn(5, 4).double()),
     "expected m1 and m2 to have the same dtype, but got: float != double"),
    (lambda F, lib: F.bilinear(lib.randn(2, 3), lib.randn(2, 4, 1), lib.randn(5, 3, 4)),
     "bilinear\\(\\): input dimensions do not match: got 2 and 3"),
    (lambda F, lib: F.bilinear(lib.randn(2, 3), lib.randn(3, 4), lib.randn(5, 3, 4)),
     "bilinear\\(\\): input batch dimensions do not match at dim 0: got 2 and 3"),
    (lambda F, lib: F.bilinear(lib.randn(2, 3), lib.randn(2, 4), lib.randn(5, 2, 4)),
     "bilinear\\(\\): input1 size does not match weight size: got 3 but expected 2"),
])
def test_functional_errors_match_torch(call, match):
    raises_like_torch(lambda lib: call(lib.nn.functional, lib), RuntimeError, match)


@pytest.mark.parametrize("shapes", [[(4, 3), (4, 2), (5, 3, 2), (5,)], [(2, 6, 3), (2, 6, 2),
                                                                        (5, 3, 2), (5,)],
                                    [(3,), (2,), (4, 3, 2)]], ids=str)
def test_bilinear_matches_torch(shapes):
    check_op(lambda lib, a, b, w, bias=None: lib.nn.functional.bilinear(a, b, w, bias), shapes)


def test_bilinear_module():
    tm, em = torch.nn.Bilinear(3, 2, 4), ember.nn.Bilinear(3, 2, 4)
    assert repr(em) == repr(tm) and list(em.state_dict()) == list(tm.state_dict())
    rng = np.random.default_rng(0)
    compare_module(tm, em, rng.standard_normal((5, 3)).astype(np.float32),
                   rng.standard_normal((5, 2)).astype(np.float32))
    ember.manual_seed(0)
    big = ember.nn.Bilinear(300, 20, 30)
    _uniform_stats(big.weight.detach().numpy(), 1 / math.sqrt(300))
    assert np.abs(big.bias.detach().numpy()).max() <= 1 / math.sqrt(300)
    assert ember.nn.Bilinear(3, 2, 4, bias=False).bias is None


def test_identity_returns_input():
    m = ember.nn.Identity(54, unused_argument1=0.1)
    x = ember.randn(2, 3)
    assert m(x) is x and repr(m) == "Identity()"


@pytest.mark.parametrize("args,shape", [((), (2, 3, 4, 5)), ((0, -1), (2, 3, 4)),
                                        ((1, 2), (2, 3, 4, 5)), ((-3, -2), (2, 3, 4, 5))])
def test_flatten_module(args, shape):
    assert repr(ember.nn.Flatten(*args)) == repr(torch.nn.Flatten(*args))
    check_op(lambda lib, x: lib.nn.Flatten(*args)(x), [shape])


@pytest.mark.parametrize("dim,size,shape", [(1, (2, 3), (4, 6)), (-1, [2, -1], (3, 4, 8)),
                                            (0, (2, 2), (4,))])
def test_unflatten_module(dim, size, shape):
    assert repr(ember.nn.Unflatten(dim, size)) == repr(torch.nn.Unflatten(dim, size))
    check_op(lambda lib, x: lib.nn.Unflatten(dim, size)(x), [shape])


def test_unflatten_checks_sizes():
    raises_like_torch(lambda lib: lib.nn.Unflatten(1, 3), TypeError,
                      "unflattened_size must be a tuple of ints, but found type int")
    raises_like_torch(lambda lib: lib.nn.Unflatten(1, [2.0, 3]), TypeError,
                      "found element of type float at pos 0")


def test_flatten_then_linear_in_sequential():
    tm = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 3), torch.nn.ReLU())
    em = ember.nn.Sequential(ember.nn.Flatten(), ember.nn.Linear(12, 3), ember.nn.ReLU())
    assert repr(em) == repr(tm)
    compare_module(tm, em, np.random.default_rng(0).standard_normal((4, 3, 2, 2)).astype(
        np.float32))
