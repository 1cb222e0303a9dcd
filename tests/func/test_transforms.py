"""ember.func's differentiation transforms against torch.func: grad, grad_and_value (argnums,
has_aux, pytrees), vjp, jacrev, jacfwd, jvp, hessian, their errors, and how they compose with
vmap; functional_call and stack_module_state."""
import numpy as np
import pytest

import ember
import ember.utils._pytree
from tests.helpers import assert_close, errors_like_torch
from tests.func.test_vmap import no_fallback  # noqa: F401  (a fixture)

torch = pytest.importorskip("torch")


def _pair(*shapes, seed=0):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    return [ember.tensor(a) for a in arrays], [torch.tensor(a) for a in arrays]


def both(make, *shapes, seed=0):
    """``make(lib)(*inputs)`` in each library on the same random inputs, compared."""
    e_in, t_in = _pair(*shapes, seed=seed)
    e, t = make(ember)(*e_in), make(torch)(*t_in)
    e_leaves, e_spec = ember.utils._pytree.tree_flatten(e)
    t_leaves, t_spec = torch.utils._pytree.tree_flatten(t)
    assert str(e_spec) == str(t_spec)
    assert_close(e_leaves, t_leaves, atol=1e-5, rtol=1e-4)
    return e


def f_poly(lib):
    return lambda x, y: (x.sin() * y).sum() + (x ** 2).mean()


def test_grad_argnums_and_value():
    both(lambda L: L.func.grad(f_poly(L)), (3, 4), (3, 4))
    both(lambda L: L.func.grad(f_poly(L), argnums=1), (3, 4), (4,))
    both(lambda L: L.func.grad(f_poly(L), argnums=(0, 1)), (3, 4), (3, 4))
    both(lambda L: L.func.grad(f_poly(L), argnums=-1), (2,), (2,))
    both(lambda L: L.func.grad_and_value(f_poly(L), argnums=(1, 0)), (5,), (5,))


def test_grad_has_aux_and_pytree_arguments():
    def make(L):
        def f(params, x):
            out = L.tanh(x @ params["w"] + params["b"][0])
            return out.sum(), {"out": out}
        return lambda w, b, x: L.func.grad_and_value(f, has_aux=True)({"w": w, "b": [b]}, x)
    (grads, (value, aux)) = both(make, (4, 2), (2,), (3, 4))
    assert set(grads) == {"w", "b"} and isinstance(grads["b"], list)
    assert not value.requires_grad and not aux["out"].requires_grad


def test_grad_leaves_the_callers_tensors_alone():
    x = ember.ones(3, requires_grad=False)
    g = ember.func.grad(lambda a: (a * a).sum())(x)
    assert_close(g, torch.full((3,), 2.0))
    assert not x.requires_grad and x.grad is None and not g.requires_grad


def _grad_errors(lib):
    x = lib.ones(2)
    g = lib.func.grad
    return [
        (lambda: g(lambda a: a)(x), RuntimeError, "Expected f\\(\\*args\\) to return a scalar "
                                                  "Tensor, got tensor with 1 dims"),
        (lambda: g(lambda a: 3)(x), RuntimeError, "Expected f\\(\\*args\\) to return a Tensor, "
                                                  "got <class 'int'>"),
        (lambda: g(lambda a: a.sum(), has_aux=True)(x), RuntimeError,
         "output of function f should be a tuple: \\(output, aux\\)"),
        (lambda: g(lambda a: a.sum(), argnums=2)(x), RuntimeError,
         "Got argnum=2, but only 1 positional inputs"),
        (lambda: g(lambda a: a.sum(), argnums=1.0)(x), RuntimeError,
         "argnums must be int or Tuple\\[int, ...\\], got: <class 'float'>"),
        (lambda: g(lambda a: a.sum(), argnums=())(x), RuntimeError, "argnums must be non-empty"),
        (lambda: g(lambda a: a * 2)(1.0), ValueError,
         "Thing passed to transform API must be Tensor, got <class 'float'>"),
    ]


def test_grad_errors_match_torch():
    errors_like_torch(_grad_errors)


def test_vjp_matches_torch():
    def make(L):
        def run(x, y, v1, v2):
            out, fn = L.func.vjp(lambda a, b: (a * b, (a @ b.t()).tanh()), x, y)
            return out + fn((v1, v2))
        return run
    both(make, (3, 4), (3, 4), (3, 4), (3, 3))

    def aux(L):
        def run(x, v):
            out, fn, a = L.func.vjp(lambda a: (a.exp(), a.sum()), x, has_aux=True)
            return (out, a) + fn(v)
        return run
    both(aux, (4,), (4,))


def test_jacrev_matches_torch():
    both(lambda L: L.func.jacrev(lambda a, b: a.sin() * b.sum(), argnums=(0, 1)), (3,), (2,))
    both(lambda L: L.func.jacrev(lambda a: (a @ a.t(), a.cos())), (2, 3))
    both(lambda L: L.func.vmap(L.func.jacrev(lambda a: a.softmax(0))), (4, 3))


def test_mlp_per_sample_gradients_match_torch_func(no_fallback):
    """The worked example: per-example gradients of a 2-layer MLP's loss, vmap(grad), in one
    batched call per op (no per-example fallback)."""
    def make(L):
        F = L.nn.functional

        def loss(params, x, y):
            w1, b1, w2, b2 = params
            h = L.tanh(F.linear(x, w1, b1))
            return F.cross_entropy(F.linear(h, w2, b2).unsqueeze(0), y.unsqueeze(0))

        def run(x, w1, b1, w2, b2):
            y = L.arange(x.shape[0]) % 3
            return L.func.vmap(L.func.grad(loss), in_dims=(None, 0, 0))((w1, b1, w2, b2), x, y)
        return run
    grads = both(make, (16, 5), (7, 5), (7,), (3, 7), (3,))
    assert [tuple(g.shape) for g in grads] == [(16, 7, 5), (16, 7), (16, 3, 7), (16, 3)]


def test_cnn_per_sample_gradients_match_torch_func(no_fallback):
    """The worked example: per-example gradients of a small CNN built as an nn.Module, through
    functional_call with the module's own weights."""
    def make(L):
        L.manual_seed(0)

        class Net(L.nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = L.nn.Conv2d(1, 4, 3, padding=1)
                self.fc = L.nn.Linear(4 * 4 * 4, 3)

            def forward(self, x):
                h = L.nn.functional.max_pool2d(L.relu(self.conv(x)), 2)
                return self.fc(h.flatten(1))
        return Net()
    e_net, t_net = make(ember), make(torch)
    with torch.no_grad():
        for (name, p), tp in zip(e_net.named_parameters(), t_net.parameters()):
            tp.copy_(torch.tensor(p.detach().numpy()))

    def per_sample(L, net, x, y):
        params = {k: v.detach() for k, v in net.named_parameters()}

        def loss(p, xb, yb):
            out = L.func.functional_call(net, p, (xb.unsqueeze(0),))
            return L.nn.functional.cross_entropy(out, yb.unsqueeze(0))
        return L.func.vmap(L.func.grad(loss), in_dims=(None, 0, 0))(params, x, y)
    (ex,), (tx,) = _pair((6, 1, 8, 8))
    e = per_sample(ember, e_net, ex, ember.tensor([0, 1, 2, 0, 1, 2]))
    t = per_sample(torch, t_net, tx, torch.tensor([0, 1, 2, 0, 1, 2]))
    assert sorted(e) == sorted(t)
    for k in t:
        assert_close(e[k], t[k], atol=1e-5, rtol=1e-4, what=k)


def test_grad_of_vmap_matches_torch():
    both(lambda L: L.func.grad(lambda w, xs: L.func.vmap(lambda a: (a @ w).tanh().sum())(xs)
                               .sum()), (5, 2), (4, 5))


def test_functional_call_and_stack_module_state():
    def make(L):
        L.manual_seed(0)
        return [L.nn.Linear(3, 2) for _ in range(4)]
    e_models, t_models = make(ember), make(torch)
    with torch.no_grad():
        for em, tm in zip(e_models, t_models):
            for ep, tp in zip(em.parameters(), tm.parameters()):
                tp.copy_(torch.tensor(ep.detach().numpy()))
    (ex,), (tx,) = _pair((5, 3))
    results = {}
    for L, models, x in ((ember, e_models, ex), (torch, t_models, tx)):
        params, buffers = L.func.stack_module_state(models)
        assert params["weight"].is_leaf and params["weight"].requires_grad and buffers == {}
        results[L] = L.func.vmap(lambda p, b, xx: L.func.functional_call(models[0], (p, b), xx),
                                 in_dims=(0, 0, None))(params, buffers, x)
    assert_close(results[ember], results[torch], atol=1e-5)
    for L, models in ((ember, e_models), (torch, t_models)):
        with pytest.raises(ValueError, match="appeared in multiple dictionaries"):
            L.func.functional_call(models[0], ({"bias": L.ones(2)}, {"bias": L.ones(2)}),
                                   L.ones(3))
        with pytest.raises(RuntimeError, match="Expected at least one model, got 0"):
            L.func.stack_module_state([])


def test_jvp_and_jacfwd_match_torch():
    both(lambda L: lambda x, t: L.func.jvp(lambda a: a.sin() * a.sum(), (x,), (t,)), (3,), (3,))
    both(lambda L: lambda x, y, t, u: L.func.jvp(lambda a, b: (a @ b, a.exp()), (x, y), (t, u)),
         (2, 3), (3, 2), (2, 3), (3, 2))
    both(lambda L: lambda x, t: L.func.jvp(lambda a: (a.cos(), a.sum()), (x,), (t,),
                                           has_aux=True), (4,), (4,))
    both(lambda L: L.func.jacfwd(lambda a, b: a.tanh() * b, argnums=(0, 1)), (3,), (3,))
    both(lambda L: L.func.vmap(L.func.jacfwd(lambda a: a.softmax(0))), (2, 3))


def test_hessian_and_higher_order_grads_match_torch():
    def f(L):
        return lambda a: (a.sin() * a.sum()).sum() + (a ** 3).prod()
    both(lambda L: L.func.hessian(f(L)), (3,))
    both(lambda L: L.func.grad(L.func.grad(lambda a: (a ** 3).sin())), ())
    both(lambda L: L.func.vmap(L.func.hessian(f(L))), (2, 3))
    both(lambda L: L.func.jacrev(L.func.jacrev(f(L))), (3,))
    both(lambda L: lambda x, t: L.func.jvp(L.func.grad(f(L)), (x,), (t,)), (3,), (3,))


def test_per_sample_jvp_under_vmap_matches_torch():
    both(lambda L: L.func.vmap(lambda x, t: L.func.jvp(lambda a: (a @ a.t()).tanh(), (x,),
                                                       (t,))[1]), (4, 2, 3), (4, 2, 3))


def test_maml_style_inner_step_differentiates_through_grad():
    """MAML: an inner SGD step made with func.grad, the outer loss differentiated through it."""
    def make(L):
        def outer(w, x, y):
            def loss(p):
                return ((x @ p - y) ** 2).mean()
            adapted = w - 0.1 * L.func.grad(loss)(w)
            return loss(adapted)
        return L.func.grad(outer)
    both(make, (3, 2), (5, 3), (5, 2))


def _jvp_errors(lib):
    x = lib.ones(2)
    return [
        (lambda: lib.func.jvp(lambda a: a, x, (x,)), RuntimeError, "Expected primals to be a "
                                                                   "tuple"),
        (lambda: lib.func.jvp(lambda a: a, (x,), (lib.ones(3),)), RuntimeError,
         "Tensor is of size \\[2\\] while the given forward gradient is of size \\[3\\]"),
        (lambda: lib.func.vjp(lambda a: a * 2, x)[1](lib.ones(3)), RuntimeError,
         "Mismatch in shape: grad_output\\[0\\] has a shape of torch.Size\\(\\[3\\]\\)"),
    ]


def test_jvp_and_vjp_errors_match_torch():
    errors_like_torch(_jvp_errors)


def test_transform_compositions_match_torch():
    def f(L):
        return lambda w, a: (a @ w).tanh().sum()
    both(lambda L: L.func.vmap(L.func.vmap(L.func.grad(f(L)), in_dims=(None, 0)),
                               in_dims=(None, 0)), (5, 2), (3, 4, 5))
    both(lambda L: L.func.vmap(L.func.grad(
        lambda w, a: L.func.vmap(lambda r: (r @ w).sin().sum())(a).sum()), in_dims=(None, 0)),
        (5, 2), (3, 4, 5))
    both(lambda L: L.func.vmap(lambda a, v, w: L.func.vjp(lambda b: (b @ w).exp(), a)[1](v),
                               in_dims=(0, 0, None)), (4, 5), (4, 2), (5, 2))
    both(lambda L: L.func.vmap(L.func.grad(L.func.grad(lambda s: s.sin() * s ** 2))), (6,))


def _module_errors(lib):
    m = lib.nn.Linear(2, 1)
    f = lib.func
    return [
        (lambda: f.functional_call(m, {"weight": lib.ones(1, 2)}, lib.ones(2), strict=True),
         RuntimeError, "Error\\(s\\) in reparametrizing for Linear:\n\tMissing key\\(s\\): 'bias'"),
        (lambda: f.functional_call(m, 5, lib.ones(2)), ValueError,
         "Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, but got "
         "<class 'int'>"),
        (lambda: f.stack_module_state([lib.nn.Linear(2, 1), lib.nn.Linear(2, 1).eval()]),
         RuntimeError, "Expected all models to have the same training/eval mode"),
        (lambda: f.stack_module_state([lib.nn.Linear(2, 1), lib.nn.Conv1d(2, 1, 1)]),
         RuntimeError, "Expected all models to be of the same class"),
    ]


def test_module_function_errors_match_torch():
    errors_like_torch(_module_errors)


def test_functional_call_ties_weights_and_takes_kwargs():
    for lib in (torch, ember):
        m = lib.nn.Sequential(lib.nn.Linear(2, 2, bias=False), lib.nn.Linear(2, 2, bias=False))
        m[1].weight = m[0].weight
        out = lib.func.functional_call(m, {"0.weight": lib.eye(2) * 2}, args=(),
                                       kwargs={"input": lib.ones(2)})
        assert out.tolist() == [4.0, 4.0]
        assert m[0].weight is m[1].weight and not (m[0].weight == 2).all()
