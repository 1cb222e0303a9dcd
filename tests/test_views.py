"""Views share memory, base and version counter with their base, with torch's strides,
and in-place changes through them give torch's gradients."""
import numpy as np
import pytest

import ember
from tests.helpers import assert_close

torch = pytest.importorskip("torch")

# (name, fn(lib, x)) for views of a (3, 4) tensor; each result is a view in torch
VIEWS = [
    ("view", lambda m, x: x.view(2, 6)),
    ("view_infer", lambda m, x: x.view(-1)),
    ("view_as", lambda m, x: x.view_as(m.zeros(4, 3))),
    ("reshape", lambda m, x: x.reshape(6, 2)),
    ("t", lambda m, x: x.t()),
    ("T", lambda m, x: x.T),
    ("mT", lambda m, x: x.mT),
    ("transpose", lambda m, x: x.transpose(0, -1)),
    ("swapaxes", lambda m, x: x.swapaxes(0, 1)),
    ("permute", lambda m, x: x.permute(1, 0)),
    ("unsqueeze", lambda m, x: x.unsqueeze(1)),
    ("squeeze", lambda m, x: x.unsqueeze(0).squeeze()),
    ("expand", lambda m, x: x.unsqueeze(0).expand(1, 3, 4)),
    ("narrow", lambda m, x: x.narrow(1, 1, 2)),
    ("select", lambda m, x: x.select(1, -1)),
    ("diagonal", lambda m, x: x.diagonal(1)),
    ("unfold", lambda m, x: x.unfold(1, 2, 2)),
    ("as_strided", lambda m, x: x.as_strided((2, 2), (4, 1), 1)),
    ("flatten", lambda m, x: x.flatten()),
    ("unflatten", lambda m, x: x.unflatten(1, (2, 2))),
    ("movedim", lambda m, x: x.movedim(0, 1)),
    ("chain", lambda m, x: x.t().narrow(0, 1, 2).unsqueeze(0).select(2, 1)),
    ("split", lambda m, x: x.split(2, 1)[1]),
    ("chunk", lambda m, x: x.chunk(3, 0)[2]),
    ("unbind", lambda m, x: x.unbind(1)[3]),
    ("tensor_split", lambda m, x: m.tensor_split(x, [1, 3], 1)[1]),
    ("atleast_3d", lambda m, x: m.atleast_3d(x)),
    ("broadcast_to", lambda m, x: m.broadcast_to(x, (1, 3, 4))),
]


def _pair(shape=(3, 4)):
    arr = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    return torch.from_numpy(arr.copy()), ember.from_numpy(arr.copy())


@pytest.mark.parametrize("name,fn", VIEWS, ids=[v[0] for v in VIEWS])
def test_view_metadata_and_sharing(name, fn):
    tx, ex = _pair()
    tv, ev = fn(torch, tx), fn(ember, ex)
    assert_close(ev, tv)
    assert ev.stride() == tuple(tv.stride())
    assert ev.is_contiguous() == tv.is_contiguous()
    assert ev.storage_offset() == tv.storage_offset()
    assert ev._base is ex and tv._base is tx
    assert np.shares_memory(ev.numpy(), ex.numpy())
    # a change through the base shows in the view
    ex.add_(100)
    tx.add_(100)
    assert_close(ev, tv)
    assert ev._version == tv._version == 1


WRITABLE = [v for v in VIEWS if v[0] not in ("expand",)]


@pytest.mark.parametrize("name,fn", WRITABLE, ids=[v[0] for v in WRITABLE])
def test_write_through_view(name, fn):
    tx, ex = _pair()
    tv, ev = fn(torch, tx), fn(ember, ex)
    tv.mul_(-1)
    ev.mul_(-1)
    assert_close(ex, tx)
    assert ex._version == tx._version == ev._version == 1
    ev.fill_(7)
    tv.fill_(7)
    assert_close(ex, tx)
    ev.zero_()
    tv.zero_()
    assert_close(ex, tx)
    assert ex._version == tx._version == 3


def test_view_of_view_has_root_base():
    x = ember.zeros(2, 3, 4)
    v = x.select(0, 1).view(12)
    assert v._base is x
    w = v.narrow(0, 2, 3)
    assert w._base is x
    w.fill_(5)
    assert x._version == v._version == w._version == 1
    assert float(x.sum()) == 15.0


def test_strides_match_torch():
    tx, ex = _pair((2, 3, 4))
    cases = [lambda x: x.transpose(0, 2),
             lambda x: x.permute(2, 0, 1), lambda x: x.select(0, 1).t(),
             lambda x: x.unsqueeze(-1), lambda x: x.transpose(0, 1).unsqueeze(1),
             lambda x: x.narrow(2, 1, 2).unsqueeze(3), lambda x: x.select(2, 0).expand(5, 2, 3),
             lambda x: x.narrow(2, 0, 1).expand(2, 3, 4), lambda x: x.diagonal(0, 1, 2),
             lambda x: x.unfold(2, 2, 1), lambda x: x.view(6, 1, 4), lambda x: x.view(1, 24),
             lambda x: x.permute(1, 0, 2).reshape(3, 8), lambda x: x.narrow(1, 0, 2).view(2, 8),
             lambda x: x.narrow(1, 0, 1).view(2, 4), lambda x: x.select(1, 0).view(2, 2, 2)]
    for i, f in enumerate(cases):
        tv, ev = f(tx), f(ex)
        assert ev.stride() == tuple(tv.stride()), f"case {i}"
        assert ev.is_contiguous() == tv.is_contiguous(), f"case {i}"
        assert ev.storage_offset() == tv.storage_offset(), f"case {i}"
    m = ember.zeros(3, 4)
    assert m.t().stride() == (1, 4) and not m.t().is_contiguous()
    assert m.t().contiguous().stride() == (3, 1)


def test_view_errors():
    x = ember.zeros(4, 4)
    with pytest.raises(RuntimeError, match=r"view size is not compatible with input tensor's "
                                           r"size and stride .*Use \.reshape\(\.\.\.\) instead\."):
        x.t().view(16)
    with pytest.raises(RuntimeError, match=r"shape '\[3, 5\]' is invalid for input of size 16"):
        x.view(3, 5)
    with pytest.raises(RuntimeError, match="only one dimension can be inferred"):
        x.view(-1, -1)
    with pytest.raises(RuntimeError, match=r"invalid shape dimension -2"):
        x.view(-2, 8)
    with pytest.raises(RuntimeError, match="unspecified dimension size -1 can be any value"):
        ember.zeros(0, 3).view(0, -1)
    with pytest.raises(TypeError):
        x.view(2.0, 8)


@pytest.mark.parametrize("make", [
    lambda m: m.zeros(3, 4), lambda m: m.zeros(3, 4).t(), lambda m: m.zeros(4, 6).narrow(1, 1, 4),
    lambda m: m.zeros(4, 6).narrow(0, 1, 2), lambda m: m.zeros(2, 3, 4).permute(1, 0, 2),
    lambda m: m.zeros(3, 1).expand(3, 4), lambda m: m.zeros(2, 3, 4).select(2, 0)])
@pytest.mark.parametrize("shape", [(-1,), (2, -1), (-1, 2, 1), (1, -1, 1)])
def test_reshape_view_or_copy_like_torch(make, shape):
    tx, ex = make(torch), make(ember)
    ty, ey = tx.reshape(shape), ex.reshape(shape)
    assert ey.shape == ty.shape
    torch_view = ty.data_ptr() == tx.data_ptr() and ty._base is not None
    ember_view = ey.data_ptr() == ex.data_ptr() and ey._base is not None
    assert ember_view == torch_view
    if torch_view:
        assert ey.stride() == tuple(ty.stride())
    else:
        assert ey.is_contiguous() and ey._base is None


def test_contiguous_copies_only_when_needed():
    x = ember.arange(6.).reshape(2, 3)
    assert x.contiguous() is x
    y = x.t().contiguous()
    assert y.is_contiguous() and y.data_ptr() != x.data_ptr()
    np.testing.assert_array_equal(y.numpy(), x.numpy().T)
    assert ember.ravel(x).data_ptr() == x.data_ptr()
    assert ember.ravel(x.t()).data_ptr() != x.data_ptr()


def test_expand_is_read_only_where_elements_alias():
    x = ember.zeros(3, 1)
    e = x.expand(3, 4)
    assert e.stride() == (1, 0)
    with pytest.raises((RuntimeError, ValueError)):
        e.add_(1)
    same = x.expand(3, 1)  # nothing aliases: writable, like torch
    same.add_(1)
    assert float(x.sum()) == 3.0


def test_split_outputs_are_views():
    x = ember.arange(10.)
    parts = x.split([3, 7])
    assert all(p._base is x for p in parts)
    assert parts[1].storage_offset() == 3
    parts[1].fill_(0)
    assert float(x.sum()) == 3.0
    rows = ember.arange(6.).reshape(2, 3).unbind(1)
    assert [r.stride() for r in rows] == [(3,)] * 3


# -- in-place on views under autograd, against torch's gradients ------------------------------
INPLACE = [
    ("t_mul", lambda m, y: y.t().mul_(2)),
    ("view_add", lambda m, y: y.view(-1).add_(1)),
    ("narrow_zero", lambda m, y: y.narrow(0, 1, 2).zero_()),
    ("select_fill", lambda m, y: y.select(1, 2).fill_(3.0)),
    ("diagonal_mul", lambda m, y: y.diagonal().mul_(-3)),
    ("chain_mul", lambda m, y: y.unsqueeze(0).transpose(1, 2).select(0, 0).narrow(0, 1, 2).mul_(3)),
    ("unfold_mul", lambda m, y: y.unfold(1, 2, 2).mul_(3)),
    ("as_strided_mul", lambda m, y: y.as_strided((2, 2), (1, 4), 1).mul_(3)),
    ("expand_same_mul", lambda m, y: y.unsqueeze(0).expand(1, 3, 4).mul_(3)),
    ("exp_through_view", lambda m, y: y.t().narrow(0, 1, 2).exp_()),
    ("reshape_view_mul", lambda m, y: y.reshape(2, 6).mul_(y.detach().reshape(2, 6).clone())),
    ("fill_tensor", lambda m, y: y.narrow(1, 0, 2).fill_(m.tensor(2.5))),
]


def _inplace_grads(lib, fn, read):
    arr = (np.arange(12.).reshape(3, 4) / 7).astype(np.float64)
    x = lib.tensor(arr, requires_grad=True)
    w = lib.tensor(np.linspace(-1, 1, 12).reshape(3, 4))
    y = x * 1
    fn(lib, y)
    out = read(y)
    (out * w.reshape(out.shape) if out.numel() == 12 else out * 1.5).sum().backward()
    return out, x.grad


@pytest.mark.parametrize("read", [lambda y: y * y, lambda y: y.t().exp()], ids=["base", "new_view"])
@pytest.mark.parametrize("name,fn", INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace_on_view_gradients(name, fn, read):
    tout, tg = _inplace_grads(torch, fn, read)
    eout, eg = _inplace_grads(ember, fn, read)
    assert_close(eout, tout)
    assert_close(eg, tg)


def test_inplace_view_result_gradient():
    # gradient read through the modified view itself
    def run(lib):
        x = lib.tensor(np.arange(1., 7.).reshape(2, 3), requires_grad=True)
        y = x * 1
        v = y.t().narrow(0, 1, 2)
        v.mul_(v.detach() + 1)
        (v * v).sum().backward()
        return x.grad
    assert_close(run(ember), run(torch))


def test_inplace_with_grad_from_other_operand():
    def run(lib):
        a = lib.tensor(np.arange(1., 5.), requires_grad=True)
        base = lib.zeros(3, 4, dtype=lib.float64)
        base.narrow(0, 1, 1).view(-1).add_(a * a)
        (base * base).sum().backward()
        return base, a.grad
    assert_close(run(ember), run(torch))


def test_fill_value_gradient():
    def run(lib):
        v = lib.tensor(2.0, requires_grad=True)
        y = lib.zeros(3, 4, dtype=lib.float64).requires_grad_(False)
        y.narrow(1, 1, 2).fill_(v * 1)
        (y * 3).sum().backward()
        return y, v.grad
    assert_close(run(ember), run(torch))


def test_inplace_on_view_of_leaf_raises():
    x = ember.ones(3, 4, requires_grad=True)
    with pytest.raises(RuntimeError, match="view of a leaf Variable that requires grad"):
        x.t().mul_(2)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.zero_()
    with ember.no_grad():
        x.t().zero_()
    assert float(x.sum()) == 0.0


def test_view_keeps_grad_fn_names():
    x = ember.ones(2, 3, requires_grad=True)
    assert x.view(-1).grad_fn.name() == "ViewBackward0"
    assert x.t().grad_fn.name() == "TBackward0"
    assert x.transpose(0, 1).grad_fn.name() == "TransposeBackward0"
    assert x.t().reshape(-1).grad_fn.name() == "UnsafeViewBackward0"
    assert x.expand(4, 2, 3).grad_fn.name() == "ExpandBackward0"
    assert x.narrow(1, 0, 2).grad_fn.name() == "SliceBackward0"
    assert x.select(1, 0).grad_fn.name() == "SelectBackward0"


def test_inplace_restride_ops():
    def run(lib):
        x = lib.tensor(np.arange(6.).reshape(2, 3), requires_grad=True)
        y = x * 1
        y.t_().unsqueeze_(0)
        meta = (tuple(y.shape), tuple(y.stride()), y._version)
        v = y.squeeze_(0).narrow(0, 1, 1).transpose_(0, 1)
        v.mul_(3)
        (y * lib.arange(6.).reshape(3, 2)).sum().backward()
        return meta, y, x.grad
    (em, ey, eg), (tm, ty, tg) = run(ember), run(torch)
    assert em == tm
    assert_close(ey, ty)
    assert_close(eg, tg)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        ember.zeros(2, requires_grad=True).unsqueeze_(0)
    plain = ember.zeros(2, 3)
    assert plain.swapaxes_(0, 1).shape == (3, 2) and plain.stride() == (1, 3)


@pytest.mark.parametrize("fn", [
    lambda m, x: m.flip(x, (0,)), lambda m, x: m.tril(x), lambda m, x: m.roll(x, 1, 0),
    lambda m, x: x.repeat(1, 2), lambda m, x: m.cat([x, x]), lambda m, x: m.stack([x, x], 1),
    lambda m, x: x.repeat_interleave(2, 0), lambda m, x: m.diag_embed(x), lambda m, x: x.contiguous(),
    lambda m, x: x.reshape(-1)])
def test_copy_layouts_match_torch(fn):
    """Copies of a transposed input come out with torch's strides (so ``view`` works alike)."""
    tx, ex = _pair((2, 3))
    tout, eout = fn(torch, tx.t()), fn(ember, ex.t())
    assert_close(eout, tout)
    assert eout.stride() == tuple(tout.stride())
    assert eout.data_ptr() != ex.data_ptr()


def test_view_made_before_an_inplace_change_sees_the_new_history():
    def f(m):
        x = m.ones(2, 3, requires_grad=True)
        y = x * 1
        v = y.t()
        y.mul_(2)
        row = y[1]
        y[0].mul_(3)
        (v.sum() + (row * 5).sum()).backward()
        return x.grad
    from tests.helpers import assert_close, torch
    assert_close(f(ember), f(torch))


@pytest.mark.parametrize("shape", [(0,), (0, 3), (2, 0, 4), (3, 1, 0)])
def test_strides_of_empty_tensors_are_torch_contiguous(shape):
    from tests.helpers import torch
    assert ember.zeros(shape).stride() == torch.zeros(shape).stride()
