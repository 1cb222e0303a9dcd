"""Public elementwise functions, their Tensor methods, operators and in-place forms.

Every function follows torch's type promotion (``result_type`` over tensors
and Python scalars), turns integer inputs of float-valued ops (sqrt, sin, ...)
into the default float dtype, refuses the dtypes torch refuses with the
exception torch raises, and supports ``out=`` and an in-place ``name_`` form
where torch has them.
"""
from functools import partial

import numpy as np

from ..._tensor import Tensor, tensor_method, _wrap
from ... import _dtype
from ..._dtype import scalar_category
from . import ops as E
from ..activation.ops import Shrink
from ..base import get_xp
from ..common import (float_input, handle_out, check_cast, broadcast_shape, fit_scalar, promoted,
                      promote_all, as_operand, to_dtype, FLOAT_CATEGORY)
from ..inplace import apply_inplace
from ...autograd.grad_mode import state as _grad_state

__all__ = [
    "add", "sub", "subtract", "rsub", "mul", "multiply", "div", "divide", "true_divide",
    "floor_divide", "fmod", "remainder", "pow", "float_power", "neg", "negative", "abs",
    "absolute", "sign", "sgn", "signbit", "reciprocal", "square", "addcmul", "addcdiv", "lerp",
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift",
    "bitwise_right_shift", "exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "sqrt",
    "rsqrt", "sin", "cos", "tan", "asin", "arcsin", "acos", "arccos", "atan", "arctan", "atan2",
    "arctan2", "sinh", "cosh", "tanh", "asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh",
    "sigmoid", "sigmoid_", "logit", "erf", "erfc", "erfinv", "floor", "ceil", "round", "trunc",
    "fix", "frac", "clamp", "clip", "clamp_", "clip_", "clamp_min", "clamp_max", "maximum",
    "minimum", "fmax", "fmin", "relu", "relu_", "nan_to_num", "hypot", "xlogy", "copysign",
    "deg2rad", "rad2deg", "positive",
]

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

    doc = doc or f"Elementwise {name}" + (" (integer inputs give the default float dtype)."
                                          if to_float else ".")
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
    """-input; a bool tensor raises, as in torch (use ``~`` to invert a mask)."""
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
    """``input`` itself (``+input``); a bool tensor raises, as in torch."""
    _refuse_bool(check_tensor(input, "positive"), "The `+` operator, on a bool tensor is not "
                                                  "supported.")
    return input


@tensor_method("square")
def square(input, *, out=None):
    """input * input; bool squares to int64 as torch's pow(input, 2) does."""
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
    """max(input, 0); integer tensors stay integer, bool raises as in torch."""
    _refuse_bool(check_tensor(input, "relu"), "Boolean inputs not supported for relu")
    return E.Relu()(input)


@tensor_method("relu_")
def relu_(input):
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

    doc = f"Elementwise {name} (zero gradient; integer tensors are returned as a copy)."
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
    """Round half to even, at ``decimals`` places (negative: tens, hundreds, ...)."""
    x = check_tensor(input, "round")
    check_kinds("round", x.dtype, _NUM if decimals == 0 else _FLOAT)
    return out_(_int_copy(x) if x._data.dtype.kind in "iu" else E.Round(decimals)(x), out, "round")


@tensor_method("round_")
def round_(self, *, decimals=0):
    check_kinds("round", self.dtype, _NUM if decimals == 0 else _FLOAT)
    return self if self._data.dtype.kind in "iu" else apply_inplace(self, E.Round(decimals))


@tensor_method("logit")
def logit(input, eps=None, *, out=None):
    """log(p / (1 - p)), with p clamped to [eps, 1 - eps] when ``eps`` is given."""
    x = float_input(check_tensor(input, "logit"))
    check_kinds("logit", x.dtype, _FLOAT)
    return out_(E.Logit(eps)(x), out, "logit")


@tensor_method("logit_")
def logit_(self, eps=None):
    return apply_("logit", self, E.Logit(eps), kinds=_FLOAT, to_float=True)


@tensor_method("nan_to_num")
def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """NaN -> ``nan``, +inf/-inf -> ``posinf``/``neginf`` (default: the dtype's max/min)."""
    x = check_tensor(input, "nan_to_num")
    if x._data.dtype.kind != "f":
        return out_(_int_copy(x), out, "nan_to_num")
    return out_(E.NanToNum(nan, posinf, neginf)(x), out, "nan_to_num")


@tensor_method("nan_to_num_")
def nan_to_num_(self, nan=0.0, posinf=None, neginf=None):
    if self._data.dtype.kind != "f":
        return self
    return apply_inplace(self, E.NanToNum(nan, posinf, neginf))


def _ufunc_unary(name, fn, kinds, doc):
    """Define ``name(input, *, out=None)`` and its Tensor method: ``ufunc(fn)`` (no graph) on a
    tensor whose dtype is one of ``kinds``."""
    def f(input, *, out=None):
        x = check_tensor(input, name)
        check_kinds(name, x.dtype, kinds)
        return out_(ufunc(fn, x), out, name)

    tensor_method(name)(_named(f, name, doc))
    return f


signbit = _ufunc_unary("signbit", "signbit", _REAL,
                       "True where the sign bit is set (including -0.0).")


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
    """input + alpha * other."""
    if out is None and alpha == 1 and type(alpha) is int and _same_float(input, other):
        try:
            return E.Add(1)(input, other)
        except ValueError:
            pass  # a broadcasting clash: the general path raises torch's message
    args, rt = promote_all(input, other)
    return out_(call(E.Add(_alpha(alpha, rt)), *args), out, "add")


@tensor_method("sub", "subtract")
def sub(input, other, *, alpha=1, out=None):
    """input - alpha * other (bool operands raise, as in torch)."""
    _check_bool_sub(input, other)
    args, rt = promote_all(input, other)
    op = E.Sub(_alpha(alpha, rt))
    if not isinstance(input, Tensor):
        op.label = "RsubBackward1"  # number - tensor: torch's rsub
    return out_(call(op, *args), out, "sub")


@tensor_method("rsub")
def rsub(input, other, *, alpha=1):
    """other - alpha * input."""
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
    if out is None and _same_float(input, other):
        try:
            return E.Mul()(input, other)
        except ValueError:
            pass  # a broadcasting clash: the general path raises torch's message
    return apply("mul", E.Mul(), input, other, out=out)


multiply = mul


@tensor_method("div", "divide")
def div(input, other, *, rounding_mode=None, out=None):
    """True division (integers give the default float), or rounded with 'trunc' / 'floor'."""
    if rounding_mode is None:
        return apply("div", E.Div(), input, other, to_float=True, out=out)
    _check_rounding(rounding_mode)
    return apply(f"div_{rounding_mode}", E.RoundedDiv(rounding_mode), input, other, kinds=_NUM,
                 out=out)


@tensor_method("true_divide")
def true_divide(input, other, *, out=None):
    return div(input, other, out=out)


divide = div


def _check_rounding(mode):
    if mode not in ("trunc", "floor"):
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                           f"found '{mode}'")


@tensor_method("floor_divide")
def floor_divide(input, other, *, out=None):
    """input / other rounded down; integer division by zero raises."""
    return apply("floor_divide", E.FloorDivide(), input, other, kinds=_NUM, out=out)


@tensor_method("pow")
def pow(input, exponent, *, out=None):  # noqa: A001
    """input ** exponent; either may be a Python scalar (not both)."""
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
    """input ** exponent computed in float64 (complex128 for complex operands)."""
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

    doc = doc or f"Elementwise {name} of two tensors (or a tensor and a scalar)."
    tensor_method(name, *aliases)(_named(fn, name, doc))
    tensor_method(name + "_", *(a + "_" for a in aliases))(_named(fn_, name + "_", doc))
    return fn


fmod = _binary("fmod", E.Fmod, doc="C-style remainder: the result has the sign of ``input``.")
remainder = _binary("remainder", E.Remainder, scalar_input=True,
                    doc="Python-style remainder: the result has the sign of ``other``.")
atan2 = arctan2 = _binary("atan2", E.Atan2, kinds=_FLOAT, to_float=True, tensor_other=True,
                          aliases=("arctan2",))
hypot = _binary("hypot", E.Hypot, kinds=_FLOAT, tensor_other=True)
xlogy = _binary("xlogy", E.Xlogy, kinds=_FLOAT, to_float=True, scalar_input=True,
                doc="input * log(other), 0 where input == 0 (unless other is NaN).")
copysign = _binary("copysign", E.Copysign, kinds=_FLOAT, to_float=True,
                   doc="``|input|`` with the sign of ``other``.")
maximum = _binary("maximum", E.Maximum, kinds=_REAL, tensor_other=True,
                  doc="Elementwise max; NaN propagates and ties split the gradient.")
minimum = _binary("minimum", E.Minimum, kinds=_REAL, tensor_other=True,
                  doc="Elementwise min; NaN propagates and ties split the gradient.")
fmax = _binary("fmax", E.Fmax, kinds=_REAL, tensor_other=True, doc="Elementwise max ignoring NaN.")
fmin = _binary("fmin", E.Fmin, kinds=_REAL, tensor_other=True, doc="Elementwise min ignoring NaN.")


# -- three-operand ops -------------------------------------------------------------
@tensor_method("addcmul")
def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """input + value * tensor1 * tensor2."""
    args, rt = promote_all(input, tensor1, tensor2)
    check_kinds("addcmul", rt, _NUM)
    return out_(call(E.Addcmul(_value(value, rt)), *args), out, "addcmul")


@tensor_method("addcdiv")
def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """input + value * tensor1 / tensor2 (integer tensor1 and tensor2 raise, as in torch)."""
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
    """input + weight * (end - input); ``end`` (and a dimensioned weight) share input's dtype."""
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
    """Limit values to [min, max]; bounds are scalars or tensors, the result as torch promotes.

    Where min > max every value becomes max.
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
    """max(input, min) (see clamp)."""
    return _clamp(input, min, None, out, "ClampMin")


@tensor_method("clamp_max")
def clamp_max(input, max, *, out=None):  # noqa: A002
    """min(input, max) (see clamp)."""
    return _clamp(input, None, max, out, "ClampMax")


@tensor_method("clamp_min_")
def clamp_min_(self, min):  # noqa: A002
    return clamp_(self, min, None)


@tensor_method("clamp_max_")
def clamp_max_(self, max):  # noqa: A002
    return clamp_(self, None, max)


# -- bitwise ops (integer and bool tensors) -------------------------------------------
def ufunc(name, *operands):
    """The array library's function ``name`` on tensors/scalars: a result without a graph
    (bitwise, comparison and logical ops, whose results never need gradients)."""
    arrays = [x._data if isinstance(x, Tensor) else x for x in operands]
    xp = get_xp(next(a for a in arrays if hasattr(a, "shape")))
    return _wrap(getattr(xp, name)(*arrays))


def _bitwise(name, fn, kinds=_INT):
    return _binary(name, lambda: partial(ufunc, fn), kinds=kinds, scalar_input=True)


bitwise_and = _bitwise("bitwise_and", "bitwise_and")
bitwise_or = _bitwise("bitwise_or", "bitwise_or")
bitwise_xor = _bitwise("bitwise_xor", "bitwise_xor")
bitwise_left_shift = _bitwise("bitwise_left_shift", "left_shift", "iu")
bitwise_right_shift = _bitwise("bitwise_right_shift", "right_shift", "iu")


bitwise_not = _ufunc_unary("bitwise_not", "invert", _INT,
                           "Elementwise NOT of an integer tensor (logical NOT of a bool one).")


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
