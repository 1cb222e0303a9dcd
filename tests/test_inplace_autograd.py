"""Autograd through in-place writes, compared with torch: which writes are allowed before a
backward (only those that overwrite nothing backward reads), the gradients then, the leaf errors,
and the graph edge cases around them (unique, zero-size inputs, range indices)."""
import itertools

import numpy as np
import pytest

import ember
from tests.helpers import torch, assert_close, raises_like_torch

_MODIFIED = "modified by an inplace operation"


def _outcome(lib, scenario):
    """("ok", grads) or ("raised", message) for ``scenario(lib)``, which returns (loss, inputs)."""
    try:
        loss, inputs = scenario(lib)
        return "ok", lib.autograd.grad(loss, inputs, allow_unused=True)
    except RuntimeError as e:
        return "raised", str(e)


def _same_as_torch(scenario):
    t_kind, t_val = _outcome(torch, scenario)
    e_kind, e_val = _outcome(ember, scenario)
    assert e_kind == t_kind, f"torch {t_kind} ({t_val}), ember {e_kind} ({e_val})"
    if t_kind == "raised":
        assert _MODIFIED in t_val and _MODIFIED in e_val, (t_val, e_val)
    else:
        for i, (e, t) in enumerate(zip(e_val, t_val)):
            assert (e is None) == (t is None), f"grad {i}: ember {e}, torch {t}"
            if t is not None:
                assert_close(e, t, what=f"grad {i}")
    return t_kind


# -- writes into non-leaf tensors --------------------------------------------------------------
def _issue_example(lib):
    a = lib.tensor([1., 2.], requires_grad=True)
    c = a * 1
    c[0] = c[1] * 2
    return c.sum(), a


def _clone_then_write(lib):
    a0 = lib.tensor([1., 2., 3.], requires_grad=True)
    a = a0.clone()
    a[1] = a[1] * 2
    return (a * a).sum(), a0


def _rnn_state_buffer(lib):
    x = lib.tensor([[0.5, -1.0, 0.3, 0.8], [0.1, 0.2, -0.7, 0.4]], requires_grad=True)
    w = lib.tensor([0.9, -0.4], requires_grad=True)
    h = lib.zeros(2, 5)
    for t in range(1, 5):
        h[:, t] = lib.tanh(x[:, t - 1] + h[:, t - 1] * 0.5) * 2 + w
    return (h * h).sum(), (x, w)


def _rnn_state_through_matmul(lib):  # the saved view h[:, t-1] is overwritten: torch raises
    w = lib.tensor([[0.5, -0.3], [0.2, 0.9]], requires_grad=True)
    h = lib.zeros(2, 4, 2)
    h[:, 0] = 1.0
    for t in range(1, 4):
        h[:, t] = lib.tanh(h[:, t - 1] @ w)
    return h.sum(), w


def _masked_fill_after_mul(lib):
    a = lib.tensor([1., 2., 3.], requires_grad=True)
    c = a * 2
    c.masked_fill_(c > 3, 0.)
    c[c < 0.5] = -1.0
    return (c * c).sum(), a


def _attention_mask(lib):
    q = lib.tensor([[0.2, 1.0, -0.5], [0.3, 0.1, 0.9]], requires_grad=True)
    scores = q @ q.t()
    scores[0, 1] = float("-inf")
    return lib.softmax(scores, -1)[:, 0].sum(), q


def _beam_scores(lib):
    a = lib.tensor([[0.5, 1.5], [2.0, -1.0]], requires_grad=True)
    s = a.exp() + 0.0
    s[:, 1] += s[:, 0] / 3
    s[1] = s[0] - 1
    return s.sum(), a


def _saved_input_overwritten(lib):  # d = c * c saved c, then c changes: torch raises
    a = lib.tensor([1., 2.], requires_grad=True)
    c = a * 1
    d = c * c
    c[0] = 5.
    return d.sum(), a


def _saved_output_overwritten(lib):  # exp saves its output: torch raises
    a = lib.tensor([1., 2.], requires_grad=True)
    e = a.exp()
    e[1] = 0.
    return e.sum(), a


def _unsaved_output_overwritten(lib):  # a * 3 saves nothing of a: allowed
    a = lib.tensor([1., 2.], requires_grad=True)
    c = a * 3
    c[1] = 0.
    return c.sum(), a


def _expanded_view_rebased(lib):  # the base changes after an expand view was taken
    a = lib.tensor([1., 2.], requires_grad=True)
    c = a * 1
    e = c.expand(3, 2)
    c.mul_(2)
    return (e * lib.arange(6.).reshape(3, 2)).sum(), a


def _writes_of_other_leaves(lib):
    a = lib.tensor([1., 2., 3.], requires_grad=True)
    b = lib.tensor([0.5, -1.], requires_grad=True)
    c = a * 1
    c[1:] = b * 3
    c[0] += c[2]
    c[[0, 0]] += a[1:] * 2
    return (c * c).sum(), (a, b)


def _index_family_in_place(lib):
    a = lib.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    s = lib.tensor([5., 6.], requires_grad=True)
    c = a * 2
    c.index_add_(0, lib.tensor([1]), s[None])
    c.index_copy_(1, lib.tensor([0]), s[:, None])
    c.masked_scatter_(c > 9, s)
    c.scatter_(1, lib.tensor([[1], [0]]), c[:, :1] * 5)
    return (c * c).sum(), (a, s)


def _writes_through_views(lib):
    a = lib.tensor([[1., -2.], [3., 4.]], requires_grad=True)
    c = a + 0
    c.t()[0] = c[1] * 3
    v = c[1:]
    v.mul_(2)
    c[0, 0] = v[0, 1]
    return (c ** 2).sum(), a


def _swap_rows_through_a_view(lib):
    a = lib.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    c = a * 1
    r = c[0]
    c[0] = c[1]
    c[1] = r
    return (c * lib.tensor([[1., 2.], [3., 4.]])).sum(), a


def _saved_view_of_changed_base(lib):  # e = d * d keeps the view d; its base changes
    a = lib.tensor([1., 2., 3., 4.], requires_grad=True)
    c = a * 1
    d = c.view(2, 2)
    e = d * d
    c[0] = 0
    return e.sum(), a


def _chained_in_place_after_exp(lib):  # exp_ keeps its result, which mul_ overwrites
    a = lib.tensor([1., 2., 3.], requires_grad=True)
    c = a * 1
    c.exp_()
    c.mul_(2)
    return c.sum(), a


@pytest.mark.parametrize("scenario", [
    _issue_example, _clone_then_write, _rnn_state_buffer, _masked_fill_after_mul, _attention_mask,
    _beam_scores, _unsaved_output_overwritten, _expanded_view_rebased, _writes_of_other_leaves,
    _index_family_in_place, _writes_through_views, _swap_rows_through_a_view])
def test_inplace_write_backpropagates_like_torch(scenario):
    assert _same_as_torch(scenario) == "ok"


@pytest.mark.parametrize("scenario", [_rnn_state_through_matmul, _saved_input_overwritten,
                                      _saved_output_overwritten, _saved_view_of_changed_base,
                                      _chained_in_place_after_exp])
def test_inplace_write_over_saved_value_raises_like_torch(scenario):
    assert _same_as_torch(scenario) == "raised"


def test_issue_example_gradient():
    (g,) = _outcome(ember, _issue_example)[1]
    np.testing.assert_array_equal(g.numpy(), [0., 3.])


# Each op, each choice of inputs needing grad, each input (or the output) changed in place
# after the op: ember raises exactly where torch does, and gives torch's gradients elsewhere.
_X = np.array([[0.6, 1.3, 0.9], [1.7, 0.8, 1.1]], np.float32)
_Y = np.array([[1.2, 0.7, 1.4], [0.9, 1.6, 0.5]], np.float32)
_OPS = {
    "mul": ((_X, _Y), lambda L, x, y: x * y),
    "mul_scalar": ((_X,), lambda L, x: x * 2),
    "rmul_scalar": ((_X,), lambda L, x: 3 * x),
    "div": ((_X, _Y), lambda L, x, y: x / y),
    "div_scalar": ((_X,), lambda L, x: x / 4),
    "add": ((_X, _Y), lambda L, x, y: x + y),
    "pow_scalar": ((_X,), lambda L, x: x ** 2),
    "pow": ((_X, _Y), lambda L, x, y: x ** y),
    "rpow": ((_X,), lambda L, x: 2 ** x),
    "addcmul": ((_X, _Y, _X), lambda L, x, y, z: L.addcmul(x, y, z, value=0.5)),
    "addcdiv": ((_X, _Y, _X), lambda L, x, y, z: L.addcdiv(x, y, z)),
    "lerp_scalar": ((_X, _Y), lambda L, x, y: L.lerp(x, y, 0.25)),
    "exp": ((_X,), lambda L, x: x.exp()),
    "tanh": ((_X,), lambda L, x: x.tanh()),
    "sin": ((_X,), lambda L, x: x.sin()),
    "relu": ((_X,), lambda L, x: L.relu(x - 1)),
    "matmul": ((_X, _Y.T.copy()), lambda L, x, y: x @ y),
    "index": ((_X,), lambda L, x: x[[1, 0, 1]]),
    "expand": ((_X[:1],), lambda L, x: x.expand(3, 3)),
    "softmax": ((_X,), lambda L, x: x.softmax(1)),
    "gather": ((_X,), lambda L, x: x.gather(1, L.tensor([[2], [0]]))),
    "take": ((_X,), lambda L, x: x.take(L.tensor([4, 1]))),
    "take_along_dim": ((_X,), lambda L, x: L.take_along_dim(x, L.tensor([[1], [2]]), 1)),
    "masked_select": ((_X,), lambda L, x: x.masked_select(x > 1)),
    "index_select": ((_X,), lambda L, x: x.index_select(1, L.tensor([2, 0]))),
    "cummax": ((_X,), lambda L, x: x.cummax(1)[0]),
    "cummin": ((_X,), lambda L, x: x.cummin(0)[0]),
    "sort": ((_X,), lambda L, x: x.sort(1)[0]),
    "mse_loss": ((_X, _Y), lambda L, x, y: L.nn.functional.mse_loss(x, y)),
    "nll_loss": ((_X,), lambda L, x: L.nn.functional.nll_loss(x, L.tensor([2, 0]))),
    "cross_entropy": ((_X,), lambda L, x: L.nn.functional.cross_entropy(x, L.tensor([2, 0]))),
}


def _cases():
    for name, (arrays, _) in _OPS.items():
        n = len(arrays)
        for needs in itertools.product((True, False), repeat=n):
            if any(needs):
                for changed in list(range(n)) + ["out"] * (name != "expand"):
                    yield name, needs, changed


@pytest.mark.parametrize("name,needs,changed", list(_cases()))
def test_version_check_fires_only_where_torch_does(name, needs, changed):
    arrays, fn = _OPS[name]

    def scenario(lib):
        leaves = [lib.tensor(a, requires_grad=n) for a, n in zip(arrays, needs)]
        xs = [leaf * 1 if n else leaf.clone() for leaf, n in zip(leaves, needs)]
        out = fn(lib, *xs)
        (out if changed == "out" else xs[changed]).mul_(1.5)
        return out.sum(), [leaf for leaf in leaves if leaf.requires_grad]

    _same_as_torch(scenario)


@pytest.mark.parametrize("change", [
    lambda c: c.mul_(2), lambda c: c.mul_(c), lambda c: c.div_(3), lambda c: c.pow_(2),
    lambda c: c.addcmul_(c, c), lambda c: c.lerp_(c * 2, 0.5), lambda c: c.exp_().add_(1),
    lambda c: c.clamp_(max=1.5).mul_(c.detach())])
def test_in_place_op_forms_like_torch(change):
    def scenario(lib):
        a = lib.tensor([1., 2.], requires_grad=True)
        c = a * 1
        change(c)
        return (c * c).sum(), a

    _same_as_torch(scenario)


@pytest.mark.parametrize("key", ["0", "...", ":", "[0]", "c > 1", "0, [0]", ":1", "None"])
@pytest.mark.parametrize("value", ["3.", "lib.tensor(3.)", "lib.ones(1)",
                                   "lib.ones(1, requires_grad=True)"])
def test_setitem_grad_fn_names_like_torch(key, value):
    names = []
    for lib in (torch, ember):
        c = lib.ones(2, 2, requires_grad=True) * 1
        exec(f"c[{key}] = {value}", {"c": c, "lib": lib})
        names.append((c.grad_fn.name(), repr(c.grad_fn).split(" object")[0]))
    assert names[1] == names[0]


# -- writes into leaves ----------------------------------------------------------------------
@pytest.mark.parametrize("key", [
    "0", ":1", "None", "True", "0, [0]", "..., 0", "1:", ":, 1:", "None, [0]",  # view message
    ":", "...", "[0]", ":, [0]", "[0], :", ":, :", "[True, False]", "0:2", ":, 0:3", "range(1)",
    "..., ...", "lib.tensor([True, False])"])
def test_setitem_on_leaf_names_the_view_case_like_torch(key):
    def call(lib):
        a = lib.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
        exec(f"a[{key}] = 3.", {"a": a, "lib": lib})

    with pytest.raises(RuntimeError) as t:
        call(torch)
    with pytest.raises(RuntimeError) as e:
        call(ember)
    assert str(e.value) == str(t.value)


def test_inplace_op_on_view_of_leaf_says_view_of_leaf():
    msg = "a view of a leaf Variable that requires grad is being used in an in-place operation."
    raises_like_torch(lambda lib: lib.ones(3, requires_grad=True)[1:].mul_(2), RuntimeError, msg)
    raises_like_torch(lambda lib: lib.ones(2, 3, requires_grad=True)[0].zero_(), RuntimeError, msg)


@pytest.mark.parametrize("base", ["leaf", "non-leaf", "no grad"])
@pytest.mark.parametrize("change", [
    "a.unbind(0)[0].zero_()", "a.split(1)[0].mul_(2)", "a.chunk(2)[1].add_(x)",
    "a.split([1, 1], 1)[1].zero_()", "a.split(1)[0][0].zero_()", "a.unbind(0)[0].view(2).zero_()",
    "a.tensor_split(2)[0].zero_()", "a.hsplit(2)[1].zero_()", "a[0].copy_(x)",
    "a.unbind(1)[1][0] = 3.", "a.split(1)[1][:, 1:] = x[0]", "a.unbind(0)[0][...] = 2."])
def test_in_place_change_of_multi_output_views_like_torch(base, change):
    """torch forbids changing the views unbind/split/chunk return while the graph is recorded."""
    def call(lib):
        leaf = lib.tensor([[1., 2.], [3., 4.]], requires_grad=base != "no grad")
        a = leaf * 1 if base == "non-leaf" else leaf
        exec(change, {"a": a, "x": lib.ones(2, requires_grad=True)})

    _same_error_or_none(call)


def _same_error_or_none(call):
    errors = []
    for lib in (torch, ember):
        try:
            call(lib)
            errors.append(None)
        except RuntimeError as e:
            errors.append(str(e))
    assert errors[1] == errors[0]


@pytest.mark.parametrize("view", ["a[0]", "a.unbind(0)[0]", "a.t()"])
@pytest.mark.parametrize("base", ["leaf", "non-leaf", "no grad"])
@pytest.mark.parametrize("where", ["view in no_grad", "change in no_grad", "both in no_grad",
                                   "view in inference_mode"])
def test_in_place_change_of_view_made_without_grad_like_torch(view, base, where):
    def call(lib):
        leaf = lib.tensor([[1., 2.], [3., 4.]], requires_grad=base != "no grad")
        a = leaf * 1 if base == "non-leaf" else leaf
        x = lib.ones(2, requires_grad=True)
        making = lib.inference_mode() if where == "view in inference_mode" else \
            lib.set_grad_enabled(where == "change in no_grad")
        with making:
            v = eval(view, {"a": a})
        with lib.set_grad_enabled(where.startswith("view in")):
            v.mul_(x)

    _same_error_or_none(call)


@pytest.mark.parametrize("change", [
    "d = x.detach(); d.add_(y)", "d = x.detach(); d[0] = y[0]",
    "d = x.detach()[0]; d.mul_(y[0])", "with lib.no_grad(): d = x.detach()\nd.add_(y)",
    "d = x.data; d.add_(y)", "d = x[0]; d.zero_()"])
def test_in_place_change_of_detached_leaf_like_torch(change):
    """A detached tensor shares the leaf's memory but is no view of it in the graph."""
    def call(lib):
        names = {"x": lib.ones(2, requires_grad=True), "y": lib.ones(2, requires_grad=True),
                 "lib": lib}
        exec(change, names)

    _same_error_or_none(call)


def test_setitem_with_false_writes_nothing():
    for lib in (torch, ember):
        a = lib.tensor([1., 2.], requires_grad=True)
        a[False] = 3.
        assert a._version == 0 and a.tolist() == [1., 2.]


# -- unique ------------------------------------------------------------------------------------
@pytest.mark.parametrize("call,kernel", [
    (lambda lib, x: lib.unique(x, return_inverse=True, return_counts=True), "_unique2"),
    (lambda lib, x: x.unique(sorted=False), "_unique2"),
    (lambda lib, x: lib.unique(x, dim=0, return_inverse=True), "unique_dim"),
    (lambda lib, x: lib.unique_consecutive(x, return_counts=True), "unique_consecutive"),
    (lambda lib, x: lib.unique_consecutive(x, dim=1), "unique_consecutive"),
])
def test_unique_outputs_track_gradients_like_torch(call, kernel):
    data = [[3., 1., 1.], [3., 1., 1.], [2., 0., 0.]]
    outs = {}
    for lib in (torch, ember):
        x = lib.tensor(data, requires_grad=True)
        res = call(lib, x)
        outs[lib] = res if isinstance(res, tuple) else (res,)
    assert_close(outs[ember], outs[torch])
    for e, t in zip(outs[ember], outs[torch]):
        assert e.requires_grad == t.requires_grad
        assert (e.grad_fn is None) == (t.grad_fn is None)
        if t.grad_fn is not None:
            assert e.grad_fn.name() == t.grad_fn.name()
    raises_like_torch(lambda lib: outs[lib][0].sum().backward(), NotImplementedError,
                      f"the derivative for '{kernel}' is not implemented.")


def test_unique_without_grad_stays_out_of_the_graph():
    x = ember.tensor([2., 1., 2.], requires_grad=True)
    with ember.no_grad():
        assert not ember.unique(x).requires_grad
    assert not ember.unique(ember.tensor([2, 1, 2])).requires_grad


# -- zero-size inputs --------------------------------------------------------------------------
@pytest.mark.parametrize("fn,shapes", [
    (lambda lib, a, b: a @ b, [(2, 0), (0, 3)]),
    (lambda lib, a, b: a @ b, [(0, 2, 3), (3, 4)]),
    (lambda lib, a, b: lib.bmm(a, b), [(2, 2, 0), (2, 0, 4)]),
    (lambda lib, a, b: lib.mv(a, b), [(2, 0), (0,)]),
    (lambda lib, a, b: lib.dot(a, b), [(0,), (0,)]),
    (lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), [(2, 0), (0, 3)]),
    (lambda lib, a: lib.cummin(a, 0)[0], [(0, 1)]),
    (lambda lib, a: lib.cummin(a, 1)[0], [(0, 1)]),
    (lambda lib, a: lib.cummax(a, 0)[0], [(3, 0)]),
    (lambda lib, a: lib.cummax(a, 2)[0], [(2, 0, 3)]),
    (lambda lib, a: a.cumprod(1), [(0, 2)]),
    (lambda lib, a: a.prod(1), [(2, 0)]),
    (lambda lib, a: a.logsumexp(0), [(0, 3)]),
    (lambda lib, a: a.sort(1)[0], [(3, 0)]),
    (lambda lib, a: a.norm(dim=1), [(2, 0)]),
    (lambda lib, a: a.std(0), [(0, 2)]),
])
def test_backward_through_zero_size_inputs(fn, shapes):
    grads = {}
    for lib in (torch, ember):
        xs = [lib.ones(*s, requires_grad=True) for s in shapes]
        y = fn(lib, *xs)
        lib.autograd.backward(y, lib.ones(y.shape))
        grads[lib] = [x.grad for x in xs]
    assert_close(grads[ember], grads[torch])


# -- range indices -----------------------------------------------------------------------------
def test_range_indices_read_and_write_like_torch():
    res = {}
    for lib in (torch, ember):
        leaf = lib.arange(12.).reshape(3, 4).requires_grad_(True)
        x = leaf * 1
        x[range(3), lib.tensor([0, 2, 1])] = 1.0
        picked = x[range(2)] * 2
        step = x[range(0, 3, 2), 1]
        (picked.sum() + (step * step).sum()).backward()
        res[lib] = (x, picked, step, leaf.grad, lib.zeros(2)[range(0)])
    assert_close(res[ember], res[torch])
