"""Reductions, statistics, cumulative ops and softmax against torch: values, dtypes, gradients,
edge cases (0-d, empty, ties, NaN) and torch's errors."""
import math
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
from tests.helpers import check_op, assert_close, grads_like_torch, raises_like_torch, torch

SHAPES = [(), (5,), (3, 4), (2, 3, 4), (0, 3), (3, 0)]


def _dims(shape):
    n = len(shape)
    dims = [None, 0, -1]
    if n >= 2:
        dims += [1, (0, -1), [-1, 0]]
    if n >= 3:
        dims += [(0, 2, 1), ()]
    return dims


CASES = [(s, d, k) for s in SHAPES for d in _dims(s) for k in (False, True)]


def _reduces_empty(shape, dim):
    """Does reducing ``shape`` over ``dim`` reduce an empty dim (or everything of an empty tensor)?"""
    if not shape:
        return False
    if dim is None or dim == ():
        return 0 in shape
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    return any(shape[d] == 0 for d in dims)


def _call(fn_name, dim, keepdim, **kw):
    """``lambda m, a: m.<fn>(a, [dim], [keepdim=...])``: dim None means no dim argument."""
    if dim is None:
        return lambda m, a: getattr(m, fn_name)(a, **kw)
    return lambda m, a: getattr(m, fn_name)(a, dim, keepdim=keepdim, **kw)


# -- sums, means, products ----------------------------------------------------------------------
@pytest.mark.parametrize("shape,dim,keepdim", CASES)
@pytest.mark.parametrize("name", ["sum", "mean", "nansum", "nanmean", "prod", "logsumexp"])
def test_sum_family(name, shape, dim, keepdim):
    if name == "prod" and isinstance(dim, (tuple, list)):
        return  # torch's prod takes one dim
    if name == "logsumexp" and dim in (None, ()):
        dim = tuple(range(len(shape)))  # torch's logsumexp needs dims (and fails on ())
    check_op(_call(name, dim, keepdim), [shape])


@pytest.mark.parametrize("name", ["sum", "mean", "nansum", "nanmean"])
def test_nan_family_with_nans(name):
    a = np.array([[1.0, np.nan, 2.0], [np.nan, np.nan, np.nan], [3.0, 4.0, 5.0]], np.float32)
    for dim in (None, 0, 1):
        check_op(_call(name, dim, False), arrays=[a], gradcheck=False)


@pytest.mark.parametrize("dtype", ["int64", "int32", "int8", "uint8", "bool"])
@pytest.mark.parametrize("name", ["sum", "nansum", "prod", "cumsum", "cumprod"])
def test_integer_results_are_int64(name, dtype):
    fn = (lambda m, a: getattr(m, name)(a, 1)) if name.startswith("cum") else \
        (lambda m, a: getattr(m, name)(a))
    check_op(fn, [(3, 4)], dtype=dtype, low=0, high=4)


@pytest.mark.parametrize("fn", [
    lambda m, a: m.sum(a, dtype=m.float64),
    lambda m, a: a.sum(1, keepdim=True, dtype=m.float64),
    lambda m, a: m.mean(a, 0, dtype=m.float64),
    lambda m, a: m.prod(a, 1, dtype=m.float64),
    lambda m, a: m.cumsum(a, 1, dtype=m.float64),
    lambda m, a: m.softmax(a, 1, dtype=m.float64),
    lambda m, a: m.log_softmax(a, 0, dtype=m.float64),
])
def test_dtype_argument_keeps_input_grad_dtype(fn):
    check_op(fn, [(3, 4)])


def test_integer_inputs_with_float_dtype():
    check_op(lambda m, a: m.mean(a, dtype=m.float64), [(3, 4)], dtype="int64", low=0, high=9)
    check_op(lambda m, a: m.softmax(a, 1, dtype=m.float32), [(3, 4)], dtype="int64", low=0, high=9)
    check_op(lambda m, a: m.logsumexp(a, 1), [(3, 4)], dtype="int64", low=0, high=9)


def test_float16_sum_and_mean():
    check_op(lambda m, a: (a.sum(0), a.mean(1)), [(30, 40)], dtype="float16", atol=1e-2, rtol=1e-2)


def test_numpy_spellings():
    check_op(lambda m, a: m.sum(a, axis=1, keepdims=True), [(3, 4)])
    check_op(lambda m, a: a.mean(axis=(0, 1)), [(3, 4)])


@pytest.mark.parametrize("arr", [
    [[0.0, 2.0, 3.0], [1.0, 2.0, 3.0]],
    [[0.0, 2.0, 0.0], [0.0, 5.0, 1.0]],
    [[0.0, 0.0, 0.0], [4.0, 0.0, 1.0]],
])
def test_prod_gradients_with_zeros(arr):
    a = np.array(arr, np.float32)
    for fn in (lambda m, x: m.prod(x), lambda m, x: m.prod(x, 1), lambda m, x: m.prod(x, 0, True)):
        check_op(fn, arrays=[a])


def test_logsumexp_is_stable():
    a = np.array([[1000.0, 1000.0, -1000.0], [-np.inf, 0.0, 1.0], [-np.inf, -np.inf, -np.inf]],
                 np.float32)
    check_op(lambda m, x: m.logsumexp(x, 1), arrays=[a], gradcheck=False)
    check_op(lambda m, x: m.logsumexp(x, 1), arrays=[a[:2]])


# -- max, min, amax, amin, argmax, argmin -----------------------------------------------------------
@pytest.mark.parametrize("shape,dim,keepdim", [c for c in CASES if not _reduces_empty(c[0], c[1])])
@pytest.mark.parametrize("name", ["amax", "amin"])
def test_amax_amin(name, shape, dim, keepdim):
    if dim is None:
        check_op(lambda m, a: getattr(m, name)(a), [shape])
    else:
        check_op(lambda m, a: getattr(m, name)(a, dim, keepdim), [shape])


@pytest.mark.parametrize("shape,dim,keepdim", [c for c in CASES if isinstance(c[1], (int, type(None)))
                                               and not _reduces_empty(c[0], c[1])])
@pytest.mark.parametrize("name", ["max", "min", "argmax", "argmin"])
def test_max_min_arg(name, shape, dim, keepdim):
    check_op(_call(name, dim, keepdim), [shape])


TIES = np.array([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0], [5.0, -1.0, 5.0, -1.0]], np.float32)


@pytest.mark.parametrize("fn", [
    lambda m, a: m.amax(a, 1), lambda m, a: m.amin(a, 1), lambda m, a: a.amax(),
    lambda m, a: a.amin((0, 1), keepdim=True), lambda m, a: a.max(), lambda m, a: a.min(),
    lambda m, a: m.median(a), lambda m, a: m.nanmedian(a),
])
def test_gradients_split_among_ties(fn):
    check_op(fn, arrays=[TIES], gradcheck=False)


@pytest.mark.parametrize("fn", [
    lambda m, a: m.max(a, 1), lambda m, a: m.min(a, 0, keepdim=True), lambda m, a: a.argmax(1),
    lambda m, a: a.argmin(0), lambda m, a: m.median(a, 1), lambda m, a: m.argmax(a),
])
def test_ties_pick_the_first_index(fn):
    check_op(fn, arrays=[TIES], gradcheck=False)


def test_nan_propagates_through_extremes():
    a = np.array([[1.0, np.nan, 3.0, np.nan], [1.0, 2.0, 3.0, 0.0]], np.float32)
    for fn in (lambda m, x: m.max(x, 1), lambda m, x: m.min(x, 1), lambda m, x: x.max(),
               lambda m, x: x.argmax(1), lambda m, x: x.argmin(), lambda m, x: m.median(x),
               lambda m, x: m.median(x, 1), lambda m, x: m.nanmedian(x, 1), lambda m, x: m.amax(x, 1),
               lambda m, x: m.nanmedian(x)):
        check_op(fn, arrays=[a], gradcheck=False)


def test_argmax_keepdim_without_dim():
    check_op(lambda m, a: m.argmax(a, keepdim=True), [(3, 4)])


def test_max_of_two_tensors_is_maximum():
    a = np.array([1.0, 2.0, 3.0], np.float32)
    b = np.array([3.0, 2.0, 1.0], np.float32)
    check_op(lambda m, x, y: m.max(x, y), arrays=[a, b], gradcheck=False)
    check_op(lambda m, x, y: x.min(y), arrays=[a, b], gradcheck=False)
    check_op(lambda m, x, y: m.max(x, y), [(2, 3), (3,)])


def test_aminmax():
    check_op(lambda m, a: tuple(m.aminmax(a)), [(3, 4)])
    check_op(lambda m, a: tuple(m.aminmax(a, dim=1, keepdim=True)), [(3, 4)])
    r = ember.aminmax(ember.tensor([[1.0, 5.0]]), dim=1)
    assert r.min.tolist() == [1.0] and r.max.tolist() == [5.0]


def test_return_types():
    r = ember.max(ember.tensor([[1.0, 5.0], [7.0, 2.0]]), 1)
    values, indices = r
    assert r.values is values and r.indices is indices
    assert indices.dtype is ember.int64 and indices.tolist() == [1, 0]
    assert isinstance(r, tuple) and type(r).__name__ == "max"
    assert repr(r).startswith("ember.return_types.max(\nvalues=tensor([5., 7.]")
    back = pickle.loads(pickle.dumps(r))
    assert type(back) is type(r) and back.values.tolist() == [5.0, 7.0]
    assert type(ember.sort(ember.ones(3))).__name__ == "sort"


# -- std, var --------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape,dim,keepdim", CASES)
@pytest.mark.parametrize("name", ["std", "var"])
def test_std_var(name, shape, dim, keepdim):
    if dim == ():
        return  # torch reduces everything forward but not in its backward
    warnings.filterwarnings("ignore", "(std|var)\\(\\): degrees of freedom")
    dims = range(len(shape)) if dim is None else dim if isinstance(dim, (tuple, list)) else [dim]
    n = math.prod(shape[d] for d in dims) if shape else 1
    # no degrees of freedom: NaN/inf results, which the finite-difference check cannot compare
    check_op(_call(name, dim, keepdim), [shape], gradcheck=n > 1)
    check_op(_call(name, dim, keepdim, correction=0), [shape], gradcheck=n > 0)


@pytest.mark.parametrize("fn", [
    lambda m, a: a.std(0, True), lambda m, a: a.std(True), lambda m, a: a.var(False),
    lambda m, a: a.std(0, False, True), lambda m, a: m.var(a, 1, unbiased=False),
    lambda m, a: m.std(a, dim=0, correction=2, keepdim=True), lambda m, a: m.var(a, correction=0.5),
    lambda m, a: m.std_mean(a, 0), lambda m, a: m.var_mean(a, (0, 1), correction=0, keepdim=True),
    lambda m, a: m.std_mean(a),
])
def test_std_var_overloads(fn):
    check_op(fn, [(3, 4)])


def test_std_of_constant_has_zero_gradient():
    check_op(lambda m, a: a.std(1), arrays=[np.ones((2, 3), np.float32)], gradcheck=False)


def test_dof_warning():
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        v = ember.var(ember.tensor([1.0]))
    assert math.isnan(v.item())


# -- norm ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [2, 1, math.inf, -math.inf, 0, 3, 0.5, "fro"])
@pytest.mark.parametrize("dim,keepdim", [(None, False), (1, False), (0, True), ((0, 1), False)])
def test_norm(p, dim, keepdim):
    if dim is None:
        check_op(lambda m, a: m.norm(a, p), [(3, 4)])
    else:
        check_op(lambda m, a: a.norm(p, dim, keepdim), [(3, 4)])


def test_norm_zeros_and_ties():
    z = np.zeros((2, 3), np.float32)
    for p in (2, 3, 0.5):
        check_op(lambda m, a: m.norm(a, p, 1), arrays=[z], gradcheck=False)
    ties = np.array([1.0, -2.0, 2.0], np.float32)
    check_op(lambda m, a: m.norm(a, math.inf), arrays=[ties], gradcheck=False)
    check_op(lambda m, a: m.norm(a, p=2, dim=0, keepdim=True, dtype=m.float64), [(3, 4)])


# -- cumulative ops --------------------------------------------------------------------------------
@pytest.mark.parametrize("shape,dim", [((), 0), ((), -1), ((5,), 0), ((3, 4), 1), ((3, 4), -2),
                                       ((2, 3, 4), 1), ((0, 3), 0), ((3, 0), 1)])
@pytest.mark.parametrize("name", ["cumsum", "cumprod", "cummax", "cummin", "softmax", "log_softmax"])
def test_along_one_dim(name, shape, dim):
    fn = (lambda m, a: tuple(getattr(m, name)(a, dim))) if name.startswith("cumm") else \
        (lambda m, a: getattr(m, name)(a, dim))
    check_op(fn, [shape])


@pytest.mark.parametrize("arr", [
    [2.0, 0.0, 3.0, 0.0, 4.0], [0.0, 2.0, 3.0, 4.0, 5.0], [2.0, 3.0, 4.0, 5.0, 0.0],
    [[1.0, 0.0, 2.0, 3.0], [0.0, 0.0, 1.0, 2.0], [1.5, 2.0, -1.0, 0.5]],
])
def test_cumprod_gradients_with_zeros(arr):
    a = np.array(arr, np.float32)
    check_op(lambda m, x: m.cumprod(x, -1), arrays=[a])
    if a.ndim == 2:
        check_op(lambda m, x: x.cumprod(0), arrays=[a])


def test_cummax_cummin_ties_and_nan():
    a = np.array([[1.0, 3.0, 3.0, 2.0, 3.0, 5.0], [4.0, np.nan, 1.0, np.nan, 7.0, 0.0]], np.float32)
    for fn in (lambda m, x: tuple(m.cummax(x, 1)), lambda m, x: tuple(m.cummin(x, 1))):
        check_op(fn, arrays=[a], gradcheck=False)
        check_op(fn, arrays=[a[:1]], gradcheck=False)


def test_inplace_cumulative():
    for name in ("cumsum_", "cumprod_"):
        t = torch.tensor([[1.0, 2.0, 0.0], [3.0, 4.0, 5.0]])
        e = ember.tensor(t.tolist())
        assert getattr(e, name)(1) is e
        assert_close(e, getattr(t, name)(1))


# -- softmax ---------------------------------------------------------------------------------------
def test_softmax_is_stable_and_masks():
    a = np.array([[1000.0, 999.0, -1000.0], [0.0, -np.inf, 1.0], [-1e4, -1e4, -1e4]], np.float32)
    for fn in (lambda m, x: m.softmax(x, 1), lambda m, x: x.log_softmax(-1),
               lambda m, x: m.softmax(x, 0)):
        check_op(fn, arrays=[a], gradcheck=False)


def test_softmax_all_masked_row_is_nan():
    a = np.array([[-np.inf, -np.inf], [0.0, 1.0]], np.float32)
    check_op(lambda m, x: m.softmax(x, 1), arrays=[a], gradcheck=False)


def test_softmax_is_importable_for_functional():
    from ember._ops.activation.softmax import softmax, log_softmax
    x = ember.tensor([[1.0, 2.0]])
    assert_close(softmax(x, 1), torch.softmax(torch.tensor([[1.0, 2.0]]), 1))
    assert_close(log_softmax(x, 1, dtype=ember.float64),
                 torch.log_softmax(torch.tensor([[1.0, 2.0]]), 1, dtype=torch.float64))


# -- all, any, count_nonzero -----------------------------------------------------------------------
@pytest.mark.parametrize("shape,dim,keepdim", CASES)
@pytest.mark.parametrize("name", ["all", "any"])
def test_all_any(name, shape, dim, keepdim):
    if isinstance(dim, list):
        dim = tuple(dim)
    for dtype in ("bool", "float32", "uint8"):
        check_op(_call(name, dim, keepdim), [shape], dtype=dtype, low=0, high=2)


@pytest.mark.parametrize("shape,dim", [((3, 4), None), ((3, 4), 0), ((3, 4), (0, 1)), ((2, 3, 4), (-1, 0)),
                                       ((), None), ((0, 3), 1)])
def test_count_nonzero(shape, dim):
    check_op(lambda m, a: m.count_nonzero(a, dim), [shape], dtype="int64", low=0, high=2)


# -- median, nanmedian, mode, quantile -------------------------------------------------------------
@pytest.mark.parametrize("shape,dim,keepdim", [c for c in CASES if isinstance(c[1], (int, type(None)))
                                               and not (c[1] is not None and _reduces_empty(c[0], c[1]))])
@pytest.mark.parametrize("name", ["median", "nanmedian"])
def test_median(name, shape, dim, keepdim):
    check_op(_call(name, dim, keepdim), [shape])


@pytest.mark.parametrize("dtype", ["int64", "uint8", "int16"])
def test_order_statistics_of_integers(dtype):
    for fn in (lambda m, a: m.median(a), lambda m, a: tuple(m.median(a, 1)),
               lambda m, a: tuple(m.kthvalue(a, 2, 0)), lambda m, a: tuple(m.cummax(a, 1)),
               lambda m, a: tuple(m.cummin(a, 0)), lambda m, a: m.amax(a, 1),
               lambda m, a: tuple(m.max(a, 0)), lambda m, a: m.argmin(a)):
        check_op(fn, [(3, 5)], dtype=dtype, low=0, high=50)


def test_mode():
    a = np.array([[3.0, 1.0, 3.0, 1.0, 2.0], [1.0, 1.0, 2.0, 2.0, 1.0], [4.0, 4.0, 4.0, 0.0, 9.0]],
                 np.float32)
    check_op(lambda m, x: tuple(m.mode(x)), arrays=[a], gradcheck=False)
    check_op(lambda m, x: tuple(m.mode(x, 0, keepdim=True)), arrays=[a[:, :3]], gradcheck=False)
    check_op(lambda m, x: tuple(m.mode(x, 0)), [()])
    rng = np.random.default_rng(3)
    big = rng.integers(0, 6, size=(4, 50)).astype(np.float32)
    r = ember.mode(ember.from_numpy(big), 1)
    assert_close(r.values, torch.mode(torch.from_numpy(big), 1).values)
    assert (np.take_along_axis(big, r.indices.numpy()[:, None], 1)[:, 0] == r.values.numpy()).all()


QUANTILE_CASES = [
    dict(q=0.3), dict(q=0.5, dim=1), dict(q=0.0, dim=0, keepdim=True), dict(q=1.0, dim=-1),
    dict(q=[0.1, 0.5, 0.9], dim=1), dict(q=[0.25, 0.75]), dict(q=[0.3], dim=0, keepdim=True),
    dict(q=0.4, keepdim=True),
]


@pytest.mark.parametrize("case", QUANTILE_CASES)
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("name", ["quantile", "nanquantile"])
def test_quantile(name, case, interpolation):
    q = case["q"]
    kw = {k: v for k, v in case.items() if k != "q"}
    fn = lambda m, a: getattr(m, name)(a, m.tensor(q, dtype=m.float64) if isinstance(q, list) else q,  # noqa: E731
                                       interpolation=interpolation, **kw)
    check_op(fn, [(3, 5)], dtype="float64")


def test_quantile_with_nan():
    a = np.array([[1.0, np.nan, 3.0, 0.5], [np.nan] * 4, [4.0, 1.0, 2.0, 3.0]])
    for name in ("quantile", "nanquantile"):
        check_op(lambda m, x: getattr(m, name)(x, 0.4, dim=1), arrays=[a], gradcheck=False)


# -- 0-d, empty and errors -------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda m, a: m.sum(a, 0), lambda m, a: m.mean(a, -1), lambda m, a: tuple(m.max(a, 0)),
    lambda m, a: m.argmax(a, 0), lambda m, a: tuple(m.median(a, -1)), lambda m, a: m.var(a, 0, correction=0),
    lambda m, a: m.amax(a, 0), lambda m, a: m.logsumexp(a, 0), lambda m, a: m.prod(a, 0, True),
    lambda m, a: tuple(m.kthvalue(a, 1, 0)), lambda m, a: m.cumsum(a, -1),
])
def test_zero_dim_inputs(fn):
    check_op(fn, [()])


def test_empty_reductions():
    for fn in (lambda m, a: m.sum(a), lambda m, a: m.mean(a), lambda m, a: m.prod(a),
               lambda m, a: m.median(a), lambda m, a: tuple(m.max(a, 1)), lambda m, a: m.logsumexp(a, 0),
               lambda m, a: m.amax(a, 1), lambda m, a: m.softmax(a, 0)):
        check_op(fn, [(0, 3)])


@pytest.mark.parametrize("fn,exc,match", [
    (lambda m: m.ones(2, 3).sum(2), IndexError,
     r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"),
    (lambda m: m.ones(3).mean(-2), IndexError, r"range of \[-1, 0\], but got -2"),
    (lambda m: m.ones(()).sum(1), IndexError, r"range of \[-1, 0\], but got 1"),
    (lambda m: m.ones(2, 3).sum((0, 0)), RuntimeError, "dim 0 appears multiple times"),
    (lambda m: m.ones(2, 3).amax((1, -1)), RuntimeError, "dim 1 appears multiple times"),
    (lambda m: m.arange(3).mean(), RuntimeError, "mean.*floating point.*Got: Long"),
    (lambda m: m.arange(3).nanmean(), RuntimeError, "nanmean.*got Long"),
    (lambda m: m.arange(3).std(), RuntimeError, "std and var only support floating point"),
    (lambda m: m.zeros(0, 3).max(), RuntimeError, r"max\(\): Expected reduction dim to be specified"),
    (lambda m: m.zeros(0, 3).max(0), IndexError, r"max\(\): Expected reduction dim 0 to have non-zero"),
    (lambda m: m.zeros(0, 3).min(0), IndexError, r"min\(\): Expected reduction dim 0"),
    (lambda m: m.zeros(0, 3).amax(), RuntimeError, r"amax\(\): Expected reduction dim to be specified"),
    (lambda m: m.zeros(0, 3).amin(0), IndexError, r"amin\(\): Expected reduction dim 0"),
    (lambda m: m.zeros(0, 3).argmax(), IndexError, r"argmax\(\): Expected reduction dim to be"),
    (lambda m: m.zeros(0, 3).argmin(0), IndexError, r"argmin\(\): Expected reduction dim 0"),
    (lambda m: m.zeros(0, 3).median(0), IndexError, r"median\(\): Expected reduction dim 0"),
    (lambda m: m.zeros(0, 3).mode(0), IndexError, r"mode\(\): Expected reduction dim 0"),
    (lambda m: m.zeros(0).aminmax(), RuntimeError, "cannot compute aminmax over an empty dimension"),
    (lambda m: m.zeros(0, 3).aminmax(dim=0), IndexError, "aminmax: Expected reduction dim 0 to have non-zero"),
    (lambda m: m.zeros(0).aminmax(dim=-1), IndexError, "Expected reduction dim 0 to have non-zero"),
    (lambda m: m.ones(2).aminmax(dim=(0,)), TypeError, "argument 'dim' must be int, not tuple"),
    (lambda m: m.ones(2).aminmax(dim=0.0), TypeError, "argument 'dim' must be int, not float"),
    (lambda m: m.ones(2).aminmax(dim=1), IndexError, r"range of \[-1, 0\], but got 1"),
    (lambda m: m.aminmax(m.tensor([1j])), NotImplementedError, "\"aminmax_cpu\" not implemented for 'ComplexFloat'"),
    (lambda m: m.prod(m.ones(3), dim=None), TypeError, None),
    (lambda m: m.ones(3).prod(None), TypeError, None),
    (lambda m: m.logsumexp(m.ones(3), dim=None), TypeError, "logsumexp\\(\\): argument 'dim' must be tuple of ints"),
    (lambda m: m.ones(3, 4).kthvalue(5, 0), RuntimeError, "kthvalue.*k out of range for dimension 0"),
    (lambda m: m.ones(3, 4).kthvalue(0, 0), RuntimeError, "k out of range"),
    (lambda m: m.ones(3).var(0, True, correction=1), TypeError, None),
    (lambda m: m.softmax(m.arange(3), 0), NotImplementedError, "not implemented for 'Long'"),
    (lambda m: m.ones(3).cumsum(), TypeError, None),
    (lambda m: m.quantile(m.ones(3), 1.5), RuntimeError, r"q must be in the range \[0, 1\] but got 1.5"),
    (lambda m: m.quantile(m.ones(3), m.ones(1, 1) / 2), RuntimeError, "q must be a scalar or 1D"),
    (lambda m: m.quantile(m.ones(3), 0.5, interpolation="foo"), RuntimeError, "but got foo"),
    (lambda m: m.quantile(m.arange(3), 0.5), RuntimeError, "must be either float or double"),
    (lambda m: m.quantile(m.zeros(0), 0.5), RuntimeError, "must be non-empty"),
])
def test_errors(fn, exc, match):
    raises_like_torch(fn, exc, match)


def test_out_arguments():
    x = np.arange(12.0, dtype=np.float32).reshape(3, 4)
    eo, to = ember.empty(0), torch.empty(0)
    assert ember.sum(ember.from_numpy(x), 0, out=eo) is eo
    torch.sum(torch.from_numpy(x), 0, out=to)
    assert_close(eo, to)
    ev, ei = ember.empty(0), ember.empty(0, dtype=ember.int64)
    r = ember.max(ember.from_numpy(x), 1, out=(ev, ei))
    assert r.values is ev and r.indices is ei
    assert_close(tuple(r), tuple(torch.max(torch.from_numpy(x), 1)))
    with pytest.raises(RuntimeError, match="out=... arguments don't support automatic differentiation"):
        ember.sum(ember.ones(2, requires_grad=True), 0, out=ember.empty(0))
    with pytest.raises(TypeError):   # as torch: the whole-tensor form takes no out=
        ember.sum(ember.ones(2), out=ember.empty(0))


@pytest.mark.skipif(not hasattr(ember.Tensor, "transpose"), reason="needs transpose")
@pytest.mark.parametrize("fn", [
    lambda m, a: a.sum(0), lambda m, a: m.mean(a, 1, True), lambda m, a: tuple(a.max(1)),
    lambda m, a: a.std(0), lambda m, a: m.logsumexp(a, 1), lambda m, a: m.softmax(a, 0),
    lambda m, a: m.cumprod(a, 1), lambda m, a: tuple(m.median(a, 0)), lambda m, a: a.amin(1),
    lambda m, a: m.quantile(a, 0.3, dim=1), lambda m, a: m.argmax(a),
])
def test_noncontiguous(fn):
    check_op(fn, [(4, 3)], noncontiguous=True)


# -- gradient dtypes: a float32 input gets a float32 gradient, ties included --------------------
GRAD_DTYPE_INPUTS = [np.float32(1.5), np.zeros((), np.float32), np.array([2.0], np.float32),
                     np.array([1.0, 1.0, 0.0], np.float32), np.array([[0, 2, 2], [1, 0, 0]], np.float32)]


@pytest.mark.parametrize("a", GRAD_DTYPE_INPUTS, ids=lambda a: str(a.shape))
@pytest.mark.parametrize("fn", [
    lambda m, x: x.max(), lambda m, x: x.min(), lambda m, x: m.amax(x), lambda m, x: m.amin(x),
    lambda m, x: m.amax(x, 0, keepdim=True), lambda m, x: tuple(m.aminmax(x)),
    lambda m, x: x.median(), lambda m, x: x.nanmedian(),
    lambda m, x: m.zeros(2).scatter_reduce(0, m.zeros(x.numel(), dtype=m.long), x.reshape(-1), "mean"),
    lambda m, x: m.zeros(2).scatter_reduce(0, m.zeros(x.numel(), dtype=m.long), x.reshape(-1), "amax"),
], ids=["max", "min", "amax", "amin", "amax_dim", "aminmax", "median", "nanmedian",
        "scatter_mean", "scatter_amax"])
def test_grad_dtype_follows_input(fn, a):
    grads_like_torch(fn, a)


# -- prod and cumprod at zeros, NaN and inf: torch's exact gradients ----------------------------
_ROWS = [[2.0, 3.0, 0.5], [0.0, 3.0, 2.0], [0.0, 0.0, 2.0], [np.nan, 0.0, 2.0], [np.inf, 0.0, 1.0],
         [0.0, 0.0, 0.0], [-0.0, 2.0, 1.0], [np.nan, 2.0, 3.0]]


@pytest.mark.parametrize("cotangent", [1.0, np.inf])
@pytest.mark.parametrize("row", _ROWS, ids=str)
@pytest.mark.parametrize("fn", [lambda m, x: x.prod(), lambda m, x: x.prod(1),
                                lambda m, x: x.prod(1, keepdim=True), lambda m, x: x.cumprod(1),
                                lambda m, x: x[:, :1].cumprod(1), lambda m, x: x[0].prod()],
                         ids=["prod", "prod_dim", "prod_keepdim", "cumprod", "cumprod_size1", "prod_1d"])
def test_prod_gradients_at_zeros_and_non_finite_like_torch(fn, row, cotangent):
    a = np.array([row, row[::-1]], np.float32)
    grads_like_torch(fn, a, cotangent=cotangent)


# -- NaN and inf in mode, var/std and var_mean/std_mean ------------------------------------------
@pytest.mark.parametrize("seed", range(4))
def test_mode_with_nan_matches_torch(seed):
    """torch's CPU mode sorts with a NaN-blind comparison: NaN values and indices come out of
    that exact order (replayed by ember._ops.reduction.stdsort), for short and long slices alike."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 4, size=(3, 5 + 9 * seed, 2)).astype(np.float32)
    a[rng.random(a.shape) < 0.25] = np.nan
    a[0, :, 0] = np.nan
    for dim in (0, 1, -1):
        for keepdim in (False, True):
            check_op(lambda m, x: tuple(m.mode(x, dim, keepdim)), arrays=[a], gradcheck=False)


def test_mode_small_examples_with_nan():
    for row in ([np.nan, 1.0], [np.nan, np.nan, 1.0], [2.0, np.nan, 2.0, np.nan], [np.inf, np.nan, np.inf]):
        check_op(lambda m, x: tuple(x.mode(0)), arrays=[np.array(row, np.float32)], gradcheck=False)


_NONFINITE = [np.array([[1.0, np.nan, 3.0], [np.inf, 2.0, 2.0]], np.float32),
              np.array([[1.0, -np.inf, 3.0], [np.inf, 2.0, 2.0]], np.float32),
              np.array([[2.0, 1.0, np.inf]], np.float32), np.array([np.inf], np.float32),
              np.array([np.nan], np.float32), np.array([1.0, 2.0], np.float32),
              np.array([1.0], np.float32), np.float32(np.inf)]


@pytest.mark.parametrize("a", _NONFINITE, ids=lambda a: str(a.tolist()))
@pytest.mark.parametrize("name", ["var_mean", "std_mean", "var", "std"])
@pytest.mark.parametrize("dim", [None, 0, -1])
@pytest.mark.parametrize("correction", [0, 1, 2])
def test_var_and_mean_at_nan_inf_and_no_dof_like_torch(a, name, dim, correction):
    """var_mean's mean is torch's running (Welford) mean, NaN once an inf is followed by
    anything; variance gradients without degrees of freedom follow torch's formula."""
    warnings.filterwarnings("ignore", "(std|var).*degrees of freedom")
    grads_like_torch(lambda m, x: getattr(m, name)(x, dim, correction=correction), a)


# -- differential test against torch ----------------------------------------------------------------
@st.composite
def _shape_and_dim(draw):
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=4)))
    n = len(shape)
    dim = draw(st.one_of(st.none(), st.integers(-max(n, 1), max(n, 1) - 1),
                         st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True)
                         .map(tuple) if n else st.none()))
    return shape, dim, draw(st.booleans()), draw(st.integers(0, 1000))


@settings(max_examples=60, deadline=None)
@given(_shape_and_dim(), st.sampled_from(["sum", "mean", "max", "argmax", "std"]))
def test_differential_against_torch(case, name):
    shape, dim, keepdim, seed = case
    if name in ("max", "argmax") and isinstance(dim, tuple):
        dim = dim[0]
    warnings.filterwarnings("ignore", "std\\(\\): degrees of freedom")
    fn = _call(name, dim, keepdim)
    check_op((lambda m, a: tuple(fn(m, a))) if name == "max" and dim is not None else fn,
             [shape], seed=seed, gradcheck=False)


def test_bincount_matches_torch():
    for lib_weights in [None, [0.5, 1.0, 1.0, 2.0, 0.25], [1, 1, 1, 2, 3]]:
        for minlength in [0, 7]:
            kw = {"minlength": minlength}
            if lib_weights is not None:
                kw_t = dict(kw, weights=torch.tensor(lib_weights))
                kw_e = dict(kw, weights=ember.tensor(lib_weights))
            else:
                kw_t = kw_e = kw
            t = torch.bincount(torch.tensor([0, 1, 1, 3, 4]), **kw_t)
            e = ember.bincount(ember.tensor([0, 1, 1, 3, 4]), **kw_e)
            assert e.tolist() == t.tolist() and str(e.dtype)[6:] == str(t.dtype)[6:]
    assert ember.tensor([2, 2]).bincount().tolist() == [0, 0, 2]
    assert ember.bincount(ember.tensor([], dtype=ember.long)).shape == (0,)
    for bad, kw, exc in [([-1], {}, RuntimeError), ([[1]], {}, RuntimeError), ([1.0], {}, NotImplementedError),
                         ([1], {"minlength": -1}, RuntimeError)]:
        with pytest.raises(exc) as theirs:
            torch.bincount(torch.tensor(bad), **kw)
        with pytest.raises(exc, match=str(theirs.value).replace('"', '.').replace("'", ".")[:30]):
            ember.bincount(ember.tensor(bad), **kw)
    with pytest.raises(RuntimeError, match="weights should be 1-d and have the same length as input"):
        ember.bincount(ember.tensor([0, 1]), ember.ones(3))
