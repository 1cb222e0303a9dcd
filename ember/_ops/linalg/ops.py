"""Linear-algebra ops on raw arrays: matrix products, einsum, and decompositions.

Products follow ``matmul``'s rules (1-D operands are promoted to matrices
and the added dim removed again; batch dims broadcast).  A batched operand
times a plain matrix is folded into one 2-D BLAS call, forward and backward.
Each op saves only what the gradients that were asked for need.  Shape and
dtype checks live in ``ember/_ops/linalg/funcs.py``; these ops trust their inputs.
"""
import math
import string

import numpy as np

from ..base import Op, sum_to, get_xp
from ..elementwise.ops import conj, sign


class LinAlgError(RuntimeError):
    """A linear-algebra routine failed on its input (torch.linalg.LinAlgError)."""


def mT(x):
    return x.swapaxes(-1, -2)


def mm(x, y):
    """``x @ y``; when ``y`` is a matrix, x's batch dims fold into rows (one BLAS call)."""
    xp = get_xp(x)
    if y.ndim == 2 and x.ndim > 2:
        rows = math.prod(x.shape[:-1])
        return xp.matmul(x.reshape(rows, x.shape[-1]), y).reshape(x.shape[:-1] + (y.shape[1],))
    return xp.matmul(x, y)


def matmul_grads(g, a, b, shapes, need_a, need_b):
    """Gradients of ``a @ b`` (matmul semantics) for cotangent ``g``."""
    (sa, sb), xp = shapes, get_xp(g)
    if g.dtype.kind == "c":  # torch's convention: the real formula on conjugated operands
        a, b = conj(a), conj(b)
    a_vec, b_vec = len(sa) == 1, len(sb) == 1
    if a_vec and b_vec:
        g = g.reshape(1, 1)
    elif a_vec:
        g = g[..., None, :]
    elif b_vec:
        g = g[..., None]
    ga = gb = None
    if need_a:
        b2 = b[:, None] if b_vec else b
        a2shape = (1,) + sa if a_vec else sa
        if len(a2shape) == 2 and g.ndim > 2:
            # sum over the batch of g_i @ b_i^T as one product of unfolded matrices
            n, k = a2shape
            ga = xp.moveaxis(g, -2, 0).reshape(n, -1) @ xp.moveaxis(b2, -2, 0).reshape(k, -1).T
        else:
            ga = sum_to(mm(g, mT(b2)), a2shape)
        ga = ga.reshape(sa)
    if need_b:
        a2 = a[None, :] if a_vec else a
        b2shape = sb + (1,) if b_vec else sb
        if len(b2shape) == 2 and g.ndim > 2:
            k = a2.shape[-1]
            gb = a2.reshape(-1, k).T @ g.reshape(-1, g.shape[-1])
        else:
            gb = sum_to(xp.matmul(mT(a2), g), b2shape)
        gb = gb.reshape(sb)
    return ga, gb


#: torch's grad_fn for matmul by operand ranks (3: three or more); any other pair is a view
_MATMUL_NAMES = {(1, 1): "DotBackward0", (2, 1): "MvBackward0", (1, 2): "SqueezeBackward4",
                 (2, 2): "MmBackward0"}


class MatMul(Op):
    """``a @ b`` with torch.matmul's 1-D, 2-D and batched rules.

    ``label`` names the node for the function that made it (``Bmm``); without one the name
    is matmul's for the operand ranks, as torch's decomposition gives it.
    """

    label = None

    def __init__(self, label=None):
        if label is not None:
            self.label = label

    def name(self):
        if self.label is not None:
            return self.label + "Backward0"
        ranks = tuple(len(s) for s in self.shapes)
        return _MATMUL_NAMES.get(ranks, "UnsafeViewBackward0")

    def forward(self, a, b):
        na, nb = self.needs_input_grad
        self.shapes = (a.shape, b.shape)
        self.save_inputs = (1,) * na + (0,) * nb
        self.a, self.b = (a if nb else None), (b if na else None)
        return mm(a, b)

    def backward(self, g):
        na, nb = self.needs_input_grad
        return matmul_grads(g, self.a, self.b, self.shapes, na, nb)


class AddMatMul(Op):
    """``beta * c + alpha * (a @ b)`` (addmm, addmv, baddbmm); ``beta == 0`` ignores ``c``.
    ``label`` is torch's grad_fn stem for the function (``Addmm``)."""

    def __init__(self, beta=1, alpha=1, label="Addmm"):
        self.beta, self.alpha, self.label = beta, alpha, label

    def name(self):
        return self.label + "Backward0"

    def forward(self, c, a, b):
        nc, na, nb = self.needs_input_grad
        self.shapes = (a.shape, b.shape)
        self.cshape = c.shape
        self.save_inputs = (2,) * na + (1,) * nb
        self.a, self.b = (a if nb else None), (b if na else None)
        out = mm(a, b)
        if self.alpha != 1:
            out *= self.alpha
        if self.beta != 0:
            out += c if self.beta == 1 else self.beta * c
        return out

    def backward(self, g):
        nc, na, nb = self.needs_input_grad
        gc = None
        if nc:
            beta = conj(self.beta) if g.dtype.kind == "c" else self.beta
            gc = sum_to(g if beta == 1 else g * beta, self.cshape)
        if na or nb:
            alpha = conj(self.alpha) if g.dtype.kind == "c" else self.alpha
            ga, gb = matmul_grads(g if alpha == 1 else g * alpha, self.a, self.b,
                                  self.shapes, na, nb)
        else:
            ga = gb = None
        return gc, ga, gb


# -- einsum ---------------------------------------------------------------------
def parse_einsum(equation, shapes):
    """Explicit subscripts for ``equation`` over operands of ``shapes``.

    Returns ``(in_subs, out_sub, squeeze)``: one letter string per operand with
    ellipses spelled out, the output letters, and per operand the axes of size
    1 that broadcast against a larger size elsewhere (they are squeezed away,
    since the operand is constant along them).  Errors are torch's, naming
    the operand and sizes.
    """
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(shapes):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    for ch in eq:
        if not (ch.isalpha() or ch in ".,->"):
            raise RuntimeError(f"einsum(): invalid subscript given at index {eq.index(ch)} in the "
                               f"equation string, subscripts must be in [a-zA-Z]")
    spare = [c for c in string.ascii_letters if c not in eq]
    n_ell = 0
    for i, (term, shape) in enumerate(zip(terms, shapes)):
        labels = len(term.replace("...", ""))
        if "..." in term:
            if labels > len(shape):
                raise RuntimeError(f"einsum(): the number of subscripts in the equation ({labels}) "
                                   f"is more than the number of dimensions ({len(shape)}) for "
                                   f"operand {i}")
            n_ell = max(n_ell, len(shape) - labels)
        elif labels != len(shape):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({labels}) "
                               f"does not match the number of dimensions ({len(shape)}) for "
                               f"operand {i} and no ellipsis was given")
    ell = "".join(spare[:n_ell])
    in_subs = [t.replace("...", ell[n_ell - (len(s) - len(t.replace("...", ""))):] if n_ell else "")
               for t, s in zip(terms, shapes)]
    if arrow:
        out_sub = rhs.replace("...", ell)
        for c in out_sub:
            if c not in lhs and c not in ell:
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the "
                                   "equation for any input operand")
            if out_sub.count(c) > 1:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in "
                                   "the output")
    else:
        counts = {}
        for c in lhs.replace("...", "").replace(",", ""):
            counts[c] = counts.get(c, 0) + 1
        out_sub = ell + "".join(sorted(c for c, k in counts.items() if k == 1))
    sizes = {}
    for i, (sub, shape) in enumerate(zip(in_subs, shapes)):
        own = {}
        for c, n in zip(sub, shape):
            if own.setdefault(c, n) != n:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {i} but the "
                                   f"sizes don't match, {own[c]} != {n}")
            seen = sizes.get(c, 1)
            if n != seen and seen != 1 and n != 1:
                raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {i} which "
                                   f"does not broadcast with previously seen size {seen}")
            sizes[c] = max(seen, n)
    squeeze = []
    for i, (sub, shape) in enumerate(zip(in_subs, shapes)):
        axes = tuple(k for k, (c, n) in enumerate(zip(sub, shape)) if n == 1 and sizes[c] != 1)
        squeeze.append(axes)
        if axes:
            in_subs[i] = "".join(c for k, c in enumerate(sub) if k not in axes)
    return in_subs, out_sub, squeeze


class Einsum(Op):
    """``einsum`` on explicit subscripts (see ``parse_einsum``).

    The gradient of operand i is the einsum of the output gradient with the
    other operands onto operand i's letters; letters it alone sums over are
    broadcast back, and repeated letters (diagonals) write into a strided
    view of a zero array.
    """

    def __init__(self, in_subs, out_sub, squeeze):
        self.in_subs, self.out_sub, self.squeeze = in_subs, out_sub, squeeze

    def forward(self, *ops):
        xp = get_xp(ops[0])
        self.shapes = [o.shape for o in ops]
        ops = [o.reshape([n for k, n in enumerate(o.shape) if k not in ax]) if ax else o
               for o, ax in zip(ops, self.squeeze)]
        needs = self.needs_input_grad
        keep = [any(needs[i] for i in range(len(ops)) if i != j) for j in range(len(ops))]
        self.save_inputs = tuple(j for j, k in enumerate(keep) if k)
        self.ops = [o if k else None for o, k in zip(ops, keep)]
        out = xp.einsum(",".join(self.in_subs) + "->" + self.out_sub, *ops,
                        optimize=len(ops) > 1)
        if len(ops) == 1 and xp.may_share_memory(out, ops[0]):
            out = out.copy()
        return out

    def backward(self, g):
        return tuple(self._grad(i, g) if need else None
                     for i, need in enumerate(self.needs_input_grad))

    def _grad(self, i, g):
        xp = get_xp(g)
        subs, sub = self.in_subs, self.in_subs[i]
        shape = [n for k, n in enumerate(self.shapes[i]) if k not in self.squeeze[i]]
        others = [j for j in range(len(subs)) if j != i]
        avail = set(self.out_sub).union(*(subs[j] for j in others))
        uniq = "".join(dict.fromkeys(sub))
        target = "".join(c for c in uniq if c in avail)
        eq = ",".join([self.out_sub] + [subs[j] for j in others]) + "->" + target
        flip = g.dtype.kind == "c"  # torch's convention: conjugated other operands
        part = xp.einsum(eq, g, *(conj(self.ops[j]) if flip else self.ops[j] for j in others),
                         optimize=bool(others))
        if uniq == target == sub:
            return part.reshape(self.shapes[i])
        sizes = dict(zip(sub, shape))
        part = part.reshape([sizes[c] if c in avail else 1 for c in uniq])
        if uniq == sub:
            grad = xp.empty(shape, g.dtype)
            grad[...] = part
        else:
            grad = xp.zeros(shape, g.dtype)
            strides = [sum(st for st, c2 in zip(grad.strides, sub) if c2 == c) for c in uniq]
            diag = xp.lib.stride_tricks.as_strided(grad, [sizes[c] for c in uniq], strides)
            diag[...] = part
        return grad.reshape(self.shapes[i])


# -- other products ---------------------------------------------------------------
class Kron(Op):
    """Kronecker product; inputs are padded with leading 1s to the same rank."""

    def name(self):
        return "UnsafeViewBackward0"  # torch's kron ends in a reshape of the outer product

    def forward(self, a, b):
        nd = max(a.ndim, b.ndim)
        self.sa, self.sb = a.shape, b.shape
        a = a.reshape((1,) * (nd - a.ndim) + a.shape)
        b = b.reshape((1,) * (nd - b.ndim) + b.shape)
        na, nb = self.needs_input_grad
        self.save_inputs = (1,) * na + (0,) * nb
        self.a, self.b = (a if nb else None), (b if na else None)
        self.split = tuple(x for pair in zip(a.shape, b.shape) for x in pair)
        out = a.reshape(_interleave(a.shape, 1)) * b.reshape(_interleave(b.shape, 0))
        return out.reshape(tuple(m * n for m, n in zip(a.shape, b.shape)))

    def backward(self, g):
        xp = get_xp(g)
        na, nb = self.needs_input_grad
        nd = len(self.split) // 2
        la, lb = string.ascii_letters[:nd], string.ascii_letters[nd:2 * nd]
        gl = "".join(x + y for x, y in zip(la, lb))
        g = g.reshape(self.split)
        a, b = (conj(self.a), conj(self.b)) if g.dtype.kind == "c" else (self.a, self.b)
        ga = xp.einsum(f"{gl},{lb}->{la}", g, b).reshape(self.sa) if na else None
        gb = xp.einsum(f"{gl},{la}->{lb}", g, a).reshape(self.sb) if nb else None
        return ga, gb


def _interleave(shape, ones_after):
    """(a0, a1) -> (a0, 1, a1, 1) when ones_after else (1, a0, 1, a1)."""
    return tuple(x for n in shape for x in ((n, 1) if ones_after else (1, n)))


class Cross(Op):
    """3-vector cross product along ``dim`` (inputs broadcast)."""

    def name(self):
        return "LinalgCrossBackward0"

    def __init__(self, dim):
        self.dim = dim

    def forward(self, a, b):
        na, nb = self.needs_input_grad
        self.sa, self.sb = a.shape, b.shape
        self.save_inputs = (1,) * na + (0,) * nb
        self.a, self.b = (a if nb else None), (b if na else None)
        return get_xp(a).cross(a, b, axis=self.dim)

    def backward(self, g):
        xp = get_xp(g)
        na, nb = self.needs_input_grad
        a, b = (conj(self.a), conj(self.b)) if g.dtype.kind == "c" else (self.a, self.b)
        ga = sum_to(xp.cross(b, g, axis=self.dim), self.sa) if na else None
        gb = sum_to(xp.cross(g, a, axis=self.dim), self.sb) if nb else None
        return ga, gb


class Trace(Op):
    """Sum of a matrix's main diagonal (integers sum to int64)."""

    def forward(self, a):
        self.shape, self.dtype = a.shape, a.dtype
        xp = get_xp(a)
        return xp.asarray(a.trace(dtype=xp.int64 if a.dtype.kind in "iub" else None))

    def backward(self, g):
        out = get_xp(g).zeros(self.shape, self.dtype)
        get_xp(g).fill_diagonal(out, g)
        return out


# -- decompositions and solvers -----------------------------------------------------
class Inv(Op):
    """Matrix inverse; grad = -A^-T g A^-T."""

    def name(self):
        return "LinalgInvExBackward0"

    save_output = True

    def forward(self, a):
        self.y = checked(get_xp(a).linalg.inv, "linalg.inv", a)
        return self.y

    def backward(self, g):
        yt = mT(conj(self.y) if g.dtype.kind == "c" else self.y)
        return -(yt @ g @ yt)


class Det(Op):
    """Determinant; the gradient is the cofactor matrix, computed from an SVD so
    that singular inputs get the right (finite) gradient too."""

    def name(self):
        return "LinalgDetBackward0"

    save_inputs = (0,)

    def forward(self, a):
        self.a = a
        return get_xp(a).linalg.det(a)

    def backward(self, g):
        xp = get_xp(g)
        u, s, vh = xp.linalg.svd(self.a)
        ones = xp.ones_like(s[..., :1])
        before = xp.cumprod(xp.concatenate([ones, s[..., :-1]], -1), -1)
        after = xp.flip(xp.cumprod(xp.flip(xp.concatenate([s[..., 1:], ones], -1), -1), -1), -1)
        sign = xp.linalg.det(u) * xp.linalg.det(vh)
        if g.dtype.kind == "c":  # g times the conjugate cofactor: conj(sign) u D vh
            sign = conj(sign)
        cof = (u * (before * after)[..., None, :]) @ vh
        return (g * sign)[..., None, None] * cof


class SlogDet(Op):
    """(sign, log|det|); the gradient comes from log|det| only: g * A^-T."""

    def name(self):
        return "LinalgSlogdetBackward0"

    save_inputs = (0,)

    def forward(self, a):
        self.a = a
        sign, logabs = get_xp(a).linalg.slogdet(a)
        self.sign = sign
        return sign, logabs

    def backward(self, gsign, glog):
        xp, a = get_xp(self.a), self.a
        # complex input: log det is holomorphic; its real part is logabs and its imaginary
        # part the phase of sign, so the cotangent is glog - i Im(conj(gsign) sign)
        g = glog
        if a.dtype.kind == "c" and gsign is not None:
            phase = (gsign.conjugate() * self.sign).imag
            g = xp.asarray((0 if glog is None else glog) - 1j * phase)
        if g is None:
            return xp.zeros_like(a)
        inv = checked(xp.linalg.inv, "linalg.slogdet (backward)", a)
        return g[..., None, None] * mT(conj(inv) if a.dtype.kind == "c" else inv)


class Solve(Op):
    """X with A X = B; ``vec`` marks B as (a batch of) vectors."""

    def name(self):
        return "LinalgSolveExBackward0"

    save_output = True

    def __init__(self, vec):
        self.vec = vec

    def forward(self, a, b):
        xp = get_xp(a)
        self.sa, self.sb = a.shape, b.shape
        if self.needs_input_grad[0] or self.needs_input_grad[1]:
            self.a = a
            self.save_inputs = (0,)
        x = checked(xp.linalg.solve, "linalg.solve", a, b[..., None] if self.vec else b)
        self.x = x[..., 0] if self.vec else x
        return self.x

    def backward(self, g):
        xp = get_xp(g)
        na, nb = self.needs_input_grad
        a, x = self.a, self.x
        if g.dtype.kind == "c":  # torch's convention: the real formula on conjugated values
            a, x = conj(a), conj(x)
        gb = checked(xp.linalg.solve, "linalg.solve", mT(a), g[..., None] if self.vec else g)
        ga = None
        if na:
            x = x[..., None] if self.vec else x
            ga = sum_to(-(gb @ mT(x)), self.sa)
        gb = gb[..., 0] if self.vec else gb
        return ga, sum_to(gb, self.sb) if nb else None


class Cholesky(Op):
    """Cholesky factor of a symmetric positive-definite A: lower L (A = L L^T), or L^T."""

    def name(self):
        return "LinalgCholeskyExBackward0"

    save_output = True

    def __init__(self, upper):
        self.upper = upper

    def forward(self, a):
        self.l = checked(get_xp(a).linalg.cholesky, "linalg.cholesky", a)
        return mT(self.l) if self.upper else self.l

    def backward(self, g):
        xp, L = get_xp(g), self.l
        phi = xp.tril(mT(L) @ xp.tril(mT(g) if self.upper else g))
        d = xp.arange(phi.shape[-1])
        phi[..., d, d] *= 0.5
        linv = xp.linalg.inv(L)
        s = mT(linv) @ phi @ linv
        return 0.5 * (s + mT(s))


class SVDVals(Op):
    """Singular values; grad = U diag(g) V^H (valid for distinct singular values)."""

    def name(self):
        return "LinalgSvdBackward0"

    save_inputs = (0,)

    def forward(self, a):
        self.a = a
        return get_xp(a).linalg.svd(a, compute_uv=False)

    def backward(self, g):
        u, _, vh = get_xp(g).linalg.svd(self.a, full_matrices=False)
        return (u * g[..., None, :]) @ vh


class Eigh(Op):
    """Eigen-decomposition of a symmetric matrix (ascending eigenvalues, eigenvectors).

    grad = V (diag(gw) + sym(F * V^T gV)) V^T with F_ij = 1/(w_j - w_i): valid
    for distinct eigenvalues, as in torch.
    """

    save_output = True

    def name(self):
        return "LinalgEighBackward0"

    def __init__(self, upper):
        self.uplo = "U" if upper else "L"

    def forward(self, a):
        w, v = get_xp(a).linalg.eigh(a, UPLO=self.uplo)
        self.w, self.v = w, v
        return w, v

    def backward(self, gw, gv):
        xp, w, v = get_xp(gv if gv is not None else gw), self.w, self.v
        inner = 0
        if gv is not None:
            diff = w[..., None, :] - w[..., :, None]
            same = diff == 0  # no division there: its gradient would be NaN in create_graph
            inner = xp.where(same, 0, (mT(v) @ gv) / xp.where(same, 1, diff))
        if gw is not None:
            inner = inner + xp.eye(w.shape[-1], dtype=w.dtype) * gw[..., None, :]
        ga = v @ inner @ mT(v)
        return 0.5 * (ga + mT(ga))


def checked(fn, name, *arrays):
    """Call a NumPy/CuPy linalg routine, turning its LinAlgError into ember's."""
    xp = get_xp(arrays[0])
    try:
        return fn(*arrays)
    except xp.linalg.LinAlgError as e:
        reason = ("the input matrix is singular" if "ingular" in str(e) else
                  "the input is not positive-definite" if "definite" in str(e) else str(e))
        raise LinAlgError(f"{name}: The computation could not be completed because {reason} "
                          f"(input of shape {tuple(arrays[0].shape)}).") from None


# -- norms ----------------------------------------------------------------------------
class VectorNorm(Op):
    """``(sum |x|^p)^(1/p)`` over ``dims`` (None: all), with p in {2, 1, 0, inf, -inf, other}.

    Ties of the inf/-inf norms share the gradient evenly, as torch's amax does (a NaN
    counts as a tie); a zero norm gets a zero gradient, and so does a NaN element (its sign is 0).
    """

    save_output = True

    def name(self):
        return "LinalgVectorNormBackward0"

    def __init__(self, ord, dims, keepdim):
        self.ord, self.dims, self.keepdim = ord, dims, keepdim

    def forward(self, x):
        xp, p, ax = get_xp(x), self.ord, self.dims
        a = xp.abs(x)
        if p == 2:
            n = xp.sqrt((a * a).sum(ax, keepdims=True))
        elif p == math.inf:
            n = a.max(ax, keepdims=True)
        elif p == -math.inf:
            n = a.min(ax, keepdims=True)
        elif p == 0:
            n = (a != 0).sum(ax, keepdims=True).astype(a.dtype)
        elif p == 1:
            n = a.sum(ax, keepdims=True)
        else:
            with _errstate():
                n = (a ** p).sum(ax, keepdims=True) ** (1.0 / p)
        if self.needs_input_grad[0]:
            self.x, self.n = x, n
            self.save_inputs = (0,)
        return n if self.keepdim else n.reshape(_drop_dims(x.shape, ax))

    def backward(self, g):
        xp, p, x, n = get_xp(g), self.ord, self.x, self.n
        g = g.reshape(n.shape)
        if p == 0:
            return xp.zeros_like(x)
        if p == 1:
            return sign(xp, x) * g
        if p == 2:
            with _errstate():
                return x * xp.where(n == 0, 0, g / n)
        if p in (math.inf, -math.inf):
            mask = (xp.abs(x) == n) | xp.isnan(x)
            return sign(xp, x) * mask * (g / mask.sum(self.dims, keepdims=True, dtype=g.dtype))
        with _errstate():
            a = xp.abs(x)
            out = xp.sign(x) * a ** (p - 1) * (g / n ** (p - 1))
        return xp.where((a == 0) | (n == 0), 0, out)


class MatrixNorm(Op):
    """Matrix norms over dims (r, c): ord 2 / -2 / 'nuc' from singular values,
    ord 1 / -1 (column sums) and inf / -inf (row sums) of |A|."""

    def name(self):
        # torch reduces the singular values or the abs sums with sum/amax/amin
        if self.ord == "nuc":
            return "SumBackward1"
        return "AmaxBackward0" if self.ord > 0 else "AminBackward0"

    def __init__(self, ord, dims, keepdim):
        self.ord, self.dims, self.keepdim = ord, dims, keepdim

    def forward(self, a):
        xp, p = get_xp(a), self.ord
        x = xp.moveaxis(a, self.dims, (-2, -1))
        need = self.needs_input_grad[0]
        if p in (2, -2, "nuc"):
            if need:
                u, s, vh = xp.linalg.svd(x, full_matrices=False)
                self.u, self.vh = u, vh
            else:
                s = xp.linalg.svd(x, compute_uv=False)
            val = s.sum(-1) if p == "nuc" else s.max(-1) if p == 2 else s.min(-1)
            vec = s
        else:
            vec = xp.abs(x).sum(-2 if p in (1, -1) else -1)
            val = vec.max(-1) if p > 0 else vec.min(-1)
        if need:
            self.x, self.vec, self.val = x, vec, val
            self.save_inputs = (0,)
        if self.keepdim:
            val = val.reshape(tuple(1 if i in self.dims else n for i, n in enumerate(a.shape)))
        return val

    def backward(self, g):
        xp, p = get_xp(g), self.ord
        g = g.reshape(self.val.shape)[..., None]
        if p == "nuc":
            w = xp.broadcast_to(g, self.vec.shape)
        else:
            mask = self.vec == self.val[..., None]
            with _errstate():
                w = mask * (g / mask.sum(-1, keepdims=True, dtype=g.dtype))
        if p in (2, -2, "nuc"):
            gx = (self.u * w[..., None, :]) @ self.vh
        else:
            gx = xp.sign(self.x) * (w[..., None, :] if p in (1, -1) else w[..., :, None])
        return xp.moveaxis(gx, (-2, -1), self.dims)


def _drop_dims(shape, dims):
    if dims is None:
        return ()
    return tuple(n for i, n in enumerate(shape) if i not in dims)


def _errstate():
    """Silence NumPy's divide/overflow warnings where inf and nan are the intended results
    (CuPy does not warn)."""
    return np.errstate(divide="ignore", invalid="ignore", over="ignore")
