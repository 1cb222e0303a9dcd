"""Rows of the elementwise family: unary math, binary arithmetic and comparisons, ternary ops."""
import numpy as np

from .core import ALL, FLOATS, FLOAT_INT, INTS, OpRow, Sample
from .samples import binary_samples, unary_samples

POS = (0.1, 3.0)
UNIT = (-0.9, 0.9)
ACOSH = (1.1, 3.0)


def unary(name, domain=(-2.0, 2.0), aliases=(), inplace=True, out=True, dtypes=ALL, grad=True,
          operator=None, **kw):
    """A unary elementwise op: function, method, in-place method and ``out=``."""
    return OpRow(name, kw.pop("samples", unary_samples()), method=True, operator=operator,
                 inplace=name + "_" if inplace else None, out=out, aliases=aliases, dtypes=dtypes,
                 grad=grad, kind="unary", domain=domain, **kw)


def binary(name, aliases=(), inplace=True, out=True, dtypes=ALL, grad=True, operator=None,
           samples=None, **kw):
    """A binary elementwise op with broadcasting and promotion."""
    return OpRow(name, samples or binary_samples(), method=True, operator=operator,
                 inplace=name + "_" if inplace else None, out=out, aliases=aliases, dtypes=dtypes,
                 grad=grad, kind="binary", **kw)


def _reflected(op):
    """``scalar <op> tensor`` through the reflected dunder (``2.5 - x`` is ``x.__rsub__(2.5)``)."""
    return lambda lib, x, scalar: getattr(x, op)(scalar)


def _augmented(op):
    """``y <op>= other`` on a non-leaf copy ``y = x * 1`` through the in-place dunder."""
    def call(lib, x, other):
        y = x * 1 if x.requires_grad else x.clone()
        out = getattr(y, op)(other)
        assert out is y, f"{op} does not return its input"
        return y
    return call


def _scalar_first(make):
    return [Sample("2d", (make((3, 4), low=0.5), 2.5)), Sample("int_scalar", (make((3,), low=0.5), 3)),
            Sample("0d", (make((), low=0.5), 1.5))]


def _int_division_samples(make):
    """Division-like samples (divisors away from 0), and an empty int tensor divided by an int
    zero: nothing is divided, so torch returns an empty result."""
    zero = Sample("int_empty_by_zero", (make.values(np.zeros((0, 1)), "int64"),
                                        make.values([[0, 1]], "int64")))
    return binary_samples(other_domain=(0.5, 2.0))(make) + [zero]




def _alias(*names):
    return tuple(f"{scope}.{n}" for n in names for scope in ("ember", "Tensor"))


def _alias_inplace(*names):
    return _alias(*names) + tuple(f"Tensor.{n}_" for n in names)


NO_BOOL = ALL[:-1]

ROWS = [
    unary("exp"), unary("exp2"), unary("expm1"),
    unary("log", POS), unary("log2", POS), unary("log10", POS),
    unary("log1p", POS),
    unary("sqrt", POS), unary("rsqrt", POS),
    unary("sin"), unary("cos"), unary("tan", (-1.2, 1.2)),
    unary("asin", UNIT, _alias_inplace("arcsin")), unary("acos", UNIT, _alias_inplace("arccos")),
    unary("atan", aliases=_alias_inplace("arctan")),
    unary("sinh"), unary("cosh"), unary("tanh"),
    unary("asinh", aliases=_alias_inplace("arcsinh")),
    unary("acosh", ACOSH, _alias_inplace("arccosh")),
    unary("atanh", UNIT, _alias_inplace("arctanh")),
    unary("sigmoid", aliases=("ember.sigmoid_",)), unary("logit", (0.05, 0.95)),
    unary("erf"), unary("erfc"), unary("erfinv", UNIT),
    unary("reciprocal", POS),
    unary("deg2rad"),
    unary("rad2deg"),
    unary("abs", dtypes=NO_BOOL, aliases=_alias_inplace("absolute"), operator="__abs__"),
    unary("neg", aliases=_alias_inplace("negative"), operator="__neg__", dtypes=FLOAT_INT + INTS[1:]),
    unary("sign"), unary("sgn"),
    unary("square"),
    unary("frac", dtypes=FLOATS), unary("floor", dtypes=NO_BOOL), unary("ceil", dtypes=NO_BOOL),
    unary("round", dtypes=NO_BOOL), unary("trunc", dtypes=NO_BOOL),
    unary("fix", dtypes=NO_BOOL),
    unary("relu", dtypes=NO_BOOL, out=False, aliases=("ember.relu_",)),
    unary("positive", dtypes=NO_BOOL, inplace=False, out=False, operator="__pos__"),
    unary("nan_to_num"),
    OpRow("nan_to_num", unary_samples(nan=1.5, posinf=9.0, neginf=-9.0), variant="values",
          method=True, out=True),
    OpRow("round", unary_samples(decimals=1), variant="decimals", method=True),
    unary("signbit", inplace=False, grad=False),
    unary("isfinite", inplace=False, out=False, grad=False),
    unary("isinf", inplace=False, out=False, grad=False),
    unary("isnan", inplace=False, out=False, grad=False),
    unary("isneginf", inplace=False, grad=False),
    unary("isposinf", inplace=False, grad=False),
    unary("isreal", inplace=False, out=False, grad=False),
    unary("bitwise_not", dtypes=INTS + ("bool",), grad=False, operator="__invert__"),
    unary("logical_not", grad=False),
    binary("add", operator="__add__"), binary("sub", _alias_inplace("subtract"), operator="__sub__",
                                              dtypes=FLOAT_INT + INTS[1:]),
    binary("mul", _alias_inplace("multiply"), operator="__mul__"),
    binary("div", _alias_inplace("divide", "true_divide"), operator="__truediv__",
           samples=binary_samples(other_domain=(0.5, 2.0))),
    OpRow("div", binary_samples(other_domain=(0.5, 2.0), rounding_mode="floor"), variant="floor",
          method=True, inplace="div_", out=True, dtypes=FLOAT_INT),
    OpRow("div", binary_samples(other_domain=(0.5, 2.0), rounding_mode="trunc"), variant="trunc",
          method=True, inplace="div_", out=True, dtypes=FLOAT_INT),
    binary("floor_divide", operator="__floordiv__", dtypes=FLOAT_INT, grad=False,
           errors=lambda lib: [(lambda: lib.floor_divide(lib.ones(2, requires_grad=True), 2.0)
                                .sum().backward(), RuntimeError)],
           samples=_int_division_samples),
    binary("remainder", operator="__mod__", dtypes=FLOAT_INT, samples=_int_division_samples),
    binary("fmod", dtypes=FLOAT_INT, samples=_int_division_samples),
    binary("pow", operator="__pow__", dtypes=FLOAT_INT, domain=(0.2, 2.0),
           errors=lambda lib: [(lambda: lib.pow(lib.tensor([2, 3]), -1), RuntimeError)]),
    # float_power_ on a float32 tensor raises in torch (the float64 result cannot be stored)
    binary("float_power", dtypes=FLOAT_INT, domain=(0.2, 2.0), inplace=False,
           aliases=("Tensor.float_power_",)),
    binary("atan2", _alias_inplace("arctan2"), dtypes=FLOAT_INT),
    binary("hypot", dtypes=FLOATS), binary("copysign", dtypes=FLOAT_INT),
    binary("maximum", inplace=False), binary("minimum", inplace=False),
    binary("fmax", inplace=False), binary("fmin", inplace=False),
    binary("xlogy", domain=(0.1, 2.0), dtypes=FLOAT_INT),
    binary("logical_and", grad=False), binary("logical_or", grad=False),
    binary("logical_xor", grad=False),
    binary("bitwise_and", grad=False, dtypes=INTS + ("bool",), operator="__and__"),
    binary("bitwise_or", grad=False, dtypes=INTS + ("bool",), operator="__or__"),
    binary("bitwise_xor", grad=False, dtypes=INTS + ("bool",), operator="__xor__"),
    binary("bitwise_left_shift", grad=False, dtypes=INTS, operator="__lshift__", domain=(0, 4)),
    binary("bitwise_right_shift", grad=False, dtypes=INTS, operator="__rshift__", domain=(0, 4)),
    binary("eq", grad=False, operator="__eq__"),
    binary("ne", _alias_inplace("not_equal"), grad=False, operator="__ne__"),
    binary("lt", _alias_inplace("less"), grad=False, operator="__lt__"),
    binary("le", _alias_inplace("less_equal"), grad=False, operator="__le__"),
    binary("gt", _alias_inplace("greater"), grad=False, operator="__gt__"),
    binary("ge", _alias_inplace("greater_equal"), grad=False, operator="__ge__"),
    binary("rsub", inplace=False, out=False, dtypes=FLOAT_INT),
    binary("rsub", inplace=False, out=False, dtypes=FLOAT_INT, variant="alpha",
           samples=binary_samples(alpha=2)),
]

REFLECTED = ("__radd__", "__rsub__", "__rmul__", "__rtruediv__", "__rpow__", "__rfloordiv__",
             "__rmod__")
AUGMENTED = ("__iadd__", "__isub__", "__imul__", "__itruediv__", "__ipow__", "__ifloordiv__",
             "__imod__")
ROWS += [OpRow(f"Tensor.{op}", _scalar_first, call=_reflected(op), dtypes=FLOAT_INT,
               grad=op not in ("__rfloordiv__", "__rmod__")) for op in REFLECTED]
ROWS += [OpRow(f"Tensor.{op}", _scalar_first, call=_augmented(op), dtypes=FLOATS,
               grad=op not in ("__ifloordiv__",)) for op in AUGMENTED]
ROWS += [OpRow("Tensor.__rmod__", lambda make: [Sample("scalar", (make((3,), low=0.5),))],
               call=lambda lib, x: 2.0 % x, variant="backward", grad=False,
               errors=lambda lib: [(lambda: (2.0 % lib.tensor([1.5, 2.5], requires_grad=True))
                                    .sum().backward(), RuntimeError)])]
