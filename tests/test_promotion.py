"""Type promotion of binary ops against torch: ``result_type`` and the dtypes (and values) that
ops, ``out=`` and in-place forms give, over random dtype pairs and operand kinds."""
import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st, HealthCheck

import ember
from tests.helpers import assert_close, torch

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
COMPLEX = ["complex64", "complex128"]
KINDS = ["tensor", "zero_dim", "bool", "int", "float", "complex"]
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _operand(lib, kind, dtype, values=(1, 2)):
    """A dimensioned tensor, a 0-d tensor, or a Python scalar of the given kind."""
    if kind == "tensor":
        return lib.tensor(list(values), dtype=getattr(lib, dtype))
    if kind == "zero_dim":
        return lib.tensor(values[-1], dtype=getattr(lib, dtype))
    return {"bool": True, "int": 2, "float": 1.5, "complex": 1 + 1j}[kind]


def _both(fn):
    """Run ``fn(torch)`` and ``fn(ember)``; both raise the same exception type or agree."""
    try:
        expected = fn(torch)
    except (RuntimeError, TypeError) as exc:
        with pytest.raises(type(exc)):
            fn(ember)
        return
    _same(fn(ember), expected)


def _same(got, expected):
    """Same dtype (by name) and close values; complex values compared as complex."""
    if isinstance(expected, torch.dtype):
        assert str(got).split(".")[-1] == str(expected).split(".")[-1]
    elif expected.is_complex():
        assert str(got.dtype).split(".")[-1] == str(expected.dtype).split(".")[-1]
        np.testing.assert_allclose(np.asarray(got), expected.numpy(), rtol=1e-2)
    else:
        assert_close(got, expected, atol=1e-2, rtol=1e-2)


def _complex32(a, b, kb):
    """float16 meeting complex is torch's complex32, which ember does not have."""
    return "float16" in (a, b) and ("complex" in a + b + kb)


dtype_st = st.sampled_from(DTYPES)
any_dtype_st = st.sampled_from(DTYPES + COMPLEX)
kind_st = st.sampled_from(KINDS)


@SETTINGS
@given(a=any_dtype_st, b=any_dtype_st, ka=st.sampled_from(["tensor", "zero_dim"]), kb=kind_st)
def test_result_type(a, b, ka, kb):
    assume(not _complex32(a, b, kb))
    _both(lambda m: m.result_type(_operand(m, ka, a), _operand(m, kb, b)))
    _both(lambda m: m.promote_types(getattr(m, a), getattr(m, b)))


BINARY_OPS = {
    "add": lambda m, x, y: m.add(x, y), "sub": lambda m, x, y: m.sub(x, y),
    "mul": lambda m, x, y: x * y, "rmul": lambda m, x, y: y * x, "div": lambda m, x, y: x / y,
    "rdiv": lambda m, x, y: y / x, "floor_divide": lambda m, x, y: m.floor_divide(x, y),
    "div_trunc": lambda m, x, y: m.div(x, y, rounding_mode="trunc"),
    "remainder": lambda m, x, y: m.remainder(x, y), "fmod": lambda m, x, y: m.fmod(x, y),
    "pow": lambda m, x, y: m.pow(x, y), "rpow": lambda m, x, y: y ** x,
    "maximum": lambda m, x, y: m.maximum(x, y), "fmin": lambda m, x, y: m.fmin(x, y),
    "atan2": lambda m, x, y: m.atan2(x, y), "hypot": lambda m, x, y: m.hypot(x, y),
    "copysign": lambda m, x, y: m.copysign(x, y), "xlogy": lambda m, x, y: m.xlogy(x, y),
    "eq": lambda m, x, y: x == y, "lt": lambda m, x, y: m.lt(x, y), "ge": lambda m, x, y: y >= x,
    "where": lambda m, x, y: m.where(m.tensor([True, False]), x, y),
    "clamp": lambda m, x, y: m.clamp(x, min=y),
    "bitwise_and": lambda m, x, y: x & y, "lshift": lambda m, x, y: x << y,
    "logical_or": lambda m, x, y: m.logical_or(x, y),
}


@SETTINGS
@given(op=st.sampled_from(sorted(BINARY_OPS)), a=dtype_st, b=dtype_st,
       ka=st.sampled_from(["tensor", "zero_dim"]), kb=st.sampled_from(KINDS[:-1]))
def test_binary_op_dtypes(op, a, b, ka, kb):
    fn = BINARY_OPS[op]
    _both(lambda m: fn(m, _operand(m, ka, a), _operand(m, kb, b)))


@SETTINGS
@given(op=st.sampled_from(["add", "mul", "sub", "div", "eq"]), a=any_dtype_st, b=any_dtype_st,
       kb=kind_st)
def test_complex_operands(op, a, b, kb):
    assume(not _complex32(a, b, kb))
    fn = BINARY_OPS[op]
    _both(lambda m: fn(m, _operand(m, "tensor", a), _operand(m, kb, b)))


@SETTINGS
@given(op=st.sampled_from(["addcmul", "addcdiv", "clamp", "lerp"]), a=any_dtype_st,
       b=any_dtype_st, c=any_dtype_st, kinds=st.lists(st.sampled_from(["tensor", "zero_dim"]),
                                                      min_size=3, max_size=3))
def test_three_operands(op, a, b, c, kinds):
    """Promotion over three tensors (dimensioned and 0-d mixed)."""
    assume(not ("float16" in (a, b, c) and "complex" in a + b + c))

    def fn(m):
        x, y, z = (_operand(m, k, d) for k, d in zip(kinds, (a, b, c)))
        if op == "clamp":
            return m.clamp(x, y, z)
        return getattr(m, op)(x, y, z)
    _both(fn)


@SETTINGS
@given(op=st.sampled_from(["add", "mul", "div", "atan2", "maximum", "eq", "bitwise_and"]),
       a=dtype_st, b=dtype_st, out=dtype_st)
def test_out_dtype(op, a, b, out):
    """``out=`` accepts any dtype the result can be cast to (torch.can_cast), else raises."""
    name = {"eq": "eq", "bitwise_and": "bitwise_and"}.get(op, op)

    def fn(m):
        o = m.zeros(2, dtype=getattr(m, out))
        r = getattr(m, name)(_operand(m, "tensor", a), _operand(m, "tensor", b), out=o)
        assert r is o
        return o
    _both(fn)


@SETTINGS
@given(op=st.sampled_from(["add_", "sub_", "mul_", "div_", "pow_", "remainder_", "maximum",
                           "eq_", "clamp_"]),
       a=dtype_st, b=dtype_st, kb=st.sampled_from(KINDS[:-1]))
def test_inplace_dtype(op, a, b, kb):
    """``x.op_(y)`` keeps x's dtype, and raises where torch cannot cast the result back."""
    def fn(m):
        x = _operand(m, "tensor", a)
        y = _operand(m, kb, b)
        if op == "maximum":
            return x.copy_(m.maximum(x, y)) if isinstance(y, m.Tensor) else x
        r = getattr(x, op)(y)
        assert r is x
        return x
    _both(fn)


PROMOTION_TABLE = [
    (lambda m: m.tensor([1, 2]) + 1.5, "float32"),
    (lambda m: m.tensor([1, 2]) * 2, "int64"),
    (lambda m: m.tensor([1, 2], dtype=m.int32) + 2 ** 40, "int32"),
    (lambda m: m.tensor([1, 2], dtype=m.int8) + m.tensor(1000), "int8"),
    (lambda m: m.tensor([1, 2], dtype=m.int8) + m.tensor([1000]), "int64"),
    (lambda m: m.tensor([1, 2]) + m.tensor(1.5, dtype=m.float64), "float64"),
    (lambda m: m.tensor([1.0]) + m.tensor(1.5, dtype=m.float64), "float32"),
    (lambda m: m.tensor([1.0], dtype=m.float16) + m.tensor([1.5]), "float32"),
    (lambda m: m.tensor([1.0], dtype=m.float16) + 1.5, "float16"),
    (lambda m: m.tensor([1], dtype=m.uint8) + m.tensor([1], dtype=m.int8), "int16"),
    (lambda m: m.tensor([True]) + m.tensor([1], dtype=m.uint8), "uint8"),
    (lambda m: m.tensor([True]) + True, "bool"),
    (lambda m: m.tensor([True]) + 1, "int64"),
    (lambda m: m.tensor([True]) * 1.5, "float32"),
    (lambda m: m.tensor(True) + m.tensor([1], dtype=m.int8), "int8"),
    (lambda m: m.tensor(1.5) * m.tensor([1], dtype=m.int16), "float32"),
    (lambda m: m.tensor(1.5, dtype=m.float64) * m.tensor(1, dtype=m.int16), "float64"),
    (lambda m: m.tensor([1, 2]) / 2, "float32"),
    (lambda m: m.tensor([1, 2]) // 2, "int64"),
    (lambda m: m.tensor([1, 2]) ** 2.0, "float32"),
    (lambda m: m.sqrt(m.tensor([1, 4])), "float32"),
    (lambda m: m.sqrt(m.tensor([True])), "float32"),
    (lambda m: m.exp(m.tensor([1.0], dtype=m.float16)), "float16"),
    (lambda m: m.tensor([1], dtype=m.uint8) == m.tensor([1.0]), "bool"),
    (lambda m: m.ones(2) + (1 + 2j), "complex64"),
]


@pytest.mark.parametrize("case", range(len(PROMOTION_TABLE)))
def test_promotion_table(case):
    fn, expected = PROMOTION_TABLE[case]
    assert fn(torch).dtype == getattr(torch, expected)
    got = fn(ember)
    assert got.dtype == getattr(ember, expected)
    _same(got, fn(torch))


@pytest.mark.parametrize("fn", [lambda m: m.tensor([1, 2]) + 1.5, lambda m: m.sqrt(m.tensor([4])),
                                lambda m: m.tensor([1, 2]) / 2, lambda m: m.where(m.tensor([True]),
                                                                                  1, 1.5),
                                lambda m: m.tensor([True]) * 0.5])
def test_default_dtype_float64(fn):
    """Integer-to-float results follow the default dtype."""
    for m in (torch, ember):
        m.set_default_dtype(m.float64)
    try:
        assert fn(ember).dtype == ember.float64 and fn(torch).dtype == torch.float64
    finally:
        for m in (torch, ember):
            m.set_default_dtype(m.float32)
