"""Shape ops against torch: values, dtypes, gradients (check_op), and errors."""
import numpy as np
import pytest

import ember
from tests.helpers import check_op, assert_close, raises_like_torch

torch = pytest.importorskip("torch")


def _case(name, fn, *shapes, **kw):
    return pytest.param(fn, list(shapes), kw, id=name)


# One input each unless several shapes are listed; ``nc`` also runs with transposed inputs.
UNARY = [
    _case("view", lambda m, x: x.view(4, 3), (3, 4)),
    _case("view_tuple", lambda m, x: x.view((2, -1, 3)), (3, 4)),
    _case("view_0d", lambda m, x: x.view(1, 1), ()),
    _case("view_to_0d", lambda m, x: x.view(()), (1, 1)),
    _case("view_empty", lambda m, x: x.view(-1, 3, 1), (0, 3)),
    _case("reshape", lambda m, x: m.reshape(x, (2, -1)), (3, 4)),
    _case("reshape_nc", lambda m, x: x.reshape(-1), (3, 4), noncontiguous=True),
    _case("reshape_size", lambda m, x: x.reshape(m.Size([4, 3])), (3, 4)),
    _case("view_as", lambda m, x: x.view_as(m.zeros(6, 2)), (3, 4)),
    _case("reshape_as", lambda m, x: x.reshape_as(m.zeros(2, 6)), (3, 4), noncontiguous=True),
    _case("transpose", lambda m, x: m.transpose(x, 0, -1), (2, 3, 4)),
    _case("transpose_same", lambda m, x: x.transpose(1, 1), (2, 3)),
    _case("swapaxes", lambda m, x: m.swapaxes(x, 0, 1), (2, 3)),
    _case("swapdims", lambda m, x: x.swapdims(-1, -2), (2, 3, 4), noncontiguous=True),
    _case("permute", lambda m, x: x.permute(2, 0, 1), (2, 3, 4)),
    _case("permute_tuple", lambda m, x: m.permute(x, (1, 2, 0)), (2, 3, 4), noncontiguous=True),
    _case("permute_0d", lambda m, x: x.permute(()), ()),
    _case("t", lambda m, x: m.t(x), (2, 3)),
    _case("t_1d", lambda m, x: x.t(), (3,)),
    _case("t_0d", lambda m, x: x.t(), ()),
    _case("T", lambda m, x: x.T, (2, 3)),
    _case("mT", lambda m, x: x.mT, (2, 3, 4)),
    _case("squeeze_all", lambda m, x: x.squeeze(), (1, 3, 1, 2)),
    _case("squeeze_dim", lambda m, x: m.squeeze(x, -2), (1, 3, 1, 2)),
    _case("squeeze_nonone", lambda m, x: x.squeeze(1), (1, 3, 1, 2)),
    _case("squeeze_tuple", lambda m, x: x.squeeze((0, 2, 3)), (1, 3, 1, 2)),
    _case("squeeze_0d", lambda m, x: x.squeeze(0), ()),
    _case("unsqueeze", lambda m, x: m.unsqueeze(x, 1), (2, 3)),
    _case("unsqueeze_neg", lambda m, x: x.unsqueeze(-1), (2, 3), noncontiguous=True),
    _case("unsqueeze_0d", lambda m, x: x.unsqueeze(0), ()),
    _case("expand", lambda m, x: x.expand(2, 3, 4), (3, 1)),
    _case("expand_keep", lambda m, x: x.expand(-1, 5), (3, 1)),
    _case("expand_0d", lambda m, x: x.expand(2, 2), ()),
    _case("expand_empty", lambda m, x: x.expand(0, 3), (1, 3)),
    _case("expand_as", lambda m, x: x.expand_as(m.zeros(2, 3, 4)), (4,)),
    _case("broadcast_to", lambda m, x: m.broadcast_to(x, (2, 3, 4)), (1, 4)),
    _case("narrow", lambda m, x: m.narrow(x, 1, 1, 2), (3, 4)),
    _case("narrow_neg", lambda m, x: x.narrow(-1, -3, 2), (3, 4), noncontiguous=True),
    _case("narrow_empty", lambda m, x: x.narrow(0, 3, 0), (3, 4)),
    _case("narrow_copy", lambda m, x: x.narrow_copy(0, 1, 2), (3, 4)),
    _case("select", lambda m, x: m.select(x, 0, 1), (3, 4)),
    _case("select_neg", lambda m, x: x.select(-1, -1), (3, 4), noncontiguous=True),
    _case("select_1d", lambda m, x: x.select(0, 2), (3,)),
    _case("flatten", lambda m, x: m.flatten(x), (2, 3, 4)),
    _case("flatten_range", lambda m, x: x.flatten(1, -1), (2, 3, 4), noncontiguous=True),
    _case("flatten_0d", lambda m, x: x.flatten(), ()),
    _case("flatten_same", lambda m, x: x.flatten(1, 1), (2, 3)),
    _case("ravel", lambda m, x: m.ravel(x), (3, 4), noncontiguous=True),
    _case("unflatten", lambda m, x: m.unflatten(x, 1, (2, -1)), (3, 4)),
    _case("unflatten_nc", lambda m, x: x.unflatten(-1, (3, 1)), (2, 4, 3), noncontiguous=True),
    _case("movedim", lambda m, x: m.movedim(x, 0, -1), (2, 3, 4)),
    _case("movedim_tuple", lambda m, x: x.moveaxis((0, 1), (2, 0)), (2, 3, 4)),
    _case("as_strided", lambda m, x: m.as_strided(x, (2, 2), (1, 3), 1), (3, 4)),
    _case("as_strided_overlap", lambda m, x: x.as_strided((3, 3), (1, 1)), (3, 4)),
    _case("as_strided_nc", lambda m, x: x.as_strided((2, 3), (4, 1)), (3, 4), noncontiguous=True),
    _case("contiguous", lambda m, x: x.contiguous(), (3, 4), noncontiguous=True),
    _case("unfold", lambda m, x: x.unfold(1, 2, 1), (3, 5)),
    _case("unfold_gap", lambda m, x: x.unfold(0, 2, 3), (8, 2), noncontiguous=True),
    _case("unfold_0d", lambda m, x: x.unfold(0, 1, 1), ()),
    _case("diagonal", lambda m, x: m.diagonal(x), (3, 4)),
    _case("diagonal_off", lambda m, x: x.diagonal(1, -1, 0), (2, 3, 4), noncontiguous=True),
    _case("diagonal_neg", lambda m, x: x.diagonal(-2), (4, 3)),
    _case("diagonal_out", lambda m, x: x.diagonal(5), (4, 3)),
    _case("repeat", lambda m, x: x.repeat(2, 1, 3), (2, 3)),
    _case("repeat_0d", lambda m, x: x.repeat(3), ()),
    _case("repeat_zero", lambda m, x: x.repeat(0, 2), (3,)),
    _case("tile", lambda m, x: m.tile(x, (2,)), (2, 3), noncontiguous=True),
    _case("tile_more", lambda m, x: x.tile((2, 1, 2)), (2, 3)),
    _case("repeat_interleave", lambda m, x: m.repeat_interleave(x, 2), (2, 3)),
    _case("repeat_interleave_dim", lambda m, x: x.repeat_interleave(3, dim=-1), (2, 3)),
    _case("repeat_interleave_t", lambda m, x: x.repeat_interleave(m.tensor([1, 0, 2]), dim=1),
          (2, 3), noncontiguous=True),
    _case("repeat_interleave_t0", lambda m, x: x.repeat_interleave(m.tensor([2, 0]), dim=0), (2, 3)),
    _case("repeat_interleave_t1", lambda m, x: x.repeat_interleave(m.tensor([2]), dim=0), (2, 3)),
    _case("repeat_interleave_0d", lambda m, x: x.repeat_interleave(2), ()),
    _case("flip", lambda m, x: m.flip(x, (0, -1)), (2, 3, 4)),
    _case("flip_varargs", lambda m, x: x.flip(1), (2, 3), noncontiguous=True),
    _case("flip_0d", lambda m, x: x.flip(()), ()),
    _case("flip_dims_kw", lambda m, x: m.flip(x, dims=(0, 2)), (2, 3, 4)),
    _case("flip_method_dims_kw", lambda m, x: x.flip(dims=[-1]), (2, 3)),
    _case("transpose_0d", lambda m, x: x.transpose(0, -1), ()),
    _case("swapaxes_0d", lambda m, x: m.swapaxes(x, -1, -1), ()),
    _case("movedim_0d", lambda m, x: m.movedim(x, 0, -1), ()),
    _case("movedim_0d_tuple", lambda m, x: x.movedim((-1,), (0,)), ()),
    _case("fliplr", lambda m, x: m.fliplr(x), (2, 3)),
    _case("flipud", lambda m, x: m.flipud(x), (2, 3)),
    _case("roll", lambda m, x: m.roll(x, 1, 0), (3, 4)),
    _case("roll_multi", lambda m, x: x.roll((1, -5), (0, 1)), (3, 4), noncontiguous=True),
    _case("roll_flat", lambda m, x: x.roll(5), (3, 4)),
    _case("roll_0d", lambda m, x: x.roll(1), ()),
    _case("rot90", lambda m, x: m.rot90(x), (2, 3)),
    _case("rot90_k2", lambda m, x: x.rot90(2, (1, 2)), (2, 3, 4)),
    _case("rot90_neg", lambda m, x: x.rot90(-1, (-1, 0)), (2, 3), noncontiguous=True),
    _case("rot90_k0", lambda m, x: x.rot90(4), (2, 3)),
    _case("tril", lambda m, x: m.tril(x), (3, 4)),
    _case("tril_k", lambda m, x: x.tril(-1), (2, 3, 4), noncontiguous=True),
    _case("triu", lambda m, x: m.triu(x, 1), (4, 3)),
    _case("triu_batch", lambda m, x: x.triu(diagonal=-1), (2, 3, 3)),
    _case("diag_vec", lambda m, x: m.diag(x), (3,)),
    _case("diag_vec_k", lambda m, x: m.diag(x, -2), (3,)),
    _case("diag_mat", lambda m, x: m.diag(x, 1), (3, 4), noncontiguous=True),
    _case("diag_empty", lambda m, x: m.diag(x, 5), (3, 4)),
    _case("diagflat", lambda m, x: m.diagflat(x, 1), (2, 2)),
    _case("diag_embed", lambda m, x: m.diag_embed(x), (2, 3)),
    _case("diag_embed_dims", lambda m, x: m.diag_embed(x, -1, 0, 2), (2, 3)),
    _case("atleast_1d", lambda m, x: m.atleast_1d(x), ()),
    _case("atleast_2d", lambda m, x: m.atleast_2d(x), (3,)),
    _case("atleast_3d_1d", lambda m, x: m.atleast_3d(x), (3,)),
    _case("atleast_3d_2d", lambda m, x: m.atleast_3d(x), (2, 3)),
    _case("atleast_3d_0d", lambda m, x: m.atleast_3d(x), ()),
]


@pytest.mark.parametrize("fn,shapes,kw", UNARY)
def test_unary(fn, shapes, kw):
    check_op(fn, shapes, **kw)


# Ops returning several views: values and shapes of every piece, then gradients through
# all pieces at once (joined, each scaled differently so that a mix-up shows).
SPLITS = [
    _case("split", lambda m, x: m.split(x, 2), (5, 3)),
    _case("split_sizes", lambda m, x: x.split([1, 0, 2], 1), (2, 3), noncontiguous=True),
    _case("split_empty", lambda m, x: x.split(0), (0, 3)),
    _case("chunk", lambda m, x: m.chunk(x, 3, -1), (2, 7)),
    _case("chunk_more", lambda m, x: x.chunk(4), (3, 2)),
    _case("tensor_split_n", lambda m, x: m.tensor_split(x, 3, 1), (2, 7)),
    _case("tensor_split_idx", lambda m, x: x.tensor_split([1, -1, 9]), (5, 2)),
    _case("tensor_split_back", lambda m, x: x.tensor_split((3, 1)), (5,)),
    _case("unbind", lambda m, x: m.unbind(x, 1), (2, 3)),
    _case("hsplit", lambda m, x: m.hsplit(x, 2), (3, 4)),
    _case("hsplit_1d", lambda m, x: m.hsplit(x, [1]), (4,)),
    _case("vsplit", lambda m, x: m.vsplit(x, [1, 2]), (3, 4)),
    _case("dsplit", lambda m, x: m.dsplit(x, 2), (1, 2, 4)),
]


@pytest.mark.parametrize("fn,shapes,kw", SPLITS)
def test_split_values(fn, shapes, kw):
    check_op(fn, shapes, grad=False, **kw)


@pytest.mark.parametrize("fn,shapes,kw", SPLITS)
def test_split_gradients(fn, shapes, kw):
    check_op(lambda m, x: m.cat([p.reshape(-1) * (i + 1) for i, p in enumerate(fn(m, x))]),
             shapes, **kw)


def test_backward_from_several_outputs_of_one_split():
    x = ember.ones(5, 3, requires_grad=True)
    parts = x.split(2)
    ember.autograd.backward(list(parts), [ember.ones_like(p) * (i + 1) for i, p in enumerate(parts)])
    assert x.grad is not None and x.grad[:, 0].tolist() == [1.0, 1.0, 2.0, 2.0, 3.0]


MULTI = [
    _case("cat", lambda m, a, b: m.cat([a, b]), (2, 3), (4, 3)),
    _case("cat_dim", lambda m, a, b: m.cat((a, b), -1), (2, 3), (2, 1), noncontiguous=True),
    _case("cat_three", lambda m, a, b, c: m.cat([a, b, c], 1), (2, 1), (2, 0), (2, 2)),
    _case("cat_legacy_empty", lambda m, a, b: m.cat([a, b], 1), (0,), (2, 3)),
    _case("cat_all_empty", lambda m, a, b: m.cat([a, b]), (0,), (0,)),
    _case("concat", lambda m, a, b: m.concat([a, b], dim=0), (1, 2), (2, 2)),
    _case("concatenate", lambda m, a, b: m.concatenate([a, b], axis=1), (2, 1), (2, 2)),
    _case("stack", lambda m, a, b: m.stack([a, b]), (2, 3), (2, 3)),
    _case("stack_last", lambda m, a, b: m.stack((a, b), -1), (2, 3), (2, 3), noncontiguous=True),
    _case("stack_0d", lambda m, a, b: m.stack([a, b]), (), ()),
    _case("hstack", lambda m, a, b: m.hstack([a, b]), (2, 3), (2, 1)),
    _case("hstack_1d", lambda m, a, b: m.hstack([a, b]), (2,), ()),
    _case("vstack", lambda m, a, b: m.vstack([a, b]), (3,), (2, 3)),
    _case("row_stack", lambda m, a, b: m.row_stack([a, b]), (3,), (3,)),
    _case("dstack", lambda m, a, b: m.dstack([a, b]), (2, 3), (2, 3, 2)),
    _case("column_stack", lambda m, a, b: m.column_stack([a, b]), (3,), (3, 2)),
    _case("broadcast_tensors", lambda m, a, b: m.broadcast_tensors(a, b), (3, 1), (4,)),
    _case("meshgrid_ij", lambda m, a, b: m.meshgrid(a, b, indexing="ij"), (2,), (3,)),
    _case("meshgrid_xy", lambda m, a, b, c: m.meshgrid([a, b, c], indexing="xy"), (2,), (3,), ()),
    _case("atleast_many", lambda m, a, b: m.atleast_2d(a, b), (), (2, 3)),
    _case("fill_tensor", lambda m, a, v: (a * 1).fill_(v), (2, 3), ()),
]


@pytest.mark.parametrize("fn,shapes,kw", MULTI)
def test_multi(fn, shapes, kw):
    check_op(fn, shapes, **kw)


@pytest.mark.parametrize("dtype", ["int64", "bool", "float64", "uint8"])
@pytest.mark.parametrize("fn", [lambda m, x: x.t().reshape(-1), lambda m, x: m.cat([x, x], 1),
                                lambda m, x: m.stack([x, x]), lambda m, x: x.flip(0).roll(1, 1),
                                lambda m, x: m.tril(x.repeat(1, 2)), lambda m, x: m.diag(x),
                                lambda m, x: x.unfold(1, 2, 1), lambda m, x: x.diag_embed()])
def test_dtypes_kept(fn, dtype):
    check_op(fn, [(3, 3)], dtype=dtype, low=0, high=5)


def test_cat_promotes_dtypes():
    ints = np.arange(6).reshape(2, 3)
    for lib_pair in [("int32", "float64"), ("uint8", "int8"), ("bool", "int16")]:
        a, b = (ints.astype(d) for d in lib_pair)
        t = torch.cat([torch.from_numpy(a), torch.from_numpy(b)])
        e = ember.cat([ember.from_numpy(a), ember.from_numpy(b)])
        assert_close(e, t)
        t = torch.stack([torch.from_numpy(a), torch.from_numpy(b)], 1)
        e = ember.stack([ember.from_numpy(a), ember.from_numpy(b)], 1)
        assert_close(e, t)
    # the skipped legacy empty tensor still takes part in promotion
    e = ember.cat([ember.zeros(2, 3), ember.zeros(0, dtype=ember.float64)])
    assert e.dtype == ember.float64 and e.shape == (2, 3)


def test_cat_gradient_mixed_dtypes():
    def run(lib):
        a = lib.ones(2, 2, dtype=lib.float32, requires_grad=True)
        b = lib.ones(1, 2, dtype=lib.float64, requires_grad=True)
        out = lib.cat([a, b])
        (out * lib.arange(6, dtype=lib.float64).reshape(3, 2)).sum().backward()
        return out, a.grad, b.grad
    assert_close(run(ember), run(torch))


def test_out_argument():
    out = ember.empty(0)
    res = ember.cat([ember.ones(2), ember.zeros(1)], out=out)
    assert res is out and out.tolist() == [1.0, 1.0, 0.0]
    out = ember.empty(2, 2)
    ember.stack([ember.ones(2), ember.zeros(2)], out=out)
    assert out.tolist() == [[1.0, 1.0], [0.0, 0.0]]
    out = ember.empty(2, 2)
    ember.tril(ember.ones(2, 2), out=out)
    assert out.tolist() == [[1.0, 0.0], [1.0, 1.0]]


def test_repeat_interleave_counts_only():
    assert_close(ember.repeat_interleave(ember.tensor([1, 0, 3])),
                 torch.repeat_interleave(torch.tensor([1, 0, 3])))


def test_meshgrid_warns_without_indexing():
    with pytest.warns(UserWarning, match="indexing argument"):
        grids = ember.meshgrid(ember.arange(2), ember.arange(3))
    assert [g.shape for g in grids] == [(2, 3), (2, 3)]


def test_T_warns_beyond_2d():
    with pytest.warns(UserWarning, match="deprecated"):
        assert ember.zeros(2, 3, 4).T.shape == (4, 3, 2)


def test_atleast_returns_input_when_enough_dims():
    x = ember.zeros(2, 3)
    assert ember.atleast_1d(x) is x and ember.atleast_2d(x) is x
    assert isinstance(ember.atleast_1d([x, x]), tuple)


def test_fill_and_zero():
    x = ember.arange(6).reshape(2, 3)
    assert x.fill_(2.7).tolist() == [[2] * 3] * 2  # cast to the tensor's dtype, like torch
    assert x._version == 1
    assert ember.zero_(x) is x and x.sum().item() == 0
    assert ember.fill_(ember.zeros(2, dtype=ember.bool), 1).tolist() == [True, True]
    with pytest.raises(RuntimeError, match="0-dimension value tensor"):
        ember.zeros(3).fill_(ember.ones(2))


def test_fill_gradient_is_zero():
    def run(lib):
        x = lib.ones(2, 3, requires_grad=True)
        y = x * 2
        y.zero_()
        (y + x).sum().backward()
        return x.grad
    assert_close(run(ember), run(torch))


def test_inplace_tril_triu():
    def run(lib):
        x = lib.arange(1., 10.).reshape(3, 3).requires_grad_()
        y = x * 1
        y.tril_(-1).triu_(-1)
        (y * y).sum().backward()
        return y, x.grad
    assert_close(run(ember), run(torch))


ERRORS = [
    ("view_size", lambda m: m.zeros(4, 4).view(3, 5), RuntimeError, r"shape '\[3, 5\]' is invalid for input of size 16"),
    ("reshape_two_infer", lambda m: m.zeros(4).reshape(-1, -1), RuntimeError, "only one dimension can be inferred"),
    ("expand_mismatch", lambda m: m.zeros(2, 3).expand(3, 3), RuntimeError,
     r"expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton dimension 0"),
    ("expand_fewer", lambda m: m.zeros(2, 3).expand(3), RuntimeError, r"number of sizes provided \(1\) must be greater or equal"),
    ("expand_lead_neg", lambda m: m.zeros(3).expand(-1, 3), RuntimeError, "isn't allowed in a leading, non-existing dimension 0"),
    ("permute_len", lambda m: m.zeros(2, 3).permute(0), RuntimeError, r"input.dim\(\) = 2 is not equal to len\(dims\) = 1"),
    ("permute_dup", lambda m: m.zeros(2, 3).permute(0, 0), RuntimeError, "duplicate dims"),
    ("permute_no_dims", lambda m: m.zeros(()).permute(), TypeError, "missing 1 required positional"),
    ("transpose_0d_range", lambda m: m.zeros(()).transpose(0, 1), IndexError, r"\[-1, 0\], but got 1"),
    ("flip_dims_twice", lambda m: m.zeros(2).flip(0, dims=(0,)), TypeError, None),
    ("permute_range", lambda m: m.zeros(2, 3).permute(0, 2), IndexError, "Dimension out of range"),
    ("t_3d", lambda m: m.zeros(2, 3, 4).t(), RuntimeError, r"t\(\) expects a tensor with <= 2 dimensions, but self is 3D"),
    ("mT_1d", lambda m: m.zeros(3).mT, RuntimeError, "only supported on matrices or batches of matrices"),
    ("transpose_range", lambda m: m.zeros(2, 3).transpose(0, 2), IndexError, r"\[-2, 1\], but got 2"),
    ("squeeze_range", lambda m: m.zeros(2, 3).squeeze(2), IndexError, "Dimension out of range"),
    ("unsqueeze_range", lambda m: m.zeros(2, 3).unsqueeze(3), IndexError, r"\[-3, 2\], but got 3"),
    ("narrow_past", lambda m: m.zeros(2, 3).narrow(0, 1, 2), RuntimeError, r"start \(1\) \+ length \(2\) exceeds dimension size \(2\)"),
    ("narrow_start", lambda m: m.zeros(2, 3).narrow(0, -3, 1), IndexError, "start out of range"),
    ("narrow_len", lambda m: m.zeros(2, 3).narrow(1, 0, -1), RuntimeError, "length must be non-negative"),
    ("narrow_0d", lambda m: m.tensor(1.).narrow(0, 0, 1), RuntimeError, "cannot be applied to a 0-dim tensor"),
    ("select_range", lambda m: m.zeros(2, 3).select(0, 2), IndexError, r"select\(\): index 2 out of range for tensor of size \[2, 3\] at dimension 0"),
    ("select_0d", lambda m: m.tensor(1.).select(0, 0), IndexError, "0-dim tensor"),
    ("flatten_order", lambda m: m.zeros(2, 3).flatten(1, 0), RuntimeError, "start_dim cannot come after end_dim"),
    ("unflatten_sizes", lambda m: m.zeros(2, 3).unflatten(1, (2, 2)), RuntimeError, r"sizes \[2, 2\] don't multiply up to the size of dim 1 \(3\)"),
    ("unflatten_empty", lambda m: m.zeros(2, 3).unflatten(1, ()), RuntimeError, "sizes must be non-empty"),
    ("movedim_len", lambda m: m.zeros(2, 3).movedim((0, 1), (1,)), RuntimeError, "should contain the same number of dims"),
    ("movedim_dup", lambda m: m.zeros(2, 3).movedim((0, 0), (0, 1)), RuntimeError, "repeated dim in `source`"),
    ("as_strided_oob", lambda m: m.zeros(2, 3).as_strided((10,), (1,)), RuntimeError, "out of bounds for storage of size 24"),
    ("unfold_size", lambda m: m.zeros(2, 3).unfold(1, 4, 1), RuntimeError, "maximum size for tensor at dimension 1 is 3 but size is 4"),
    ("unfold_step", lambda m: m.zeros(2, 3).unfold(1, 2, 0), RuntimeError, "step is 0 but must be > 0"),
    ("diagonal_same", lambda m: m.zeros(2, 3).diagonal(0, 1, -1), RuntimeError, "diagonal dimensions cannot be identical"),
    ("split_zero", lambda m: m.zeros(2, 3).split(0), RuntimeError, "split_size can only be 0 if dimension size is 0"),
    ("split_neg", lambda m: m.zeros(2, 3).split(-1), RuntimeError, "split expects split_size be non-negative"),
    ("split_sum", lambda m: m.zeros(5).split([1, 2]), RuntimeError, r"split_sizes to sum exactly to 5 .* split_sizes=\[1, 2\]"),
    ("split_0d", lambda m: m.tensor(1.).split(1), RuntimeError, "at least a 1-dimensional tensor"),
    ("chunk_zero", lambda m: m.zeros(2).chunk(0), RuntimeError, "chunk expects `chunks` to be greater than 0, got: 0"),
    ("tensor_split_zero", lambda m: m.zeros(5).tensor_split(0), RuntimeError, "number of sections must be larger than 0, got 0"),
    ("tensor_split_float", lambda m: m.zeros(5).tensor_split(m.tensor([1.0])), RuntimeError, "to have dtype of long"),
    ("unbind_0d", lambda m: m.tensor(1.).unbind(), IndexError, "no dimensions"),
    ("hsplit_div", lambda m: m.hsplit(m.zeros(3, 4), 3), RuntimeError, "size of the dimension 4 is not divisible by the split_size 3"),
    ("vsplit_1d", lambda m: m.vsplit(m.zeros(3), 3), RuntimeError, "at least 2 dimension"),
    ("cat_empty_list", lambda m: m.cat([]), ValueError, "expected a non-empty list of Tensors"),
    ("cat_sizes", lambda m: m.cat([m.zeros(2, 3), m.zeros(2, 4)]), RuntimeError,
     "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1"),
    ("cat_ndim", lambda m: m.cat([m.zeros(2, 3), m.zeros(2)]), RuntimeError, "Tensors must have same number of dimensions: got 2 and 1"),
    ("cat_0d", lambda m: m.cat([m.tensor(1.), m.tensor(2.)]), RuntimeError, r"zero-dimensional tensor \(at position 0\) cannot be concatenated"),
    ("cat_dim", lambda m: m.cat([m.zeros(2, 3)], 2), IndexError, "Dimension out of range"),
    ("cat_not_tensor", lambda m: m.cat([m.zeros(2), 3]), TypeError, "expected Tensor as element 1"),
    ("stack_shapes", lambda m: m.stack([m.zeros(2, 3), m.zeros(3, 2)]), RuntimeError,
     r"stack expects each tensor to be equal size, but got \[2, 3\] at entry 0 and \[3, 2\] at entry 1"),
    ("stack_empty", lambda m: m.stack([]), RuntimeError, "stack expects a non-empty TensorList"),
    ("repeat_fewer", lambda m: m.zeros(2, 3).repeat(2), RuntimeError, "can not be smaller than number of dimensions"),
    ("repeat_neg", lambda m: m.zeros(2).repeat(-1, 2), RuntimeError, "negative dimension -1"),
    ("repeat_interleave_len", lambda m: m.zeros(2, 3).repeat_interleave(m.tensor([1, 2]), dim=1), RuntimeError,
     r"repeats must have the same size as input along dim, but got repeats.size\(0\) = 2 and input.size\(1\) = 3"),
    ("repeat_interleave_neg", lambda m: m.zeros(2).repeat_interleave(m.tensor([1, -2])), RuntimeError, "repeats can not be negative"),
    ("repeat_interleave_2d", lambda m: m.zeros(2).repeat_interleave(m.tensor([[1]])), RuntimeError, "0-dim or 1-dim"),
    ("flip_dup", lambda m: m.zeros(2, 3).flip(0, 0), RuntimeError, "dim 0 appears multiple times"),
    ("fliplr_1d", lambda m: m.fliplr(m.zeros(3)), RuntimeError, "Input must be >= 2-d"),
    ("roll_align", lambda m: m.roll(m.zeros(3, 3), (1, 2), 0), RuntimeError, "shifts and dimensions must align. shifts: 2, dims:1"),
    ("roll_align_none", lambda m: m.roll(m.zeros(3), (1, 2)), RuntimeError, "shifts and dimensions must align"),
    ("rot90_same", lambda m: m.rot90(m.zeros(2, 2), 1, (0, 0)), RuntimeError, "expected rotation dims to be different"),
    ("rot90_1d", lambda m: m.rot90(m.zeros(3)), RuntimeError, "expected total dims >= 2"),
    ("rot90_dims", lambda m: m.rot90(m.zeros(2, 2), 1, (0, 1, 2)), RuntimeError, "expected total rotation dims == 2"),
    ("tril_1d", lambda m: m.tril(m.zeros(3)), RuntimeError, "tril: input tensor must have at least 2 dimensions"),
    ("diag_3d", lambda m: m.diag(m.zeros(2, 2, 2)), RuntimeError, r"diag\(\): Supports 1D or 2D tensors. Got 3D"),
    ("broadcast_tensors", lambda m: m.broadcast_tensors(m.zeros(2, 3), m.zeros(4)), RuntimeError,
     r"The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1"),
    ("broadcast_shapes", lambda m: m.broadcast_shapes((2, 1), (3, 3)), RuntimeError, "Attempting to broadcast a dimension of length 3"),
    ("meshgrid_2d", lambda m: m.meshgrid(m.zeros(2, 2), indexing="ij"), RuntimeError, "Expected 0D or 1D tensor"),
    ("meshgrid_dtype", lambda m: m.meshgrid(m.zeros(2), m.zeros(2, dtype=m.float64), indexing="ij"), RuntimeError, "same dtype"),
    ("meshgrid_indexing", lambda m: m.meshgrid(m.zeros(2), indexing="foo"), RuntimeError, 'indexing must be one of "xy" or "ij"'),
    ("meshgrid_empty", lambda m: m.meshgrid(indexing="ij"), RuntimeError, "non-empty TensorList"),
]


@pytest.mark.parametrize("fn,exc,match", [pytest.param(f, e, r, id=n) for n, f, e, r in ERRORS])
def test_errors(fn, exc, match):
    raises_like_torch(fn, exc, match)


def test_broadcast_shapes():
    assert ember.broadcast_shapes((2, 1), (3,), 1) == torch.broadcast_shapes((2, 1), (3,), 1)
    assert ember.broadcast_shapes() == torch.broadcast_shapes()
    assert isinstance(ember.broadcast_shapes((1,)), ember.Size)


def test_split_returns_tuples_of_right_count():
    x = ember.zeros(0, 3)
    assert len(x.chunk(3)) == len(torch.zeros(0, 3).chunk(3))
    assert len(ember.zeros(7).chunk(4)) == len(torch.zeros(7).chunk(4))
    assert [p.shape[0] for p in ember.zeros(5).tensor_split(ember.tensor(2))] == [3, 2]
