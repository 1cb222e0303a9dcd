"""Dropout against torch's definition: fraction zeroed, 1/(1-p) scaling, channel-wise masks,
alpha dropout's moments, eval identity, in-place writes, gradients through the same mask,
reproducibility under ember.manual_seed, reprs, and torch's errors and warnings."""
import numpy as np
import pytest

import ember
from ember.nn import functional as F
from tests.helpers import raises_like_torch

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_statistics_and_gradient(p):
    ember.manual_seed(0)
    x = ember.ones(200, 500, requires_grad=True)
    y = F.dropout(x, p)
    v = y.detach().numpy()
    kept = v != 0
    assert abs(1 - kept.mean() - p) < 0.01
    np.testing.assert_allclose(v[kept], 1 / (1 - p), rtol=1e-6)
    y.backward(ember.full((200, 500), 2.0))
    np.testing.assert_allclose(x.grad.numpy(), 2 * v, rtol=1e-6)


def test_dropout_identity_outside_training_and_for_p0():
    x = ember.randn(3, 4)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    m = ember.nn.Dropout(0.5).eval()
    assert m(x) is x
    assert F.alpha_dropout(x, 0.5) is x  # training defaults to False, as in torch
    assert F.feature_alpha_dropout(x, 0.5) is x


def test_dropout_p1_zeroes_everything():
    x = ember.randn(3, 4, requires_grad=True)
    y = F.dropout(x, 1.0)
    assert not y.detach().numpy().any()
    y.sum().backward()
    assert not x.grad.numpy().any()


def test_dropout_reproducible_under_manual_seed():
    x = ember.ones(50, 50)
    ember.manual_seed(123)
    a = F.dropout(x, 0.3).numpy()
    ember.manual_seed(123)
    b = F.dropout(x, 0.3).numpy()
    c = F.dropout(x, 0.3).numpy()
    assert np.array_equal(a, b) and not np.array_equal(b, c)


def test_dropout_inplace_writes_input():
    ember.manual_seed(1)
    base = ember.ones(100, 100, requires_grad=True)
    x = base * 1
    y = F.dropout(x, 0.4, inplace=True)
    assert y is x
    assert np.isin(x.detach().numpy(), np.float32([0.0, 1 / 0.6])).all()
    y.sum().backward()
    np.testing.assert_allclose(base.grad.numpy(), x.detach().numpy(), rtol=1e-6)
    m = ember.nn.Dropout(0.5, inplace=True)
    z = ember.ones(10, 10)
    assert m(z) is z and (z.numpy() == 0).any()


@pytest.mark.parametrize("fn,shape,mask_dims", [
    ("dropout1d", (8, 30, 5), 2), ("dropout1d", (30, 5), 1), ("dropout2d", (8, 30, 4, 4), 2),
    ("dropout3d", (4, 30, 2, 3, 2), 2), ("dropout3d", (30, 2, 3, 2), 1)])
def test_channel_dropout_zeroes_whole_channels(fn, shape, mask_dims):
    ember.manual_seed(0)
    y = getattr(F, fn)(ember.ones(*shape), 0.5).numpy()
    per_channel = y.reshape(shape[:mask_dims] + (-1,))
    assert (per_channel.min(-1) == per_channel.max(-1)).all()
    assert set(np.unique(per_channel)) == {0.0, 2.0}
    frac = (per_channel[..., 0] == 0).mean()
    assert 0.3 < frac < 0.7


def test_channel_dropout_modules_and_repr():
    for name in ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
                 "FeatureAlphaDropout"]:
        for args in [(), (0.2, True)]:
            assert repr(getattr(ember.nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))
    ember.manual_seed(0)
    y = ember.nn.Dropout2d(0.5)(ember.ones(4, 20, 3, 3)).numpy()
    assert (y.reshape(4, 20, 9).std(-1) == 0).all()


@pytest.mark.parametrize("p", [0.2, 0.5])
def test_alpha_dropout_keeps_selu_moments(p):
    ember.manual_seed(0)
    x = ember.randn(400, 500)
    y = F.alpha_dropout(x, p, training=True).numpy()
    assert abs(y.mean()) < 0.02 and abs(y.std() - 1) < 0.02
    t = torch.nn.functional.alpha_dropout(torch.from_numpy(x.numpy()), p, training=True).numpy()

    def dropped_value(v):  # the value every dropped element takes: by far the most common
        values, counts = np.unique(v, return_counts=True)
        return values[counts.argmax()]
    np.testing.assert_allclose(dropped_value(y), dropped_value(t), rtol=1e-5)
    assert (y == dropped_value(y)).mean() == pytest.approx(p, abs=0.01)


def test_alpha_dropout_affine_on_kept_values_and_gradient():
    ember.manual_seed(2)
    p = 0.3
    x = ember.randn(50, 40, requires_grad=True)
    y = F.alpha_dropout(x, p, training=True)
    a = 1 / np.sqrt((1.7580993408473766 ** 2 * p + 1) * (1 - p))
    y.sum().backward()
    g = x.grad.numpy()
    assert np.allclose(np.unique(g), [0.0, a])
    kept = g != 0
    np.testing.assert_allclose(y.detach().numpy()[kept],
                               a * x.detach().numpy()[kept] + 1.7580993408473766 * a * p,
                               rtol=1e-5)


def test_feature_alpha_dropout_is_channelwise():
    ember.manual_seed(0)
    y = F.feature_alpha_dropout(ember.zeros(6, 40, 5), 0.5, training=True).numpy()
    assert (y.std(-1) == 0).all() and len(np.unique(np.round(y, 5))) == 2


@pytest.mark.parametrize("call,exc,match", [
    (lambda lib: lib.nn.Dropout(1.5), ValueError,
     "dropout probability has to be between 0 and 1, but got 1.5"),
    (lambda lib: lib.nn.functional.dropout(lib.randn(2), -0.1), ValueError,
     "dropout probability has to be between 0 and 1, but got -0.1"),
    (lambda lib: lib.nn.functional.dropout2d(lib.randn(3), 0.5), RuntimeError,
     "Feature dropout requires at least 2 dimensions in the input"),
    (lambda lib: lib.nn.Dropout1d(0.5)(lib.randn(2, 3, 4, 5)), RuntimeError,
     "dropout1d: Expected 2D or 3D input, but received a 4D input"),
])
@pytest.mark.filterwarnings("ignore:dropout2d")
def test_errors_match_torch(call, exc, match):
    raises_like_torch(call, exc, match)


def test_deprecated_ranks_warn_like_torch():
    with pytest.warns(UserWarning, match="dropout2d: Received a 3D input to dropout2d"):
        F.dropout2d(ember.ones(2, 3, 4))
    with pytest.warns(UserWarning, match="dropout3d: Received a 3-D input to dropout3d"):
        F.dropout3d(ember.ones(2, 3, 4))


@pytest.mark.parametrize("fn,shape", [("dropout", (3, 4, 5)), ("alpha_dropout", (3, 4, 5)),
                                      ("feature_alpha_dropout", (3, 4, 5)),
                                      ("dropout2d", (2, 3, 2, 2)), ("dropout1d", (3, 4, 5))])
def test_dropout_gradcheck_float64(fn, shape):
    def f(x):
        ember.manual_seed(7)  # the same mask on every evaluation
        return getattr(F, fn)(x, 0.4, training=True)
    x = ember.randn(*shape, dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(f, (x,))
