"""Comparisons, logical ops, where, value tests and closeness against torch."""
import numpy as np
import pytest

import ember
from tests.helpers import check_op, assert_close, raises_like_torch, torch

NONCONTIG = hasattr(ember.Tensor, "transpose")
BIN_SHAPES = [[(3, 4), (3, 4)], [(3, 4), (4,)], [(2, 1, 4), (3, 1)], [(), (3,)], [(0, 3), (3,)]]
COMPARE = {
    "eq": lambda m, a, b: m.eq(a, b), "ne": lambda m, a, b: m.ne(a, b),
    "lt": lambda m, a, b: m.lt(a, b), "le": lambda m, a, b: m.le(a, b),
    "gt": lambda m, a, b: m.gt(a, b), "ge": lambda m, a, b: m.ge(a, b),
    "not_equal": lambda m, a, b: m.not_equal(a, b), "less": lambda m, a, b: m.less(a, b),
    "less_equal": lambda m, a, b: m.less_equal(a, b), "greater": lambda m, a, b: m.greater(a, b),
    "greater_equal": lambda m, a, b: m.greater_equal(a, b),
    "op_eq": lambda m, a, b: a == b, "op_ne": lambda m, a, b: a != b,
    "op_lt": lambda m, a, b: a < b, "op_le": lambda m, a, b: a <= b,
    "op_gt": lambda m, a, b: a > b, "op_ge": lambda m, a, b: a >= b,
    "method_lt": lambda m, a, b: a.lt(b), "method_ge": lambda m, a, b: a.greater_equal(b),
    "logical_and": lambda m, a, b: m.logical_and(a, b),
    "logical_or": lambda m, a, b: m.logical_or(a, b),
    "logical_xor": lambda m, a, b: a.logical_xor(b),
    "logical_not": lambda m, a, b: m.logical_not(a) & b.logical_not(),
    "isclose": lambda m, a, b: m.isclose(a, b, rtol=0.1, atol=0.5),
    "isclose_nan": lambda m, a, b: m.isclose(a / a, b / b, equal_nan=True),
}


def _ints(shapes, dtype="float32", seed=0):
    """Small integer values (as ``dtype``), so that ties and zeros are common."""
    rng = np.random.default_rng(seed)
    return [np.asarray(rng.integers(-2, 3, size=s).astype(dtype)) for s in shapes]


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int8", "uint8", "bool"])
@pytest.mark.parametrize("shapes", BIN_SHAPES, ids=str)
@pytest.mark.parametrize("name", sorted(COMPARE))
def test_comparisons(name, shapes, dtype):
    if dtype == "bool" and name.startswith("isclose_nan"):
        pytest.skip("bool / bool is not a nan producer")
    check_op(COMPARE[name], arrays=_ints(shapes, dtype))


@pytest.mark.parametrize("name", sorted(COMPARE))
def test_comparisons_mixed_dtypes_and_noncontiguous(name):
    if name.startswith("isclose"):
        pytest.skip("isclose needs equal dtypes")
    check_op(COMPARE[name], arrays=[_ints([(3, 4)], "int64")[0], _ints([(4,)], "float32")[0] + 0.5])
    if NONCONTIG:
        check_op(COMPARE[name], arrays=_ints([(3, 4), (3, 4)], seed=3), noncontiguous=True)


SCALARS = {
    "eq_int": lambda m, a: a == 1,
    "eq_float": lambda m, a: a == 1.5,
    "lt_float": lambda m, a: a < 0.5,
    "rlt": lambda m, a: 1 < a,
    "req": lambda m, a: 0 == a,
    "ne_bool": lambda m, a: a != True,  # noqa: E712
    "ge_np": lambda m, a: a >= np.float64(1.0), "le_fn": lambda m, a: m.le(a, 1),
    "gt_method": lambda m, a: a.gt(-1), "eq_neg_uint8": lambda m, a: a == -1,
    "eq_big": lambda m, a: a == 1000,
}


@pytest.mark.parametrize("dtype", ["float32", "int64", "uint8", "int8", "bool"])
@pytest.mark.parametrize("name", sorted(SCALARS))
def test_scalar_comparisons(name, dtype):
    a = _ints([(3, 4)], dtype)[0]
    if dtype == "uint8":
        a = a.astype(np.int64).clip(0) * 127 + 1  # includes 255
        a = a.astype(np.uint8)
    check_op(SCALARS[name], arrays=[a])


def test_comparison_dtype_promotion():
    """int vs 1.5 compares as float; 0.1 == float32(0.1) (the scalar becomes float32)."""
    for fn in [lambda m: m.tensor([1, 2]) == 1.5, lambda m: m.tensor([1, 2]) < 1.5,
               lambda m: m.tensor([0.1], dtype=m.float32) == 0.1,
               lambda m: m.tensor([0.1], dtype=m.float32) == m.tensor(0.1, dtype=m.float64),
               lambda m: m.tensor([0.1], dtype=m.float32) == m.tensor([0.1], dtype=m.float64),
               lambda m: m.tensor([True, False]) == 1, lambda m: m.tensor([255],
                                                                          dtype=m.uint8) == -1,
               lambda m: m.tensor([float("nan")]) == m.tensor([float("nan")]),
               lambda m: m.tensor([float("nan")]) != m.tensor([float("nan")])]:
        assert_close(fn(ember), fn(torch))


def test_comparison_out_and_inplace():
    for lib in (torch, ember):
        a, b = lib.tensor([1.0, 2.0, 3.0]), lib.tensor([2.0, 2.0, 2.0])
        o = lib.zeros(3)
        assert lib.lt(a, b, out=o) is o and o.tolist() == [1.0, 0.0, 0.0]
        i = lib.tensor([1, 2, 3])
        assert i.eq_(lib.tensor([1.0, 2.5, 3.0])) is i and i.tolist() == [1, 0, 1]
        assert i.dtype == lib.int64
        f = lib.tensor([1.0, 2.0, 3.0])
        f.ge_(2)
        assert f.tolist() == [0.0, 1.0, 1.0]
        f.logical_and_(lib.tensor([1, 0, 1]))
        assert f.tolist() == [0.0, 0.0, 1.0]
        f.logical_not_()
        assert f.tolist() == [1.0, 1.0, 0.0]
        o = lib.zeros(3, dtype=lib.int64)
        assert lib.logical_or(a > 2, b > 2, out=o).tolist() == [0, 0, 1]


def test_comparison_grad_free():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    assert not (x > 1).requires_grad and not ember.isnan(x).requires_grad
    assert not ember.logical_not(x).requires_grad


def test_eq_none_and_unsupported():
    x = ember.tensor([1.0])
    assert (x == None) is False and (x != None) is True  # noqa: E711
    assert (x == "a") is False
    with pytest.raises(TypeError, match="'<' not supported between instances of 'Tensor' and "
                                        "'NoneType'"):
        x < None  # noqa: B015


# -- where ---------------------------------------------------------------------------
WHERE = {
    "tensors": lambda m, c, a, b: m.where(c > 0, a, b),
    "method": lambda m, c, a, b: a.where(c > 0, b),
    "scalar_other": lambda m, c, a, b: m.where(c > 0, a, 0.0),
    "scalar_input": lambda m, c, a, b: m.where(c > 0, -1.5, b),
    "same_tensor": lambda m, c, a, b: m.where(c > 0, a, a * 2),
}


@pytest.mark.parametrize("shapes", [[(3, 4)] * 3, [(3, 4), (4,), (3, 1)], [(3, 1), (1, 4), ()],
                                    [(), (2,), ()], [(0, 2), (2,), (1, 2)]], ids=str)
@pytest.mark.parametrize("name", sorted(WHERE))
def test_where(name, shapes):
    check_op(WHERE[name], shapes)


def test_where_noncontiguous():
    if not NONCONTIG:
        pytest.skip("transpose not available yet")
    check_op(WHERE["tensors"], [(3, 4)] * 3, noncontiguous=True)


WHERE_DTYPES = {
    "f32_f64": lambda m, c: m.where(c, m.ones(2), m.zeros(2, dtype=m.float64)),
    "int_float_scalar": lambda m, c: m.where(c, m.tensor([1, 2]), 1.5),
    "scalars_int_float": lambda m, c: m.where(c, 1, 1.5),
    "scalars_int": lambda m, c: m.where(c, 1, 2),
    "scalars_bool": lambda m, c: m.where(c, True, False),
    "f32_0d_f64": lambda m, c: m.where(c, m.ones(2), m.tensor(0.0, dtype=m.float64)),
    "uint8_int8": lambda m, c: m.where(c, m.tensor([1, 2], dtype=m.uint8), m.tensor([-1, 2],
                                                                                    dtype=m.int8)),
    "out": lambda m, c: m.where(c, m.ones(2), m.zeros(2), out=m.full((2,), 7.0)),
    "nonzero": lambda m, c: m.where(c),
    "nonzero_2d": lambda m, c: m.where(m.stack([c, ~c, c])),
    "nonzero_0d": lambda m, c: m.where(m.tensor(True)),
}


@pytest.mark.parametrize("name", sorted(WHERE_DTYPES))
def test_where_dtypes(name):
    cond = [np.array([True, False])]
    if name == "nonzero_2d" and not hasattr(ember, "stack"):
        pytest.skip("stack not available yet")
    assert_close(WHERE_DTYPES[name](ember, ember.from_numpy(cond[0].copy())),
                 WHERE_DTYPES[name](torch, torch.from_numpy(cond[0].copy())))


def test_where_edge_gradient():
    """where(x > 0, x, 0) at x = 0 sends the gradient to the zero branch, as torch."""
    check_op(lambda m, a: m.where(a > 0, a, 0.0), arrays=[np.array([0.0, 1.0, -1.0])],
             gradcheck=False)


# -- value tests ---------------------------------------------------------------------
VALUE_TESTS = ["isnan", "isinf", "isfinite", "isposinf", "isneginf", "isreal", "signbit"]


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool", "float16"])
@pytest.mark.parametrize("name", VALUE_TESTS)
def test_value_tests(name, dtype):
    base = np.array([[0.0, -0.0, 1.5, np.nan], [np.inf, -np.inf, -2.0, 3.0]])
    if dtype in ("int64", "bool"):
        base = np.nan_to_num(base, posinf=5, neginf=-5)
    arr = base.astype(dtype)
    if name == "signbit" and dtype == "bool":
        pytest.skip("torch has no signbit for bool")
    check_op(lambda m, a: getattr(m, name)(a), arrays=[arr])
    check_op(lambda m, a: getattr(a, name)(), arrays=[arr[:, :0]])


# -- closeness and equality ----------------------------------------------------------------
CLOSE_CASES = [
    ([1.0, 2.0, np.inf, -np.inf, np.nan], [1.0 + 1e-6, 2.1, np.inf, np.inf, np.nan], {}),
    ([1.0, 2.0, np.inf, np.nan], [1.0, 2.05, np.inf, np.nan], dict(rtol=0.05, equal_nan=True)),
    ([0.0, 1e-9, 1.0], [1e-8, 0.0, 1.0 + 1e-5], dict(rtol=0.0, atol=1e-8)),
    ([1.0, 2.0], [1.0, 2.0], dict(rtol=0.0, atol=0.0)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(CLOSE_CASES)))
def test_isclose_allclose(case, dtype):
    a, b, kw = CLOSE_CASES[case]
    arrays = [np.array(a, dtype=dtype), np.array(b, dtype=dtype)]
    check_op(lambda m, x, y: m.isclose(x, y, **kw), arrays=arrays)
    check_op(lambda m, x, y: x.isclose(y[:1], **kw), arrays=arrays)
    for ia, ib in [(arrays[0], arrays[1]), (arrays[0][:2], arrays[1][:2]), (arrays[0][:0],) * 2]:
        assert ember.allclose(ember.from_numpy(ia), ember.from_numpy(ib), **kw) is \
            torch.allclose(torch.from_numpy(ia), torch.from_numpy(ib), **kw)


@pytest.mark.parametrize("dtype", ["int64", "int8", "uint8", "bool"])
def test_isclose_ints(dtype):
    a = np.array([0, 1, 5, 100, 1]).astype(dtype)
    b = np.array([0, 2, 5, 99, 0]).astype(dtype)
    for kw in [{}, dict(rtol=0.02, atol=0), dict(rtol=0, atol=1)]:
        check_op(lambda m, x, y: m.isclose(x, y, **kw), arrays=[a, b])


EQUAL_CASES = {
    "same": lambda m: m.equal(m.tensor([1.0, 2.0]), m.tensor([1.0, 2.0])),
    "diff": lambda m: m.equal(m.tensor([1.0, 2.0]), m.tensor([1.0, 3.0])),
    "shape": lambda m: m.equal(m.tensor([1.0, 2.0]), m.tensor([[1.0, 2.0]])),
    "dtypes": lambda m: m.equal(m.tensor([1.0, 2.0]), m.tensor([1, 2])),
    "f32_f64": lambda m: m.equal(m.tensor([1.0, 2.0]), m.tensor([1.0, 2.0], dtype=m.float64)),
    "nan": lambda m: m.equal(m.tensor([np.nan]), m.tensor([np.nan])),
    "empty": lambda m: m.equal(m.zeros(0), m.zeros(0)),
    "method": lambda m: m.tensor([1, 2]).equal(m.tensor([1, 2])),
    "allclose_method": lambda m: m.ones(2).allclose(m.ones(2) + 1e-9),
}


@pytest.mark.parametrize("name", sorted(EQUAL_CASES))
def test_equal(name):
    assert EQUAL_CASES[name](ember) is EQUAL_CASES[name](torch)


ERRORS = {
    "where_float_cond": (lambda m: m.where(m.ones(2), m.ones(2), m.ones(2)), RuntimeError,
                         "where expected condition to be a boolean tensor, but got a tensor with "
                         "dtype Float"),
    "where_broadcast": (lambda m: m.where(m.ones(2) > 0, m.ones(2), m.zeros(3)), RuntimeError,
                        "must match the size of tensor b"),
    "isclose_dtypes": (lambda m: m.isclose(m.ones(1), m.ones(1, dtype=m.float64)), RuntimeError,
                       "Float did not match Double"),
    "isclose_int_float": (lambda m: m.isclose(m.ones(1), m.tensor([1])), RuntimeError,
                          "Float did not match Long"),
    "isclose_scalar": (lambda m: m.isclose(m.ones(1), 1.0), TypeError, "must be Tensor"),
    "isclose_neg_rtol": (lambda m: m.isclose(m.ones(1), m.ones(1), rtol=-1), RuntimeError,
                         "rtol must be greater than or equal to zero"),
    "allclose_dtypes": (lambda m: m.allclose(m.ones(1), m.ones(1, dtype=m.float64)), RuntimeError,
                        "Float did not match Double"),
    "eq_scalar_first": (lambda m: m.eq(1, m.ones(1)), TypeError, "eq"),
    "logical_scalar": (lambda m: m.logical_and(m.ones(1), 1), TypeError, "must be Tensor"),
    "broadcast": (lambda m: m.ones(2) < m.ones(3), RuntimeError,
                  r"size of tensor a \(2\) must match the size of tensor b \(3\)"),
    "inplace_broadcast": (lambda m: m.ones(2).lt_(m.ones(2, 2)), RuntimeError,
                          r"doesn't match the broadcast shape \[2, 2\]"),
    "equal_scalar": (lambda m: m.equal(m.ones(1), 1), TypeError, "must be Tensor"),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors(name):
    raises_like_torch(*ERRORS[name])


def test_contains_matches_torch():
    for element in [2, 5, 2.0, True, "tensor"]:
        ours, theirs = ember.tensor([1, 2, 3]), torch.tensor([1, 2, 3])
        if element == "tensor":
            assert (ember.tensor(2) in ours) == (torch.tensor(2) in theirs) is True
        else:
            assert (element in ours) == (element in theirs)
    with pytest.raises(RuntimeError, match="only supports Tensor or scalar"):
        "a" in ember.tensor([1])


def test_isin_matches_torch():
    a, b = np.array([[1, 2, 3], [4, 5, 2]]), np.array([2, 5, 9])
    for invert in (False, True):
        for x, y in [(a, b), (a, 2), (3, b)]:
            ex = ember.tensor(x) if isinstance(x, np.ndarray) else x
            ey = ember.tensor(y) if isinstance(y, np.ndarray) else y
            tx = torch.tensor(x) if isinstance(x, np.ndarray) else x
            ty = torch.tensor(y) if isinstance(y, np.ndarray) else y
            ours, theirs = ember.isin(ex, ey, invert=invert), torch.isin(tx, ty, invert=invert)
            assert ours.tolist() == theirs.tolist() and ours.dtype is ember.bool
    assert not hasattr(ember.Tensor, "isin") and not hasattr(torch.Tensor, "isin")
