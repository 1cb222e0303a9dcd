"""ember.func.vmap against torch.func.vmap: values, gradients through the batched graph, the
batching rules (checked to run without the per-example fallback), in_dims/out_dims, nesting,
chunk_size, randomness and torch's errors."""
import numpy as np
import pytest

import ember
from ember.func import _batching, _rules
from tests.helpers import assert_close

torch = pytest.importorskip("torch")


def _inputs(shapes, seed=0):
    rng = np.random.default_rng(seed)
    arrays = [a if isinstance(a, np.ndarray) else rng.standard_normal(a).astype(np.float32)
              for a in shapes]
    return arrays


@pytest.fixture
def no_fallback(monkeypatch):
    """Make the per-example fallback fail, so a case proves its ops batch in one call."""
    def refuse(op, inputs, level):
        raise AssertionError(f"{type(op).__name__} fell back to per-example")
    monkeypatch.setattr(_batching, "per_example", refuse)
    monkeypatch.setattr(_rules, "per_example", refuse)
    monkeypatch.setattr(_rules, "_RULES", {k: (refuse if v is _batching.per_example else v)
                                           for k, v in _rules._RULES.items()})


def vmap_like_torch(fn, shapes, in_dims=0, out_dims=0, grad=True, **kw):
    """``vmap(fn(lib), in_dims, out_dims)`` on the same inputs in both libraries: outputs,
    then gradients of a random projection of the outputs with respect to the float inputs."""
    arrays = _inputs(shapes)
    results, grads = {}, {}
    for lib in (torch, ember):
        ins = [lib.tensor(a, requires_grad=grad and a.dtype.kind == "f") for a in arrays]
        out = lib.func.vmap(fn(lib), in_dims=in_dims, out_dims=out_dims, **kw)(*ins)
        results[lib] = out
        if grad:
            outs = out if isinstance(out, tuple) else (out,)
            rng = np.random.default_rng(5)
            total = sum((o * lib.tensor(rng.standard_normal(tuple(o.shape)).astype(np.float32)))
                        .sum() for o in outs if o.requires_grad)
            wanted = [x for x in ins if x.requires_grad]
            grads[lib] = lib.autograd.grad(total, wanted, allow_unused=True)
    assert_close(results[ember], results[torch], atol=1e-5, rtol=1e-4)
    if grad:
        for i, (e, t) in enumerate(zip(grads[ember], grads[torch])):
            if t is None:
                assert e is None or not e.abs().sum().item()
            else:
                assert_close(e, t, atol=1e-4, rtol=1e-4, what=f"grad {i}")


F = "nn.functional"
BATCHED = {
    "unary": (lambda L: lambda a: a.exp() + a.sin().tanh() + L.sigmoid(a) - a.abs().sqrt(),
              [(4, 3)], 0),
    "binary_broadcast": (lambda L: lambda a, b: a * b + a / (b.abs() + 1) - a ** 2,
                         [(4, 3), (2, 3)], (0, None)),
    "binary_both": (lambda L: lambda a, b: L.maximum(a, b) + L.atan2(a, b),
                    [(4, 3), (4, 2, 3)], (0, 0)),
    "scalar_and_0d": (lambda L: lambda a: (a * 2 + 1).clamp(-0.5, 0.5), [(5,)], 0),
    "reductions": (lambda L: lambda a: a.sum(0) + a.mean(-1) + a.var(0) + a.logsumexp(1).sum()
                   + a.prod(1), [(4, 3, 3)], 0),
    "softmax_cumsum": (lambda L: lambda a: a.softmax(-1) * a.log_softmax(0) + a.cumsum(1),
                       [(4, 3, 3)], 1),
    "views": (lambda L: lambda a: a.reshape(9).view(3, 3).t().permute(1, 0).unsqueeze(0)
              .expand(2, 3, 3).flip(0)[1, :, 1:], [(4, 3, 3)], 0),
    "cat_stack_repeat": (lambda L: lambda a, b: L.cat([a, b], 0)
                         + L.stack([a, b], 1).sum(1).repeat(2), [(4, 3), (3,)], (0, None)),
    "split_chunk_unbind": (lambda L: lambda a: a.chunk(3, 1)[1] * a.split(1, 1)[0]
                           + sum(a.unbind(0)), [(4, 3, 3)], 0),
    "matmul_family": (lambda L: lambda a, b, c, d: (a @ b).sum() + (c @ d).sum()
                      + (b.t() @ a.t()).sum() + (a @ c).sum() + c @ c,
                      [(5, 2, 3), (3, 4), (5, 3), (6, 3, 7)], (0, None, 0, None)),
    "matmul_both_batched": (lambda L: lambda a, b: a @ b, [(5, 2, 3, 4), (5, 4, 6)], (0, 0)),
    "indexing": (lambda L: lambda a: a[1] + a[:, 2] + a[..., L.tensor([0, 2, 1])].sum(-1),
                 [(4, 3, 3)], 0),
    "where_compare": (lambda L: lambda a, b: L.where(a > 0, a, b) + (a < b).float(),
                      [(4, 3), (4, 3)], 0),
    "max_with_dim": (lambda L: lambda a: a.max(-1).values + a.min(0)[0] + a.sort(1)[0][:, 0],
                     [(3, 4, 4)], 0),
    "topk_and_descending_sort": (lambda L: lambda a: a.topk(2, -1).values.sum(-1)
                                 + a.sort(0, descending=True).values[0]
                                 + a.topk(2, 0, largest=False).values[1], [(3, 4, 4)], 0),
    "attention_shared_keys": (lambda L: lambda q, k, v: L.nn.functional
                              .scaled_dot_product_attention(q, k, v, is_causal=True),
                              [(3, 2, 4, 6), (2, 4, 6), (4, 6)], (0, None, None)),
    "norms": (lambda L: lambda x: L.nn.functional.normalize(x, dim=-1)
              + L.linalg.vector_norm(x) + L.linalg.vector_norm(x, 1, dim=0), [(3, 4, 6)], 0),
    "einsum": (lambda L: lambda a, b: L.einsum("ij,jk->ik", a, b) + L.outer(a[:, 0], b[0]),
               [(3, 4, 5), (5, 4)], (0, None)),
    "det_and_pad": (lambda L: lambda a: L.linalg.det(a[..., :3, :3])
                    + L.nn.functional.pad(a, (1, 1), mode="reflect")[..., 0, 0],
                    [(3, 2, 4, 5)], 0),
    "layer_norm": (lambda L: lambda a, w, b: L.nn.functional.layer_norm(a, (3,), w, b),
                   [(4, 2, 3), (3,), (3,)], (0, None, None)),
    "linear": (lambda L: lambda x, w, b: L.nn.functional.linear(x, w, b),
               [(4, 5), (6, 5), (6,)], (0, None, None)),
    "linear_batched_weight": (lambda L: lambda x, w, b: L.nn.functional.linear(x, w, b),
                              [(3, 5, 4), (3, 6, 4), (6,)], (0, 0, None)),
    "conv2d": (lambda L: lambda x, w: L.nn.functional.conv2d(x, w, padding=1),
               [(3, 2, 4, 5, 5), (6, 4, 3, 3)], (0, None)),
    "conv2d_batched_weight": (lambda L: lambda x, w: L.nn.functional.conv2d(x, w, stride=2),
                              [(3, 2, 4, 5, 5), (3, 6, 4, 3, 3)], (0, 0)),
    "conv1d_unbatched_input": (lambda L: lambda x, w, b: L.nn.functional.conv1d(x, w, b),
                               [(3, 4, 7), (3, 6, 4, 3), (6,)], (0, 0, None)),
    "conv2d_batched_bias": (lambda L: lambda x, w, b: L.nn.functional.conv2d(x, w, b),
                            [(3, 2, 4, 5, 5), (6, 4, 3, 3), (3, 6)], (0, None, 0)),
    "conv_transpose1d": (lambda L: lambda x, w: L.nn.functional.conv_transpose1d(x, w, stride=2),
                         [(3, 2, 4, 5), (4, 6, 3)], (0, None)),
    "pooling": (lambda L: lambda x: L.nn.functional.max_pool2d(x, 2)
                + L.nn.functional.avg_pool2d(x, 2), [(3, 2, 4, 6, 6)], 0),
    "activations": (lambda L: lambda x: L.relu(x) + L.nn.functional.gelu(x)
                    + L.nn.functional.silu(x) + L.nn.functional.leaky_relu(x, 0.1), [(3, 4)], 0),
    "max_min_of_everything": (lambda L: lambda a: a.max() + a.amin((0, 1)) + a.amax(-1),
                              [(3, 4, 4)], 0),
    "pointwise_losses": (lambda L: lambda a, b: L.nn.functional.mse_loss(a, b)
                         + L.nn.functional.l1_loss(a, b, reduction="sum")
                         + L.nn.functional.smooth_l1_loss(a, b, reduction="none")
                         + L.nn.functional.binary_cross_entropy_with_logits(a, b.sigmoid()),
                         [(3, 4), (4,)], (0, None)),
    "cross_entropy_per_example": (lambda L: lambda x, t: L.nn.functional.cross_entropy(
        x, t, ignore_index=2), [(3, 4, 5), np.array([[1, 0, 2, 4]] * 2 + [[2] * 4])], 0),
    "nll_loss_one_sample": (lambda L: lambda x, t: L.nn.functional.nll_loss(
        x.log_softmax(-1), t, reduction="sum"), [(3, 5), np.array([1, 0, 4])], 0),
    "cross_entropy_unreduced": (lambda L: lambda x, t: L.nn.functional.cross_entropy(
        x, t, reduction="none"), [(3, 4, 5), np.array([1, 0, 2, 4])], (0, None)),
}


@pytest.mark.parametrize("name", sorted(BATCHED))
def test_batched_op_families_match_torch_without_fallback(name, no_fallback):
    fn, shapes, in_dims = BATCHED[name]
    vmap_like_torch(fn, shapes, in_dims)


@pytest.mark.parametrize("fn, shapes", [
    (lambda L: lambda x: x.median(), [(3, 4, 4)]),
    (lambda L: lambda x: L.nn.functional.cross_entropy(x, L.tensor([1, 0, 2, 1]),
                                                       weight=L.ones(5) * 0.5)
     + L.nn.functional.mse_loss(x, x * 2), [(3, 4, 5)]),
    (lambda L: lambda x: L.nn.functional.prelu(x, L.tensor([0.25])), [(3, 4)]),
])
def test_ops_without_a_rule_run_per_example_and_match_torch(fn, shapes):
    vmap_like_torch(fn, shapes)


def test_in_dims_out_dims_and_chunks():
    vmap_like_torch(lambda L: lambda a, b: (a.sin() * b, a.sum(0)), [(4, 3, 5), (5,)],
                    in_dims=(1, None), out_dims=(2, 0), chunk_size=2)
    for lib in (torch, ember):  # pytree inputs with nested in_dims
        x = lib.arange(6.0).reshape(3, 2)
        out = lib.func.vmap(lambda d, k: d["x"] * d["y"] + k, in_dims=({"x": 0, "y": None}, None))(
            {"x": x, "y": lib.ones(2) * 3}, 1.0)
        assert out.tolist() == [[1.0, 4.0], [7.0, 10.0], [13.0, 16.0]]


def test_out_dims_none_and_unbatched_outputs_match_torch():
    for lib in (torch, ember):
        x = lib.ones(3, 2)
        a, b = lib.func.vmap(lambda v: (v * 2, lib.zeros(4)), out_dims=(0, None))(x)
        assert tuple(a.shape) == (3, 2) and tuple(b.shape) == (4,)
        c = lib.func.vmap(lambda v: lib.ones(2))(x)  # an unbatched output is expanded
        assert tuple(c.shape) == (3, 2)


def test_nested_vmap_matches_torch(no_fallback):
    vmap_like_torch(lambda L: L.func.vmap(lambda a, b: (a * b).sum(-1).exp() @ b,
                                          in_dims=(0, None)),
                    [(3, 4, 5), (3, 6, 5)], in_dims=(0, 0))
    vmap_like_torch(lambda L: L.func.vmap(lambda a, w: L.tanh(a @ w).sum(), in_dims=(1, None)),
                    [(2, 4, 5), (4, 3)], in_dims=(0, None))


def _errors(lib):
    x = lib.ones(2, 3)

    def f(a):
        return a
    vm = lib.func.vmap
    return [
        (lambda: vm(f, in_dims=[0])(x), ValueError, "expected `in_dims` to be int or a"),
        (lambda: vm(f)(), ValueError, r"got no inputs\. Maybe you forgot"),
        (lambda: vm(f, in_dims=(0, 0))(x), ValueError, "in_dims is not compatible with the "
                                                       "structure of `inputs`"),
        (lambda: vm(f, in_dims=2)(x), ValueError, "expected in_dim to satisfy -2 <= in_dim < 2"),
        (lambda: vm(f, in_dims=(1.5,))(x), ValueError, "in_dim must be either an integer"),
        (lambda: vm(lambda a, b: a, in_dims=(0, 0))(x, 1.0), ValueError,
         "We cannot vmap over non-Tensor arguments"),
        (lambda: vm(lambda a, b: a + b)(x, lib.ones(3, 3)), ValueError,
         r"same size in the mapped dimension, got sizes \[2, 3\]"),
        (lambda: vm(f, in_dims=(None,))(x), ValueError,
         "Expected at least one Tensor to vmap over"),
        (lambda: vm(lambda a: 3)(x), ValueError,
         "must only return Tensors, got type <class 'int'>"),
        (lambda: vm(f, out_dims=None)(x), ValueError, "can not return a BatchedTensor when "
                                                      "out_dim is None"),
        (lambda: vm(f, out_dims=(0, 0))(x), ValueError, "out_dims is not compatible"),
        (lambda: vm(f, randomness="sometimes")(x), RuntimeError,
         "Only allowed values for randomness are"),
        (lambda: vm(lambda a: a.sum().item())(x), RuntimeError, r"calling \.item\(\) on a Tensor"),
        (lambda: vm(lambda a: a + lib.rand(3))(x), RuntimeError,
         "called random operation while in randomness error mode"),
    ]


def test_errors_match_torch():
    from tests.helpers import errors_like_torch
    errors_like_torch(_errors)


def test_reading_values_inside_vmap_raises():
    # torch words Python control flow on a value differently from .item(); both refuse
    with pytest.raises(RuntimeError, match="vmap: It looks like you're"):
        ember.func.vmap(lambda a: a * 2 if a.sum() > 0 else a)(ember.ones(2, 3))
    with pytest.raises(RuntimeError, match="data-dependent control flow"):
        ember.func.vmap(lambda a: a.tolist())(ember.ones(2, 3))


def test_randomness_modes():
    x = ember.ones(4, 3)
    same = ember.func.vmap(lambda a: ember.rand(3) + a, randomness="same")(x)
    assert (same == same[0]).all().item()
    diff = ember.func.vmap(lambda a: ember.randn(3) + a, randomness="different")(x)
    assert not (diff == diff[0]).all().item() and tuple(diff.shape) == (4, 3)
    drop = ember.func.vmap(lambda a: ember.nn.functional.dropout(a, 0.5), randomness="same",
                           chunk_size=3)(x)
    assert (drop == drop[0]).all().item()
    drop = ember.func.vmap(lambda a: ember.nn.functional.dropout(a, 0.5),
                           randomness="different")(ember.ones(64, 8))
    rows = {tuple(r) for r in drop.tolist()}
    assert len(rows) > 32 and set(drop.unique().tolist()) <= {0.0, 2.0}


def test_torch_alias_reaches_func():
    import importlib
    from ember import _alias
    _alias.install()
    try:
        func = importlib.import_module("torch.func")
        assert func is ember.func and func.vmap is ember.func.vmap
    finally:
        _alias.uninstall()


def test_inplace_ops_inside_vmap_match_torch():
    vmap_like_torch(lambda L: lambda x: x.clone().mul_(2).add_(x).clamp_(-1, 3), [(4, 3)])
    for lib in (torch, ember):  # an in-place change through a view reaches its base
        out = lib.func.vmap(lambda x: (lambda y: (y[0].mul_(3), y)[1])(x.clone()))(
            lib.arange(6.0).reshape(3, 2))
        assert out.tolist() == [[0.0, 1.0], [6.0, 3.0], [12.0, 5.0]]


def test_inplace_change_of_a_view_under_grad_is_refused():
    def f(x):
        y = x.clone()
        y[0].mul_(3)
        return (y ** 2).sum()
    with pytest.raises(NotImplementedError, match="in-place change to a view"):
        ember.func.vmap(ember.func.grad(f))(ember.ones(3, 2))


def _same_weights(make):
    e, t = make(ember), make(torch)
    with torch.no_grad():
        for (name, p), tp in zip(e.state_dict().items(), t.state_dict().values()):
            tp.copy_(torch.tensor(p.numpy()))
    return e, t


def test_vmap_over_a_model_matches_torch():
    def make(L):
        nn = L.nn
        return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, 5),
                             nn.LayerNorm(5), nn.GELU()).eval()
    e_model, t_model = _same_weights(make)
    x = _inputs([(6, 2, 3, 8, 8)])[0]
    assert_close(ember.func.vmap(e_model)(ember.tensor(x)),
                 torch.func.vmap(t_model)(torch.tensor(x)), atol=1e-5)


def test_recurrent_layers_run_per_example_under_vmap():
    # torch has no batching rule for LSTM; ember's fallback matches a loop over examples
    e_lstm, t_lstm = _same_weights(lambda L: L.nn.LSTM(4, 3, batch_first=True))
    x = _inputs([(3, 2, 5, 4)])[0]
    ours = ember.func.vmap(lambda a: e_lstm(a)[0])(ember.tensor(x))
    assert_close(ours, torch.stack([t_lstm(a)[0] for a in torch.tensor(x)]), atol=1e-6)


def test_views_the_physical_layout_cannot_express_become_copies():
    vmap_like_torch(lambda L: lambda a: a.t().reshape(-1) * 2, [(3, 4, 5)], in_dims=1)


def test_top_level_vmap_is_func_vmap():
    assert ember.vmap is ember.func.vmap and torch.vmap is torch.func.vmap


def test_vmap_keeps_the_inputs_device():
    x = ember.randn(4, 3).to("strict")
    out = ember.func.vmap(lambda a: ember.zeros_like(a) + a * 2)(x)
    assert out.device.type == "strict"
    assert_close(out.cpu(), torch.tensor(x.cpu().numpy()) * 2)
