"""Argument handling shared by the op families: scalars, promotion, ``out=``."""
import numpy as np

from .._tensor import Tensor, _wrap
from .._utils import from_data
from .._dtype import FROM_NP, can_cast, result_type, scalar_category, get_default_dtype
from .. import _dtype
from ..autograd import grad_mode

FLOAT_CATEGORY = _dtype.float32._category  # categories below it are bool and integer
_NUMBERS = (int, float)
_INT_RANGES = {np.dtype(t): (int(np.iinfo(t).min), int(np.iinfo(t).max))
               for t in (np.uint8, np.int8, np.int16, np.int32, np.int64)}


def to_tensor(x, like=None):
    """A Tensor for ``x`` (lists, arrays and scalars become constants on ``like``'s device)."""
    if isinstance(x, Tensor):
        return x
    if like is not None and scalar_category(x) is not None:
        return _wrap(np.asarray(x, dtype=result_type(like, x).np))
    return from_data(x)


def fit_scalar(s, np_dtype):
    """A scalar operand as NumPy should see it next to an array of ``np_dtype``.

    NumPy scalars become Python numbers (weak, like torch's wrapped numbers),
    and an int outside an integer dtype's range wraps as torch's cast does
    (NumPy would raise OverflowError).
    """
    if isinstance(s, np.generic):
        s = s.item()
    rng = _INT_RANGES.get(np_dtype)
    if rng is not None and type(s) is int and not rng[0] <= s <= rng[1]:
        if not -2 ** 63 <= s < 2 ** 64:
            raise RuntimeError(f"value {s} cannot be converted to type {np_dtype} without overflow")
        s = int(np.array(s & (2 ** 64 - 1), dtype=np.uint64).astype(np_dtype))
    return s


_C_INT_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
                "int64": "int64_t"}


def check_scalar_fits(s, np_dtype):
    """RuntimeError (torch's wording) when the Python number ``s`` cannot become a value of the
    integer dtype ``np_dtype``: a float outside its range, or an int beyond it (an unsigned
    dtype also takes ints down to ``-max``, which wrap).  Other dtypes take any number.

    Example: ``check_scalar_fits(-1.0, np.dtype("uint8"))`` raises; ``-1`` passes.
    """
    rng = _INT_RANGES.get(np_dtype)
    s = s.item() if isinstance(s, np.generic) else s
    if rng is None or isinstance(s, bool) or not isinstance(s, (int, float)):
        return
    lo, hi = (-rng[1], rng[1]) if rng[0] == 0 and isinstance(s, int) else rng
    if not lo <= s <= hi:
        raise RuntimeError(f"value cannot be converted to type {_C_INT_NAMES[np_dtype.name]} "
                           "without overflow")


def as_operand(x):
    """``x`` as an operand: tensors, scalars and None as they are, anything else a tensor."""
    return x if x is None or isinstance(x, Tensor) or scalar_category(x) is not None \
        else to_tensor(x)


def promoted(*operands, to_float=False):
    """torch's result dtype of the operands (None skipped), made float for float-valued ops."""
    operands = [o for o in operands if o is not None]
    rt = result_type(*operands)
    if to_float and rt._category < FLOAT_CATEGORY:
        rt = get_default_dtype()
    return rt


def promote_all(*operands, to_float=False):
    """Bring operands to torch's common dtype: ``(operands, dtype)``.

    The dtype is torch's ``result_type`` of the operands (None skipped; with
    ``to_float``, bool and integer results become the default float).  Tensors
    are cast differentiably only where their dtype differs; Python and NumPy
    scalars stay scalars, fitted to the dtype (``fit_scalar``) so NumPy keeps
    the array's dtype as torch does; other values (lists, arrays) become
    tensors.  With no tensor at all, the first operand becomes one.

    Example::

        (a, b), dt = promote_all(int_tensor, 1.5)   # a float32, b 1.5, dt float32
        (x,), dt = promote_all(int_tensor, to_float=True)
    """
    first = operands[0]
    if isinstance(first, Tensor):  # fast paths: nothing to cast or fit
        kind = first._data.dtype.kind
        if kind == "f" and all(type(o) in _NUMBERS or o is None for o in operands[1:]):
            return operands, first.dtype
        if len(operands) == 2 and isinstance(operands[1], Tensor) and \
                operands[1]._data.dtype == first._data.dtype and (kind in "fc" or not to_float):
            return operands, first.dtype
    operands = [as_operand(o) for o in operands]
    rt = promoted(*operands, to_float=to_float)
    if not any(isinstance(o, Tensor) for o in operands):
        operands[0] = from_data(operands[0], rt)
    return [to_dtype(o, rt) for o in operands], rt


def to_dtype(x, dtype):
    """A tensor cast (differentiably) to ``dtype``, a scalar fitted to it; None stays None."""
    if isinstance(x, Tensor):
        return x if x._data.dtype == dtype.np else x.to(dtype)
    return x if x is None else fit_scalar(x, dtype.np)


def broadcast_shape(*shapes):
    """The shape that ``shapes`` broadcast to, raising torch's error at the first clash.

    Shapes fold left to right; each new shape is compared with the running
    result from the last dim backwards, and a clash raises RuntimeError
    naming the running size (tensor a), the new size (tensor b) and the dim
    of the result, in torch's words.

    Args:
        *shapes: tuples (or lists, ``Size``) of ints.

    Returns:
        tuple: the broadcast shape.

    Example::

        broadcast_shape((2, 1), (3,))       # (2, 3)
        broadcast_shape((2, 3), (4, 5))     # RuntimeError: ... a (3) ... b (5) ... dimension 1
    """
    out = ()
    for shape in shapes:
        shape = tuple(shape)
        if shape == out:
            continue
        n = max(len(out), len(shape))
        a, b = (1,) * (n - len(out)) + out, (1,) * (n - len(shape)) + shape
        for i in range(n - 1, -1, -1):
            if a[i] != b[i] and a[i] != 1 and b[i] != 1:
                raise RuntimeError(f"The size of tensor a ({a[i]}) must match the size of tensor "
                                   f"b ({b[i]}) at non-singleton dimension {i}")
        out = tuple(y if x == 1 else x for x, y in zip(a, b))
    return out


def float_input(x):
    """Integer/bool inputs of float-valued ops (exp, sqrt, ...) become the default float dtype."""
    if x._data.dtype.kind in "iub":
        return x.to(get_default_dtype())
    return x


def check_cast(result, target, where="output", context=""):
    """RuntimeError (torch's wording) when a ``result`` dtype cannot be written into ``target``."""
    if not can_cast(result, target):
        raise RuntimeError(f"result type {result._tensor_type[:-6]} can't be cast to the desired "
                           f"{where} type {target._tensor_type[:-6]}{context}")


def handle_out(result, out, name):
    """Write ``result`` into ``out`` (resizing it like torch) and return ``out``."""
    if out is None:
        return result
    if isinstance(result, tuple):
        for r, o in zip(result, out):
            handle_out(r, o, name)
        return out
    if grad_mode.state.enabled and (result.requires_grad or out.requires_grad):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    arr = result._data
    if arr.dtype != out._data.dtype:
        check_cast(FROM_NP[arr.dtype], FROM_NP[out._data.dtype], context=f" (out= of {name})")
    if out._data.shape != arr.shape:
        out._data = arr.astype(out._data.dtype, copy=True)
    else:
        out._data[...] = arr
    out._vc[0] += 1
    return out
