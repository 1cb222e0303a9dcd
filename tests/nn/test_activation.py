"""Activations against torch: F.* and nn.* forward/backward over shapes and parameters,
in-place forms, reprs, integer inputs, the softmax family's dim rules and error cases."""
import warnings

import numpy as np
import pytest

import ember
from tests.helpers import check_op, assert_close, grads_like_torch, raises_like_torch

torch = pytest.importorskip("torch")

# (functional name, kwargs)
POINTWISE = [
    ("relu", {}), ("relu6", {}), ("elu", {}), ("elu", dict(alpha=0.5)), ("elu", dict(alpha=-0.3)),
    ("selu", {}), ("celu", {}), ("celu", dict(alpha=2.0)), ("leaky_relu", {}),
    ("leaky_relu", dict(negative_slope=0.2)), ("leaky_relu", dict(negative_slope=-0.5)),
    ("gelu", {}), ("gelu", dict(approximate="tanh")), ("silu", {}), ("mish", {}),
    ("sigmoid", {}), ("tanh", {}), ("hardtanh", {}), ("hardtanh", dict(min_val=-0.5, max_val=1.5)),
    ("hardsigmoid", {}), ("hardswish", {}), ("softplus", {}),
    ("softplus", dict(beta=2.0, threshold=1.0)), ("softsign", {}), ("softshrink", {}),
    ("softshrink", dict(lambd=1.2)), ("hardshrink", {}), ("hardshrink", dict(lambd=0.1)),
    ("tanhshrink", {}), ("logsigmoid", {}), ("threshold", dict(threshold=0.3, value=-2.0)),
    ("rrelu", {}), ("rrelu", dict(lower=0.2, upper=0.4)),
]
SHAPES = [(), (7,), (3, 5), (2, 3, 4, 5)]


def _id(case):
    name, kw = case
    return name + "".join(f"-{k}={v}" for k, v in kw.items())


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("case", POINTWISE, ids=_id)
def test_pointwise_matches_torch(case, shape):
    name, kw = case
    low, high = (-5.0, 5.0) if name in ("hardsigmoid", "hardswish", "relu6") else (-2.0, 2.0)
    check_op(lambda lib, x: getattr(lib.nn.functional, name)(x, **kw), [shape], low=low,
             high=high)


@pytest.mark.parametrize("case", POINTWISE, ids=_id)
def test_pointwise_float64_and_noncontiguous(case):
    name, kw = case
    check_op(lambda lib, x: getattr(lib.nn.functional, name)(x, **kw), [(4, 3)], dtype="float64",
             noncontiguous=True, atol=1e-10, rtol=1e-8, gradcheck=False)


def test_softplus_and_logsigmoid_extreme_values():
    x = np.array([-200.0, -30.0, -1.0, 0.0, 1.0, 30.0, 200.0], np.float32)
    for fn in ("softplus", "logsigmoid", "silu", "mish", "elu", "gelu"):
        check_op(lambda lib, t: getattr(lib.nn.functional, fn)(t), arrays=[x], gradcheck=False)


# (module name, constructor args, kwargs)
MODULES = [
    ("Threshold", (0.1, 20.0), {}), ("Threshold", (0.1, 20), dict(inplace=True)),
    ("ReLU", (), {}), ("ReLU", (True,), {}), ("RReLU", (), {}), ("RReLU", (0.1, 0.3, True), {}),
    ("Hardtanh", (), {}), ("Hardtanh", (-2, 2, True), {}), ("ReLU6", (), {}),
    ("ReLU6", (True,), {}),
    ("Sigmoid", (), {}), ("Tanh", (), {}), ("Hardsigmoid", (), {}), ("Hardsigmoid", (True,), {}),
    ("SiLU", (), {}), ("SiLU", (True,), {}), ("Mish", (True,), {}), ("Hardswish", (True,), {}),
    ("ELU", (), {}), ("ELU", (0.5, True), {}), ("CELU", (2.0, True), {}), ("SELU", (True,), {}),
    ("SELU", (), {}), ("GLU", (), {}), ("GLU", (2,), {}), ("GELU", (), {}), ("GELU", ("tanh",), {}),
    ("Hardshrink", (), {}), ("Hardshrink", (0.3,), {}), ("LeakyReLU", (), {}),
    ("LeakyReLU", (0.2, True), {}), ("LogSigmoid", (), {}), ("Softplus", (), {}),
    ("Softplus", (2, 10), {}), ("Softshrink", (), {}), ("Softsign", (), {}), ("Tanhshrink", (), {}),
    ("Softmin", (1,), {}), ("Softmax", (1,), {}), ("Softmax", (-1,), {}),
    ("LogSoftmax", (), dict(dim=0)),
    ("Softmax2d", (), {}), ("PReLU", (), {}), ("PReLU", (3, 0.1), {}),
]


@pytest.mark.parametrize("case", MODULES, ids=lambda c: f"{c[0]}{c[1]}{c[2]}")
def test_module_matches_torch(case, device):
    name, args, kw = case
    tm = getattr(torch.nn, name)(*args, **kw)
    em = getattr(ember.nn, name)(*args, **kw).to(device)
    assert repr(em) == repr(tm)
    assert list(em.state_dict()) == list(tm.state_dict())
    em.eval(), tm.eval()

    def fn(lib, x):
        m = tm if lib is torch else em
        return m(x * 1.0)  # a non-leaf, so that inplace=True layers may overwrite it
    check_op(fn, [(2, 3, 4, 6)], gradcheck=False)


@pytest.mark.parametrize("shape,n", [((2, 3, 4), 3), ((5, 3), 3), ((4,), 1), ((2, 3, 2, 2), 1),
                                     ((), 1)])
def test_prelu_weight_gradient(shape, n):
    w = np.array([0.25, -0.1, 0.5][:n], np.float32)
    check_op(lambda lib, x, a: lib.nn.functional.prelu(x, a), arrays=[
        np.random.default_rng(1).uniform(-2, 2, shape).astype(np.float32), w])


def test_prelu_module_parameter_grad():
    tm, em = torch.nn.PReLU(3, 0.1), ember.nn.PReLU(3, 0.1)
    x = np.random.default_rng(0).standard_normal((4, 3, 5)).astype(np.float32)
    tm(torch.from_numpy(x)).pow(2).sum().backward()
    em(ember.from_numpy(x)).pow(2).sum().backward()
    assert_close(em.weight.grad, tm.weight.grad, 1e-5)
    assert em.weight.shape == (3,) and float(em.weight[1]) == pytest.approx(0.1)


@pytest.mark.parametrize("dim", [0, 1, -1, 2])
def test_glu(dim):
    check_op(lambda lib, x: lib.nn.functional.glu(x, dim), [(4, 6, 2)])


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
@pytest.mark.parametrize("shape,dim", [((5,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1),
                                       ((2, 3, 4, 5), 1), ((), 0)])
def test_softmax_family(name, shape, dim):
    check_op(lambda lib, x: getattr(lib.nn.functional, name)(x, dim), [shape])
    check_op(lambda lib, x: getattr(lib.nn.functional, name)(x, dim, dtype=lib.float64), [shape],
             gradcheck=False)


@pytest.mark.parametrize("ndim,expected", [(0, 0), (1, 0), (2, 1), (3, 0), (4, 1)])
def test_softmax_implicit_dim_warns_and_picks_torchs_dim(ndim, expected):
    x = ember.randn(*(3,) * ndim)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        out = ember.nn.functional.softmax(x)
    with pytest.warns(UserWarning):
        assert_close(out, torch.nn.functional.softmax(torch.from_numpy(x.numpy())))
    assert_close(out, torch.softmax(torch.from_numpy(x.numpy()), expected))
    with pytest.warns(UserWarning, match="Implicit dimension choice for log_softmax"):
        ember.nn.LogSoftmax()(x)


def test_softmax2d_and_its_rank_check():
    check_op(lambda lib, x: lib.nn.Softmax2d()(x), [(2, 3, 4, 5)])
    check_op(lambda lib, x: lib.nn.Softmax2d()(x), [(3, 4, 5)])
    with pytest.raises(ValueError, match="Softmax2d: expected input to be 3D or 4D, got 2D"):
        ember.nn.Softmax2d()(ember.randn(2, 3))


@pytest.mark.parametrize("name,kw", [("relu", {}), ("elu", {}),
                                     ("leaky_relu", dict(negative_slope=0.1)), ("selu", {}),
                                     ("celu", dict(alpha=1.5)), ("hardtanh", {}), ("relu6", {}),
                                     ("silu", {}), ("mish", {}), ("hardsigmoid", {}),
                                     ("hardswish", {}),
                                     ("threshold", dict(threshold=0.1, value=3.0))])
def test_inplace_modifies_input_and_backprops(name, kw):
    def fn(lib, x):
        y = x * 2  # non-leaf
        out = getattr(lib.nn.functional, name)(y, inplace=True, **kw)
        assert out is y
        return out
    check_op(fn, [(3, 4)])


def test_inplace_underscore_forms():
    for name in ["relu_", "elu_", "selu_", "celu_", "leaky_relu_", "hardtanh_", "rrelu_"]:
        x = ember.tensor([-1.0, 0.5, 2.0])
        t = torch.tensor([-1.0, 0.5, 2.0])
        getattr(ember.nn.functional, name)(x)
        getattr(torch.nn.functional, name)(t)
        assert_close(x, t)
    x = ember.tensor([-1.0, 0.5, 2.0])
    ember.nn.functional.threshold_(x, 0.6, 9.0)
    assert x.tolist() == [9.0, 9.0, 2.0]


def test_inplace_on_leaf_requiring_grad_raises():
    x = ember.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        ember.nn.functional.elu(x, inplace=True)


def test_rrelu_training_draws_slopes_in_range():
    ember.manual_seed(0)
    x = ember.full((2000,), -1.0, requires_grad=True)
    y = ember.nn.functional.rrelu(x, 0.1, 0.3, training=True)
    slopes = -y.detach().numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and slopes.std() > 0.04
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), slopes)
    pos = ember.nn.functional.rrelu(ember.tensor([2.0]), training=True)
    assert pos.item() == 2.0
    ember.manual_seed(0)
    again = ember.nn.functional.rrelu(ember.full((2000,), -1.0), 0.1, 0.3, training=True)
    np.testing.assert_array_equal(again.numpy(), -slopes)
    m = ember.nn.RReLU(0.1, 0.3).eval()
    assert m(ember.tensor([-1.0])).item() == pytest.approx(-0.2)


def test_gumbel_softmax():
    ember.manual_seed(0)
    logits = ember.randn(5, 4, requires_grad=True)
    soft = ember.nn.functional.gumbel_softmax(logits, tau=0.5)
    np.testing.assert_allclose(soft.sum(-1).detach().numpy(), 1, rtol=1e-6)
    hard = ember.nn.functional.gumbel_softmax(logits, hard=True)
    h = hard.detach().numpy()
    assert set(np.unique(h)) <= {0.0, 1.0} and (h.sum(-1) == 1).all()
    (hard * ember.arange(4.0)).sum().backward()
    assert logits.grad is not None and np.abs(logits.grad.numpy()).sum() > 0


@pytest.mark.parametrize("name,kernel", [
    ("elu", "elu_cpu"), ("selu", "elu_cpu"), ("celu", "elu_cpu"), ("leaky_relu", "leaky_relu_cpu"),
    ("gelu", "GeluKernelImpl"), ("silu", "silu_cpu"), ("softplus", "softplus_cpu"),
    ("mish", "mish_cpu"), ("hardsigmoid", "hardsigmoid_cpu"), ("hardswish", "hardswish_cpu"),
    ("logsigmoid", "log_sigmoid_cpu"), ("hardshrink", "hardshrink_cpu"), ("glu", "glu_cpu")])
def test_integer_inputs_refused_like_torch(name, kernel):
    with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'Long\''):
        getattr(ember.nn.functional, name)(ember.tensor([1, -2, 3, 4]))


@pytest.mark.parametrize("name", ["relu", "relu6", "hardtanh", "tanhshrink", "softsign",
                                  "sigmoid", "tanh"])
def test_integer_inputs_accepted_like_torch(name):
    check_op(lambda lib, x: getattr(lib.nn.functional, name)(x), [(6,)], dtype="int64",
             low=-8, high=8)


@pytest.mark.parametrize("call,exc,match", [
    (lambda F, x: F.hardtanh(x, 2.0, 1.0), ValueError, "min_val cannot be greater than max_val"),
    (lambda F, x: F.gelu(x, approximate="fast"), RuntimeError, "either none or tanh"),
    (lambda F, x: F.glu(x[:, :3]), RuntimeError, "Halving dimension must be even, but dimension 1 "
                                                 "is size 3"),
    (lambda F, x: F.glu(x.sum()), RuntimeError, "glu does not support scalars"),
    (lambda F, x: F.rrelu(x, 0.5, 0.1, training=True), RuntimeError, "Lower bound should be less"),
    (lambda F, x: F.softshrink(x, -1.0), RuntimeError, "lambda must be in range"),
    (lambda F, x: F.prelu(x, x.new_ones(3)), RuntimeError, "Found parameter numbers = 3 and "
                                                          "channel size = 4"),
    (lambda F, x: F.prelu(x.sum(), x.new_ones(3)), RuntimeError, "Not allow zero-dim input"),
    (lambda F, x: F.relu(x > 0), RuntimeError, "Boolean inputs not supported for relu"),
    (lambda F, x: F.softsign(x > 0), NotImplementedError, "\"abs_cpu\" not implemented for 'Bool'"),
    (lambda F, x: F.tanhshrink(x > 0), RuntimeError, "Subtraction, the `-` operator, with a bool"),
])
def test_errors_match_torch(call, exc, match):
    raises_like_torch(lambda lib: call(lib.nn.functional, lib.ones(2, 4)), exc, match)


def test_hardtanh_module_bounds_and_deprecated_names():
    with pytest.raises(AssertionError, match=r"max_val \(0\) must be greater than min_val \(1\)"):
        ember.nn.Hardtanh(1, 0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = ember.nn.Hardtanh(min_value=-3)
    assert repr(m) == "Hardtanh(min_val=-3, max_val=1.0)"
    assert any("min_value" in str(w.message) for w in caught)


def test_layer_error_names_activation_module():
    model = ember.nn.Sequential(ember.nn.Linear(4, 6), ember.nn.GLU())
    with pytest.raises(RuntimeError, match=r"^1 \(GLU\(dim=-1\)\): Halving dimension must be "
                                           r"even, but dimension 1 is size 5"):
        ember.nn.Sequential(ember.nn.Identity(), ember.nn.GLU())(ember.randn(2, 5))
    assert model(ember.randn(2, 4)).shape == (2, 3)


# -- NaN and inf: values and gradients as torch's kernels give them ------------------------------
_SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 3.0, -3.0, 6.0],
                    np.float32)


@pytest.mark.parametrize("cotangent", [1.0, np.inf, np.nan])
@pytest.mark.parametrize("fn", [
    lambda F, x: F.threshold(x, 0.5, 2.0), lambda F, x: F.softshrink(x), lambda F, x: F.hardshrink(x),
    lambda F, x: F.softsign(x), lambda F, x: F.tanhshrink(x), lambda F, x: F.elu(x),
    lambda F, x: F.elu(x, 2.0), lambda F, x: F.elu(x, -0.5), lambda F, x: F.celu(x, 2.0),
    lambda F, x: F.selu(x), lambda F, x: F.hardswish(x), lambda F, x: F.hardsigmoid(x),
    lambda F, x: F.relu(x), lambda F, x: F.relu6(x), lambda F, x: F.hardtanh(x),
    lambda F, x: F.leaky_relu(x), lambda F, x: F.l1_loss(x, x.detach().clamp(0, 0), reduction="none"),
], ids=["threshold", "softshrink", "hardshrink", "softsign", "tanhshrink", "elu", "elu_alpha2",
        "elu_negative_alpha", "celu", "selu", "hardswish", "hardsigmoid", "relu", "relu6", "hardtanh",
        "leaky_relu", "l1_loss"])
def test_nan_and_inf_like_torch(fn, cotangent):
    """NaN stays NaN and passes its gradient where torch's kernels do; inf inputs and an
    infinite upstream gradient give torch's values (0 at masked places, NaN where torch's
    formula meets inf - inf)."""
    grads_like_torch(lambda lib, x: fn(lib.nn.functional, x), _SPECIAL, cotangent=cotangent)
