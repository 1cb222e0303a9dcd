"""Indexing against torch: x[key] (forward, gradient, views), x[key] = v, gather/scatter/index_*,
masked_*, nonzero, take/put, errors, and random keys from hypothesis."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

import ember
from tests.helpers import check_op, torch

pytestmark = [pytest.mark.filterwarnings("ignore:indexing with dtype torch.uint8"),
              pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")]


class NP:
    """A key item to pass as a NumPy array (not converted to a tensor)."""

    def __init__(self, arr):
        self.arr = np.asarray(arr)


def T(*a, dtype=np.int64):
    """A key item to pass as a tensor of ``lib``."""
    return np.asarray(a[0] if len(a) == 1 else a, dtype=dtype)


def conv(key, lib):
    """``key`` for ``lib``: NumPy arrays become lib tensors, NP(...) stays NumPy."""
    if isinstance(key, tuple):
        return tuple(conv(k, lib) for k in key)
    if isinstance(key, NP):
        return key.arr
    if isinstance(key, np.ndarray):
        return lib.from_numpy(key.copy())
    if isinstance(key, slice) and isinstance(key.start, np.ndarray):
        return slice(conv(key.start, lib), conv(key.stop, lib), key.step)
    return key


def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


MASK3 = np.array([True, False, True])
MASK34 = rand((3, 4), 1) > 0
MASK345 = rand((3, 4, 5), 2) > 0

GETITEM = [
    ((3, 4, 5), 0), ((3, 4, 5), -1), ((3, 4, 5), 2), ((3, 4, 5), slice(1, 3)),
    ((3, 4, 5), slice(None, None, 2)), ((3, 4, 5), slice(-2, None)), ((3, 4, 5), slice(5, 10)),
    ((3, 4, 5), (0, 1)), ((3, 4, 5), (0, 1, 2)), ((3, 4, 5), (-1, -2, -3)), ((3, 4, 5), (..., 1)),
    ((3, 4, 5), (1, ..., 2)), ((3, 4, 5), (..., 0, ...)), ((3, 4, 5), None), ((3, 4, 5), (None, 0, None)),
    ((3, 4, 5), (..., None)), ((3, 4, 5), (slice(None), None, 1)), ((3, 4, 5), ()),
    ((3, 4, 5), ...), ((3, 4, 5), (slice(1, None, 2), slice(None, 3), slice(None, None, 3))),
    ((3, 4, 5), np.int64(1)), ((3, 4, 5), T(1)), ((3, 4, 5), (slice(None), T(2))),
    ((3, 4, 5), T(1, dtype=np.int32)), ((3, 4, 5), slice(T(1), T(3))),
    # advanced
    ((3, 4, 5), [0, 2]), ((3, 4, 5), [0, 2, 0, 0]), ((3, 4, 5), T([[0, 1], [2, 2]])),
    ((3, 4, 5), NP([2, 0, 2])), ((3, 4, 5), [-1, -3]), ((3, 4, 5), (slice(None), [0, 3, 3])),
    ((3, 4, 5), (0, slice(None), [0, 1])), ((3, 4, 5), ([0, 1], slice(None), [1, 2])),
    ((3, 4, 5), ([0, 1], [1, 2])), ((3, 4, 5), (slice(None), [0, 1], [1, 2])),
    ((3, 4, 5), (None, [0, 1], None, [1, 2])), ((3, 4, 5), ([0, 1], 1, [1, 2])),
    ((3, 4, 5), (T([[0], [2]]), slice(None), T([1, 2, 4]))), ((3, 4, 5), (..., [4, 0])),
    ((3, 4, 5), ([1], ..., [0, 4])), ((3, 4, 5), (slice(1, None), [2, 2], slice(None, None, 2))),
    ((3, 4, 5), T([1, 0], dtype=np.int32)), ((3, 4, 5), []), ((3, 4, 5), (slice(None), [])),
    # masks and bools
    ((3, 4, 5), MASK3), ((3, 4, 5), MASK34), ((3, 4, 5), MASK345), ((3, 4, 5), NP(MASK3)),
    ((3, 4, 5), (slice(None), MASK34[0])), ((3, 4, 5), (MASK3, [0, 1])),
    ((3, 4, 5), (1, MASK34[0], [0, 1, 2, 3][:int(MASK34[0].sum())])),
    ((3, 4, 5), [True, False, True]), ((3, 4, 5), True), ((3, 4, 5), False),
    ((3, 4, 5), (slice(None), True)), ((3, 4, 5), (0, True)), ((3, 4, 5), T(True, dtype=bool)),
    ((3, 4, 5), ([0, 1], True, [1, 2])), ((3, 4, 5), ([0, 1], slice(None), True, [1, 2])),
    ((3, 4, 5), T([1, 0, 1], dtype=np.uint8)),
    # other shapes
    ((), None), ((), ...), ((), ()), ((), True), ((5,), slice(None, None, 2)), ((5,), [4, 4]),
    ((0, 3), slice(None)), ((0, 3), []), ((0, 3), (slice(None), 1)), ((2, 0), [1, 0]),
    ((4, 3), (slice(None, None, 2), [2, 0])),
]


@pytest.mark.parametrize("shape,key", GETITEM, ids=[str(i) for i in range(len(GETITEM))])
def test_getitem(shape, key):
    check_op(lambda m, x: x[conv(key, m)], [shape])


def test_getitem_noncontiguous_and_chained():
    check_op(lambda m, x: x[:, ::2][[1, 0], 1:], [(3, 6, 4)])
    check_op(lambda m, x: x[1:][..., [0, 0, 2]][0], [(3, 4, 5)])


def test_getitem_int_dtypes():
    for dtype in ("int64", "int32", "uint8", "bool", "float64"):
        check_op(lambda m, x: x[[1, 1], ::2], [(3, 4)], dtype=dtype)


# -- views -----------------------------------------------------------------------------------
@pytest.mark.parametrize("key", [0, (slice(1, 3), 2), (..., None), (), slice(None, None, 2), (0, 1)])
def test_basic_index_is_a_view(key):
    x = ember.from_numpy(np.arange(24.0, dtype=np.float32).reshape(2, 3, 4))
    v = x[key]
    assert v._base is x and np.shares_memory(np.asarray(v), np.asarray(x))
    v.copy_(ember.full(v.shape, 100.0))
    expect = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    expect[key] = 100
    np.testing.assert_array_equal(np.asarray(x), expect)
    v[...] = -1.0
    expect[key] = -1
    np.testing.assert_array_equal(np.asarray(x), expect)
    assert x._version == v._version == 2


def test_advanced_index_copies():
    x = ember.from_numpy(np.arange(6.0).reshape(2, 3))
    v = x[[0, 1]]
    v[0] = 7.0
    np.testing.assert_array_equal(np.asarray(x), np.arange(6.0).reshape(2, 3))
    assert v._base is None


def test_setitem_through_view_changes_base_and_gradient():
    def fn(m, x, w):
        y = x * 1
        row = y[1]
        row[[0, 2]] = w[:2]
        row[1:3] = w[2:] * 3
        return y
    check_op(fn, [(3, 4), (4,)])


def test_inplace_on_view_of_view_rebases():
    def fn(m, x):
        y = x * 2
        y[1:][:, 0].copy_(x[0] * x[2, 1])
        return y
    check_op(fn, [(3, 2)])


# -- setitem ---------------------------------------------------------------------------------
SETITEM = [
    ((3, 4), 0, ()), ((3, 4), 0, (4,)), ((3, 4), (slice(None), 1), (3,)), ((3, 4), (1, 2), ()),
    ((3, 4), slice(None, None, 2), (1, 4)), ((3, 4), [0, 2], (2, 4)), ((3, 4), [0, 2], (4,)),
    ((3, 4), [2, 2], (4,)), ((3, 4), ([0, 1], [1, 3]), (2,)), ((3, 4), MASK34, ()),
    ((3, 4), MASK34, (int(MASK34.sum()),)), ((3, 4), (slice(None), [3, 0]), (3, 1)),
    ((3, 4), ..., (4,)), ((3, 4), None, (3, 4)), ((3, 4), 0, (1, 1, 4)), ((3, 4), [0, 1], (1, 2, 4)),
    ((2, 3, 4), (0, slice(None), [0, 1]), (3, 2)), ((2, 3, 4), ([0, 1], slice(None), [1, 2]), (2, 3)),
    ((2, 3, 4), (MASK3[:2], 1), (4,)), ((2, 3, 4), True, (2, 3, 4)), ((3, 4), T(2), (4,)),
    ((), (), ()), ((3, 4), [], ()),
]


@pytest.mark.parametrize("shape,key,vshape", SETITEM, ids=[str(i) for i in range(len(SETITEM))])
def test_setitem_tensor_value_and_gradient(shape, key, vshape):
    def fn(m, x, v, w):
        y = x * 1
        y[conv(key, m)] = v
        return y * w
    # with a repeated index only one write lands; torch's value gradient counts every repeat
    repeats = isinstance(key, list) and len(set(key)) < len(key)
    check_op(fn, [shape, vshape, shape], gradcheck=not repeats)


@pytest.mark.parametrize("shape,key,vshape", SETITEM[:12], ids=[str(i) for i in range(12)])
def test_setitem_scalar_and_no_grad(shape, key, vshape):
    def fn(m, x):
        y = x.detach().clone()
        y[conv(key, m)] = 2.5
        return y
    check_op(fn, [shape], grad=False)


def test_setitem_casts_value_and_bumps_version():
    for lib in (torch, ember):
        x = lib.zeros(2, 3, dtype=lib.int64)
        x[0] = 2.7
        x[1] = lib.from_numpy(np.array([1.2, -3.9, 5.5]))
        assert x.tolist() == [[2, 2, 2], [1, -3, 5]] and x._version == 2
        f = lib.zeros(3)
        f[1:] = lib.from_numpy(np.array([1.5, 2.5]))
        f[lib.from_numpy(np.array([True, False, False]))] = lib.from_numpy(np.array(-1.0))
        assert f.dtype == lib.float32 and f.tolist() == [-1.0, 1.5, 2.5]
        with pytest.raises(RuntimeError, match="Index put requires the source and destination dtypes match"):
            f[[0, 1]] = lib.from_numpy(np.array([1.5, 2.5]))


def test_setitem_value_grad_only():
    def fn(m, v):
        y = m.zeros(3, 4, dtype=v.dtype)
        y[1:, [0, 2]] = v
        y[0] = v[0, :1]
        return y
    check_op(fn, [(2, 2)])


@pytest.mark.parametrize("key", [0, (0, 1), None, ..., (), slice(1, 2), (1, None), (slice(1, 3), slice(None)),
                                 (0, slice(0, 9)), slice(None, None, 2), [0], MASK3, (0, [1, 1]), True])
def test_grad_fn_names(key):
    names = [type(x[conv(key, lib)].grad_fn).__name__ if lib is torch else x[conv(key, lib)].grad_fn.name()
             for lib, x in ((lib, lib.ones(3, 4, requires_grad=True) * 1) for lib in (torch, ember))]
    assert names[0] == names[1]


def test_out_arguments():
    for lib in (torch, ember):
        x = lib.from_numpy(rand((3, 4)))
        out = lib.empty(0)
        assert lib.gather(x, 1, lib.from_numpy(IDX_T), out=out) is out and out.shape == (3, 2)
        assert lib.index_select(x, 0, lib.from_numpy(np.array([2, 0])), out=out) is out
        assert out.shape == (2, 4) and out.tolist() == x[[2, 0]].tolist()


def test_setitem_value_grad_cast_dtype():
    def fn(m, x, v):
        y = x * 1
        y[1:] = v.double()
        return y
    check_op(fn, [(3, 2), (2,)], gradcheck=False)


def test_setitem_leaf_and_saved_tensor_errors():
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x[0] = 2.0
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x[[0]] = 2.0
    with ember.no_grad():
        x[0] = 5.0
    assert x.tolist() == [5.0, 1.0, 1.0] and x._version == 1
    y = x.exp()
    y[0] = 1.0  # exp saved its output: backward must refuse
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        ember.autograd.backward([y], [ember.ones(3)])


# -- errors ----------------------------------------------------------------------------------
ERRORS = [
    ((3, 4), 5, IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    ((3, 4), -4, IndexError, "index -4 is out of bounds for dimension 0 with size 3"),
    ((3, 4), (0, 7), IndexError, "index 7 is out of bounds for dimension 1 with size 4"),
    ((3, 4), [0, 5], IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    ((3, 4), (slice(None), T([0, -5])), IndexError, "index -5 is out of bounds for dimension"),
    ((3, 4), T(9), IndexError, "index 9 is out of bounds for dimension 0 with size 3"),
    ((), 0, IndexError, r"invalid index of a 0-dim tensor. Use `tensor.item\(\)`"),
    ((), T([0]), IndexError, "too many indices for tensor of dimension 0"),
    ((3, 4), (0, 0, 0), IndexError, "too many indices for tensor of dimension 2"),
    ((3, 4), slice(None, None, -1), ValueError, "step must be greater than zero"),
    ((3, 4), slice(None, None, 0), ValueError, "slice step cannot be zero"),
    ((3, 4), 1.5, IndexError, r"only integers, slices .* \(got float\)"),
    ((3, 4), T([1.0], dtype=np.float32), IndexError, "tensors used as indices must be long, int, byte or bool"),
    ((3, 4), T([1], dtype=np.int16), IndexError, "tensors used as indices must be long, int, byte or bool"),
    ((3, 4), MASK3[:2], IndexError, r"shape of the mask \[2\] at index 0 does not match the shape of the "
                                    r"indexed tensor \[3, 4\] at index 0"),
    ((3, 4), (slice(None), MASK3), IndexError, r"mask \[3\] at index 0 .* \[3, 4\] at index 1"),
    ((3, 4), ([0, 1], [0, 1, 2]), IndexError, r"could not be broadcast together with shapes \[2\], \[3\]"),
]


@pytest.mark.parametrize("shape,key,exc,match", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_getitem_errors(shape, key, exc, match):
    with pytest.raises(exc):
        torch.zeros(shape)[conv(key, torch)]
    with pytest.raises(exc, match=match):
        ember.zeros(shape)[conv(key, ember)]


SET_ERRORS = [
    (0, ember.ones(3), RuntimeError, r"value tensor of shape \[3\] cannot be broadcast to indexing "
                                     r"result of shape \[4\]"),
    ([0, 1], ember.ones(3), RuntimeError, r"shape \[3\] cannot be broadcast to indexing result of shape \[2, 4\]"),
    (0, [1.0, 2.0], TypeError, "can't assign a list to a ember.FloatTensor"),
    (0, np.ones(4), TypeError, "can't assign a numpy.ndarray"),
    (0, 1j, RuntimeError, "value cannot be converted to type"),
    (slice(None, None, -1), 1.0, ValueError, "step must be greater than zero"),
    (7, 1.0, IndexError, "index 7 is out of bounds for dimension 0 with size 3"),
]


@pytest.mark.parametrize("key,value,exc,match", SET_ERRORS, ids=[str(i) for i in range(len(SET_ERRORS))])
def test_setitem_errors(key, value, exc, match):
    x = ember.zeros(3, 4)
    with pytest.raises(exc, match=match):
        x[key] = value
    assert x._version == 0


def test_setitem_integer_overflow():
    with pytest.raises(RuntimeError, match="cannot be converted to type ember.uint8"):
        ember.zeros(3, dtype=ember.uint8)[0] = 300


# -- gather / scatter ------------------------------------------------------------------------
IDX = np.array([[0, 2, 2, 1], [1, 1, 0, 0]])            # duplicates in every column
IDX_T = np.array([[0, 2], [3, 3], [1, 0]])            # for dim=1 of (3, 4)
PERM = np.array([[0, 1, 2, 0], [2, 0, 1, 1]])  # scatter dim 0 on (3, 4): unique per column


@pytest.mark.parametrize("case", [
    lambda m, x, i: x.gather(0, i), lambda m, x, i: m.gather(x, -2, i),
    lambda m, x, i: x.gather(0, i[:1, :2]), lambda m, x, i: x.gather(0, i.int()),
    lambda m, x, i: m.gather(x, 0, i, out=m.empty(0)) if not x.requires_grad else x.gather(0, i),
])
def test_gather(case):
    check_op(case, arrays=[rand((3, 4)), IDX])


def test_gather_dim1_and_edge_shapes():
    check_op(lambda m, x, i: x.gather(1, i), arrays=[rand((3, 4)), IDX_T])
    check_op(lambda m, x, i: x.gather(0, i), arrays=[rand(()), np.array(0)])
    check_op(lambda m, x, i: x.gather(0, i), arrays=[rand((3,)), np.array(2)])
    check_op(lambda m, x, i: x.gather(1, i), arrays=[rand((3, 4)), np.zeros((3, 0), np.int64)])
    check_op(lambda m, x, i: x.gather(2, i), arrays=[rand((2, 3, 4)), np.array([[[3, 0]], [[1, 1]]])])


SCATTER = [
    lambda m, x, s, i: x.scatter(0, i, s), lambda m, x, s, i: x.scatter(0, i, 1.5),
    lambda m, x, s, i: m.scatter(x, 0, i, value=-2.0), lambda m, x, s, i: x.scatter_add(0, i, s),
    lambda m, x, s, i: (x * 1).scatter_(0, i, s), lambda m, x, s, i: (x * 1).scatter_add_(0, i, s * 2),
    lambda m, x, s, i: x.scatter(0, i.int(), s),
]
SCATTER_CUT = [  # index smaller than src: src is cut to it (torch's own backward rejects these)
    lambda m, x, s, i: x.scatter(0, i[:, :2], s), lambda m, x, s, i: m.scatter_add(x, 0, i[:1], s),
]


@pytest.mark.parametrize("case", SCATTER + SCATTER_CUT)
def test_scatter(case):
    idx = IDX if "add" in case.__code__.co_names else PERM
    if case in SCATTER:
        check_op(case, arrays=[rand((3, 4)), rand((2, 4), 1), idx])
    check_op(case, arrays=[rand((3, 4)), rand((2, 5), 1), idx], grad=False)


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce(reduce, include_self):
    check_op(lambda m, x, s, i: x.scatter_reduce(0, i, s, reduce, include_self=include_self),
             arrays=[rand((3, 4)), rand((2, 4), 1), IDX], rtol=1e-3)
    check_op(lambda m, x, s, i: (x * 1).scatter_reduce_(1, i, s, reduce, include_self=include_self),
             arrays=[rand((3, 4)), rand((3, 2), 1), IDX_T], rtol=1e-3)


def test_scatter_reduce_ties_zeros_and_ints():
    x = np.array([[1.0, 5.0, 2.0], [0.0, 3.0, 3.0]], np.float32)
    s = np.array([[5.0, 4.0, 5.0], [3.0, 0.0, 3.0]], np.float32)
    i = np.array([[0, 0, 1], [1, 1, 1]])
    for reduce in ("amax", "amin", "prod", "mean"):
        for inc in (True, False):
            check_op(lambda m, x, s, i: x.scatter_reduce(1, i, s, reduce, include_self=inc),
                     arrays=[x, s, i], gradcheck=False)
    check_op(lambda m, x, s, i: x.scatter_reduce(0, i, s, "mean", include_self=False),
             arrays=[np.array([0, 0, 7]), np.array([-3, -4, 5]), np.array([0, 0, 1])])
    check_op(lambda m, x, s, i: x.scatter_reduce(0, i, s, "amax"),
             arrays=[np.array([0, 9, 7]), np.array([-3, -4, 5]), np.array([0, 0, 1])])


def test_scatter_legacy_reduce():
    for reduce in ("add", "multiply"):
        check_op(lambda m, x, s, i: x.scatter(0, i, s, reduce=reduce), arrays=[rand((3, 4)), rand((2, 4), 1), IDX],
                 grad=False)
    x = ember.ones(3, 4, requires_grad=True)
    y = x.scatter(0, ember.from_numpy(IDX), 2.0, reduce="add")
    with pytest.raises(RuntimeError, match="derivative for aten::scatter is not implemented"):
        ember.autograd.backward([y], [ember.ones(3, 4)])


# -- index_* ---------------------------------------------------------------------------------
@pytest.mark.parametrize("case", [
    lambda m, x, s, i: x.index_select(0, i), lambda m, x, s, i: m.index_select(x, -1, i),
    lambda m, x, s, i: x.index_select(1, i[0]), lambda m, x, s, i: x.index_select(0, i.int()),
    lambda m, x, s, i: x.index_add(0, i, s), lambda m, x, s, i: x.index_add(0, i, s, alpha=-2.5),
    lambda m, x, s, i: (x * 1).index_add_(0, i, s), lambda m, x, s, i: x.index_add(0, i.int(), s),
    lambda m, x, s, i: x.index_copy(0, i[1:], s[1:]), lambda m, x, s, i: (x + 0).index_copy_(0, i[1:], s[1:]),
    lambda m, x, s, i: x.index_fill(0, i, -1.0), lambda m, x, s, i: x.index_fill(1, i, s[0, 0]),
    lambda m, x, s, i: (x * 1).index_fill_(-1, i, s[1, 1]),
])
def test_index_family(case):
    check_op(case, arrays=[rand((4, 3)), rand((3, 3), 1), np.array([2, 0, 2])])


def test_index_family_edge_shapes():
    check_op(lambda m, x, i: x.index_select(0, i), arrays=[rand((3, 2)), np.array(1)])
    check_op(lambda m, x, i: x.index_select(0, i), arrays=[rand(()), np.array([0])])
    check_op(lambda m, x, i: x.index_select(0, i), arrays=[rand((3, 2)), np.zeros(0, np.int64)])
    check_op(lambda m, x, s, i: x.index_add(1, i, s), arrays=[rand((2, 3)), rand((2, 4), 1),
                                                         np.array([0, 0, 0, 2])])
    check_op(lambda m, x, s, i: x.index_add(0, i, s, alpha=3), arrays=[np.arange(4), np.array([2, 5]),
                                                                  np.array([0, 0])])


@pytest.mark.parametrize("accumulate", [False, True])
def test_index_put(accumulate):
    def fn(m, x, v, i, j):
        return x.index_put((i, j), v, accumulate=accumulate)
    check_op(fn, arrays=[rand((3, 4)), rand((2,), 1), np.array([0, 2]), np.array([3, 1])])
    check_op(lambda m, x, v, i: (x * 1).index_put_((i,), v, accumulate=accumulate),
             arrays=[rand((3, 4)), rand((4,), 1), np.array([0, 0, 2])] if accumulate else
             [rand((3, 4)), rand((4,), 1), np.array([0, 2])])
    check_op(lambda m, x, v, i: x.index_put([i], v, accumulate=accumulate),
             arrays=[rand((3, 4)), rand((), 1), MASK34])


# -- masked_* --------------------------------------------------------------------------------
@pytest.mark.parametrize("case", [
    lambda m, x, v, k: x.masked_fill(k, 2.0), lambda m, x, v, k: x.masked_fill(k, v),
    lambda m, x, v, k: x.masked_fill(k[0], v), lambda m, x, v, k: x[0].masked_fill(k, v),
    lambda m, x, v, k: (x * 1).masked_fill_(k, v), lambda m, x, v, k: (x * 1).masked_fill_(k[1], -1),
    lambda m, x, v, k: x.masked_select(k), lambda m, x, v, k: x.masked_select(k[0]),
    lambda m, x, v, k: x[0].masked_select(k), lambda m, x, v, k: x.masked_scatter(k, x * 3),
    lambda m, x, v, k: x[0].masked_scatter(k, x), lambda m, x, v, k: (x * 1).masked_scatter_(k[2], x * 2),
])
def test_masked(case):
    check_op(case, arrays=[rand((3, 4)), rand((), 1), MASK34])


def test_masked_select_out():
    check_op(lambda m, x, k: m.masked_select(x, k, out=m.empty(0)), arrays=[rand((3, 4)), MASK34],
             grad=False)


def test_masked_int_and_zero_dim():
    check_op(lambda m, x, k: x.masked_fill(k, 1.7), arrays=[np.arange(12).reshape(3, 4), MASK34])
    check_op(lambda m, x, k: x.masked_select(k), arrays=[rand(()), np.array(True)])
    check_op(lambda m, x, k: x.masked_select(k), arrays=[rand(()), MASK3])
    check_op(lambda m, x, k: x.masked_fill(k, 0.0), arrays=[rand((4,)), MASK34])


# -- nonzero / take / put --------------------------------------------------------------------
@pytest.mark.parametrize("arr", [MASK345, MASK3, np.array(5.0), np.array(0.0), np.zeros((2, 0)),
                                 np.array([0, 3, 0, -1])])
def test_nonzero(arr):
    check_op(lambda m, x: x.nonzero(), arrays=[arr], grad=False)
    check_op(lambda m, x: m.nonzero(x, as_tuple=True), arrays=[arr], grad=False)
    check_op(lambda m, x: m.argwhere(x), arrays=[arr], grad=False)
    check_op(lambda m, x: m.nonzero(x, out=m.empty(0, dtype=m.int64)), arrays=[arr], grad=False)


@pytest.mark.parametrize("case", [
    lambda m, x, i: x.take(i), lambda m, x, i: m.take(x, i[:1]), lambda m, x, i: x[0].take(i[:, 1]),
    lambda m, x, i: m.take_along_dim(x, i[:1] * 0 + 11), lambda m, x, i: m.take_along_dim(x[1:], i[:1] * 0 + 7),
])
def test_take(case):
    check_op(case, arrays=[rand((3, 4)), np.array([[0, -1, 5, 5], [11, 3, 0, -12]])])


def test_take_out():
    check_op(lambda m, x, i: m.take(x, i, out=m.empty(0)), arrays=[rand((3, 4)), np.array([1, -1, 1])],
             grad=False)


@pytest.mark.parametrize("case", [
    lambda m, x, i: m.take_along_dim(x, i, dim=1), lambda m, x, i: m.take_along_dim(x, i[:, :2], dim=1),
    lambda m, x, i: m.take_along_dim(x, i[:1], dim=0), lambda m, x, i: m.take_along_dim(x[:1], i, dim=-1),
])
def test_take_along_dim(case):
    check_op(case, arrays=[rand((3, 4)), np.array([[0, 2, 2, -1]] * 3)])


def test_take_along_dim_broadcast():
    check_op(lambda m, x, i: m.take_along_dim(x, i, dim=1), arrays=[rand((3, 4)), np.array([[1], [0], [3]])])
    check_op(lambda m, x, i: m.take_along_dim(x, i, dim=0), arrays=[rand((3, 1)), np.array([[0, 2, 1]])])


@pytest.mark.parametrize("accumulate", [False, True])
def test_put(accumulate):
    idx = np.array([[0, 11], [-1, 0]]) if accumulate else np.array([[0, 11], [5, 6]])
    check_op(lambda m, x, s, i: (x * 1).put_(i, s, accumulate=accumulate), arrays=[rand((3, 4)), rand((4,), 1), idx])
    check_op(lambda m, x, s, i: m.put(x, i, s, accumulate=accumulate), arrays=[rand((3, 4)), rand((2, 2), 1), idx])


# -- function errors -------------------------------------------------------------------------
X = ember.zeros(3, 4)
I = ember.from_numpy(np.array([[0, 1]]))
FUNC_ERRORS = [
    (lambda: X.gather(0, I.short()), RuntimeError, "gather.*Expected dtype int32/int64 for index"),
    (lambda: X.gather(0, I[0]), RuntimeError, "Index tensor must have the same number of dimensions as input"),
    (lambda: X.gather(0, ember.zeros(2, 5, dtype=ember.int64)), RuntimeError,
     r"Size does not match at dimension 0 expected index \[2, 5\] to be no larger than self \[3, 4\]"),
    (lambda: X.gather(0, I * 3), RuntimeError, "index 3 is out of bounds for dimension 0 with size 3"),
    (lambda: X.gather(1, I - 1), RuntimeError, "index -1 is out of bounds for dimension 1 with size 4"),
    (lambda: X.gather(2, I), IndexError, "Dimension out of range"),
    (lambda: X.gather(0, [[0]]), TypeError, "must be Tensor"),
    (lambda: X.scatter(0, I.float(), 1.0), RuntimeError, "scatter.*Expected dtype int32/int64 for index"),
    (lambda: X.scatter(0, I, ember.ones(1, 2, dtype=ember.float64)), RuntimeError,
     "Expected self.dtype to be equal to src.dtype"),
    (lambda: X.scatter(0, I, ember.ones(1, 1)), RuntimeError,
     r"Expected index \[1, 2\] to be no larger than self \[3, 4\] apart from dimension 0 and to be no "
     r"larger size than src \[1, 1\]"),
    (lambda: X.scatter(0, I[0], 1.0), RuntimeError, "same number of dimensions as self"),
    (lambda: X.scatter(0, I + 2, 1.0), RuntimeError, "index 3 is out of bounds for dimension 0 with size 3"),
    (lambda: X.scatter(0, I, 1.0, reduce="mean"), RuntimeError, "reduce argument must be either add or multiply"),
    (lambda: X.scatter_reduce(0, I, X, "max"), RuntimeError, "reduce argument must be either sum, prod, mean"),
    (lambda: X.scatter_add(0, I, ember.ones(1, 2, dtype=ember.float64)), RuntimeError, "src.dtype"),
    (lambda: X.index_select(0, I[0].short()), RuntimeError, "index_select.*Expected dtype int32 or int64"),
    (lambda: X.index_select(0, I), IndexError, "Index is supposed to be a vector"),
    (lambda: X.index_select(1, I[0] + 3), IndexError, "index 4 is out of bounds for dimension 1 with size 4"),
    (lambda: X.index_add(0, I[0], ember.ones(2, 4, dtype=ember.float64)), RuntimeError,
     r"index_add_\(\): self \(Float\) and source \(Double\) must have the same scalar type"),
    (lambda: X.index_add(0, I[0], ember.ones(3, 4)), RuntimeError,
     r"Number of indices \(2\) should be equal to source.size\(dim\): \(3\)"),
    (lambda: X.index_add(0, I[0], ember.ones(2, 3)), RuntimeError, "source tensor shape must match self"),
    (lambda: X.index_add(0, I[0].byte(), ember.ones(2, 4)), RuntimeError,
     "Expected dtype int32/int64 for index but got: Byte"),
    (lambda: X.index_add(0, I[0] - 2, ember.ones(2, 4)), RuntimeError, "index -2 is out of bounds"),
    (lambda: X.index_copy(0, I[0].int(), ember.ones(2, 4)), RuntimeError, "Expected a long tensor for index"),
    (lambda: X.index_copy(0, I[0], ember.ones(2, 4).double()), RuntimeError,
     r"self and source expected to have the same dtype, but got \(self\) Float and \(source\) Double"),
    (lambda: X.index_copy(0, I[0] + 2, ember.ones(2, 4)), IndexError, "index 3 is out of bounds"),
    (lambda: X.index_fill(0, I[0].int(), 1.0), IndexError, "Expected dtype int64 for index"),
    (lambda: X.index_fill(0, I[0], ember.ones(1)), RuntimeError, "only supports a 0-dimensional value tensor"),
    (lambda: X.index_put((I[0],), ember.ones(()).double()), RuntimeError,
     "Index put requires the source and destination dtypes match"),
    (lambda: X.index_put((None,), ember.ones(())), TypeError, "expected Tensor as element 0"),
    (lambda: X.index_put((I[0],), 1.0), TypeError, "argument 'values' must be Tensor"),
    (lambda: X.masked_fill(ember.ones(3, 4), 1.0), RuntimeError, "only supports boolean masks"),
    (lambda: X.masked_fill(ember.ones(3, 4, dtype=ember.bool), ember.ones(2)), RuntimeError,
     r"only supports a 0-dimensional value tensor, but got tensor with 1 dimension\(s\)"),
    (lambda: X.masked_fill(ember.ones(3, dtype=ember.bool), 1.0), RuntimeError,  # mask is a
     r"The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1"),
    (lambda: ember.ones(4).masked_fill_(ember.ones(3, 4, dtype=ember.bool), 1.0), RuntimeError,
     r"output with shape \[4\] doesn't match the broadcast shape \[3, 4\]"),
    (lambda: X.masked_select(ember.ones(3, 4)), RuntimeError, "expected BoolTensor for mask"),
    (lambda: X.masked_scatter(ember.ones(3, 4, dtype=ember.bool), ember.ones(3)), RuntimeError,
     "Number of elements of source < number of ones in mask"),
    (lambda: X.masked_scatter(ember.ones(3, 4, dtype=ember.bool), ember.ones(12, dtype=ember.int64)),
     RuntimeError, "expected self and source to have same dtypes"),
    (lambda: X.take(I.int()), RuntimeError, "take.*Expected a long tensor for index"),
    (lambda: X.take(I + 11), IndexError, "out of range: tried to access index 12 on a tensor of 12 elements"),
    (lambda: X.take(I - 13), IndexError, "tried to access index -13"),
    (lambda: ember.take_along_dim(X, I[0], 1), RuntimeError, "should have the same number of dimensions"),
    (lambda: ember.take_along_dim(X, I.int(), 1), RuntimeError, "dtype of indices should be Long"),
    (lambda: ember.take_along_dim(X, ember.zeros(2, 1, dtype=ember.int64), 1), RuntimeError,
     r"The size of tensor a \(3\) must match the size of tensor b \(2\)"),
    (lambda: X.clone().put_(I[0], ember.ones(3)), IndexError, "Expected source and index to have the same number"),
    (lambda: X.clone().put_(I[0], ember.ones(2).double()), RuntimeError, "same dtype"),
    (lambda: X.clone().put_(I[0] + 20, ember.ones(2)), IndexError, "tried to access index 21"),
]


@pytest.mark.parametrize("fn,exc,match", FUNC_ERRORS, ids=[str(i) for i in range(len(FUNC_ERRORS))])
def test_function_errors(fn, exc, match):
    with pytest.raises(exc, match=match):
        fn()


# -- random keys -----------------------------------------------------------------------------
@st.composite
def shapes_and_keys(draw):
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=4)))
    arr_shape = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    items, dim = [], 0
    ellipsis_at = draw(st.integers(-1, len(shape)))
    while dim < len(shape):
        if dim == ellipsis_at and not any(i is Ellipsis for i in items):
            items.append(Ellipsis)
            break
        n = shape[dim]
        kind = draw(st.sampled_from(["int", "slice", "none", "array", "skip"]))
        if kind == "int":
            items.append(draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            items.append(slice(draw(st.none() | st.integers(-n - 1, n + 1)),
                               draw(st.none() | st.integers(-n - 1, n + 1)),
                               draw(st.none() | st.integers(1, 3))))
        elif kind == "none":
            items.append(None)
            continue
        elif kind == "array":
            items.append(np.asarray(draw(st.lists(st.integers(-n, n - 1), min_size=int(np.prod(arr_shape)),
                                                  max_size=int(np.prod(arr_shape))))).reshape(arr_shape))
        else:
            break
        dim += 1
    if draw(st.booleans()):
        items.append(None)
    return shape, tuple(items)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shapes_and_keys())
def test_random_keys_match_torch(case):
    shape, key = case
    check_op(lambda m, x: x[conv(key, m)], [shape], gradcheck=False)

    def put(m, x, v):
        y = x * 1
        y[conv(key, m)] = v
        return y
    region = torch.zeros(shape)[conv(key, torch)].shape
    check_op(put, [shape, region[-1:]], gradcheck=False)
