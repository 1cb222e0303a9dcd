"""Public matrix products and their checks: matmul/``@``, mm, bmm, mv, dot, outer,
the add* family, einsum, tensordot, kron, inner, cross, trace, det, inverse, norm, and the
decompositions torch keeps at top level (svd, qr, lu, ..., the randomized low-rank SVD/PCA and
``lobpcg``).

Like torch, products do not promote: both operands must share a dtype (outer,
kron and the add* input are the exceptions torch makes).  Shape errors name
the shapes involved.  ``ember.linalg`` builds on the same ops.
"""
import warnings

from ... import _dtype
from ..._tensor import Tensor, _wrap_dim, tensor_method
from . import ops as L
from .ops_more import Geqrf
from ..base import relabel
from ..common import promote_all, handle_out, to_tensor, broadcast_shape
from ..elementwise.funcs import add, mul
from ..inplace import apply_inplace
from ..reduction.funcs import return_type

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "vdot", "outer", "ger", "addmm", "addmv",
           "addbmm", "baddbmm", "addr", "einsum", "tensordot", "kron", "inner", "cross", "trace",
           "det", "inverse", "geqrf"]


# -- checks ---------------------------------------------------------------------
def _tname(t):
    """torch's scalar-type name for messages: Float, Double, Long..."""
    return _tname_of(t.dtype)


def _x(t):
    return "x".join(map(str, t.shape))


def _same_dtype(a, b, msg=None):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(msg or f"expected scalar type {_tname(a)} but found {_tname(b)}")


def _no_bool(t, name):
    if t._data.dtype.kind == "b":
        raise NotImplementedError(f'"{name}" not implemented for \'Bool\'')


def _dims(t, n, what, name):
    if t.ndim != n:
        raise RuntimeError(f"{name}: {what} must be a {n}D tensor, got a {t.ndim}D tensor of "
                           f"shape {list(t.shape)}")


def _check_matmul(a, b):
    """torch.matmul's shape and dtype rules, with errors that name both shapes."""
    da, db = a.ndim, b.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D "
                           f"and {db}D")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{a.dtype.name} != {b.dtype.name}")
    _no_bool(a, "matmul")
    k1, k2 = a.shape[-1], b.shape[-2 if db >= 2 else 0]
    if k1 != k2:
        if da == db == 1:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{k1}] and src [{k2}] "
                               f"to have the same number of elements, but got {k1} and {k2} "
                               "elements respectively")
        if db == 1:
            raise RuntimeError(f"size mismatch, got input ({a.shape[-2]}), mat ({_x(a)}), "
                               f"vec ({k2})")
        if db == 2:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_x(a)} and {_x(b)})")
        raise RuntimeError(f"size mismatch in matmul of shapes {list(a.shape)} and "
                           f"{list(b.shape)}: the last dim of the first ({k1}) must equal the "
                           f"second-to-last dim of the second ({k2})")
    if da > 2 or db > 2:
        broadcast_shape(a.shape[:-2], b.shape[:-2])


def _tensors(*xs):
    return tuple(x if isinstance(x, Tensor) else to_tensor(x) for x in xs)


# -- products -----------------------------------------------------------------------
@tensor_method("matmul", "__matmul__")
def matmul(input, other, *, out=None):
    """Matrix product with broadcasting batch dims; 1-D operands act as vectors."""
    a, b = _tensors(input, other)
    _check_matmul(a, b)
    return handle_out(L.MatMul()(a, b), out, "matmul")


Tensor.__rmatmul__ = lambda self, other: matmul(other, self)


@tensor_method("mm")
def mm(input, mat2, *, out=None):
    """Product of two matrices (no broadcasting)."""
    if input.ndim != 2:
        raise RuntimeError(f"self must be a matrix, got a {input.ndim}D tensor of shape "
                           f"{list(input.shape)}")
    if mat2.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix, got a {mat2.ndim}D tensor of shape "
                           f"{list(mat2.shape)}")
    _check_matmul(input, mat2)
    return handle_out(L.MatMul("Mm")(input, mat2), out, "mm")


def _check_bmm(b1, b2, name):
    _dims(b1, 3, "batch1", name)
    _dims(b2, 3, "batch2", name)
    _same_dtype(b1, b2)
    _no_bool(b1, name)
    if b1.shape[0] != b2.shape[0] or b1.shape[2] != b2.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{b1.shape[0]}, {b1.shape[2]}] but got: [{b2.shape[0]}, "
                           f"{b2.shape[1]}] ({name} of shapes {list(b1.shape)} and "
                           f"{list(b2.shape)})")


@tensor_method("bmm")
def bmm(input, mat2, *, out=None):
    """Batched product of (b, n, k) and (b, k, m) tensors."""
    _check_bmm(input, mat2, "bmm")
    return handle_out(L.MatMul("Bmm")(input, mat2), out, "bmm")


def _check_mv(mat, vec, name):
    if mat.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"{name}: expected a matrix and a vector, got {mat.ndim}D and "
                           f"{vec.ndim}D tensors of shapes {list(mat.shape)} and {list(vec.shape)}")
    _same_dtype(mat, vec)
    _no_bool(mat, name)
    if mat.shape[1] != vec.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({mat.shape[0]}), mat ({_x(mat)}), "
                           f"vec ({vec.shape[0]})")


@tensor_method("mv")
def mv(input, vec, *, out=None):
    """Matrix-vector product."""
    _check_mv(input, vec, "mv")
    return handle_out(L.MatMul()(input, vec), out, "mv")


def _check_dot(a, b, name):
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    _same_dtype(a, b, f"{name} : expected both vectors to have same dtype, but found "
                      f"{_tname(a)} and {_tname(b)}")
    _no_bool(a, name)
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                           f"[{b.shape[0]}] to have the same number of elements, but got "
                           f"{a.shape[0]} and {b.shape[0]} elements respectively")


@tensor_method("dot", "inner_product")
def dot(input, tensor, *, out=None):
    """Inner product of two 1-D tensors of the same dtype."""
    _check_dot(input, tensor, "dot")
    return handle_out(L.MatMul()(input, tensor), out, "dot")


@tensor_method("vdot")
def vdot(input, other, *, out=None):
    """Dot product conjugating the first vector (same as dot for real tensors)."""
    _check_dot(input, other, "vdot")
    a = input.conj() if input.is_complex() else input
    return handle_out(L.MatMul("Vdot")(a, other), out, "vdot")


def _einsum(in_subs, out_sub, *tensors):
    """Run the einsum op on already-checked operands (no size-1 broadcasting)."""
    return L.Einsum(list(in_subs), out_sub, [()] * len(tensors))(*tensors)


@tensor_method("outer", "ger")
def outer(input, vec2, *, out=None):
    """Outer product of two vectors (dtypes promote, as in torch)."""
    for t, what in ((input, "self"), (vec2, "vec2")):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {what}, but got {t.ndim}-D")
    (a, b), _ = promote_all(input, vec2)
    return handle_out(mul(a.reshape(-1, 1), b), out, "outer")   # as torch: a column times b


ger = outer


def _check_input_broadcast(inp, shape, name):
    """The add* family's ``input`` must broadcast to the product's shape."""
    try:
        full = broadcast_shape(inp.shape, shape)
    except RuntimeError:
        full = None
    if full != tuple(shape):
        raise RuntimeError(f"{name}: input of shape {list(inp.shape)} does not broadcast to the "
                           f"product's shape {list(shape)}")


def _check_add_dtype(inp, mat, name):
    if inp._data.dtype != mat._data.dtype:
        raise RuntimeError(f"{name}: self and mat2 must have the same dtype, but got "
                           f"{_tname(inp)} and {_tname(mat)}")


@tensor_method("addmm")
def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat1 @ mat2)``."""
    for t, what in ((mat1, "mat1"), (mat2, "mat2")):
        if t.ndim != 2:
            raise RuntimeError(f"addmm: {what} must be a matrix, got a {t.ndim}D tensor of shape "
                               f"{list(t.shape)}")
    _check_matmul(mat1, mat2)
    _check_add_dtype(input, mat1, "addmm")
    _check_input_broadcast(input, (mat1.shape[0], mat2.shape[1]), "addmm")
    return handle_out(L.AddMatMul(beta, alpha)(input, mat1, mat2), out, "addmm")


@tensor_method("addmv")
def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat @ vec)``."""
    _check_mv(mat, vec, "addmv")
    _check_add_dtype(input, mat, "addmv")
    _check_input_broadcast(input, (mat.shape[0],), "addmv")
    return handle_out(L.AddMatMul(beta, alpha, "Addmv")(input, mat, vec), out, "addmv")


@tensor_method("baddbmm")
def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * bmm(batch1, batch2)``."""
    _check_bmm(batch1, batch2, "baddbmm")
    _check_add_dtype(input, batch1, "baddbmm")
    _check_input_broadcast(input, (batch1.shape[0], batch1.shape[1], batch2.shape[2]), "baddbmm")
    return handle_out(L.AddMatMul(beta, alpha, "Baddbmm")(input, batch1, batch2), out,
                      "baddbmm")


def _scaled_add(input, prod, beta, alpha):
    """``beta * input + alpha * prod`` (prod has the full shape); ``beta == 0`` ignores
    input, even its nan, as torch does."""
    if beta == 0:
        return prod if alpha == 1 else mul(prod, alpha)
    return add(input if beta == 1 else mul(input, beta), prod, alpha=alpha)


@tensor_method("addbmm")
def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * sum_i batch1[i] @ batch2[i]``."""
    _check_bmm(batch1, batch2, "addbmm")
    _check_add_dtype(input, batch1, "addbmm")
    _check_input_broadcast(input, (batch1.shape[1], batch2.shape[2]), "addbmm")
    prod = _einsum(("bik", "bkj"), "ij", batch1, batch2)
    return handle_out(relabel(_scaled_add(input, prod, beta, alpha), "AddbmmBackward0"), out,
                      "addbmm")


@tensor_method("addr")
def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * outer(vec1, vec2)``."""
    prod = outer(vec1, vec2)
    _check_input_broadcast(input, tuple(prod.shape), "addr")
    return handle_out(relabel(_scaled_add(input, prod, beta, alpha), "AddrBackward0"), out, "addr")


def _addmm_like_inplace(check, name):
    """``self.addmm_(...)`` and friends: the product written into self."""
    def method(self, a, b, *, beta=1, alpha=1):
        check(self, a, b)
        return apply_inplace(self, L.AddMatMul(beta, alpha, name[:-1].capitalize()), a, b)
    method.__name__ = name
    return method


def _check_addmm_(self, a, b):
    _check_matmul(a, b)
    _check_add_dtype(self, a, "addmm_")
    if a.ndim != 2 or b.ndim != 2 or tuple(self.shape) != (a.shape[0], b.shape[1]):
        raise RuntimeError(f"addmm_: self of shape {list(self.shape)} must match the product of "
                           f"shapes {list(a.shape)} and {list(b.shape)}")


def _check_addmv_(self, a, b):
    _check_mv(a, b, "addmv_")
    _check_add_dtype(self, a, "addmv_")
    if tuple(self.shape) != (a.shape[0],):
        raise RuntimeError(f"addmv_: self of shape {list(self.shape)} must match the product's "
                           f"shape [{a.shape[0]}]")


def _check_baddbmm_(self, a, b):
    _check_bmm(a, b, "baddbmm_")
    _check_add_dtype(self, a, "baddbmm_")
    if tuple(self.shape) != (a.shape[0], a.shape[1], b.shape[2]):
        raise RuntimeError(f"baddbmm_: self of shape {list(self.shape)} must match the product's "
                           f"shape {[a.shape[0], a.shape[1], b.shape[2]]}")


Tensor.addmm_ = _addmm_like_inplace(_check_addmm_, "addmm_")
Tensor.addmv_ = _addmm_like_inplace(_check_addmv_, "addmv_")
Tensor.baddbmm_ = _addmm_like_inplace(_check_baddbmm_, "baddbmm_")


# -- einsum and friends -----------------------------------------------------------
def einsum(*args):
    """Einstein summation: ``einsum('ij,jk->ik', a, b)``, operands as a list, or
    the sublist form ``einsum(a, [0, 1], b, [1, 2], [0, 2])``.  Size-1 dims
    broadcast; the gradient reaches every operand."""
    if not args:
        raise TypeError("einsum(): must specify the equation string and at least one operand, "
                        "or at least one operand and its subscripts list")
    if isinstance(args[0], str):
        equation, operands = args[0], args[1:]
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = tuple(operands[0])
    else:
        equation, operands = _sublist_equation(args)
    operands = _tensors(*operands)
    in_subs, out_sub, squeeze = L.parse_einsum(equation, [tuple(t.shape) for t in operands])
    dtype = _einsum_dtype(operands, in_subs, out_sub)
    operands = [t if t.dtype is dtype else t.to(dtype) for t in operands]
    return L.Einsum(in_subs, out_sub, squeeze)(*operands)


def _einsum_dtype(operands, in_subs, out_sub):
    """The dtype torch's einsum gives ``operands``, or torch's error.

    torch folds the operands left to right.  A label seen for the last time and absent from
    the output is summed: alone where only one side holds it (size > 1), which makes bools
    and integers int64; by a batched matrix product where both do, which needs one dtype
    (and not bool).  With nothing to contract the two sides multiply, which promotes.
    """
    last = {c: i for i, sub in enumerate(in_subs) for c in sub}

    def sizes(i):
        return {c: n for c, n in zip(in_subs[i], operands[i].shape)}

    def summed(dt):
        return _dtype.int64 if not (dt.is_floating_point or dt.is_complex) else dt

    held = sizes(0)  # the labels of the running result and their sizes
    dt = operands[0].dtype
    if any(last[c] == 0 and c not in out_sub and n != 1 for c, n in held.items()):
        dt = summed(dt)
    for i in range(1, len(operands)):
        held = {c: n for c, n in held.items() if last[c] >= i or c in out_sub}
        mine, odt, contract = sizes(i), operands[i].dtype, False
        for c, n in mine.items():
            if last[c] != i or c in out_sub:
                continue
            if n != 1 and held.get(c, 1) != 1:
                contract = True
            elif n != 1:
                odt = summed(odt)
            elif held.get(c, 1) != 1:
                dt = summed(dt)
        if contract and odt is not dt:
            raise RuntimeError(f"expected scalar type {_tname_of(dt)} but found {_tname_of(odt)}")
        if contract and dt is _dtype.bool:
            raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
        dt = _dtype.promote_types(dt, odt)
        held.update({c: max(n, held.get(c, 1)) for c, n in mine.items()})
    return dt


def _tname_of(dtype):
    return dtype._tensor_type[:-6]


def _sublist_equation(args):
    """(op, sublist, op, sublist, ..., [out_sublist]) -> (equation, operands)."""
    import string

    def letters(sub):
        return "".join("..." if s is Ellipsis else string.ascii_letters[s] for s in sub)
    ops, subs = args[0::2], args[1::2]
    out = None
    if len(args) % 2:
        ops, out = ops[:-1], args[-1]
    eq = ",".join(letters(s) for s in subs)
    if out is not None:
        eq += "->" + letters(out)
    return eq, ops


def tensordot(a, b, dims=2, out=None):
    """Contract ``dims`` (an int: last dims of a with first of b; or two lists) of a and b."""
    a, b = _tensors(a, b)
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        da, db = ([d] if isinstance(d, int) else list(d) for d in dims)
    if len(da) != len(db):
        raise RuntimeError(f"both dimension lists should have same length, got {da} and {db}")
    _same_dtype(a, b, "both inputs should have same dtype")
    la = list(_letters(a.ndim + b.ndim))
    lb = la[a.ndim:]
    la = la[:a.ndim]
    for x, y in zip(da, db):
        if a.shape[x] != b.shape[y]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[x]} in dim {x} and second has size {b.shape[y]} in "
                               f"dim {y}")
        lb[y] = la[x]
    xa = {la[d % a.ndim] for d in da}
    out_sub = "".join(c for c in la if c not in xa) + "".join(
        c for i, c in enumerate(lb) if i not in {d % b.ndim for d in db})
    res = _einsum(("".join(la), "".join(lb)), out_sub, a, b)
    return handle_out(relabel(res, "ViewBackward0"), out, "tensordot")   # torch: mm, then a view


def _letters(n):
    import string
    if n > len(string.ascii_letters):
        raise RuntimeError(f"einsum-based product of {n} dims exceeds the 52 available subscripts")
    return string.ascii_letters[:n]


@tensor_method("inner")
def inner(input, other, *, out=None):
    """Sum over the last dim of both inputs (a product when either is 0-d)."""
    a, b = _tensors(input, other)
    if a.ndim == 0 or b.ndim == 0:
        return handle_out(mul(a, b), out, "inner")
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got "
                           f"shapes {list(a.shape)} and {list(b.shape)}")
    _same_dtype(a, b, "both inputs should have same dtype")
    letters = _letters(a.ndim + b.ndim - 1)
    sa, sb = letters[:a.ndim], letters[a.ndim:] + letters[a.ndim - 1]
    res = relabel(_einsum((sa, sb), sa[:-1] + sb[:-1], a, b), "ViewBackward0")   # as tensordot
    return handle_out(res, out, "inner")


@tensor_method("kron")
def kron(input, other, *, out=None):
    """Kronecker product (dtypes promote, as in torch)."""
    (a, b), _ = promote_all(*_tensors(input, other))
    return handle_out(L.Kron()(a, b), out, "kron")


@tensor_method("cross")
def cross(input, other, dim=None, *, out=None):
    """Cross product of 3-vectors along ``dim`` (default: the first dim of size 3)."""
    shape = broadcast_shape(input.shape, other.shape)
    if dim is None:
        warnings.warn("Using cross without specifying the dim arg is deprecated; pass dim or "
                      "use linalg.cross (dim=-1).", UserWarning, stacklevel=2)
        dim = next((i for i, n in enumerate(shape) if n == 3), None)
        if dim is None:
            raise RuntimeError(f"no dimension of size 3 in input (shape {list(shape)})")
    return handle_out(linalg_cross(input, other, dim=dim), out, "cross")


def linalg_cross(input, other, *, dim=-1):
    """Cross product of 3-vectors along ``dim`` (inputs of one rank broadcast)."""
    if input.ndim != other.ndim:
        raise RuntimeError(f"linalg.cross: inputs must have the same number of dimensions, got "
                           f"shapes {list(input.shape)} and {list(other.shape)}")
    shape = broadcast_shape(input.shape, other.shape)
    _same_dtype(input, other)
    d = _wrap_dim(dim, len(shape)) - len(shape)
    sa, sb = ((1,) * len(shape) + tuple(t.shape) for t in (input, other))
    if sa[d] != 3 or sb[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{sa[d]} and {sb[d]}")
    return L.Cross(d)(input, other)


@tensor_method("trace")
def trace(input):
    """Sum of the main diagonal of a matrix (integer inputs sum to int64)."""
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    _no_bool(input, "trace")
    return L.Trace()(input)


# -- determinant and inverse ---------------------------------------------------------------
def float_check(x, name):
    """linalg routines take float or complex tensors only."""
    if x._data.dtype.kind not in "fc":
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_tname(x)}")


def square_check(A, name, square=True):
    """Float (or complex) batches of (square, unless told otherwise) matrices."""
    float_check(A, name)
    if A.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")


@tensor_method("det")
def det(input):
    """Determinant of (a batch of) square matrices."""
    square_check(input, "linalg.det")
    return L.Det()(input)


@tensor_method("inverse")
def inverse(input, *, out=None):
    """Inverse of (a batch of) square matrices; singular inputs raise LinAlgError."""
    square_check(input, "linalg.inv")
    return handle_out(L.Inv()(input), out, "inverse")




@tensor_method("geqrf")
def geqrf(input, *, out=None):
    """(a, tau) of LAPACK's geqrf: R on and above a's diagonal, Householder vectors below it;
    ``orgqr(a, tau)`` rebuilds Q.  No derivative (as torch).
    Example: ``a, tau = ember.geqrf(ember.randn(4, 3))``: shapes (4, 3) and (3,)."""
    square_check(input, "geqrf", square=False)
    return return_type("geqrf", ("a", "tau"))(*handle_out(Geqrf()(input), out, "geqrf"))


