"""Normalisation against torch: F.batch_norm/instance_norm/layer_norm/group_norm/rms_norm/
local_response_norm/normalize (forward, input and affine gradients, float64 gradchecks) and
the layers (running statistics over several steps, momentum=None, eval mode, reprs,
state_dict keys and buffers, unbatched inputs, error messages)."""
import numpy as np
import pytest

import ember
from tests.helpers import check_op, assert_close, raises_like_torch
from tests.nn.test_linear import compare_module, load_from_torch

torch = pytest.importorskip("torch")

BN_SHAPES = [(4, 3), (4, 3, 5), (2, 3, 4, 5), (2, 3, 2, 3, 2)]


def _running(lib, c, seed=5):
    rng = np.random.default_rng(seed)
    mean = rng.standard_normal(c).astype(np.float32)
    var = rng.uniform(0.5, 2, c).astype(np.float32)
    return lib.tensor(mean), lib.tensor(var)


@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", BN_SHAPES, ids=str)
def test_batch_norm_functional(shape, training, affine):
    c = shape[1]
    stats = {}

    def fn(lib, x, w=None, b=None):
        rm, rv = _running(lib, c)
        out = lib.nn.functional.batch_norm(x, rm, rv, w, b, training=training, momentum=0.3,
                                           eps=1e-3)
        stats[lib.__name__] = (rm, rv)
        return out
    check_op(fn, [shape] + ([(c,), (c,)] if affine else []), grad_atol=1e-4)
    for e, t in zip(stats["ember"], stats["torch"]):
        assert_close(e, t, 1e-5)  # the last ember call is the float64 gradcheck: same stats


def test_batch_norm_without_running_stats_and_float64():
    check_op(lambda lib, x, w, b: lib.nn.functional.batch_norm(x, None, None, w, b, True),
             [(5, 2, 3), (2,), (2,)], dtype="float64", atol=1e-10)
    check_op(lambda lib, x: lib.nn.functional.batch_norm(x, None, None, training=True),
             [(3, 4, 2, 2)], noncontiguous=True)


@pytest.mark.parametrize("cls,shape", [("BatchNorm1d", (6, 3)), ("BatchNorm1d", (4, 3, 5)),
                                       ("BatchNorm2d", (4, 3, 5, 2)),
                                       ("BatchNorm3d", (2, 3, 2, 3, 2)),
                                       ("SyncBatchNorm", (6, 3)), ("SyncBatchNorm", (2, 3, 4, 5))])
@pytest.mark.parametrize("kw", [{}, dict(momentum=None), dict(affine=False),
                                dict(track_running_stats=False), dict(momentum=0.5, eps=1e-3),
                                dict(bias=False)], ids=str)
def test_batchnorm_layers_match_torch_over_steps(cls, shape, kw):
    tm, em = getattr(torch.nn, cls)(3, **kw), getattr(ember.nn, cls)(3, **kw)
    assert repr(em) == repr(tm)
    assert list(em.state_dict()) == list(tm.state_dict())
    load_from_torch(em, tm)
    rng = np.random.default_rng(0)
    for step in range(3):
        x = (rng.standard_normal(shape) * (step + 1) + step).astype(np.float32)
        compare_module(tm, em, x, seed=step)
        tm.zero_grad(), em.zero_grad()
        for name, tb in tm.named_buffers():
            assert_close(dict(em.named_buffers())[name], tb, 1e-5, 1e-5, name)
    tm.eval(), em.eval()
    x = rng.standard_normal(shape).astype(np.float32)
    compare_module(tm, em, x)


def test_convert_sync_batchnorm_shares_state_like_torch():
    models = {}
    for lib in (torch, ember):
        nn = lib.nn
        model = nn.Sequential(nn.Conv2d(1, 2, 1), nn.BatchNorm2d(2, momentum=None).eval(),
                              nn.Sequential(nn.BatchNorm1d(2, affine=False,
                                                           track_running_stats=False)))
        bn = model[1]
        assert nn.SyncBatchNorm.convert_sync_batchnorm(model) is model
        assert model[1].weight is bn.weight and model[1].running_var is bn.running_var
        assert not model[1].training and model[2][0].running_mean is None
        assert type(nn.SyncBatchNorm.convert_sync_batchnorm(bn)) is nn.SyncBatchNorm
        models[lib] = model
    assert repr(models[ember]) == repr(models[torch])


def test_batchnorm_buffers_and_state_dict():
    bn = ember.nn.BatchNorm2d(4)
    sd = bn.state_dict()
    assert list(sd) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    nbt = sd["num_batches_tracked"]
    assert nbt.dtype == ember.int64 and nbt.dim() == 0 and nbt.item() == 0
    assert sd._metadata[""]["version"] == 2
    bn(ember.randn(2, 4, 3, 3))
    bn(ember.randn(2, 4, 3, 3))
    assert bn.num_batches_tracked.item() == 2
    assert not bn.running_mean.requires_grad
    assert bn.weight.tolist() == [1.0] * 4 and bn.bias.tolist() == [0.0] * 4
    bn.reset_running_stats()
    assert bn.running_var.tolist() == [1.0] * 4 and bn.num_batches_tracked.item() == 0
    plain = {k: v for k, v in sd.items() if k != "num_batches_tracked"}
    fresh = ember.nn.BatchNorm2d(4)
    assert repr(fresh.load_state_dict(plain)) == "<All keys matched successfully>"
    tsd = torch.nn.BatchNorm2d(4).state_dict()
    fresh.load_state_dict({k: ember.tensor(v.numpy()) for k, v in tsd.items()})


def test_batchnorm_eval_uses_running_stats_and_no_update():
    tm, em = torch.nn.BatchNorm1d(3), ember.nn.BatchNorm1d(3)
    tm.running_mean.fill_(0.5), tm.running_var.fill_(2.0)
    tm.eval(), em.eval()
    compare_module(tm, em, np.random.default_rng(0).standard_normal((1, 3)).astype(np.float32))
    assert em.running_mean.tolist() == [0.5] * 3 and em.num_batches_tracked.item() == 0


@pytest.mark.parametrize("call,exc,match", [
    (lambda nn, lib: nn.BatchNorm1d(4)(lib.randn(1, 4)), ValueError,
     r"Expected more than 1 value per channel when training, got input size (torch|ember)"
     r"\.Size\(\[1, 4\]\)"),
    (lambda nn, lib: nn.BatchNorm1d(4)(lib.randn(1, 4, 1)), ValueError,
     "Expected more than 1 value per channel when training"),
    (lambda nn, lib: nn.BatchNorm1d(4)(lib.randn(2, 5)), RuntimeError,
     "running_mean should contain 5 elements not 4"),
    (lambda nn, lib: nn.BatchNorm2d(4)(lib.randn(2, 4)), ValueError,
     r"expected 4D input \(got 2D input\)"),
    (lambda nn, lib: nn.BatchNorm1d(4)(lib.randn(2, 4, 3, 3)), ValueError,
     r"expected 2D or 3D input \(got 4D input\)"),
    (lambda nn, lib: nn.BatchNorm3d(4)(lib.randn(2, 4, 3, 3)), ValueError,
     r"expected 5D input \(got 4D input\)"),
    (lambda nn, lib: nn.SyncBatchNorm(4)(lib.randn(4)), ValueError,
     r"expected at least 2D input \(got 1D input\)"),
    (lambda nn, lib: nn.SyncBatchNorm(4)(lib.randn(2, 0, 3)), ValueError,
     "SyncBatchNorm number of input channels should be non-zero"),
    (lambda nn, lib: nn.functional.batch_norm(lib.randn(2, 4), None, None), RuntimeError,
     "running_mean must be defined in evaluation mode"),
    (lambda nn, lib: nn.functional.batch_norm(lib.randn(2, 4), lib.zeros(4), lib.ones(4),
                                              lib.ones(3)), RuntimeError,
     "weight should contain 4 elements not 3"),
    (lambda nn, lib: nn.LayerNorm(4)(lib.randn(2, 3)), RuntimeError,
     r"Given normalized_shape=\[4\], expected input with shape \[\*, 4\], but got input of "
     r"size\[2, 3\]"),
    (lambda nn, lib: nn.LayerNorm((3, 4))(lib.randn(2, 4, 3)), RuntimeError,
     r"Given normalized_shape=\[3, 4\], expected input with shape \[\*, 3, 4\]"),
    (lambda nn, lib: nn.GroupNorm(4, 6), ValueError,
     r"num_channels \(6\) must be divisible by num_groups \(4\)"),
    (lambda nn, lib: nn.functional.group_norm(lib.randn(2, 6, 4), 4), RuntimeError,
     r"Expected number of channels in input to be divisible by num_groups, but got input of "
     r"shape \[2, 6, 4\] and num_groups=4"),
    (lambda nn, lib: nn.GroupNorm(2, 6)(lib.randn(2, 4, 4)), RuntimeError,
     r"Expected weight to be a vector of size equal to the number of channels in input, but "
     r"got weight of shape \[6\] and input of shape \[2, 4, 4\]"),
    (lambda nn, lib: nn.InstanceNorm1d(4)(lib.randn(2, 4, 1)), ValueError,
     "Expected more than 1 spatial element when training"),
    (lambda nn, lib: nn.InstanceNorm1d(4, affine=True)(lib.randn(2, 5, 3)), ValueError,
     r"expected input's size at dim=1 to match num_features \(4\), but got: 5\."),
    (lambda nn, lib: nn.InstanceNorm2d(4)(lib.randn(2, 4)), ValueError,
     r"expected 3D or 4D input \(got 2D input\)"),
    (lambda nn, lib: nn.functional.local_response_norm(lib.randn(2, 4), 2), ValueError,
     "Expected 3D or higher dimensionality"),
])
def test_errors_match_torch(call, exc, match):
    raises_like_torch(lambda lib: call(lib.nn, lib), exc, match)


def test_batchnorm_error_names_the_layer():
    model = ember.nn.Sequential(ember.nn.Conv2d(1, 4, 3), ember.nn.BatchNorm2d(5))
    with pytest.raises(RuntimeError, match=r"^1 \(BatchNorm2d\(5, .*\)\): running_mean should "
                                           r"contain 4 elements not 5"):
        model(ember.randn(2, 1, 5, 5))


@pytest.mark.parametrize("cls,shape", [("InstanceNorm1d", (2, 3, 5)), ("InstanceNorm1d", (3, 5)),
                                       ("InstanceNorm2d", (2, 3, 4, 3)),
                                       ("InstanceNorm2d", (3, 4, 3)),
                                       ("InstanceNorm3d", (2, 3, 2, 3, 2))])
@pytest.mark.parametrize("kw", [{}, dict(affine=True), dict(track_running_stats=True),
                                dict(affine=True, track_running_stats=True, momentum=0.3),
                                dict(affine=True, bias=False)], ids=str)
def test_instancenorm_layers_match_torch(cls, shape, kw):
    tm, em = getattr(torch.nn, cls)(3, **kw), getattr(ember.nn, cls)(3, **kw)
    assert repr(em) == repr(tm)
    assert list(em.state_dict()) == list(tm.state_dict())
    rng = np.random.default_rng(1)
    for step in range(2):
        compare_module(tm, em, (rng.standard_normal(shape) + step).astype(np.float32), seed=step)
        for name, tb in tm.named_buffers():
            assert_close(dict(em.named_buffers())[name], tb, 1e-5, 1e-5, name)
    tm.eval(), em.eval()
    compare_module(tm, em, rng.standard_normal(shape).astype(np.float32))


def test_instancenorm_channel_mismatch_warns_without_affine():
    with pytest.warns(UserWarning, match="input's size at dim=0 does not match num_features"):
        out = ember.nn.InstanceNorm1d(4)(ember.randn(2, 4))
    assert out.shape == (2, 4)


@pytest.mark.parametrize("shape,ns", [((4, 5), (5,)), ((2, 3, 4), (4,)), ((2, 3, 4), (3, 4)),
                                      ((3,), (3,)), ((2, 0, 4), (4,))], ids=str)
@pytest.mark.parametrize("affine", ["both", "weight", "none"])
def test_layer_norm_functional(shape, ns, affine):
    extra = {"both": [ns, ns], "weight": [ns], "none": []}[affine]
    check_op(lambda lib, x, w=None, b=None: lib.nn.functional.layer_norm(x, ns, w, b, 1e-4),
             [shape] + extra)


def test_layer_norm_float64_noncontiguous():
    check_op(lambda lib, x, w, b: lib.nn.functional.layer_norm(x, (3,), w, b), [(4, 3), (3,), (3,)],
             dtype="float64", noncontiguous=True, atol=1e-10)


@pytest.mark.parametrize("kw", [{}, dict(elementwise_affine=False), dict(bias=False),
                                dict(eps=1e-3)], ids=str)
def test_layernorm_module(kw):
    tm, em = torch.nn.LayerNorm([3, 4], **kw), ember.nn.LayerNorm([3, 4], **kw)
    assert repr(em) == repr(tm) and list(em.state_dict()) == list(tm.state_dict())
    with torch.no_grad():
        for p in tm.parameters():
            p.uniform_(0.5, 1.5)
    compare_module(tm, em, np.random.default_rng(0).standard_normal((2, 5, 3, 4)).astype(
        np.float32))


@pytest.mark.parametrize("shape,groups", [((2, 6, 5), 3), ((2, 6), 2), ((3, 4, 3, 2), 4),
                                          ((2, 4, 2, 2, 2), 1), ((1, 4, 3), 2)], ids=str)
def test_group_norm(shape, groups):
    c = shape[1]
    check_op(lambda lib, x, w, b: lib.nn.functional.group_norm(x, groups, w, b),
             [shape, (c,), (c,)])
    check_op(lambda lib, x: lib.nn.functional.group_norm(x, groups), [shape])
    tm, em = torch.nn.GroupNorm(groups, c), ember.nn.GroupNorm(groups, c)
    assert repr(em) == repr(tm) and list(em.state_dict()) == list(tm.state_dict())
    compare_module(tm, em, np.random.default_rng(0).standard_normal(shape).astype(np.float32))
    assert repr(ember.nn.GroupNorm(2, 4, affine=False)) == repr(torch.nn.GroupNorm(2, 4,
                                                                                   affine=False))


@pytest.mark.parametrize("shape,ns,eps", [((4, 5), (5,), None), ((2, 3, 4), (3, 4), 1e-3)],
                         ids=str)
def test_rms_norm(shape, ns, eps):
    check_op(lambda lib, x, w: lib.nn.functional.rms_norm(x, ns, w, eps), [shape, ns])
    check_op(lambda lib, x: lib.nn.functional.rms_norm(x, ns, eps=eps), [shape])
    tm, em = torch.nn.RMSNorm(ns, eps), ember.nn.RMSNorm(ns, eps)
    assert repr(em) == repr(tm) and list(em.state_dict()) == list(tm.state_dict())
    compare_module(tm, em, np.random.default_rng(0).standard_normal(shape).astype(np.float32))


@pytest.mark.parametrize("shape", [(2, 5, 4), (2, 6, 3, 3), (1, 4, 2, 3, 2)], ids=str)
@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_local_response_norm(shape, size):
    check_op(lambda lib, x: lib.nn.functional.local_response_norm(x, size, alpha=0.1, beta=0.6,
                                                                  k=1.5), [shape])
    tm, em = torch.nn.LocalResponseNorm(size), ember.nn.LocalResponseNorm(size)
    assert repr(em) == repr(tm)


@pytest.mark.parametrize("shape,kw", [((3, 4), {}), ((3, 4), dict(p=1, dim=0)),
                                      ((2, 3, 4), dict(dim=-1, p=3)), ((5,), dict(dim=0)),
                                      ((2, 3), dict(eps=10.0)), ((2, 4), dict(p=float("inf")))],
                         ids=str)
def test_normalize(shape, kw):
    check_op(lambda lib, x: lib.nn.functional.normalize(x, **kw), [shape])


def test_normalize_zero_rows_stay_zero_and_out():
    x = ember.zeros(2, 3)
    assert ember.nn.functional.normalize(x).tolist() == [[0.0] * 3] * 2
    out = ember.empty(2, 3)
    res = ember.nn.functional.normalize(ember.ones(2, 3), dim=0, out=out)
    assert res is out and out.tolist()[0][0] == pytest.approx(2 ** -0.5)
