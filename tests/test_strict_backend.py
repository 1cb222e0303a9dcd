"""The GPU code path, run on the strict CuPy-like stand-in (and on EMBER_TEST_DEVICE).

Each case runs the same computation on the CPU and on the device, then
compares values, gradients and where results live.  The stand-in refuses
implicit host conversions, so a passing case also shows that the op never
leaves the device.  The first tests pin the stand-in's own strictness.
"""
import io

import numpy as np
import pytest

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember._backend import strict

from .conftest import TEST_DEVICE
from .helpers import make_arrays

DEVICES = ["strict"] + ([TEST_DEVICE] if TEST_DEVICE not in ("cpu", "strict") else [])


@pytest.fixture(params=DEVICES)
def dev(request):
    return request.param


# -- the stand-in refuses what CuPy refuses ------------------------------------------------
def test_stand_in_is_as_strict_as_cupy():
    a = strict.asarray(np.arange(6.0).reshape(2, 3))
    with pytest.raises(TypeError, match="Implicit conversion to a NumPy array"):
        np.asarray(a)
    with pytest.raises(TypeError, match="Unsupported type"):
        a + np.ones(3)
    with pytest.raises(TypeError, match="Unsupported type"):
        strict.concatenate([a, np.ones((1, 3))])
    for name in ("__array_interface__", "__array_namespace__", "setflags"):
        assert not hasattr(a, name)
    assert not hasattr(a.flags, "writeable")
    with pytest.raises(AttributeError, match="'multiply' ufunc has no attribute 'at'"):
        strict.multiply.at(a, (0, 0), 2.0)
    with pytest.raises(TypeError):
        strict.lib.stride_tricks.as_strided(a, (2,), (8,), writeable=False)
    s = a.sum()
    assert type(s) is strict.ndarray and s.ndim == 0 and float(s) == 15.0
    assert type(a[0, 1]) is strict.ndarray
    np.testing.assert_array_equal(a.get(), np.arange(6.0).reshape(2, 3))


def test_tensor_moves_to_and_from_the_device(dev):
    x = ember.arange(6.0).reshape(2, 3)
    y = x.to(dev)
    assert y.device == ember.device(dev, 0) and y.is_cuda and not y.is_cpu
    assert type(y._data) is not np.ndarray
    assert ember.equal(y.cpu(), x)
    assert ember.zeros(2, device=dev).device == y.device
    assert (y + 1).to("cpu").device == ember.device("cpu")


# -- ops: CPU and device agree -----------------------------------------------------------------
def _build(arrays, device, grad):
    out = []
    for a in arrays:
        t = ember.from_numpy(a.copy()).to(device)
        if grad and a.dtype.kind == "f":
            t.requires_grad_(True)
        out.append(t)
    return out


def _outputs(r):
    return [o for o in (r if isinstance(r, (tuple, list)) else (r,)) if isinstance(o, ember.Tensor)]


def check_on(dev, fn, *arrays, grad=True, atol=1e-5):
    """``fn(*inputs)`` on the CPU and on ``dev``: same values, dtypes, gradients; results on dev."""
    cpu_in, dev_in = _build(arrays, "cpu", grad), _build(arrays, dev, grad)
    want, got = _outputs(fn(*cpu_in)), _outputs(fn(*dev_in))
    assert len(want) == len(got)
    for w, g in zip(want, got):
        assert g.device.type == dev and g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_allclose(g.detach().cpu().numpy(), w.detach().numpy(), atol=atol,
                                   rtol=1e-4)
    pairs = [(w, g) for w, g in zip(want, got) if w.requires_grad]
    if not grad or not pairs:
        return
    rng = np.random.default_rng(1)
    cots = [rng.standard_normal(tuple(w.shape)).astype(w.detach().numpy().dtype) for w, _ in pairs]
    ember.autograd.backward([w for w, _ in pairs], [ember.from_numpy(c) for c in cots])
    ember.autograd.backward([g for _, g in pairs], [ember.from_numpy(c).to(dev) for c in cots])
    for c, d in zip(cpu_in, dev_in):
        if c.requires_grad and c.grad is not None:
            assert d.grad is not None and d.grad.device.type == dev
            np.testing.assert_allclose(d.grad.cpu().numpy(), c.grad.numpy(), atol=atol * 10,
                                       rtol=1e-3)


def _on(a, data):
    """An index tensor on ``a``'s device."""
    return ember.tensor(data, device=a.device)


IDX = np.array([2, 0, 2, 1])
MASK = np.array([[True, False, True, False, True]] * 4)

CASES = {
    # elementwise
    "add_mul": (lambda a, b: a + b * 2 - 1, [(4, 5), (5,)]),
    "div_pow": (lambda a, b: (a / (b.abs() + 1)) ** 2, [(4, 5), (4, 5)]),
    "unary": (lambda a: a.exp().tanh() + a.sigmoid() * a.sin() + F.gelu(a) + F.relu(a), [(4, 5)]),
    "where_clamp": (lambda a, b: ember.where(a > 0, a, b).clamp(-1, 1), [(4, 5), (4, 5)]),
    "compare": (lambda a, b: ((a > b) | (a < 0)).float() * a, [(4, 5), (4, 5)]),
    # reductions
    "sum_mean": (lambda a: a.sum(1) + a.mean(1) + a.sum(), [(4, 5)]),
    "max_dim": (lambda a: a.max(1), [(4, 5)]),
    "var_std": (lambda a: a.var(0) + a.std(0, keepdim=True), [(4, 5)]),
    "softmax": (lambda a: F.softmax(a, 1) + F.log_softmax(a, 0) + a.logsumexp(1, True), [(4, 5)]),
    "cumsum_argmax": (lambda a: (a.cumsum(1), a.argmax(1), a.norm()), [(4, 5)]),
    # matmul
    "matmul": (lambda a, b: a @ b.t(), [(4, 5), (3, 5)]),
    "bmm_einsum": (lambda a, b: ember.bmm(a, b) + ember.einsum("bij,bjk->bik", a, b),
                   [(2, 3, 4), (2, 4, 3)]),
    "linear": (lambda x, w, b: F.linear(x, w, b), [(4, 5), (3, 5), (3,)]),
    "linalg": (lambda a: (ember.linalg.eigh(a @ a.t()).eigenvalues.sum() + ember.linalg.norm(a, 2)
                          + ember.linalg.det(a[:, :4] + 4 * ember.eye(4, device=a.device))),
               [(4, 5)]),
    # conv and pooling
    "conv2d": (lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1),
               [(2, 3, 7, 7), (4, 3, 3, 3), (4,)]),
    "conv_transpose2d": (lambda x, w: F.conv_transpose2d(x, w, stride=2),
                         [(1, 2, 4, 4), (2, 3, 3, 3)]),
    "conv1d_groups": (lambda x, w: F.conv1d(x, w, groups=2), [(2, 4, 9), (4, 2, 3)]),
    "max_pool2d": (lambda x: F.max_pool2d(x, 2), [(2, 3, 6, 6)]),
    "avg_pool_adaptive": (lambda x: F.avg_pool2d(x, 3, 2, 1).sum() + F.adaptive_avg_pool2d(x, 2),
                          [(2, 3, 6, 6)]),
    # norms
    "batch_norm": (lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
                   [(4, 3, 5, 5), (3,), (3,)]),
    "layer_group_norm": (lambda x: F.layer_norm(x, (5,)) + F.group_norm(x, 1), [(2, 3, 5)]),
    # losses
    "mse_smooth_l1": (lambda a, b: F.mse_loss(a, b) + F.smooth_l1_loss(a, b), [(4, 5), (4, 5)]),
    "bce_logits": (lambda a, b: F.binary_cross_entropy_with_logits(a, b.sigmoid()),
                   [(4, 5), (4, 5)]),
    "cross_entropy": (lambda a: F.cross_entropy(a, _on(a, [1, 0, 4, 2])),
                      [(4, 5)]),
    "nll_smoothing": (lambda a: F.cross_entropy(a, _on(a, [1, 0, 4, 2]),
                                                label_smoothing=0.1), [(4, 5)]),
    "multi_margin": (lambda a: F.multi_margin_loss(a, _on(a, [1, 0, 4, 2])), [(4, 5)]),
    "embedding_bag": (lambda w: F.embedding_bag(_on(w, [[1, 2], [0, 1]]), w), [(4, 3)]),
    "stft": (lambda x: ember.stft(x, 16, return_complex=True).abs(), [(64,)]),
    # indexing
    "index_tensor": (lambda a: a[_on(a, IDX)] + a[1:3].sum(), [(4, 5)]),
    "index_mask": (lambda a: a[_on(a, MASK)], [(4, 5)]),
    "gather_index_select": (lambda a: a.gather(1, ember.tensor([[0, 1], [2, 2], [4, 0], [1, 1]],
                                                                device=a.device))
                            + a.index_select(1, _on(a, [3, 3])), [(4, 5)]),
    "scatter_add": (lambda a, b: a.scatter_add(0, _on(a, [[0, 1, 0, 3, 0]] * 2), b),
                    [(4, 5), (2, 5)]),
    "scatter_prod": (lambda a, b: a.scatter_reduce(0, _on(a, [[0, 1, 0, 3, 0]] * 2),
                                                   b, "prod"), [(4, 5), (2, 5)]),
    "index_put_acc": (lambda a, b: a.index_put((_on(a, IDX),), b, accumulate=True),
                      [(4, 5), (4, 5)]),
    "setitem": (lambda a, b: _setitem(a, b), [(4, 5), (2, 5)]),
    # in place
    "inplace_chain": (lambda a: a.clone().mul_(2).add_(1).relu_() * a, [(4, 5)]),
    "inplace_view": (lambda a: _inplace_view(a), [(4, 5)]),
    "expand_view": (lambda a: a.unsqueeze(0).expand(3, 4, 5).sum(0) + a.t().contiguous().t(),
                    [(4, 5)]),
}


def _setitem(a, b):
    c = a.clone()
    c[1:3] = b * 2
    c[_on(a, [0, 3]), 0] = 7.0
    return c


def _inplace_view(a):
    c = a.clone()
    c[:, 1].mul_(3)
    c.t()[0] += 1
    return c


@pytest.mark.parametrize("name", list(CASES))
def test_op_matches_cpu(dev, name):
    fn, shapes = CASES[name]
    check_on(dev, fn, *make_arrays(shapes))


def test_writing_into_an_expanded_view_is_refused(dev):
    x = ember.ones(3, device=dev).expand(2, 3)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        x.add_(1)


def test_custom_function_missing_grad_is_zeros_on_the_device(dev):
    class Two(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 3

    x = ember.ones(3, device=dev, requires_grad=True)
    Two.apply(x)[0].sum().backward()
    assert x.grad.device.type == dev and x.grad.tolist() == [2.0, 2.0, 2.0]


def test_storage_offset_and_pointer_of_views(dev):
    x = ember.arange(12.0).reshape(3, 4)
    y = x.to(dev)
    for f in (lambda t: t[1:], lambda t: t.t()[2:], lambda t: t.diagonal(), lambda t: t[1:, 2:]):
        assert f(y).storage_offset() == f(x).storage_offset()
        assert f(y).data_ptr() - y.data_ptr() == f(x).data_ptr() - x.data_ptr()
    assert y[1:].untyped_storage().data_ptr() == y.untyped_storage().data_ptr()


def test_saved_device_arrays_are_freed(dev):
    x = ember.ones(3, device=dev, requires_grad=True)
    y = x.exp()
    y.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.sum().backward()


# -- random numbers on the device ---------------------------------------------------------------
def test_dropout_draws_its_mask_on_the_device(dev):
    x = ember.ones(2000, device=dev)
    ember.manual_seed(3)
    a = F.dropout(x, 0.25)
    ember.manual_seed(3)
    b = F.dropout(x, 0.25)
    assert a.device.type == dev and ember.equal(a.cpu(), b.cpu())
    vals = a.cpu().numpy()
    assert set(np.unique(vals)) <= {0.0, np.float32(1 / 0.75)}
    assert 0.2 < (vals == 0).mean() < 0.3
    c = F.dropout(x, 0.25)   # the stream moves on
    assert not ember.equal(a.cpu(), c.cpu())


def test_device_stream_is_seeded_from_the_generator(dev):
    xp = ember._backend.array_module_for(dev)
    g1, g2 = ember.Generator().manual_seed(5), ember.Generator().manual_seed(5)
    a = g1.device_stream(xp).random_sample((4,))
    b = g2.device_stream(xp).random_sample((4,))
    assert type(a) is not np.ndarray and bool((a == b).all())
    g2.seed_device(xp, 6)
    assert not bool((g2.device_stream(xp).random_sample((4,)) == g1.device_stream(xp)
                     .random_sample((4,))).all())


SAMPLERS = {
    "rand": lambda d: ember.rand(3, 4, device=d),
    "randn": lambda d: ember.randn(3, 4, dtype=ember.float64, device=d),
    "randint": lambda d: ember.randint(2, 9, (3, 4), device=d),
    "randperm": lambda d: ember.randperm(7, device=d),
    "normal": lambda d: ember.normal(1.0, 2.0, (3, 4), device=d),
    "normal_tensors": lambda d: ember.normal(ember.zeros(3, device=d), ember.ones(3, device=d)),
    "rand_like": lambda d: ember.randn_like(ember.zeros(3, device=d)),
    "bernoulli": lambda d: ember.bernoulli(ember.full((3, 4), 0.5, device=d)),
    "multinomial": lambda d: ember.multinomial(ember.ones(2, 5, device=d), 3),
    "multinomial_replacement": lambda d: ember.multinomial(ember.ones(2, 5, device=d), 6, True),
    "poisson": lambda d: ember.poisson(ember.full((5,), 3.0, device=d)),
    "standard_gamma": lambda d: ember._standard_gamma(ember.full((5,), 2.0, device=d)),
    "uniform_": lambda d: ember.zeros(3, 4, device=d).uniform_(-1, 1),
    "normal_": lambda d: ember.zeros(3, 4, device=d).normal_(),
    "bernoulli_": lambda d: ember.zeros(3, 4, device=d).bernoulli_(0.3),
    "random_": lambda d: ember.zeros(3, 4, device=d).random_(5),
    "exponential_": lambda d: ember.zeros(6, device=d).exponential_(),
    "geometric_": lambda d: ember.zeros(6, device=d).geometric_(0.4),
    "dropout": lambda d: F.dropout(ember.ones(20, device=d), 0.5),
    "linear_init": lambda d: nn.Linear(3, 4, device=d).weight,
    "fractional_max_pool": lambda d: F.fractional_max_pool2d(
        ember.arange(50.0, device=d).reshape(1, 2, 5, 5), 2, output_size=3),
}


@pytest.fixture
def no_host_copies(dev, monkeypatch):
    """On the stand-in, refuse every host-to-device copy: what a test builds must be made there."""
    if dev == "strict":
        for name in ("asarray", "array", "asanyarray"):
            def refuse(a, *args, make=getattr(strict, name), **kwargs):
                if isinstance(a, np.ndarray):
                    raise AssertionError("a host array was copied to the device")
                return make(a, *args, **kwargs)
            # in the module's dict, so undoing removes it again (the module forwards to NumPy)
            monkeypatch.setitem(vars(strict), name, refuse)


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_samplers_draw_on_the_device(dev, name, no_host_copies):
    ember.manual_seed(7)
    a = SAMPLERS[name](dev)
    ember.manual_seed(7)
    b = SAMPLERS[name](dev)
    assert a.device.type == dev and type(a._data) is not np.ndarray
    assert ember.equal(a.detach().cpu(), b.detach().cpu())


def test_factories_draw_from_the_device_stream(dev):
    xp = ember._backend.array_module_for(dev)
    ember.manual_seed(11)
    got = ember.rand(5, device=dev)
    want = ember.Generator().manual_seed(11).device_stream(xp).random_sample((5,), dtype=np.float32)
    assert bool((got._data == want).all())
    ember.default_generator.seed_device(xp, 12)      # what cuda.manual_seed does on CUDA
    host = ember.rand(5)
    moved = ember.rand(5, device=dev)
    want = ember.Generator().manual_seed(12).device_stream(xp).random_sample((5,), dtype=np.float32)
    assert bool((moved._data == want).all())
    ember.manual_seed(11)   # restarts both streams; the device draws left the CPU's alone
    assert ember.equal(ember.rand(5), host)
    assert ember.equal(ember.rand(5, device=dev).cpu(), got.cpu())


# -- training ------------------------------------------------------------------------------------
def _net():
    ember.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 4 * 4, 3))


@pytest.mark.parametrize("opt", ["sgd", "adam", "adamw"])
def test_cnn_training_step_matches_cpu(dev, opt):
    make = {"sgd": lambda p: ember.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=1e-4),
            "adam": lambda p: ember.optim.Adam(p, lr=1e-2),
            "adamw": lambda p: ember.optim.AdamW(p, lr=1e-2, amsgrad=True)}[opt]
    x, = make_arrays([(5, 1, 8, 8)])
    y = np.array([0, 2, 1, 1, 0])
    cpu_net, dev_net = _net(), _net().to(dev)
    assert all(p.device.type == dev for p in dev_net.parameters())
    losses = []
    for net, where in ((cpu_net, "cpu"), (dev_net, dev)):
        optim = make(net.parameters())
        for _ in range(2):
            optim.zero_grad()
            loss = F.cross_entropy(net(ember.from_numpy(x).to(where)),
                                   ember.from_numpy(y).to(where))
            loss.backward()
            optim.step()
        losses.append(loss.item())
    assert losses[0] == pytest.approx(losses[1], rel=1e-4)
    for (name, p), q in zip(cpu_net.state_dict().items(), dev_net.state_dict().values()):
        assert q.device.type == dev, name
        np.testing.assert_allclose(q.cpu().numpy(), p.numpy(), atol=1e-5, rtol=1e-4, err_msg=name)


# -- checkpoints ---------------------------------------------------------------------------------
def test_save_on_device_load_with_map_location(dev):
    net = _net().to(dev)
    buf = io.BytesIO()
    ember.save(net.state_dict(), buf)
    buf.seek(0)
    loaded = ember.load(buf, map_location="cpu")
    for k, v in net.state_dict().items():
        assert loaded[k].device.type == "cpu" and ember.equal(loaded[k], v.cpu()), k
    buf = io.BytesIO()
    ember.save(loaded, buf)
    buf.seek(0)
    back = ember.load(buf, map_location=dev)
    fresh = _net().to(dev)
    fresh.load_state_dict(back)
    for k, v in fresh.state_dict().items():
        assert v.device.type == dev and ember.equal(v.cpu(), loaded[k]), k


def test_mixing_devices_follows_torch(dev):
    x = ember.arange(3.0).to(dev)
    assert ember.equal((x * ember.tensor(2.0)).cpu(), ember.tensor([0.0, 2.0, 4.0]))
    assert (ember.tensor(2.0) - x).device.type == dev           # 0-d CPU tensors act as scalars
    assert ember.where(x > 0, 1.0, 0.0).device.type == dev
    want = ("Expected all tensors to be on the same device, but found at least two devices, "
            f"{dev}:0 and cpu!")
    for call in (lambda: x + ember.ones(3), lambda: ember.ones(3) * x, lambda: x @ ember.ones(3),
                 lambda: ember.cat([x, ember.ones(2)]),
                 lambda: x.requires_grad_() * ember.ones(2, 3)):
        with pytest.raises(RuntimeError, match=want):
            call()
