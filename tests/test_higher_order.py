"""Higher-order gradients against torch: the engine under ``create_graph=True``,
``autograd.Function`` through it, double backward through the layers, and worked examples
(WGAN-GP gradient penalty, a PINN residual, MAML, Hessian-vector products) with identical
weights in both libraries."""
import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")

LIBS = (torch, ember)


def _np(t):
    return t.detach().numpy()


def _tensors(lib, arrays, grad=True):
    return [lib.tensor(a, requires_grad=grad and a.dtype.kind == "f") for a in arrays]


def double_backward(lib, fn, arrays, seed=0):
    """First and second derivatives of ``fn`` at ``arrays`` in ``lib``: g = d<fn, v>/dx with
    create_graph, then h = d<g, w>/dx, for fixed random v and w."""
    xs = _tensors(lib, arrays)
    out = fn(lib, *xs)
    rng = np.random.default_rng(seed)
    v = lib.tensor(rng.standard_normal(tuple(out.shape)), dtype=out.dtype)
    diff = [x for x in xs if x.requires_grad]
    gs = lib.autograd.grad(out, diff, v, create_graph=True)
    total = sum((g * lib.tensor(rng.standard_normal(tuple(g.shape)), dtype=g.dtype)).sum()
                for g in gs)
    hs = lib.autograd.grad(total, diff, allow_unused=True)
    return [_np(g) for g in gs], [None if h is None else _np(h) for h in hs]


def assert_double_backward(fn, arrays, atol=1e-8, rtol=1e-6):
    (tg, th), (eg, eh) = (double_backward(lib, fn, arrays) for lib in LIBS)
    for t, e in zip(tg, eg):
        np.testing.assert_allclose(e, t, atol=atol, rtol=rtol)
    for t, e in zip(th, eh):
        if t is None:
            assert e is None or not np.any(e)
        else:
            np.testing.assert_allclose(e, t, atol=atol, rtol=rtol)


def _rand(*shape, seed=0, scale=1.0):
    return np.random.default_rng(seed + sum(shape)).standard_normal(shape) * scale


# -- the engine ---------------------------------------------------------------------
def test_grad_any_order_matches_torch():
    """d/dx, d2/dx2 and d3/dx3 of sum(tanh(x) * x**3) through autograd.grad(create_graph)."""
    res = []
    for lib in LIBS:
        x = lib.tensor([0.3, -1.2, 2.0], dtype=lib.float64, requires_grad=True)
        y = (lib.tanh(x) * x ** 3).sum()
        orders = []
        for _ in range(3):
            y, = lib.autograd.grad(y, x, create_graph=True)
            orders.append(_np(y))
            y = y.sum()
        res.append(orders)
    for t, e in zip(*res):
        np.testing.assert_allclose(e, t, rtol=1e-12)


def test_backward_create_graph_leaves_graph_grads():
    """.grad after backward(create_graph=True) is itself differentiable, and a second backward
    accumulates into it out of place, as torch."""
    res = []
    for lib in LIBS:
        x = lib.tensor([0.5, 1.5], dtype=lib.float64, requires_grad=True)
        (x.exp() * x).sum().backward(create_graph=True)
        first = x.grad
        assert first.requires_grad and first.grad_fn is not None
        first.sum().backward()
        res.append((_np(first), _np(x.grad)))
    for t, e in zip(*res):
        np.testing.assert_allclose(e, t, rtol=1e-12)


def test_grad_outputs_requiring_grad_are_differentiated():
    """The cotangent itself can be differentiated (d/dv of a vector-Jacobian product)."""
    res = []
    for lib in LIBS:
        x = lib.tensor([[1.0, 2.0], [3.0, -1.0]], dtype=lib.float64, requires_grad=True)
        v = lib.tensor([[0.5, -1.0], [2.0, 1.0]], dtype=lib.float64, requires_grad=True)
        g, = lib.autograd.grad(x @ x, x, v, create_graph=True)
        gv, = lib.autograd.grad((g * g).sum(), v)
        res.append((_np(g), _np(gv)))
    for t, e in zip(*res):
        np.testing.assert_allclose(e, t, rtol=1e-12)


def test_in_place_changes_and_views_under_create_graph():
    """Index assignment and an in-place op on a view (CopySlices) differentiate twice as in
    torch."""
    res = []
    for lib in LIBS:
        x = lib.tensor([0.5, 1.5, -2.0], dtype=lib.float64, requires_grad=True)
        y = x * 1
        y[0] = x[1] ** 3
        y[1:].mul_(x[:2])
        g, = lib.autograd.grad((y ** 2).sum(), x, create_graph=True)
        h, = lib.autograd.grad(g.sum(), x)
        res.append((_np(g), _np(h)))
    for t, e in zip(*res):
        np.testing.assert_allclose(e, t, rtol=1e-12)


def test_numpy_defers_to_tensors_in_mixed_operators():
    """NumPy hands ``ndarray * x`` to the other operand, for a Tensor as torch's and for the
    stand-in backward formulas see under create_graph (so ``mask * g`` stays in the graph);
    NumPy functions still take a Tensor that needs no grad, as with torch."""
    from ember.autograd.tensor_xp import ArrayTensor
    for lib in LIBS:
        assert lib.Tensor.__array_priority__ > np.zeros(1).__array_priority__
        np.testing.assert_allclose(np.exp(lib.tensor([0.0, 1.0])), [1.0, np.e], rtol=1e-6)
    g = ArrayTensor(ember.tensor([1.0, 2.0], requires_grad=True))
    prod = np.array([3.0, 4.0]) * g
    assert type(prod) is ArrayTensor and prod.t.grad_fn is not None
    with pytest.raises(TypeError, match="NumPy function directly"):
        np.asarray(g)


def test_first_order_results_do_not_require_grad():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    g, = ember.autograd.grad((x * x).sum(), x)
    assert not g.requires_grad and g.grad_fn is None


def test_gradgradcheck_passes_and_fails_like_torch():
    """gradgradcheck accepts a smooth function and rejects one whose gradient is cut (detach
    inside makes the analytical second derivative zero)."""
    for lib in LIBS:
        x = lib.tensor([0.5, 1.0, 2.0], dtype=lib.float64, requires_grad=True)
        assert lib.autograd.gradgradcheck(lambda t: (t.sin() * t ** 2).sum(), (x,))
        assert not lib.autograd.gradgradcheck(lambda t: (t * t).detach() * t, (x,),
                                              raise_exception=False)
        with pytest.raises(RuntimeError, match="Jacobian mismatch"):
            lib.autograd.gradgradcheck(lambda t: (t * t).detach() * t, (x,))


# -- autograd.Function ----------------------------------------------------------------
def _functions(lib):
    class Cube(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 3 * x ** 2 * g

    class Exp(lib.autograd.Function):  # setup_context style, saving its output
        @staticmethod
        def forward(x):
            return x.exp()

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(output)

        @staticmethod
        def backward(ctx, g):
            y, = ctx.saved_tensors
            return g * y

    class Once(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @lib.autograd.function.once_differentiable
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * x * g
    return Cube, Exp, Once


def test_function_backward_is_differentiated():
    res = []
    for lib in LIBS:
        cube, exp, _ = _functions(lib)
        x = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
        g, = lib.autograd.grad((cube.apply(x) * exp.apply(x)).sum(), x, create_graph=True)
        h, = lib.autograd.grad(g.sum(), x)
        res.append((_np(g), _np(h)))
    for t, e in zip(*res):
        np.testing.assert_allclose(e, t, rtol=1e-12)


def test_once_differentiable_raises_torchs_error_on_double_backward():
    messages = []
    for lib in LIBS:
        once = _functions(lib)[2]
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        v = lib.ones(2, dtype=lib.float64, requires_grad=True)
        g, = lib.autograd.grad(once.apply(x), x, v, create_graph=True)
        np.testing.assert_allclose(_np(g), [2.0, 4.0])
        assert g.requires_grad
        with pytest.raises(RuntimeError) as info:
            g.sum().backward()
        messages.append(str(info.value))
        first, = lib.autograd.grad(once.apply(x).sum(), x)  # first order still works
        np.testing.assert_allclose(_np(first), [2.0, 4.0])
    assert messages[1] == messages[0]


def test_ctc_loss_second_derivative_raises_torchs_error():
    """torch defines no double backward for ctc_loss: the first derivative under create_graph
    is right, differentiating it again raises torch's error."""
    lp = np.log(np.random.default_rng(0).dirichlet(np.ones(4), size=(6, 2)))
    outs = []
    for lib in LIBS:
        x = lib.tensor(lp, requires_grad=True)
        loss = lib.nn.functional.ctc_loss(x, lib.tensor([[1, 2], [3, 1]]), lib.tensor([6, 5]),
                                          lib.tensor([2, 1]))
        g, = lib.autograd.grad(loss, x, create_graph=True)
        with pytest.raises(RuntimeError) as info:
            g.sum().backward()
        outs.append((_np(g), str(info.value)))
    np.testing.assert_allclose(outs[1][0], outs[0][0], rtol=1e-10)
    assert outs[1][1] == outs[0][1]


# -- double backward through layers ---------------------------------------------------
def _conv(dim):
    def fn(lib, x, w, b):
        return getattr(lib.nn.functional, f"conv{dim}d")(lib.tanh(x), w, b, padding=1, stride=1)
    return fn


LAYERS = {
    "conv1d": (_conv(1), [_rand(2, 2, 5), _rand(3, 2, 3, seed=1), _rand(3, seed=2)]),
    "conv2d": (_conv(2), [_rand(1, 2, 4, 4), _rand(2, 2, 3, 3, seed=1), _rand(2, seed=2)]),
    "conv3d": (_conv(3), [_rand(1, 1, 3, 3, 3), _rand(2, 1, 2, 2, 2, seed=1), _rand(2, seed=2)]),
    "conv_transpose2d": (
        lambda lib, x, w, b: lib.nn.functional.conv_transpose2d(lib.tanh(x), w, b, stride=2),
        [_rand(1, 2, 3, 3), _rand(2, 3, 2, 2, seed=1), _rand(3, seed=2)]),
    "linear": (lambda lib, x, w, b: lib.tanh(lib.nn.functional.linear(x, w, b)),
               [_rand(4, 3), _rand(5, 3, seed=1), _rand(5, seed=2)]),
    "layer_norm": (lambda lib, x, w, b: lib.nn.functional.layer_norm(x, (4,), w, b),
                   [_rand(3, 4), _rand(4, seed=1), _rand(4, seed=2)]),
    "batch_norm": (lambda lib, x, w, b: lib.nn.functional.batch_norm(
        x, None, None, w, b, training=True), [_rand(5, 3, 2), _rand(3, seed=1), _rand(3, seed=2)]),
    "softmax": (lambda lib, x: lib.softmax(x * x, dim=1), [_rand(3, 4)]),
    "log_softmax": (lambda lib, x: lib.log_softmax(x * x, dim=0), [_rand(3, 4)]),
    "cross_entropy": (lambda lib, x, w: lib.nn.functional.cross_entropy(
        x @ w, lib.tensor([0, 2, 1])), [_rand(3, 4), _rand(4, 3, seed=1)]),
    "max_pool2d": (lambda lib, x: lib.nn.functional.max_pool2d(x * x, 2), [_rand(1, 2, 4, 4)]),
    "avg_pool2d": (lambda lib, x: lib.nn.functional.avg_pool2d(x * x, 2), [_rand(1, 2, 4, 4)]),
    "embedding": (lambda lib, w: lib.nn.functional.embedding(lib.tensor([[0, 2], [2, 1]]),
                                                             w * w), [_rand(3, 4)]),
    "attention": (lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(q, k, v),
                  [_rand(1, 3, 4), _rand(1, 5, 4, seed=1), _rand(1, 5, 2, seed=2)]),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_double_backward_through_layer(name):
    """First and second derivatives through the layer (identical inputs and weights, float64)
    equal torch's."""
    fn, arrays = LAYERS[name]
    assert_double_backward(fn, arrays)


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_double_backward_through_recurrent_layer(kind):
    """The fused recurrent ops: under create_graph their step loop runs again over Tensors."""
    def fn(lib, x):
        lib.manual_seed(0)
        layer = getattr(lib.nn, kind)(3, 2).double()
        with lib.no_grad():
            for i, p in enumerate(layer.parameters()):
                p.copy_(lib.tensor(_rand(*p.shape, seed=i, scale=0.5)))
        return layer(x)[0]
    assert_double_backward(fn, [_rand(4, 1, 3)])


# -- worked examples --------------------------------------------------------------------
def _mlp(lib, sizes, seed, act="tanh"):
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        lin = lib.nn.Linear(a, b).double()
        with lib.no_grad():
            lin.weight.copy_(lib.tensor(_rand(b, a, seed=seed + i, scale=0.6)))
            lin.bias.copy_(lib.tensor(_rand(b, seed=seed + 10 + i, scale=0.1)))
        layers += [lin, lib.nn.Tanh() if act == "tanh" else lib.nn.LeakyReLU(0.2)]
    return lib.nn.Sequential(*layers[:-1])


def _wgan_gp_step(lib):
    """One critic step: Wasserstein loss plus the gradient penalty on interpolates."""
    critic = _mlp(lib, [4, 8, 8, 1], seed=3, act="leaky")
    opt = lib.optim.Adam(critic.parameters(), lr=1e-3, betas=(0.5, 0.9))
    real, fake = lib.tensor(_rand(6, 4)), lib.tensor(_rand(6, 4, seed=5))
    alpha = lib.tensor(np.random.default_rng(7).random((6, 1)))
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    grads, = lib.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
    penalty = ((grads.norm(2, dim=1) - 1) ** 2).mean()
    loss = critic(fake).mean() - critic(real).mean() + 10 * penalty
    opt.zero_grad()
    loss.backward()
    opt.step()
    return [_np(loss), _np(penalty)] + [_np(p) for p in critic.parameters()]


def _pinn_residual(lib):
    """u(x) a tanh MLP; residual u'' + pi^2 sin(pi x) and its parameter gradients."""
    net = _mlp(lib, [1, 6, 6, 1], seed=11)
    x = lib.tensor(np.linspace(-1, 1, 7).reshape(7, 1), requires_grad=True)
    u = net(x)
    du, = lib.autograd.grad(u.sum(), x, create_graph=True)
    d2u, = lib.autograd.grad(du.sum(), x, create_graph=True)
    residual = d2u + np.pi ** 2 * lib.sin(np.pi * x)
    loss = (residual ** 2).mean() + (u[0] ** 2).sum() + (u[-1] ** 2).sum()
    loss.backward()
    return [_np(du), _np(d2u), _np(loss)] + [_np(p.grad) for p in net.parameters()]


def _maml_step(lib):
    """One inner SGD step on a support set with create_graph, the outer loss on a query set,
    and the meta-gradient through the inner step."""
    net = _mlp(lib, [2, 5, 1], seed=21)
    params = list(net.parameters())
    xs, ys = lib.tensor(_rand(4, 2)), lib.tensor(_rand(4, 1, seed=2))
    xq, yq = lib.tensor(_rand(5, 2, seed=3)), lib.tensor(_rand(5, 1, seed=4))

    def forward(x, p):
        h = lib.tanh(lib.nn.functional.linear(x, p[0], p[1]))
        return lib.nn.functional.linear(h, p[2], p[3])
    inner = lib.nn.functional.mse_loss(forward(xs, params), ys)
    grads = lib.autograd.grad(inner, params, create_graph=True)
    fast = [p - 0.4 * g for p, g in zip(params, grads)]
    outer = lib.nn.functional.mse_loss(forward(xq, fast), yq)
    meta = lib.autograd.grad(outer, params)
    return [_np(outer)] + [_np(g) for g in meta]


def _hvp(lib):
    """Hessian-vector product of a loss of a small tanh MLP by double backward."""
    net = _mlp(lib, [3, 4, 1], seed=31)
    params = list(net.parameters())
    x = lib.tensor(_rand(6, 3))
    loss = (net(x) ** 2).mean()
    grads = lib.autograd.grad(loss, params, create_graph=True)
    vs = [lib.tensor(_rand(*p.shape, seed=40 + i)) for i, p in enumerate(params)]
    dot = sum((g * v).sum() for g, v in zip(grads, vs))
    return [_np(h) for h in lib.autograd.grad(dot, params)]


@pytest.mark.parametrize("example", [_wgan_gp_step, _pinn_residual, _maml_step, _hvp],
                         ids=["wgan_gp", "pinn", "maml", "hvp"])
def test_worked_example_matches_torch(example):
    t, e = example(torch), example(ember)
    assert len(t) == len(e)
    for a, b in zip(t, e):
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-10)
