"""torch.nn's public classes all exist in ember.nn at torch's module paths (with an explicit list
of the ones left), and the layers added for that: FractionalMaxPool2d/3d, CrossMapLRN2d,
F.channel_shuffle / F.native_channel_shuffle, LinearCrossEntropyLoss, each against torch.  (Bilinear, the RNN cells and
the Circular/Zero pads are compared with torch in test_linear, test_rnn and
test_padding_upsampling.)"""
import inspect
import io
from collections import OrderedDict

import numpy as np
import pytest

import ember
from tests.helpers import assert_close, check_op, raises_like_torch

torch = pytest.importorskip("torch")

# torch.nn classes ember does not provide yet
NOT_YET = set()
# torch.nn.functional callables ember does not provide yet (CUDA matmul kernels, a legacy conv)
F_NOT_YET = {"conv_tbc", "grouped_mm", "scaled_grouped_mm", "scaled_mm"}


def _public_classes(mod):
    return sorted(n for n in dir(mod) if not n.startswith("_") and inspect.isclass(getattr(mod, n)))


def test_every_torch_nn_class_exists_at_torchs_module_path():
    missing, moved = [], []
    for name in _public_classes(torch.nn):
        if name in NOT_YET:
            assert not hasattr(ember.nn, name), f"{name} exists now: drop it from NOT_YET"
            continue
        if not hasattr(ember.nn, name):
            missing.append(name)
            continue
        expected = getattr(torch.nn, name).__module__.replace("torch", "ember", 1)
        if getattr(ember.nn, name).__module__ != expected:
            moved.append((name, getattr(ember.nn, name).__module__, expected))
    assert not missing, f"torch.nn classes missing from ember.nn: {missing}"
    assert not moved, f"classes at another module path than torch's: {moved}"


def test_every_torch_functional_callable_exists():
    skip = {"Callable", "DType", "Optional", "ScalingType", "SwizzleType", "Tensor",
            "assert_int_or_pair", "boolean_dispatch", "handle_torch_function",
            "has_torch_function", "has_torch_function_unary", "has_torch_function_variadic"}
    names = [n for n in dir(torch.nn.functional) if not n.startswith("_") and n not in skip
             and callable(getattr(torch.nn.functional, n))]
    missing = [n for n in names if n not in F_NOT_YET and not hasattr(ember.nn.functional, n)]
    assert not missing, f"torch.nn.functional names missing from ember: {missing}"


def _samples(shape, seed=0):
    return np.random.default_rng(seed).random(shape).astype(np.float32)


@pytest.mark.parametrize("nd,shape,kernel,out", [
    (2, (2, 3, 9, 7), (2, 3), (4, 3)), (2, (3, 10, 10), 3, 5), (2, (1, 2, 6, 6), 2, 5),
    (3, (2, 2, 7, 8, 9), 2, (3, 4, 5)), (3, (2, 6, 7, 5), (2, 3, 2), 3)])
def test_fractional_max_pool_matches_torch(nd, shape, kernel, out):
    batch = 1 if len(shape) == nd + 1 else shape[0]
    samples = _samples((batch, shape[-nd - 1], nd))
    fn = f"fractional_max_pool{nd}d"

    def call(lib, x):
        return getattr(lib.nn.functional, fn)(x, kernel, output_size=out, return_indices=True,
                                              _random_samples=lib.tensor(samples))
    check_op(call, arrays=[np.random.default_rng(1).standard_normal(shape).astype(np.float32)],
             gradcheck=False)


def test_fractional_max_pool_ratio_ties_nan_and_gradcheck():
    x = np.random.default_rng(2).integers(0, 3, (2, 2, 8, 8)).astype(np.float32)  # many ties
    x[0, 1, 3, 4] = np.nan
    s = _samples((2, 2, 2), 3)
    res = {lib: lib.nn.functional.fractional_max_pool2d(lib.tensor(x), 3, output_ratio=(0.5, 0.7),
                                                        return_indices=True,
                                                        _random_samples=lib.tensor(s))
           for lib in (torch, ember)}
    assert_close(res[ember], res[torch])
    xs = ember.tensor(np.random.default_rng(4).standard_normal((1, 2, 5, 5)), requires_grad=True)
    samples = ember.tensor(_samples((1, 2, 2), 5), dtype=ember.float64)
    assert ember.autograd.gradcheck(lambda t: ember.nn.functional.fractional_max_pool2d(
        t, 2, output_size=3, _random_samples=samples), (xs,))
    # without samples: ember draws its own, shapes as torch
    for lib in (torch, ember):
        y = lib.nn.FractionalMaxPool3d(2, output_ratio=0.5)(lib.randn(2, 3, 6, 8, 10))
        assert tuple(y.shape) == (2, 3, 3, 4, 5)


def test_fractional_max_pool_modules_like_torch():
    s = _samples((2, 3, 2))
    mods = {lib: lib.nn.FractionalMaxPool2d((2, 3), output_size=4, return_indices=True,
                                            _random_samples=lib.tensor(s))
            for lib in (torch, ember)}
    assert repr(mods[ember]) == repr(mods[torch]) == "FractionalMaxPool2d()"
    assert {k: v for k, v in vars(mods[ember]).items() if not k.startswith("_")} == \
        {k: v for k, v in vars(mods[torch]).items() if not k.startswith("_")}
    assert list(mods[ember].state_dict()) == list(mods[torch].state_dict()) == ["_random_samples"]
    x = np.random.default_rng(0).standard_normal((2, 3, 7, 9)).astype(np.float32)
    assert_close(mods[ember](ember.tensor(x)), mods[torch](torch.tensor(x)))
    buf = io.BytesIO()
    torch.save(mods[torch], buf)
    buf.seek(0)
    loaded = ember.load(buf, weights_only=False)
    assert type(loaded) is ember.nn.FractionalMaxPool2d
    assert_close(loaded(ember.tensor(x)), mods[torch](torch.tensor(x)))
    for make, exc, msg in [
            (lambda lib: lib.nn.FractionalMaxPool2d(2), ValueError,
             "FractionalMaxPool2d requires specifying either an output size, or a pooling ratio"),
            (lambda lib: lib.nn.FractionalMaxPool3d(2, output_size=2, output_ratio=0.5),
             ValueError, "only one of output_size and output_ratio may be specified"),
            (lambda lib: lib.nn.FractionalMaxPool2d(2, output_ratio=1.5), ValueError,
             r"output_ratio must be between 0 and 1 \(got 1.5\)")]:
        raises_like_torch(make, exc, msg)
    F = lambda lib: lib.nn.functional  # noqa: E731
    raises_like_torch(lambda lib: F(lib).fractional_max_pool2d(lib.randn(1, 2, 5, 5), 4,
                                                               output_size=3),
                      RuntimeError, "pool height 4 too large relative to input height 5")
    raises_like_torch(lambda lib: F(lib).fractional_max_pool2d(lib.randn(2, 5, 5, 5, 5), 2,
                                                               output_size=2),
                      RuntimeError, r"Expected 3D or 4D tensor, but got: \[2, 5, 5, 5, 5\]")
    raises_like_torch(lambda lib: F(lib).fractional_max_pool2d(
        lib.randn(1, 2, 5, 5), 2, output_size=2, _random_samples=lib.rand(1, 3, 2)),
                      RuntimeError, "Expect _random_samples.size\\(1\\) equals to input channel")
    raises_like_torch(lambda lib: F(lib).fractional_max_pool2d(lib.randn(1, 2, 5, 5), 2),
                      ValueError, "requires specifying either an output_size or an output_ratio")
    raises_like_torch(lambda lib: F(lib).fractional_max_pool3d(
        lib.randn(1, 2, 5, 5, 5), 2, output_size=2,
        _random_samples=lib.rand(1, 2, 3, requires_grad=True)), RuntimeError,
                      "The function 'fractional_max_pool3d' is not differentiable with respect to "
                      "argument 'random_samples'")


@pytest.mark.parametrize("size", [2, 3, 4, 5, 7])
def test_cross_map_lrn2d_matches_torch(size):
    check_op(lambda lib, x: lib.nn.CrossMapLRN2d(size, alpha=0.1, beta=0.8, k=1.5)(x),
             [(2, 5, 3, 4)], gradcheck=False)   # its gradient is torch's formula, not autograd's
    assert repr(ember.nn.CrossMapLRN2d(size)) == repr(torch.nn.CrossMapLRN2d(size))
    raises_like_torch(lambda lib: lib.nn.CrossMapLRN2d(size)(lib.randn(2, 3, 4)), ValueError,
                      "CrossMapLRN2d: Expected input to be 4D, got 3D instead.")


@pytest.mark.parametrize("fn", ["channel_shuffle", "native_channel_shuffle"])
def test_channel_shuffle_functional_matches_torch(fn):
    grad = fn == "channel_shuffle"   # torch has no derivative for the native one
    check_op(lambda lib, x: getattr(lib.nn.functional, fn)(x, 3), [(2, 6, 2, 3)], grad=grad)
    check_op(lambda lib, x: getattr(lib.nn.functional, fn)(x, 2), [(1, 4, 5)], grad=grad)
    raises_like_torch(lambda lib: getattr(lib.nn.functional, fn)(lib.randn(2, 6, 3), 4),
                      RuntimeError, "Number of channels must be divisible by groups. Got 6 "
                                    "channels and 4 groups.")
    raises_like_torch(lambda lib: getattr(lib.nn.functional, fn)(lib.randn(2, 6), 2),
                      RuntimeError, "channel_shuffle expects input with > 2 dims")


@pytest.mark.parametrize("kw", [{}, {"bias": True}, {"out_features": (2, 3), "bias": True},
                                {"label_smoothing": 0.1, "reduction": "sum"},
                                {"ignore_index": 1, "reduction": "none"}])
def test_linear_cross_entropy_loss_matches_torch(kw):
    torch.manual_seed(0)
    t = torch.nn.LinearCrossEntropyLoss(5, 4, **kw)
    e = ember.nn.LinearCrossEntropyLoss(5, 4, **kw)
    e.load_state_dict(OrderedDict((k, ember.tensor(v.numpy())) for k, v in t.state_dict().items()))
    assert repr(e) == repr(t) and list(e.state_dict()) == list(t.state_dict())
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 5)).astype(np.float32)
    target = rng.integers(0, 4, (6,) + kw.get("out_features", ()))
    tx, ex = torch.tensor(x, requires_grad=True), ember.tensor(x, requires_grad=True)
    to, eo = t(tx, torch.tensor(target)), e(ex, ember.tensor(target))
    assert_close(eo, to)
    to.sum().backward()
    eo.sum().backward()
    assert_close(ex.grad, tx.grad)
    assert_close(e.linear.weight.grad, t.linear.weight.grad)


def test_linear_cross_entropy_options_and_errors():
    opts = {lib: lib.nn.LinearCrossEntropyOptions(batch_chunk_size=2) for lib in (torch, ember)}
    assert repr(opts[ember]) == repr(opts[torch])
    w = np.random.default_rng(1).standard_normal((4, 5)).astype(np.float32)
    target = np.array([3, 0, 1])   # index targets: torch's chunked path runs
    check_op(lambda lib, x: lib.nn.functional.linear_cross_entropy(
        x, lib.tensor(w), lib.tensor(target), options=opts[lib]), [(3, 5)], gradcheck=False)
    for bad, msg in [({"acc_policy": "fast"}, "invalid acc_policy: 'fast'"),
                     ({"chunking_method": "rows"}, "invalid chunking_method: 'rows'"),
                     ({"batch_chunk_size": 0}, "batch_chunk_size must be positive int or None")]:
        raises_like_torch(lambda lib: lib.nn.LinearCrossEntropyOptions(**bad), ValueError, msg)
    F = lambda lib: lib.nn.functional  # noqa: E731
    raises_like_torch(lambda lib: F(lib).linear_cross_entropy(lib.zeros(2, 3), lib.zeros(4, 5),
                                                              lib.zeros(2, dtype=lib.int64)),
                      RuntimeError, "expected equal input and linear_weight last dimensions")
    raises_like_torch(lambda lib: F(lib).linear_cross_entropy(
        lib.zeros(3), lib.zeros(4, 2, 3), lib.zeros((), dtype=lib.int64)),
                      RuntimeError, "K-dimensional loss defined by linear_weight shape")
    raises_like_torch(lambda lib: F(lib).linear_cross_entropy(
        lib.zeros(2, 3), lib.zeros(4, 3), lib.zeros(2, 4), ignore_index=0),
                      RuntimeError, "ignore_index cannot be specified when target contains "
                                    "probabilities")
    raises_like_torch(lambda lib: lib.nn.LinearCrossEntropyLoss(3, 4, label_smoothing=2.0),
                      RuntimeError, r"expected label_smoothing to be in range \[0, 1\]")
