"""Argument handling shared by the op families: scalars, promotion, ``out=``."""
import numpy as np

from .._tensor import Tensor, _wrap
from .._dtype import (FROM_NP, can_cast, result_type, scalar_category, default_for_category,
                      get_default_dtype)
from ..autograd import grad_mode


def to_tensor(x, like=None):
    """A Tensor for ``x`` (lists, arrays and scalars become constants on ``like``'s device)."""
    if isinstance(x, Tensor):
        return x
    from .creation import tensor
    if like is not None and scalar_category(x) is not None:
        return _wrap(np.asarray(x, dtype=result_type(like, x).np))
    return tensor(x)


def promote(a, b):
    """Bring two operands to torch's result dtype.

    Tensors are cast (differentiably) only when their dtype differs from the
    result; a Python scalar stays a scalar when the tensor's dtype already
    holds its category, since NumPy then keeps the array's dtype as torch does.
    """
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    if ta and tb:
        if a._data.dtype == b._data.dtype:
            return a, b
        rt = result_type(a, b).np
        return (a if a._data.dtype == rt else a.to(FROM_NP[rt]),
                b if b._data.dtype == rt else b.to(FROM_NP[rt]))
    if ta or tb:
        t, s = (a, b) if ta else (b, a)
        cat = scalar_category(s)
        if cat is None:
            s = to_tensor(s)
            return promote(a if ta else s, s if ta else b)
        if cat > FROM_NP[t._data.dtype]._category:
            t = t.to(default_for_category(cat))
        elif type(s) is not float and type(s) is not int and type(s) is not bool:
            s = s.item() if isinstance(s, np.generic) else s
        return (t, s) if ta else (s, t)
    return to_tensor(a), to_tensor(b)


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
