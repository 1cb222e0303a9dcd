"""ember's dtypes and PyTorch's type-promotion rules.

A dtype wraps a NumPy dtype.  Promotion follows PyTorch, not NumPy: categories
(bool < integer < floating) decide first, dimensioned tensors outrank 0-d
tensors, which outrank Python scalars, and a float scalar meeting an integer
tensor gives the *default* float dtype rather than float64.
"""
import numpy as np
from ._alias import public_prefix

# The dtype names below (float, int, bool) shadow the builtins on purpose, as in torch.
_pyfloat, _pyint, _pybool, _pycomplex = float, int, bool, complex

__all__ = [
    "dtype", "float16", "half", "bfloat16", "float32", "float", "float64", "double",
    "int8", "int16", "short", "int32", "int", "int64", "long", "uint8", "bool",
    "uint16", "uint32", "uint64", "complex64", "cfloat", "complex128", "cdouble",
    "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu",
    "get_default_dtype", "set_default_dtype", "promote_types", "result_type",
    "can_cast", "finfo", "iinfo",
]

_BOOL, _INT, _FLOAT, _COMPLEX = 0, 1, 2, 3


class dtype:
    """A tensor element type (``ember.float32``); compares by identity like torch's."""

    __slots__ = ("name", "np", "itemsize", "is_floating_point", "is_complex", "is_signed",
                 "_category", "_tensor_type")

    def __init__(self, name, np_dtype, category, tensor_type):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.itemsize = self.np.itemsize
        self._category = category
        self.is_floating_point = category == _FLOAT
        self.is_complex = category == _COMPLEX
        self.is_signed = self.np.kind in "fic"
        self._tensor_type = tensor_type

    def __repr__(self):
        return f"{public_prefix()}.{self.name}"

    def to_real(self):
        return {complex64: float32, complex128: float64}.get(self, self)

    def __reduce__(self):
        return (_dtype_by_name, (self.name,))


dtype.__module__ = "ember"  # shown as ember.dtype, as torch shows torch.dtype

float16 = half = dtype("float16", np.float16, _FLOAT, "HalfTensor")
float32 = float = dtype("float32", np.float32, _FLOAT, "FloatTensor")
float64 = double = dtype("float64", np.float64, _FLOAT, "DoubleTensor")
# NumPy has no bfloat16; the name exists so that code naming it fails clearly on use.
bfloat16 = dtype("bfloat16", np.float32, _FLOAT, "BFloat16Tensor")
complex64 = cfloat = dtype("complex64", np.complex64, _COMPLEX, "ComplexFloatTensor")
complex128 = cdouble = dtype("complex128", np.complex128, _COMPLEX, "ComplexDoubleTensor")
int8 = dtype("int8", np.int8, _INT, "CharTensor")
int16 = short = dtype("int16", np.int16, _INT, "ShortTensor")
int32 = int = dtype("int32", np.int32, _INT, "IntTensor")
int64 = long = dtype("int64", np.int64, _INT, "LongTensor")
uint8 = dtype("uint8", np.uint8, _INT, "ByteTensor")
bool = dtype("bool", np.bool_, _BOOL, "BoolTensor")
# torch keeps these three for storage: they compute here, but mix with no other integer dtype.
uint16 = dtype("uint16", np.uint16, _INT, "UInt16Tensor")
uint32 = dtype("uint32", np.uint32, _INT, "UInt32Tensor")
uint64 = dtype("uint64", np.uint64, _INT, "UInt64Tensor")
# NumPy has no 8-bit floats: these names exist for code that names them; a tensor of one
# cannot be made (``as_dtype`` refuses them).
_FLOAT8 = tuple(dtype(name, np.uint8, _FLOAT, None) for name in (
    "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu"))
float8_e4m3fn, float8_e4m3fnuz, float8_e5m2, float8_e5m2fnuz, float8_e8m0fnu = _FLOAT8
_BIG_UNSIGNED = (uint16, uint32, uint64)

_ALL = (float16, float32, float64, complex64, complex128, int8, int16, int32, int64, uint8, bool)
_BY_NAME = {d.name: d for d in (*_ALL, *_BIG_UNSIGNED, bfloat16, *_FLOAT8)}
#: NumPy dtype -> ember dtype; the hot lookup behind ``Tensor.dtype``.
FROM_NP = {d.np: d for d in (*_ALL, *_BIG_UNSIGNED)}
BY_TENSOR_TYPE = {d._tensor_type: d for d in _ALL}


def _dtype_by_name(name):
    return _BY_NAME[name]


def from_numpy_dtype(np_dtype):
    """The ember dtype for a NumPy dtype; TypeError names unsupported ones."""
    try:
        return FROM_NP[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only supported "
            "types are: float64, float32, float16, complex64, complex128, int64, int32, int16, "
            "int8, uint64, uint32, uint16, uint8, and bool.") from None


def as_dtype(d):
    """Accept an ember dtype, a NumPy dtype or a Python type (float/int/bool/complex).

    Anything else (a string such as ``'float32'`` included) raises torch's TypeError.
    """
    if type(d) is dtype:
        if d in _FLOAT8:
            raise TypeError(f"{d} tensors are not supported by ember: NumPy has no 8-bit float "
                            f"type (use float16 or float32)")
        return d
    if d is None:
        return d
    if d is _pyfloat:
        return float64
    if d is _pyint:
        return int64
    if d is _pybool:
        return bool
    if d is _pycomplex:
        return complex128
    if isinstance(d, np.dtype) or (isinstance(d, type) and issubclass(d, np.generic)):
        return from_numpy_dtype(d)
    raise TypeError(f"argument 'dtype' must be {public_prefix()}.dtype, not {type(d).__name__}")


_default = [float32]


def get_default_dtype():
    return _default[0]


def set_default_dtype(d):
    """Set the float dtype that new float tensors get (float32 or float64, as torch allows)."""
    d = as_dtype(d)
    if not d.is_floating_point or d is bfloat16:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default[0] = d


def default_complex():
    return complex128 if _default[0] is float64 else complex64


def promote_types(a, b):
    """The smallest dtype both ``a`` and ``b`` convert to, with torch's rules."""
    if a is b:
        return a
    if (a in _BIG_UNSIGNED or b in _BIG_UNSIGNED) and max(a._category, b._category) <= _INT:
        raise RuntimeError(f"Promotion for uint16, uint32, uint64 types is not supported, "
                           f"attempted to promote {_SCALAR_TYPE[a.name]} and {_SCALAR_TYPE[b.name]}")
    if a._category != b._category:
        high, low = (a, b) if a._category > b._category else (b, a)
        if high._category == _COMPLEX and low is float64:
            return complex128
        return high
    return FROM_NP[np.promote_types(a.np, b.np)]


_SCALAR_TYPE = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
                "int64": "Long", "uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64"}


def scalar_category(x):
    """Category of a Python/NumPy scalar, or None if ``x`` is not a scalar."""
    t = type(x)
    if t is _pyfloat:
        return _FLOAT
    if t is _pyint:
        return _INT
    if t is _pybool:
        return _BOOL
    if t is _pycomplex:
        return _COMPLEX
    if isinstance(x, np.generic):
        k = x.dtype.kind
        return _FLOAT if k == "f" else _COMPLEX if k == "c" else _BOOL if k == "b" else _INT
    return None


def default_for_category(cat):
    return (bool, int64, _default[0], default_complex())[cat]


def result_type(*operands):
    """torch.result_type over Tensors and Python scalars (any number of operands)."""
    dim_t = zero_t = None
    scalar_cat = -1
    for x in operands:
        d = getattr(x, "dtype", None)
        if type(d) is dtype:
            if x.ndim:
                dim_t = d if dim_t is None else promote_types(dim_t, d)
            else:
                zero_t = d if zero_t is None else promote_types(zero_t, d)
        else:
            cat = scalar_category(x)
            if cat is None:
                raise TypeError(f"result_type: unsupported operand of type {type(x).__name__}")
            scalar_cat = max(scalar_cat, cat)
    res = dim_t
    if zero_t is not None and (res is None or zero_t._category > res._category):
        res = zero_t if res is None else promote_types(res, zero_t)
    if scalar_cat >= 0 and (res is None or scalar_cat > res._category):
        res = default_for_category(scalar_cat)
    if res is not None and res._category == _COMPLEX:
        res = _complex_width(operands, res)
    return res


def _complex_width(operands, res):
    """A complex result's width as torch picks it: the first level (dimensioned tensors, then
    0-d ones) holding a float or complex dtype decides, by holding a 64-bit float or a
    128-bit complex."""
    for dims in (True, False):
        level = [x.dtype for x in operands
                 if type(getattr(x, "dtype", None)) is dtype and _pybool(x.ndim) == dims]
        if any(d._category >= _FLOAT for d in level):
            wide = any(d is float64 or d is complex128 for d in level)
            return complex128 if wide else complex64
    return res


def can_cast(from_, to):
    """torch.can_cast: no cast to a lower category (float->int, int->bool)."""
    return from_._category <= to._category


# torch's limits for the float formats NumPy lacks: (bits, eps, max, min, tiny, resolution).
_NARROW_FINFO = {
    "bfloat16": (16, 2.0 ** -7, (2 - 2.0 ** -7) * 2.0 ** 127, -(2 - 2.0 ** -7) * 2.0 ** 127, 2.0 ** -126, 0.01),
    "float8_e4m3fn": (8, 2.0 ** -3, 448.0, -448.0, 2.0 ** -6, 1.0),
    "float8_e4m3fnuz": (8, 2.0 ** -3, 240.0, -240.0, 2.0 ** -7, 1.0),
    "float8_e5m2": (8, 2.0 ** -2, 57344.0, -57344.0, 2.0 ** -14, 1.0),
    "float8_e5m2fnuz": (8, 2.0 ** -3, 57344.0, -57344.0, 2.0 ** -15, 1.0),
    "float8_e8m0fnu": (8, 1.0, 2.0 ** 127, 2.0 ** -127, 2.0 ** -127, 1.0),
}


class finfo:
    """Machine limits of a float dtype (torch.finfo), float8 and bfloat16 included."""

    def __init__(self, type=None):
        if type in _FLOAT8 or type is bfloat16:
            self.dtype = type.name
            self.bits, self.eps, self.max, self.min, self.tiny, self.resolution = _NARROW_FINFO[type.name]
            self.smallest_normal = self.tiny
            return
        d = as_dtype(type) if type is not None else _default[0]
        info = np.finfo(d.np)
        self.dtype = d.name
        self.bits = info.bits
        self.eps = _pyfloat(info.eps)
        self.max = _pyfloat(info.max)
        self.min = _pyfloat(info.min)
        self.tiny = self.smallest_normal = _pyfloat(info.tiny)
        self.resolution = 10.0 ** -info.precision  # torch reports the decimal exactly


class iinfo:
    """Machine limits of an integer dtype (torch.iinfo)."""

    def __init__(self, type):
        d = as_dtype(type)
        info = np.iinfo(d.np)
        self.dtype = d.name
        self.bits = info.bits
        self.max = _pyint(info.max)
        self.min = _pyint(info.min)
