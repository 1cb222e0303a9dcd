"""Comparisons, logical ops, ``where`` and closeness tests, with operators and in-place forms.

Comparisons promote their operands as torch does (an int tensor against 1.5
compares as float) and return bool tensors; ``out=`` may be of any dtype.
"""
from ..._tensor import Tensor, tensor_method, _wrap
from ..base import get_xp
from . import ops as C
from ..common import broadcast_shape, promote_all
from ..inplace import apply_inplace
from ..elementwise.funcs import (check_tensor, check_kinds, call, out_, operator, label, ufunc)

__all__ = ["eq", "ne", "not_equal", "lt", "less", "le", "less_equal", "gt", "greater", "ge",
           "greater_equal", "logical_and", "logical_or", "logical_xor", "logical_not", "where",
           "isnan", "isinf", "isfinite", "isposinf", "isneginf", "isreal", "isclose", "allclose",
           "equal", "isin"]


def _comparison(name, array_fn, dunder, kinds="biufc", aliases=()):
    """Define ``name(input, other, *, out=None)``, its methods, operator and in-place form."""
    def fn(input, other, *, out=None):
        check_tensor(input, name)
        args, rt = promote_all(input, other)
        check_kinds(name, rt, kinds)
        return out_(call(ufunc, array_fn, *args), out, name)

    def fn_(self, other):
        args, rt = promote_all(self, other)
        check_kinds(name, rt, kinds)
        return call(lambda s, o: apply_inplace(s, C.Compare(array_fn), o), self, args[1])

    fn.__name__ = fn.__qualname__ = name
    fn_.__name__ = fn_.__qualname__ = name + "_"
    fn.__doc__ = fn_.__doc__ = f"Elementwise ``input {_SYMBOLS[dunder]} other`` as a bool tensor."
    tensor_method(name, *aliases)(fn)
    tensor_method(name + "_", *(a + "_" for a in aliases))(fn_)
    setattr(Tensor, f"__{dunder}__", operator(fn))
    return fn


_SYMBOLS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
eq = _comparison("eq", "equal", "eq")
ne = not_equal = _comparison("ne", "not_equal", "ne", aliases=("not_equal",))
lt = less = _comparison("lt", "less", "lt", "biuf", aliases=("less",))
le = less_equal = _comparison("le", "less_equal", "le", "biuf", aliases=("less_equal",))
gt = greater = _comparison("gt", "greater", "gt", "biuf", aliases=("greater",))
ge = greater_equal = _comparison("ge", "greater_equal", "ge", "biuf", aliases=("greater_equal",))


# -- logical ops: any dtype, nonzero is True ---------------------------------------------
def _logical(name):
    def fn(input, other, *, out=None):
        check_tensor(input, name)
        check_tensor(other, name, "other", 2)
        return out_(call(ufunc, name, input, other), out, name)

    def fn_(self, other):
        check_tensor(other, name + "_", "other", 1)
        return call(lambda s, o: apply_inplace(s, C.Compare(name), o), self, other)

    fn.__name__ = fn.__qualname__ = name
    fn_.__name__ = fn_.__qualname__ = name + "_"
    fn.__doc__ = fn_.__doc__ = f"Elementwise {name.replace('_', ' ')} of the truth values."
    tensor_method(name)(fn)
    tensor_method(name + "_")(fn_)
    return fn


logical_and = _logical("logical_and")
logical_or = _logical("logical_or")
logical_xor = _logical("logical_xor")


@tensor_method("logical_not")
def logical_not(input, *, out=None):
    """True where ``input`` is zero (or False)."""
    return out_(ufunc("logical_not", check_tensor(input, "logical_not")), out, "logical_not")


@tensor_method("logical_not_")
def logical_not_(self):
    return apply_inplace(self, C.Compare("logical_not"))


# -- where ------------------------------------------------------------------------
def where(condition, input=None, other=None, *, out=None):
    """``input`` where ``condition`` holds, else ``other`` (promoted; scalars allowed).

    Differentiable in ``input`` and ``other``.  With only ``condition`` it is
    ``condition.nonzero(as_tuple=True)``.
    """
    check_tensor(condition, "where", "condition")
    if input is None and other is None:
        return _nonzero(condition)
    if input is None or other is None:
        raise TypeError("where() takes the condition alone, or the condition, input and other")
    if condition._data.dtype.kind != "b":
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {label(condition.dtype)}")
    (x, y), rt = promote_all(input, other)
    if not condition.is_cpu:  # 0-d CPU tensors (and scalars made tensors) join the condition
        x, y = [t.to(condition.device) if isinstance(t, Tensor) and t.is_cpu and not t.dim() else t
                for t in (x, y)]
    try:
        result = C.Where(condition._data, rt.np)(x, y)
    except ValueError:
        broadcast_shape(*(t.shape for t in (condition, x, y) if isinstance(t, Tensor)))
        raise
    return out_(result, out, "where")


@tensor_method("where")
def _where_method(self, condition, y):
    """``self.where(condition, y)`` is ``where(condition, self, y)``."""
    return where(condition, self, y)


def _nonzero(cond):
    arr = cond._data
    xp = get_xp(arr)
    return tuple(_wrap(i) for i in xp.nonzero(arr.reshape(1) if arr.ndim == 0 else arr))


# -- value tests -----------------------------------------------------------------
def _value_test(name, float_test, other_value, takes_out=False):
    """A per-element test that is constant (``other_value``) for integer and bool tensors;
    ``takes_out``: the function also writes into ``out=`` (isposinf, isneginf)."""
    def test(input):
        x = check_tensor(input, name)._data
        xp = get_xp(x)
        if x.dtype.kind in "fc":
            return _wrap(float_test(xp, x))
        return _wrap((xp.ones if other_value else xp.zeros)(x.shape, bool))

    def with_out(input, *, out=None):
        return out_(test(input), out, name)

    fn = with_out if takes_out else test

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise {name} as a bool tensor."
    return tensor_method(name)(fn)


isnan = _value_test("isnan", lambda xp, x: xp.isnan(x), False)
isinf = _value_test("isinf", lambda xp, x: xp.isinf(x), False)
isfinite = _value_test("isfinite", lambda xp, x: xp.isfinite(x), True)
isposinf = _value_test("isposinf", lambda xp, x: x == xp.inf, False, takes_out=True)
isneginf = _value_test("isneginf", lambda xp, x: x == -xp.inf, False, takes_out=True)
isreal = _value_test("isreal", lambda xp, x: xp.imag(x) == 0, True)


# -- closeness and equality ----------------------------------------------------------
@tensor_method("isclose")
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``|input - other| <= atol + rtol * |other|`` elementwise (same dtypes required, as torch)."""
    check_tensor(input, "isclose")
    check_tensor(other, "isclose", "other", 2)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{label(input.dtype)} did not match {label(other.dtype)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    return call(lambda a, b: _wrap(C.isclose(get_xp(a._data), a._data, b._data, rtol, atol,
                                             equal_nan)), input, other)


@tensor_method("allclose")
def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether every element of ``input`` is close to ``other`` (a Python bool)."""
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


@tensor_method("equal")
def equal(input, other):
    """True when both tensors have the same shape and equal values (NaN is never equal)."""
    check_tensor(input, "equal")
    check_tensor(other, "equal", "other", 2)
    if input.shape != other.shape:
        return False
    return bool(eq(input, other)._data.all())


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """A bool tensor shaped like ``elements``: whether each entry occurs in ``test_elements``
    (``invert=True``: whether it does not). Either argument may be a scalar, not both.

    Example::

        >>> ember.isin(ember.tensor([1, 2, 3]), ember.tensor([2, 5]))
        tensor([False,  True, False])
    """
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin() received an invalid combination of arguments - got two scalars; "
                        "at least one of elements and test_elements must be a Tensor")
    a = elements._data if isinstance(elements, Tensor) else elements
    b = test_elements._data if isinstance(test_elements, Tensor) else test_elements
    xp = get_xp(a if isinstance(elements, Tensor) else b)
    return _wrap(xp.asarray(xp.isin(a, b, assume_unique=assume_unique, invert=invert)))


@tensor_method("__contains__")
def _contains(self, element):
    """``element in tensor``: True when some entry equals ``element`` (a Tensor or a scalar)."""
    if not isinstance(element, (Tensor, int, float, complex, bool)):
        raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed "
                           f"in a {type(element)}.")
    return bool((self == element).any())
