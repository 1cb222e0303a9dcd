"""Sorting, selection, unique and searching against torch: values, indices, gradients, errors."""
import numpy as np
import pytest

import ember
from tests.helpers import check_op, assert_close, raises_like_torch, torch

SHAPE_DIMS = [((), 0), ((), -1), ((6,), 0), ((3, 5), 1), ((3, 5), 0), ((2, 3, 4), -2),
              ((0, 3), 0), ((3, 0), 1), ((0, 3), 1)]

# ties, repeated NaNs and signed zeros: a stable sort gives torch's order for all of them
TIED = np.array([[2.0, 1.0, 2.0, np.nan, 1.0, -0.0, 0.0, np.nan, 3.0, 1.0],
                 [5.0, 5.0, 5.0, 5.0, 4.0, 4.0, 6.0, 6.0, 6.0, 4.0]], np.float32)


@pytest.mark.parametrize("shape,dim", SHAPE_DIMS)
@pytest.mark.parametrize("descending", [False, True])
def test_sort(shape, dim, descending):
    check_op(lambda m, a: tuple(m.sort(a, dim=dim, descending=descending, stable=True)), [shape])
    check_op(lambda m, a: m.argsort(a, dim=dim, descending=descending, stable=True), [shape])


@pytest.mark.parametrize("descending", [False, True])
def test_stable_sort_of_ties_and_nan(descending):
    for dim in (0, 1):
        check_op(lambda m, a: tuple(m.sort(a, dim=dim, descending=descending, stable=True)),
                 arrays=[TIED], gradcheck=False)


@pytest.mark.parametrize("dtype", ["int64", "int8", "uint8", "bool"])
def test_sort_integers(dtype):
    check_op(lambda m, a: tuple(a.sort(dim=1, descending=True, stable=True)), [(3, 7)], dtype=dtype,
             low=0, high=4)
    check_op(lambda m, a: m.argsort(a, dim=0, stable=True), [(3, 7)], dtype=dtype, low=0, high=4)


def test_default_sort_and_msort():
    check_op(lambda m, a: tuple(a.sort()), [(3, 5)])
    check_op(lambda m, a: tuple(m.sort(a, 0, True)), [(3, 5)])
    check_op(lambda m, a: m.msort(a), [(4, 3)])
    check_op(lambda m, a: m.argsort(a, 0, True), [(4, 3)])


@pytest.mark.parametrize("shape,dim,k", [((6,), 0, 3), ((3, 5), 1, 2), ((3, 5), 0, 3), ((3, 5), -1, 5),
                                         ((3, 5), 1, 0), ((), 0, 1), ((2, 3, 4), 1, 1), ((0, 4), 1, 2)])
@pytest.mark.parametrize("largest", [True, False])
def test_topk(shape, dim, k, largest):
    check_op(lambda m, a: tuple(m.topk(a, k, dim, largest=largest)), [shape])
    check_op(lambda m, a: tuple(a.topk(k, dim=dim, largest=largest, sorted=True)), [shape])


def test_topk_of_ties_picks_the_tied_values():
    r = ember.topk(ember.from_numpy(TIED[1].copy()), 4)
    assert_close(r.values, torch.topk(torch.from_numpy(TIED[1].copy()), 4).values)
    assert (TIED[1][r.indices.numpy()] == r.values.numpy()).all()


@pytest.mark.parametrize("shape,dim,k", [((6,), 0, 1), ((6,), 0, 6), ((3, 5), 1, 3), ((3, 5), 0, 2),
                                         ((), 0, 1), ((2, 3, 4), -1, 2)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_kthvalue(shape, dim, k, keepdim):
    check_op(lambda m, a: tuple(m.kthvalue(a, k, dim, keepdim)), [shape])


def test_kthvalue_default_dim_and_ties():
    check_op(lambda m, a: tuple(a.kthvalue(2)), [(3, 5)])
    r = ember.kthvalue(ember.from_numpy(TIED[1].copy()), 5)
    assert r.values.item() == 5.0 and TIED[1][r.indices.item()] == 5.0


@pytest.mark.parametrize("arr", [
    [3, 1, 2, 1, 3, 3], [[1, 2], [1, 2], [0, 5]], [], 7, [2.0, np.nan, 1.0, np.nan, 2.0],
    [True, False, True],
])
@pytest.mark.parametrize("flags", [(False, False), (True, False), (False, True), (True, True)])
def test_unique(arr, flags):
    a = np.array(arr)
    if a.dtype == np.float64:
        a = a.astype(np.float32)
    inv, cnt = flags
    # torch marks unique's output as requiring grad but has no derivative: compare values only
    fn = lambda m, x: m.unique(x, return_inverse=inv, return_counts=cnt)  # noqa: E731
    check_op(fn, arrays=[a], grad=False)
    check_op(lambda m, x: m.unique_consecutive(x, return_inverse=inv, return_counts=cnt), arrays=[a],
             grad=False)
    check_op(lambda m, x: x.unique(sorted=False, return_inverse=inv), arrays=[a], grad=False)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_unique_along_dim(dim):
    a = np.array([[3, 1, 3, 1], [2, 2, 2, 2], [3, 1, 3, 1], [0, 9, 0, 9]])
    check_op(lambda m, x: m.unique(x, dim=dim, return_inverse=True, return_counts=True), arrays=[a])
    b = np.array([[1, 1, 2], [1, 1, 2], [0, 0, 2], [1, 1, 2]])
    check_op(lambda m, x: m.unique_consecutive(x, True, True, dim), arrays=[b])


@pytest.mark.parametrize("seq,values", [
    ([1, 3, 5, 7], [[0, 3], [6, 7]]), ([1.0, 3.0, 3.0, 5.0], [3.0, 3.5, -1.0, 9.0]),
    ([[1, 3, 5], [2, 4, 6]], [[0, 3, 5, 5], [6, 4, 1, 9]]),
    ([[[1.0, 2.0], [2.0, 2.0]]], [[[2.0], [2.0]]]), ([1, 3, 5], [[]]),
])
@pytest.mark.parametrize("right", [False, True])
def test_searchsorted(seq, values, right):
    s, v = np.array(seq), np.array(values, dtype=np.array(seq).dtype)
    check_op(lambda m, a, b: m.searchsorted(a, b, right=right), arrays=[s, v])
    check_op(lambda m, a, b: m.searchsorted(a, b, side="right" if right else "left", out_int32=True),
             arrays=[s, v])


def test_searchsorted_scalar_and_sorter():
    check_op(lambda m, a: m.searchsorted(a, 3), arrays=[np.array([1, 3, 5])])
    check_op(lambda m, a, s: m.searchsorted(a, m.tensor([3, 6]), sorter=s),
             arrays=[np.array([5, 3, 1, 7]), np.array([2, 1, 0, 3])])


@pytest.mark.parametrize("right", [False, True])
def test_bucketize(right):
    check_op(lambda m, x, b: m.bucketize(x, b, right=right),
             arrays=[np.array([[0, 3], [6, 5]]), np.array([1, 3, 5])])
    check_op(lambda m, b: m.bucketize(3, b, right=right, out_int32=True), arrays=[np.array([1, 3, 5])])


@pytest.mark.skipif(not hasattr(ember.Tensor, "transpose"), reason="needs transpose")
@pytest.mark.parametrize("fn", [
    lambda m, a: tuple(m.sort(a, dim=0, stable=True)), lambda m, a: tuple(a.topk(2, 1)),
    lambda m, a: tuple(a.kthvalue(2, 0)), lambda m, a: m.argsort(a, dim=1, descending=True, stable=True),
])
def test_noncontiguous(fn):
    check_op(fn, [(4, 3)], noncontiguous=True)


def test_sorted_values_share_gradient_once():
    x = ember.tensor([3.0, 1.0, 2.0], requires_grad=True)
    v = x.sort().values
    (v * ember.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [100.0, 1.0, 10.0]


@pytest.mark.parametrize("fn,exc,match", [
    (lambda m: m.ones(3, 4).topk(5, 1), RuntimeError, "selected index k out of range"),
    (lambda m: m.ones(3, 4).topk(-1, 1), RuntimeError, "selected index k out of range"),
    (lambda m: m.ones(3, 4).sort(2), IndexError, r"expected to be in range of \[-2, 1\], but got 2"),
    (lambda m: m.ones(3, 4).argsort(-3), IndexError, "but got -3"),
    (lambda m: m.unique(m.ones(2, 2), dim=2), IndexError, "but got 2"),
    (lambda m: m.searchsorted(m.tensor([1, 3]), m.tensor([1]), side="middle"), RuntimeError,
     "side can only be 'left' or 'right' but got middle"),
    (lambda m: m.searchsorted(m.tensor([1, 3]), m.tensor([1]), side="left", right=True), RuntimeError,
     "side and right can't be set to opposites"),
    (lambda m: m.searchsorted(m.tensor([[1, 3, 5], [2, 4, 6]]), m.tensor([[0, 3]])), RuntimeError,
     r"boundaries tensor \[2, 3\] and input value tensor \[1, 2\]"),
    (lambda m: m.searchsorted(m.tensor([[1, 3, 5]]), 3), RuntimeError, "can be a scalar only when"),
    (lambda m: m.bucketize(m.tensor([1]), m.tensor([[1, 3]])), RuntimeError,
     r"boundaries tensor must be 1 dimension, but got dim\(2\)"),
])
def test_errors(fn, exc, match):
    raises_like_torch(fn, exc, match)
