"""nn.init against torch: gains, fans, deterministic fills exactly, random fills statistically."""
import math

import numpy as np
import pytest

import ember
from ember.nn import init

torch = pytest.importorskip("torch")

BIG = (400, 250)  # 100k samples: sample mean/std within ~1% of the truth


def np_of(t):
    return np.asarray(t.detach().numpy(), dtype=np.float64)


def error_of(fn):
    with pytest.raises(Exception) as info:
        fn()
    return info.type, str(info.value)


@pytest.mark.parametrize("args", [("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",),
                                  ("leaky_relu",), ("leaky_relu", 0.2), ("leaky_relu", 1),
                                  ("selu",), ("conv_transpose3d",)])
def test_calculate_gain(args):
    assert init.calculate_gain(*args) == pytest.approx(torch.nn.init.calculate_gain(*args))


@pytest.mark.parametrize("args", [("softmax",), ("leaky_relu", True), ("leaky_relu", "x")])
def test_calculate_gain_errors(args):
    assert error_of(lambda: init.calculate_gain(*args)) == \
        error_of(lambda: torch.nn.init.calculate_gain(*args))


@pytest.mark.parametrize("shape", [(2, 3), (4, 3, 5, 5), (6, 2, 3), (1, 1, 2, 2, 2), (3,)])
def test_fan_in_and_fan_out(shape):
    e = lambda: init._calculate_fan_in_and_fan_out(ember.empty(*shape))  # noqa: E731
    t = lambda: torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))  # noqa: E731
    if len(shape) < 2:
        assert error_of(e) == error_of(t)
    else:
        assert e() == t()


def test_uniform_and_normal_statistics():
    x = ember.empty(*BIG)
    assert init.uniform_(x, -1.0, 3.0) is x
    a = np_of(x)
    assert a.min() >= -1.0 and a.max() < 3.0
    assert abs(a.mean() - 1.0) < 0.02 and abs(a.std() - 4 / math.sqrt(12)) < 0.02
    init.normal_(x, 2.0, 0.5)
    a = np_of(x)
    assert abs(a.mean() - 2.0) < 0.01 and abs(a.std() - 0.5) < 0.01


def _compare_std(fn, shape, **kwargs):
    """std (and for uniform inits the bound) of ember's fill against torch's on the same shape."""
    e = np_of(getattr(init, fn)(ember.empty(*shape), **kwargs))
    t = getattr(torch.nn.init, fn)(torch.empty(*shape), **kwargs).numpy().astype(np.float64)
    assert e.std() == pytest.approx(t.std(), rel=0.03)
    assert abs(e.mean()) < 0.03 * t.std() + 1e-3
    if "uniform" in fn:
        assert np.abs(e).max() <= np.abs(t).max() * 1.001
        assert np.abs(e).max() >= np.abs(t).max() * 0.99


@pytest.mark.parametrize("fn,shape,kwargs", [
    ("xavier_uniform_", BIG, {}),
    ("xavier_uniform_", (64, 32, 7, 7), {"gain": 2.0}),
    ("xavier_normal_", BIG, {}),
    ("xavier_normal_", (128, 16, 5, 5), {"gain": 0.5}),
    ("kaiming_uniform_", BIG, {}),
    ("kaiming_uniform_", (64, 32, 3, 3), {"a": math.sqrt(5)}),
    ("kaiming_uniform_", BIG, {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", BIG, {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", (64, 32, 3, 3), {"a": 0.1, "nonlinearity": "leaky_relu"}),
    ("kaiming_normal_", BIG, {"nonlinearity": "tanh"}),
])
def test_scaled_inits_match_torch_statistics(fn, shape, kwargs):
    _compare_std(fn, shape, **kwargs)


def test_kaiming_errors_and_empty():
    assert error_of(lambda: init.kaiming_uniform_(ember.empty(3, 4), mode="fan_avg")) == \
        error_of(lambda: torch.nn.init.kaiming_uniform_(torch.empty(3, 4), mode="fan_avg"))
    x = ember.empty(0, 3)
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        assert init.kaiming_normal_(x) is x
    assert error_of(lambda: init.xavier_uniform_(ember.empty(5))) == \
        error_of(lambda: torch.nn.init.xavier_uniform_(torch.empty(5)))


def test_trunc_normal():
    x = init.trunc_normal_(ember.empty(*BIG), mean=0.5, std=2.0, a=-1.0, b=3.0)
    t = torch.nn.init.trunc_normal_(torch.empty(*BIG), mean=0.5, std=2.0, a=-1.0, b=3.0)
    e, t = np_of(x), t.numpy().astype(np.float64)
    assert e.min() >= -1.0 and e.max() <= 3.0
    assert e.mean() == pytest.approx(t.mean(), abs=0.02)
    assert e.std() == pytest.approx(t.std(), rel=0.02)


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.nn.init.constant_(x, 0.25),
    lambda lib, x: lib.nn.init.ones_(x),
    lambda lib, x: lib.nn.init.zeros_(x),
    lambda lib, x: lib.nn.init.eye_(x),
])
def test_deterministic_fills_match_torch(call):
    e = call(ember, ember.nn.Parameter(ember.empty(3, 5)))
    t = call(torch, torch.nn.Parameter(torch.empty(3, 5)))
    assert isinstance(e, ember.nn.Parameter) and e.requires_grad and e.is_leaf
    np.testing.assert_array_equal(np_of(e), t.detach().numpy())


@pytest.mark.parametrize("shape,groups", [((4, 2, 3), 1), ((6, 3, 3, 3), 2), ((2, 2, 1, 3, 3), 1),
                                          ((3, 5, 3), 1), ((4, 1, 3, 3), 4)])
def test_dirac_matches_torch(shape, groups):
    e = init.dirac_(ember.empty(*shape), groups)
    t = torch.nn.init.dirac_(torch.empty(*shape), groups)
    np.testing.assert_array_equal(np_of(e), t.numpy())


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.init.dirac_(lib.empty(3, 3)),
    lambda lib: lib.nn.init.dirac_(lib.empty(3, 3, 3), groups=2),
    lambda lib: lib.nn.init.eye_(lib.empty(3, 3, 3)),
    lambda lib: lib.nn.init.orthogonal_(lib.empty(3)),
    lambda lib: lib.nn.init.sparse_(lib.empty(3, 3, 3), 0.1),
])
def test_shape_errors_match_torch(call):
    assert error_of(lambda: call(ember)) == error_of(lambda: call(torch))


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 2, 3), (6, 6)])
def test_orthogonal(shape):
    w = np_of(init.orthogonal_(ember.empty(*shape), gain=2.0)).reshape(shape[0], -1)
    small = min(w.shape)
    gram = w @ w.T if w.shape[0] == small else w.T @ w
    np.testing.assert_allclose(gram, 4.0 * np.eye(small), atol=1e-4)


def test_sparse():
    x = init.sparse_(ember.empty(200, 300), sparsity=0.3, std=0.5)
    a = np_of(x)
    assert ((a == 0).sum(axis=0) == 60).all()  # ceil(0.3 * 200) zeros in every column
    assert a[a != 0].std() == pytest.approx(0.5, rel=0.03)


def test_seeded_and_no_grad():
    p = ember.nn.Parameter(ember.empty(20, 30))
    ember.manual_seed(3)
    first = np_of(init.kaiming_uniform_(p, a=math.sqrt(5))).copy()
    ember.manual_seed(3)
    second = np_of(init.kaiming_uniform_(p, a=math.sqrt(5)))
    np.testing.assert_array_equal(first, second)
    assert p.grad_fn is None and p.requires_grad


def test_deprecated_aliases_warn():
    with pytest.warns(FutureWarning, match="nn.init.constant_"):
        x = init.constant(ember.empty(2), 3.0)
    assert x.tolist() == [3.0, 3.0]
