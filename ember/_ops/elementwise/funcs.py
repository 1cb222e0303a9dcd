"""Public elementwise functions, their Tensor methods, operators and in-place forms.

Every function follows torch's type promotion (``result_type`` over tensors
and Python scalars), turns integer inputs of float-valued ops (sqrt, sin, ...)
into the default float dtype, refuses the dtypes torch refuses with the
exception torch raises, and supports ``out=`` and an in-place ``name_`` form
where torch has them.
"""

import numpy as np

from ..._tensor import Tensor, tensor_method, _wrap
from ... import _dtype
from . import ops as E
from .docs import DOCS
from ..activation.ops import Shrink
from ..base import get_xp
from ..common import (float_input, handle_out, check_cast, broadcast_shape, fit_scalar, promoted,
                      promote_all, as_operand, to_dtype, FLOAT_CATEGORY)
from ..inplace import apply_inplace

__all__ = ["add", "sub", "subtract", "rsub", "mul", "multiply", "div", "divide", "true_divide",
           "floor_divide", "fmod", "remainder", "pow", "float_power", "neg", "negative", "abs",
           "absolute", "sign", "sgn", "signbit", "reciprocal", "square", "exp", "exp2", "expm1",
           "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "sin", "cos", "tan", "asin", "arcsin",
           "acos", "arccos", "atan", "arctan", "atan2", "arctan2", "sinh", "cosh", "tanh", "asinh",
           "arcsinh", "acosh", "arccosh", "atanh", "arctanh", "sigmoid", "sigmoid_", "logit",
           "erf", "erfc", "erfinv", "floor", "ceil", "round", "trunc", "fix", "frac", "maximum",
           "minimum", "fmax", "fmin", "relu", "relu_", "nan_to_num", "hypot", "xlogy", "copysign",
           "deg2rad", "rad2deg", "positive"]

# dtype kinds (NumPy letters) each op accepts; others raise NotImplementedError as torch does
_ANY, _NUM, _REAL, _INT, _FLOAT = "biufc", "iufc", "biuf", "biu", "f"


# -- argument handling shared with the comparison family ------------------------------
def label(d):
    """torch's name for a dtype in messages: Float, Long, Bool, ..."""
    return d._tensor_type[:-6]


def check_tensor(x, name, arg="input", pos=1):
    """TypeError, worded as torch's, when an argument that must be a Tensor is not."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument '{arg}' (position {pos}) must be Tensor, "
                        f"not {type(x).__name__}")
    return x


def check_kinds(name, dtype, kinds):
    """NotImplementedError for a dtype the op has no kernel for (torch's wording)."""
    if dtype.np.kind not in kinds:
        raise NotImplementedError(f'"{name}" not implemented for \'{label(dtype)}\'')


def call(fn, *args):
    """``fn(*args)``, with NumPy's broadcasting ValueError turned into torch's RuntimeError."""
    try:
        return fn(*args)
    except ValueError:
        broadcast_shape(*(a.shape for a in args if isinstance(a, Tensor)))
        raise


def out_(result, out, name):
    """``handle_out`` after torch's check that the result's dtype may be cast into ``out``."""
    if out is None:
        return result
    check_tensor(out, name, "out")
    check_cast(result.dtype, out.dtype)
    return handle_out(result, out, name)


def apply(name, op, *operands, kinds=_ANY, to_float=False, out=None):
    """Promote ``operands``, check the dtype is supported, run ``op`` and honour ``out=``
    (whose cast torch checks before the dtype support)."""
    args, rt = promote_all(*operands, to_float=to_float)
    if out is not None:
        check_tensor(out, name, "out")
        check_cast(rt, out.dtype)
    check_kinds(name, rt, kinds)
    return out_(call(op, *args), out, name)


def apply_(name, self, op, *others, kinds=_ANY, to_float=False):
    """In-place ``self.name_(*others)``: computed at self's dtype, if torch allows the cast."""
    others = [as_operand(o) for o in others]
    rt = promoted(self, *others, to_float=to_float)
    check_cast(rt, self.dtype, "output")
    check_kinds(name, rt, kinds)
    args = [to_dtype(o, self.dtype) for o in others]
    return call(lambda s, *a: apply_inplace(s, op, *a), self, *args)


def _named(fn, name, doc):
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


# -- unary ops ------------------------------------------------------------------
def _unary(name, op, *, kinds=_NUM, to_float=False, aliases=(), doc=None):
    """Define ``name(input, *, out=None)``, its Tensor methods and in-place ``name_``."""
    def fn(input, *, out=None):
        x = check_tensor(input, name)
        if to_float:
            x = float_input(x)
        check_kinds(name, x.dtype, kinds)
        return out_(op()(x), out, name)

    def fn_(self):
        return apply_(name, self, op(), kinds=kinds, to_float=to_float)

    doc = doc or DOCS[name]
    tensor_method(name, *aliases)(_named(fn, name, doc))
    tensor_method(name + "_", *(a + "_" for a in aliases))(_named(fn_, name + "_", doc))
    return fn


def _float_unary(name, op, aliases=()):
    return _unary(name, op, kinds=_FLOAT + "c", to_float=True, aliases=aliases)


exp = _float_unary("exp", E.Exp)
exp2 = _float_unary("exp2", E.Exp2)
expm1 = _float_unary("expm1", E.Expm1)
log = _float_unary("log", E.Log)
log2 = _float_unary("log2", E.Log2)
log10 = _float_unary("log10", E.Log10)
log1p = _float_unary("log1p", E.Log1p)
sqrt = _float_unary("sqrt", E.Sqrt)
rsqrt = _float_unary("rsqrt", E.Rsqrt)
sin = _float_unary("sin", E.Sin)
cos = _float_unary("cos", E.Cos)
tan = _float_unary("tan", E.Tan)
asin = arcsin = _float_unary("asin", E.Asin, ("arcsin",))
acos = arccos = _float_unary("acos", E.Acos, ("arccos",))
atan = arctan = _float_unary("atan", E.Atan, ("arctan",))
sinh = _float_unary("sinh", E.Sinh)
cosh = _float_unary("cosh", E.Cosh)
tanh = _float_unary("tanh", E.Tanh)
asinh = arcsinh = _float_unary("asinh", E.Asinh, ("arcsinh",))
acosh = arccosh = _float_unary("acosh", E.Acosh, ("arccosh",))
atanh = arctanh = _float_unary("atanh", E.Atanh, ("arctanh",))
sigmoid = _float_unary("sigmoid", E.Sigmoid)
sigmoid_ = Tensor.sigmoid_
erf = _unary("erf", E.Erf, kinds=_FLOAT, to_float=True)  # no complex kernel in torch
erfc = _unary("erfc", E.Erfc, kinds=_FLOAT, to_float=True)  # no complex kernel in torch
erfinv = _unary("erfinv", E.Erfinv, kinds=_FLOAT, to_float=True)  # no complex kernel in torch
reciprocal = _float_unary("reciprocal", E.Reciprocal)
deg2rad = _float_unary("deg2rad", E.Deg2rad)
rad2deg = _float_unary("rad2deg", E.Rad2deg)
abs = absolute = _unary("abs", E.Abs, aliases=("absolute",))  # noqa: A001
frac = _unary("frac", E.Frac, kinds=_FLOAT)
sign = _unary("sign", E.Sign, kinds=_REAL)
sgn = _unary("sgn", E.Sgn, kinds=_ANY)
Tensor.__abs__ = abs


@tensor_method("neg", "negative", "__neg__")
def neg(input, *, out=None):
    """The negative of each element: ``out = -input``.

    A bool tensor raises ``RuntimeError`` (invert a mask with ``~`` or
    :func:`ember.logical_not`). Also spelled ``negative``.

    Args:
        input (Tensor): the input.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.neg(ember.tensor([1, -2]))
        tensor([-1,  2])
    """
    _refuse_bool(check_tensor(input, "neg"), _NEG_BOOL)
    return out_(E.Neg()(input), out, "neg")


@tensor_method("neg_", "negative_")
def neg_(self):
    _refuse_bool(self, _NEG_BOOL)
    return apply_inplace(self, E.Neg())


negative = neg
_NEG_BOOL = ("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
             "invert a mask, use the `~` or `logical_not()` operator instead.")


def _refuse_bool(x, message):
    if x._data.dtype.kind == "b":
        raise RuntimeError(message)


@tensor_method("positive", "__pos__")
def positive(input):
    """``input`` itself, the unary plus ``+input``; a bool tensor raises ``RuntimeError``.

    Args:
        input (Tensor): the input.

    Example:
        >>> ember.positive(ember.tensor([1, -2]))
        tensor([ 1, -2])
    """
    _refuse_bool(check_tensor(input, "positive"), "The `+` operator, on a bool tensor is not "
                                                  "supported.")
    return input


@tensor_method("square")
def square(input, *, out=None):
    """The square of each element: ``out = input * input``.

    The dtype is kept, except that a bool tensor gives ``int64`` (as ``pow(input, 2)``).

    Args:
        input (Tensor): the input.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.square(ember.tensor([-3, 2]))
        tensor([9, 4])
    """
    x = check_tensor(input, "square")
    if x._data.dtype.kind == "b":
        x = x.to(_dtype.int64)
    return out_(E.Square()(x), out, "square")


@tensor_method("square_")
def square_(self):
    if self._data.dtype.kind == "b":
        check_cast(_dtype.int64, self.dtype)
    return apply_inplace(self, E.Square())


@tensor_method("relu")
def relu(input):
    """The rectified linear unit of each element: ``out = max(input, 0)``.

    Integer tensors stay integer; a bool tensor raises ``RuntimeError``. The layer form is
    :class:`ember.nn.ReLU`.

    Args:
        input (Tensor): the input.

    Example:
        >>> ember.relu(ember.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """
    _refuse_bool(check_tensor(input, "relu"), "Boolean inputs not supported for relu")
    return E.Relu()(input)


@tensor_method("relu_")
def relu_(input):
    """:func:`ember.relu` written into ``input`` itself; returns ``input``.

    Args:
        input (Tensor): the tensor to overwrite.

    Example:
        >>> x = ember.tensor([-1.0, 2.0])
        >>> _ = ember.relu_(x)
        >>> x
        tensor([0., 2.])
    """
    _refuse_bool(check_tensor(input, "relu_"), "Boolean inputs not supported for relu")
    return apply_inplace(input, E.Relu())


def _rounding(name, op, aliases=()):
    """floor/ceil/trunc: integer tensors come back as an unchanged copy, as in torch."""
    def fn(input, *, out=None):
        x = check_tensor(input, name)
        check_kinds(name, x.dtype, _NUM)
        return out_(_int_copy(x) if x._data.dtype.kind in "iu" else op()(x), out, name)

    def fn_(self):
        check_kinds(name, self.dtype, _NUM)
        return self if self._data.dtype.kind in "iu" else apply_inplace(self, op())

    doc = DOCS[name]
    tensor_method(name, *aliases)(_named(fn, name, doc))
    tensor_method(name + "_", *(a + "_" for a in aliases))(_named(fn_, name + "_", doc))
    return fn


def _int_copy(x):
    """A copy outside the graph (ops that are the identity on integer and bool tensors)."""
    return _wrap(x._data.copy())


floor = _rounding("floor", E.Floor)
ceil = _rounding("ceil", E.Ceil)
trunc = fix = _rounding("trunc", E.Trunc, ("fix",))


@tensor_method("round")
def round(input, *, decimals=0, out=None):  # noqa: A001
    """Each element rounded to the nearest value with ``decimals`` decimal places.

    Halfway cases round to even (``0.5 -> 0``, ``1.5 -> 2``). A negative ``decimals`` rounds to
    tens, hundreds, ...; integer tensors come back as a copy. The gradient is zero.

    Args:
        input (Tensor): the input.
        decimals (int): how many decimal places to keep. Default: ``0``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.round(ember.tensor([0.5, 1.5, 2.567]))
        tensor([0., 2., 3.])
        >>> ember.round(ember.tensor([1234.0]), decimals=-2)
        tensor([1200.])
    """
    x = check_tensor(input, "round")
    check_kinds("round", x.dtype, _NUM if decimals == 0 else _FLOAT)
    return out_(_int_copy(x) if x._data.dtype.kind in "iu" else E.Round(decimals)(x), out, "round")


@tensor_method("round_")
def round_(self, *, decimals=0):
    check_kinds("round", self.dtype, _NUM if decimals == 0 else _FLOAT)
    return self if self._data.dtype.kind in "iu" else apply_inplace(self, E.Round(decimals))


@tensor_method("logit")
def logit(input, eps=None, *, out=None):
    """The log-odds of each element, the inverse of :func:`ember.sigmoid`.

    ``out = ln(p / (1 - p))`` where ``p`` is ``input`` clamped to ``[eps, 1 - eps]`` when
    ``eps`` is given (else 0 and 1 give ``-inf`` and ``inf``). Integer inputs give the default
    float dtype.

    Args:
        input (Tensor): probabilities.
        eps (float, optional): the clamping margin. Default: ``None`` (no clamping).
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.logit(ember.tensor([0.5, 0.75]))
        tensor([0.0000, 1.0986])
        >>> ember.logit(ember.tensor([0.0, 1.0]), eps=0.25)
        tensor([-1.0986,  1.0986])
    """
    x = float_input(check_tensor(input, "logit"))
    check_kinds("logit", x.dtype, _FLOAT)
    return out_(E.Logit(eps)(x), out, "logit")


@tensor_method("logit_")
def logit_(self, eps=None):
    return apply_("logit", self, E.Logit(eps), kinds=_FLOAT, to_float=True)


@tensor_method("nan_to_num")
def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """``input`` with NaN and infinite values replaced by finite numbers.

    NaN becomes ``nan``, ``+inf`` becomes ``posinf`` and ``-inf`` becomes ``neginf``; integer
    and bool tensors come back as a copy.

    Args:
        input (Tensor): the input.
        nan (float): the value for NaN. Default: ``0.0``.
        posinf (float, optional): the value for ``+inf``. Default: the dtype's largest value.
        neginf (float, optional): the value for ``-inf``. Default: the dtype's lowest value.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.nan_to_num(ember.tensor([float("nan"), float("inf"), -float("inf")]), posinf=9.0)
        tensor([ 0.0000e+00,  9.0000e+00, -3.4028e+38])
    """
    x = check_tensor(input, "nan_to_num")
    if x._data.dtype.kind != "f":
        return out_(_int_copy(x), out, "nan_to_num")
    return out_(E.NanToNum(nan, posinf, neginf)(x), out, "nan_to_num")


@tensor_method("nan_to_num_")
def nan_to_num_(self, nan=0.0, posinf=None, neginf=None):
    if self._data.dtype.kind != "f":
        return self
    return apply_inplace(self, E.NanToNum(nan, posinf, neginf))


def _ufunc_unary(name, fn, kinds):
    """Define ``name(input, *, out=None)`` and its Tensor method: ``ufunc(fn)`` (no graph) on a
    tensor whose dtype is one of ``kinds``."""
    def f(input, *, out=None):
        x = check_tensor(input, name)
        check_kinds(name, x.dtype, kinds)
        return out_(ufunc(fn, x), out, name)

    tensor_method(name)(_named(f, name, DOCS[name]))
    return f


signbit = _ufunc_unary("signbit", "signbit", _REAL)


# -- binary arithmetic ------------------------------------------------------------
def _same_float(a, b):
    """True for the hot case that needs no promotion: a float tensor with a tensor of the
    same dtype or a Python int/float (NumPy keeps the array's dtype, as torch does)."""
    if type(a) is not Tensor or a._data.dtype.kind != "f":
        return False
    tb = type(b)
    return tb is float or tb is int or (tb is Tensor and b._data.dtype == a._data.dtype)


@tensor_method("add")
def add(input, other, *, alpha=1, out=None):
    """The elementwise sum ``out = input + alpha * other``.

    The operands broadcast and promote to a common dtype (a Python scalar does not widen a
    tensor's dtype within its kind). Also the ``+`` operator.

    Args:
        input (Tensor or Number): the first operand.
        other (Tensor or Number): the second operand; shapes broadcast.
        alpha (Number): the multiplier of ``other``. Default: ``1``.
        out (Tensor, optional): write the result here.
    Shape:
        - Output: the broadcast shape of the operands.

    Example:
        >>> ember.add(ember.tensor([1.0, 2.0]), ember.tensor([10.0, 20.0]), alpha=2)
        tensor([21., 42.])
    """
    if out is None and alpha == 1 and type(alpha) is int and _same_float(input, other):
        try:
            return E.Add(1)(input, other)
        except ValueError:
            pass  # a broadcasting clash: the general path raises torch's message
    args, rt = promote_all(input, other)
    return out_(call(E.Add(_alpha(alpha, rt)), *args), out, "add")


@tensor_method("sub", "subtract")
def sub(input, other, *, alpha=1, out=None):
    """The elementwise difference ``out = input - alpha * other``.

    The operands broadcast and promote as in :func:`ember.add`; bool operands raise
    ``RuntimeError``. Also spelled ``subtract``, and the ``-`` operator.

    Args:
        input (Tensor or Number): the first operand.
        other (Tensor or Number): the second operand; shapes broadcast.
        alpha (Number): the multiplier of ``other``. Default: ``1``.
        out (Tensor, optional): write the result here.
    Shape:
        - Output: the broadcast shape of the operands.

    Example:
        >>> ember.sub(ember.tensor([5, 5]), ember.tensor([1, 2]), alpha=2)
        tensor([3, 1])
    """
    _check_bool_sub(input, other)
    args, rt = promote_all(input, other)
    op = E.Sub(_alpha(alpha, rt))
    if not isinstance(input, Tensor):
        op.label = "RsubBackward1"  # number - tensor: torch's rsub
    return out_(call(op, *args), out, "sub")


@tensor_method("rsub")
def rsub(input, other, *, alpha=1):
    """The reversed difference ``out = other - alpha * input``.

    Args:
        input (Tensor): the tensor subtracted.
        other (Tensor or Number): the value subtracted from; shapes broadcast.
        alpha (Number): the multiplier of ``input``. Default: ``1``.

    Shape:
        - Output: the broadcast shape of the operands.

    Example:
        >>> ember.rsub(ember.tensor([1.0, 2.0]), 10)
        tensor([9., 8.])
    """
    _check_bool_sub(input, other)
    args, rt = promote_all(other, input)
    op = E.Sub(_alpha(alpha, rt))
    op.label = "RsubBackward0" if isinstance(other, Tensor) else "RsubBackward1"
    return call(op, *args)


subtract = sub


def _alpha(alpha, rt):
    """Validate ``alpha`` against the result dtype as torch does; bool results use a bool."""
    if alpha == 1 and type(alpha) is int and rt is not _dtype.bool:
        return 1
    if rt is _dtype.bool:
        return bool(alpha)
    if type(alpha) is bool or isinstance(alpha, np.bool_):
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if rt._category < FLOAT_CATEGORY and isinstance(alpha, (float, np.floating)):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    return fit_scalar(alpha, rt.np)


def _check_bool_sub(a, b):
    bools = _is_bool(a) + _is_bool(b)
    if bools == 2:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    if bools:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")


def _is_bool(x):
    return x._data.dtype.kind == "b" if isinstance(x, Tensor) else isinstance(x, (bool, np.bool_))


@tensor_method("mul", "multiply")
def mul(input, other, *, out=None):
    """The elementwise product ``out = input * other``.

    The operands broadcast and promote as in :func:`ember.add`. Also spelled ``multiply``, and
    the ``*`` operator.

    Args:
        input (Tensor or Number): the first operand.
        other (Tensor or Number): the second operand; shapes broadcast.
        out (Tensor, optional): write the result here.
    Shape:
        - Output: the broadcast shape of the operands.

    Example:
        >>> ember.mul(ember.tensor([1, 2]), 1.5)
        tensor([1.5000, 3.0000])
    """
    if out is None and _same_float(input, other):
        try:
            return E.Mul()(input, other)
        except ValueError:
            pass  # a broadcasting clash: the general path raises torch's message
    return apply("mul", E.Mul(), input, other, out=out)


multiply = mul


@tensor_method("div", "divide")
def div(input, other, *, rounding_mode=None, out=None):
    """The elementwise quotient ``out = input / other``.

    Without ``rounding_mode`` this is true division: integer operands give the default float
    dtype. ``"trunc"`` rounds the quotient toward zero and ``"floor"`` rounds it down, keeping
    integer dtypes. Also spelled ``divide``, and the ``/`` operator.

    Args:
        input (Tensor or Number): the dividend.
        other (Tensor or Number): the divisor; shapes broadcast.
        rounding_mode (str, optional): ``None``, ``"trunc"`` or ``"floor"``. Default: ``None``.
        out (Tensor, optional): write the result here.
    Shape:
        - Output: the broadcast shape of the operands.

    Example:
        >>> ember.div(ember.tensor([7, -7]), 2)
        tensor([ 3.5000, -3.5000])
        >>> ember.div(ember.tensor([7, -7]), 2, rounding_mode="floor")
        tensor([ 3, -4])
    """
    if rounding_mode is None:
        return apply("div", E.Div(), input, other, to_float=True, out=out)
    _check_rounding(rounding_mode)
    return apply(f"div_{rounding_mode}", E.RoundedDiv(rounding_mode), input, other, kinds=_NUM,
                 out=out)


@tensor_method("true_divide")
def true_divide(input, other, *, out=None):
    """True division, :func:`ember.div` without a rounding mode.

    Args:
        input (Tensor or Number): the dividend.
        other (Tensor or Number): the divisor; shapes broadcast.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.true_divide(ember.tensor([1, 3]), 2)
        tensor([0.5000, 1.5000])
    """
    return div(input, other, out=out)


divide = div


def _check_rounding(mode):
    if mode not in ("trunc", "floor"):
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                           f"found '{mode}'")


@tensor_method("floor_divide")
def floor_divide(input, other, *, out=None):
    """The quotient rounded down: ``out = floor(input / other)``.

    Integer operands keep their dtype (integer division by zero raises ``RuntimeError``), the
    ``//`` operator.

    Args:
        input (Tensor or Number): the dividend.
        other (Tensor or Number): the divisor; shapes broadcast.
        out (Tensor, optional): write the result here.
    Shape:
        - Output: the broadcast shape of the operands.

    Example:
        >>> ember.floor_divide(ember.tensor([7, -7]), 2)
        tensor([ 3, -4])
    """
    return apply("floor_divide", E.FloorDivide(), input, other, kinds=_NUM, out=out)


@tensor_method("pow")
def pow(input, exponent, *, out=None):  # noqa: A001
    """Each element of ``input`` raised to the power ``exponent``: ``out = input ** exponent``.

    Either operand may be a Python number (not both); shapes broadcast and dtypes promote. An
    integer tensor raised to a negative integer raises ``RuntimeError``.

    Args:
        input (Tensor or Number): the base.
        exponent (Tensor or Number): the exponent.
        out (Tensor, optional): write the result here.
    Shape:
        - Output: the broadcast shape of the operands.

    Example:
        >>> ember.pow(ember.tensor([1, 2, 3]), 2)
        tensor([1, 4, 9])
        >>> ember.pow(2, ember.tensor([0.0, 1.0, 3.0]))
        tensor([1., 2., 8.])
    """
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        raise TypeError(f"pow() needs a Tensor base or exponent, got {type(input).__name__} and "
                        f"{type(exponent).__name__}")
    _check_int_pow(input, exponent)
    if _bool_power(input, exponent):
        return out_(_int_copy(input) if exponent else ufunc("ones_like", input), out, "pow")
    return apply("pow", E.Pow(), input, exponent, kinds=_NUM, out=out)


def _bool_power(base, exponent):
    """A bool tensor to a bool scalar power: torch's x**1 / x**0 shortcuts (copy / all True)."""
    return isinstance(base, Tensor) and base._data.dtype.kind == "b" and \
        isinstance(exponent, (bool, np.bool_))


def _check_int_pow(base, exponent):
    """An integer tensor raised to a negative integer scalar raises, as in torch."""
    if isinstance(base, Tensor) and base._data.dtype.kind in "biu" and \
            isinstance(exponent, (int, np.integer)) and not isinstance(exponent, bool) \
            and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")


@tensor_method("float_power")
def float_power(input, exponent, *, out=None):
    """``input ** exponent`` computed in double precision.

    Both operands are converted to ``float64`` (``complex128`` if either is complex) first, so
    the result always has that dtype.

    Args:
        input (Tensor or Number): the base.
        exponent (Tensor or Number): the exponent.
        out (Tensor, optional): write the result here.
    Shape:
        - Output: the broadcast shape of the operands.

    Example:
        >>> ember.float_power(ember.tensor([2]), 3)
        tensor([8.], dtype=ember.float64)
    """
    args = [_to_double(x) for x in (input, exponent)]
    return out_(pow(*args), out, "float_power")


def _to_double(x):
    if not isinstance(x, Tensor):
        return x
    return x.to(_dtype.complex128 if x.is_complex() else _dtype.float64)


@tensor_method("float_power_")
def float_power_(self, exponent):
    if self.dtype is not _dtype.float64:
        raise RuntimeError(f"the base given to float_power_ has dtype {label(self.dtype)} but the "
                           "operation's result requires dtype Double")
    return apply_("pow", self, E.Pow(), _to_double(exponent), kinds=_FLOAT)


def _binary(name, op, *, kinds=_NUM, to_float=False, tensor_other=False, scalar_input=False,
            aliases=(), doc=None):
    """Define ``name(input, other, *, out=None)``, its Tensor methods and in-place ``name_``.

    ``input`` must be a Tensor unless ``scalar_input``; ``other`` too if ``tensor_other``.
    """
    def fn(input, other, *, out=None):
        if not scalar_input:
            check_tensor(input, name)
        if tensor_other:
            check_tensor(other, name, "other", 2)
        return apply(name, op(), input, other, kinds=kinds, to_float=to_float, out=out)

    def fn_(self, other):
        if tensor_other:
            check_tensor(other, name + "_", "other", 1)
        return apply_(name, self, op(), other, kinds=kinds, to_float=to_float)

    doc = doc or DOCS[name]
    tensor_method(name, *aliases)(_named(fn, name, doc))
    tensor_method(name + "_", *(a + "_" for a in aliases))(_named(fn_, name + "_", doc))
    return fn


fmod = _binary("fmod", E.Fmod)
remainder = _binary("remainder", E.Remainder, scalar_input=True)
atan2 = arctan2 = _binary("atan2", E.Atan2, kinds=_FLOAT, to_float=True, tensor_other=True,
                          aliases=("arctan2",))
hypot = _binary("hypot", E.Hypot, kinds=_FLOAT, tensor_other=True)
xlogy = _binary("xlogy", E.Xlogy, kinds=_FLOAT, to_float=True, scalar_input=True)
copysign = _binary("copysign", E.Copysign, kinds=_FLOAT, to_float=True)
maximum = _binary("maximum", E.Maximum, kinds=_REAL, tensor_other=True)
minimum = _binary("minimum", E.Minimum, kinds=_REAL, tensor_other=True)
fmax = _binary("fmax", E.Fmax, kinds=_REAL, tensor_other=True)
fmin = _binary("fmin", E.Fmin, kinds=_REAL, tensor_other=True)


def ufunc(name, *operands):
    """The array library's function ``name`` on tensors/scalars: a result without a graph
    (bitwise, comparison and logical ops, whose results never need gradients)."""
    arrays = [x._data if isinstance(x, Tensor) else x for x in operands]
    xp = get_xp(next(a for a in arrays if hasattr(a, "shape")))
    return _wrap(getattr(xp, name)(*arrays))


@tensor_method("hardshrink")
def hardshrink(input, lambd=0.5):
    """Hard shrinkage: ``y = x`` where ``|x| > lambd``, else ``0`` (float input; the gradient
    passes where the value is kept). ``nn.functional.hardshrink`` is this function.

    Args:
        input (Tensor): the input.
        lambd (float): the threshold. Default: ``0.5``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.hardshrink(ember.tensor([-2., 0., 1.5]))
        tensor([-2.0000,  0.0000,  1.5000])
    """
    check_tensor(input, "hardshrink")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f'"hardshrink_cpu" not implemented for \'{label(input.dtype)}\'')
    return Shrink(lambd, soft=False)(input)
