"""Public elementwise functions of three operands (addcmul, addcdiv, lerp, where-like
forms), the bitwise functions, and Tensor's in-place arithmetic methods and Python operators
(``+=``, ``__add__``, ``__rsub__``...), all written on the functions of ``funcs.py``.
"""
from functools import partial

import numpy as np

from ..._tensor import Tensor, tensor_method, _wrap
from ..._dtype import scalar_category
from . import ops as E
from ..common import promoted, promote_all, FLOAT_CATEGORY
from ..inplace import apply_inplace
from ...autograd.grad_mode import state as _grad_state
from .funcs import (_FLOAT, _INT, _NUM, _REAL, _alpha, _binary, _bool_power, _check_bool_sub,
                    _check_int_pow, _check_rounding, _ufunc_unary, add, apply, apply_, call,
                    check_kinds, check_tensor, div, floor_divide, mul, out_, pow, reciprocal,
                    remainder, sub, ufunc)

__all__ = ["addcmul", "addcdiv", "lerp", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
           "bitwise_left_shift", "bitwise_right_shift", "clamp", "clip", "clamp_", "clip_",
           "clamp_min", "clamp_max"]


# -- three-operand ops -------------------------------------------------------------
@tensor_method("addcmul")
def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """``out = input + value * tensor1 * tensor2``, elementwise.

    Args:
        input (Tensor): the tensor added to.
        tensor1 (Tensor): the first factor.
        tensor2 (Tensor): the second factor.
        value (Number): the multiplier of the product. Default: ``1``.
        out (Tensor, optional): write the result here.
    Shape:
        - Output: the broadcast shape of the operands.

    Example:
        >>> a, b = ember.tensor([2.0, 3.0]), ember.tensor([4.0, 5.0])
        >>> ember.addcmul(ember.ones(2), a, b, value=0.5)
        tensor([5.0000, 8.5000])
    """
    args, rt = promote_all(input, tensor1, tensor2)
    check_kinds("addcmul", rt, _NUM)
    return out_(call(E.Addcmul(_value(value, rt)), *args), out, "addcmul")


@tensor_method("addcdiv")
def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """``out = input + value * tensor1 / tensor2``, elementwise.

    Integer ``tensor1`` and ``tensor2`` together raise ``RuntimeError`` (the division would be
    ambiguous).

    Args:
        input (Tensor): the tensor added to.
        tensor1 (Tensor): the numerator.
        tensor2 (Tensor): the denominator.
        value (Number): the multiplier of the quotient. Default: ``1``.
        out (Tensor, optional): write the result here.
    Shape:
        - Output: the broadcast shape of the operands.

    Example:
        >>> a, b = ember.tensor([2.0, 3.0]), ember.tensor([4.0, 5.0])
        >>> ember.addcdiv(ember.ones(2), a, b, value=2)
        tensor([2.0000, 2.2000])
    """
    _check_addcdiv(tensor1, tensor2)
    args, rt = promote_all(input, tensor1, tensor2)
    check_kinds("addcdiv", rt, _NUM)
    return out_(call(E.Addcdiv(_value(value, rt)), *args), out, "addcdiv")


@tensor_method("addcmul_")
def addcmul_(self, tensor1, tensor2, *, value=1):
    return apply_("addcmul", self, E.Addcmul(_value(value, self.dtype)), tensor1, tensor2,
                  kinds=_NUM)


@tensor_method("addcdiv_")
def addcdiv_(self, tensor1, tensor2, *, value=1):
    _check_addcdiv(tensor1, tensor2)
    return apply_("addcdiv", self, E.Addcdiv(_value(value, self.dtype)), tensor1, tensor2,
                  kinds=_NUM)


def _value(value, rt):
    """``value`` is cast to the result dtype, as torch does (0.5 becomes 0 for integers)."""
    return int(value) if rt._category < FLOAT_CATEGORY and not isinstance(value, bool) else value


def _check_addcdiv(t1, t2):
    if all(isinstance(t, Tensor) and t._data.dtype.kind in "biu" for t in (t1, t2)):
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future "
                           "release addcdiv will perform a true division of tensor1 and tensor2. "
                           "Use (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) "
                           "for the old behaviour, or true division of float tensors.")


@tensor_method("lerp")
def lerp(input, end, weight, *, out=None):
    """Linear interpolation from ``input`` to ``end``: ``out = input + weight * (end - input)``.

    ``end`` (and ``weight`` when it is a tensor with dimensions) must have ``input``'s float
    dtype; shapes broadcast.

    Args:
        input (Tensor): the start points.
        end (Tensor): the end points.
        weight (float or Tensor): the fraction of the way to ``end``.
        out (Tensor, optional): write the result here.
    Shape:
        - Output: the broadcast shape of the operands.

    Example:
        >>> ember.lerp(ember.tensor([0.0, 10.0]), ember.tensor([10.0, 20.0]), 0.25)
        tensor([ 2.5000, 12.5000])
    """
    _check_lerp(input, end, weight)
    return apply("lerp", E.Lerp(), input, end, weight, kinds=_FLOAT + "c", out=out)


@tensor_method("lerp_")
def lerp_(self, end, weight):
    _check_lerp(self, end, weight)
    return apply_("lerp", self, E.Lerp(), end, weight, kinds=_FLOAT + "c")


def _check_lerp(input, end, weight):
    """torch's rule: ``end`` has input's dtype, and so has ``weight`` unless it is 0-d; a
    Python-number weight takes input's dtype (integer tensors raise, not promote)."""
    check_tensor(input, "lerp")
    if not isinstance(weight, Tensor):
        check_kinds("lerp", input.dtype, _FLOAT + "c")
    check_tensor(end, "lerp", "end", 2)
    for what, t in (("end", end), ("weight", weight)):
        if isinstance(t, Tensor) and t.dtype is not input.dtype and (t.ndim or what == "end"):
            raise RuntimeError(f"expected dtype {input.dtype} for `{what}` but got dtype {t.dtype}")


@tensor_method("clamp", "clip")
def clamp(input, min=None, max=None, *, out=None):  # noqa: A002
    """Each element limited to the range ``[min, max]``: ``out = min(max(input, min), max)``.

    Either bound may be omitted, not both; bounds may be numbers or tensors (shapes broadcast,
    dtypes promote). Where ``min > max`` every value becomes ``max``. The gradient passes
    where the value was inside the range. Also spelled ``clip``.

    Args:
        input (Tensor): the input.
        min (Number or Tensor, optional): the lower bound. Default: ``None``.
        max (Number or Tensor, optional): the upper bound. Default: ``None``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.clamp(ember.tensor([-2.0, 0.5, 3.0]), min=0, max=1)
        tensor([0.0000, 0.5000, 1.0000])
    """
    return _clamp(input, min, max, out, "Clamp")


def _clamp(input, lo, hi, out, label):
    """clamp, clamp_min, clamp_max: one op, named ``label`` as torch names their nodes."""
    _check_bounds(check_tensor(input, "clamp"), lo, hi, "clamp", True)
    args, rt = promote_all(input, lo, hi)
    check_kinds("clamp", rt, _clamp_kinds(lo, hi))
    op = E.Clamp()
    if label != "Clamp":
        op.label = label
    return out_(call(op, *args), out, "clamp")


@tensor_method("clamp_", "clip_")
def clamp_(self, min=None, max=None):  # noqa: A002
    """:func:`ember.clamp` written into the tensor itself; returns it. Also spelled ``clip_``.

    Args:
        min (Number or Tensor, optional): the lower bound. Default: ``None``.
        max (Number or Tensor, optional): the upper bound. Default: ``None``.

    Example:
        >>> x = ember.tensor([-2.0, 0.5, 3.0])
        >>> _ = x.clamp_(0, 1)
        >>> x
        tensor([0.0000, 0.5000, 1.0000])
    """
    _check_bounds(self, min, max, "clamp_")
    return apply_("clamp", self, E.Clamp(), min, max, kinds=_clamp_kinds(min, max))


def _clamp_kinds(lo, hi):
    """torch clamps a bool tensor only by one tensor bound (its other kernels refuse bool)."""
    return _REAL if (lo is None) != (hi is None) and isinstance(hi if lo is None else lo, Tensor) \
        else "iuf"


def _check_bounds(x, lo, hi, name, function=False):
    """torch's errors for clamp's bounds: both None, or a number next to a tensor of 1 or more
    dims (torch's overloads take (Tensor, Tensor) or (Number, Number), a 0-d tensor counting
    as a number, None for either)."""
    bounds = [b for b in (lo, hi) if b is not None]
    numbers = [b for b in bounds if not isinstance(b, Tensor)]
    if (numbers and any(isinstance(b, Tensor) and b._data.ndim for b in bounds)) or \
            any(scalar_category(b) is None for b in numbers):
        got = ", ".join(["Tensor"] * function + ["NoneType" if b is None else "Tensor" if
                                                 isinstance(b, Tensor) else type(b).__name__
                                                 for b in (lo, hi)])
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({got}), "
                        "but expected one of: (Tensor input, Tensor min = None, Tensor max = "
                        "None) or (Tensor input, Number min = None, Number max = None)")
    if not bounds:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")


clip, clip_ = clamp, clamp_


@tensor_method("clamp_min")
def clamp_min(input, min, *, out=None):  # noqa: A002
    """Each element raised to at least ``min``: :func:`ember.clamp` with a lower bound only.

    Args:
        input (Tensor): the input.
        min (Number or Tensor): the lower bound.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.clamp_min(ember.tensor([-1, 2]), 0)
        tensor([0, 2])
    """
    return _clamp(input, min, None, out, "ClampMin")


@tensor_method("clamp_max")
def clamp_max(input, max, *, out=None):  # noqa: A002
    """Each element lowered to at most ``max``: :func:`ember.clamp` with an upper bound only.

    Args:
        input (Tensor): the input.
        max (Number or Tensor): the upper bound.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.clamp_max(ember.tensor([-1, 2]), 0)
        tensor([-1,  0])
    """
    return _clamp(input, None, max, out, "ClampMax")


@tensor_method("clamp_min_")
def clamp_min_(self, min):  # noqa: A002
    return clamp_(self, min, None)


@tensor_method("clamp_max_")
def clamp_max_(self, max):  # noqa: A002
    return clamp_(self, None, max)


# -- bitwise ops (integer and bool tensors) -------------------------------------------
def _bitwise(name, fn, kinds=_INT):
    return _binary(name, lambda: partial(ufunc, fn), kinds=kinds, scalar_input=True)


bitwise_and = _bitwise("bitwise_and", "bitwise_and")
bitwise_or = _bitwise("bitwise_or", "bitwise_or")
bitwise_xor = _bitwise("bitwise_xor", "bitwise_xor")
bitwise_left_shift = _bitwise("bitwise_left_shift", "left_shift", "iu")
bitwise_right_shift = _bitwise("bitwise_right_shift", "right_shift", "iu")


bitwise_not = _ufunc_unary("bitwise_not", "invert", _INT)


@tensor_method("bitwise_not_")
def bitwise_not_(self):
    check_kinds("bitwise_not", self.dtype, _INT)
    return apply_inplace(self, partial(ufunc, "invert"))


def _invert(self):
    if self._data.dtype.kind not in _INT:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return bitwise_not(self)


# -- in-place arithmetic ---------------------------------------------------------
@tensor_method("add_")
def add_(self, other, *, alpha=1):
    return apply_("add", self, E.Add(_alpha(alpha, promoted(self, other))), other)


@tensor_method("sub_", "subtract_")
def sub_(self, other, *, alpha=1):
    _check_bool_sub(self, other)
    return apply_("sub", self, E.Sub(_alpha(alpha, promoted(self, other))), other)


@tensor_method("mul_", "multiply_")
def mul_(self, other):
    return apply_("mul", self, E.Mul(), other)


@tensor_method("div_", "divide_")
def div_(self, other, *, rounding_mode=None):
    if rounding_mode is None:
        return apply_("div", self, E.Div(), other, to_float=True)
    _check_rounding(rounding_mode)
    return apply_(f"div_{rounding_mode}", self, E.RoundedDiv(rounding_mode), other, kinds=_NUM)


@tensor_method("true_divide_")
def true_divide_(self, other):
    return div_(self, other)


@tensor_method("floor_divide_")
def floor_divide_(self, other):
    return apply_("floor_divide", self, E.FloorDivide(), other, kinds=_NUM)


@tensor_method("pow_")
def pow_(self, exponent):
    _check_int_pow(self, exponent)
    if _bool_power(self, exponent):
        return self if exponent else apply_inplace(self, partial(ufunc, "ones_like"))
    if isinstance(exponent, Tensor) and self._data.dtype.kind in "iu" and \
            exponent._data.dtype.kind in "iu" and exponent.dtype is not self.dtype:
        # torch computes in the promoted dtype, then casts: a negative int64 exponent must
        # not wrap to a large one in a uint8 base's dtype (integers carry no graph)
        result = pow(self, exponent)
        if result.shape != self.shape:
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the "
                               f"broadcast shape {list(result.shape)}")
        return self.copy_(result)
    return apply_("pow", self, E.Pow(), exponent, kinds=_NUM)


# -- operators ----------------------------------------------------------------
#: operand types an operator accepts; anything else returns NotImplemented (Python's TypeError)
OPERAND_TYPES = (Tensor, int, float, complex, np.generic, np.ndarray)


def operator(fn, reflected=False):
    """A binary dunder method calling ``fn`` (with swapped operands when ``reflected``)."""
    if reflected:
        def op(self, other):
            return fn(other, self) if isinstance(other, OPERAND_TYPES) else NotImplemented
    else:
        def op(self, other):
            return fn(self, other) if isinstance(other, OPERAND_TYPES) else NotImplemented
    return op


def inplace_operator(method):
    def op(self, other):
        return method(self, other) if isinstance(other, OPERAND_TYPES) else NotImplemented
    return op


def _graphless(ufunc, fn):
    """``a OP b`` for two plain float tensors of one dtype that need no graph (``fn`` otherwise).

    The per-op hot path (``x + y`` under no_grad or on constants): straight to
    the ufunc, skipping promotion and the Op machinery; a broadcasting clash
    falls back to ``fn`` for torch's message.
    """
    def op(self, other):
        if type(other) is Tensor:
            a, b = self._data, other._data
            if a.dtype is b.dtype and a.dtype.kind == "f" and (
                    not (self._requires_grad or other._requires_grad or self._base is not None
                         or other._base is not None) or not _grad_state.enabled):
                try:
                    return _wrap(ufunc(a, b))
                except (ValueError, TypeError):  # broadcasting clash; two devices (CuPy)
                    pass
        return fn(self, other) if isinstance(other, OPERAND_TYPES) else NotImplemented
    return op


for _dunder, _fn, _fn_ in [
        ("add", add, Tensor.add_), ("sub", sub, Tensor.sub_), ("mul", mul, Tensor.mul_),
        ("truediv", div, Tensor.div_), ("floordiv", floor_divide, Tensor.floor_divide_),
        ("mod", remainder, Tensor.remainder_), ("pow", pow, Tensor.pow_),
        ("and", bitwise_and, Tensor.bitwise_and_), ("or", bitwise_or, Tensor.bitwise_or_),
        ("xor", bitwise_xor, Tensor.bitwise_xor_), ("lshift", bitwise_left_shift,
                                                     Tensor.bitwise_left_shift_),
        ("rshift", bitwise_right_shift, Tensor.bitwise_right_shift_)]:
    setattr(Tensor, f"__{_dunder}__", operator(_fn))
    setattr(Tensor, f"__r{_dunder}__", operator(_fn, reflected=True))
    setattr(Tensor, f"__i{_dunder}__", inplace_operator(_fn_))
def _rtruediv(self, other):
    """``other / self`` as torch computes it: ``self.reciprocal() * other`` (two nodes)."""
    return mul(reciprocal(self), other) if isinstance(other, OPERAND_TYPES) else NotImplemented


Tensor.__rtruediv__ = _rtruediv
Tensor.__add__ = _graphless(np.add, add)
Tensor.__sub__ = _graphless(np.subtract, sub)
Tensor.__mul__ = _graphless(np.multiply, mul)
Tensor.__invert__ = _invert
#: NumPy defers ``ndarray + tensor`` to the tensor's reflected operator
Tensor.__array_priority__ = 1000
