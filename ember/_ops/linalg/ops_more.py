"""More linear-algebra ops on raw arrays: matrix exponential, triangular solves and the
pseudo-inverse, each with its gradient.  Checks live in ``ember/linalg/_more.py``."""
from ..base import Op, sum_to, get_xp
from .ops import mT, checked, _errstate


def expm(a):
    """exp(a) for a batch of square matrices: scaling by 2^-s until the 1-norm is at most 1/2,
    a degree-18 Taylor series, then s squarings (each matrix its own s)."""
    xp = get_xp(a)
    norm1 = xp.abs(a).sum(-2).max(-1) if a.size else xp.zeros(a.shape[:-2])
    s = xp.maximum(0, xp.ceil(xp.log2(xp.maximum(norm1, 1e-300) * 2))).astype(int)
    x = a / (2.0 ** s)[..., None, None]
    eye = xp.eye(a.shape[-1], dtype=a.dtype)
    res, term = eye + x, x
    for k in range(2, 19):
        term = term @ x / k
        res = res + term
    for i in range(int(s.max()) if s.size else 0):
        res = xp.where((s > i)[..., None, None], res @ res, res)
    return res.astype(a.dtype, copy=False)


class MatrixExp(Op):
    """exp(A); the gradient is the top-right block of exp([[A^T, g], [0, A^T]])."""

    def name(self):
        return "LinalgMatrixExpBackward0"

    save_inputs = (0,)

    def forward(self, a):
        self.a = a
        return expm(a)

    def backward(self, g):
        xp, n = get_xp(g), g.shape[-1]
        at = mT(self.a.conjugate() if g.dtype.kind == "c" else self.a)  # torch's convention
        big = xp.zeros(g.shape[:-2] + (2 * n, 2 * n), dtype=g.dtype)
        big[..., :n, :n] = at
        big[..., n:, n:] = at
        big[..., :n, n:] = g
        return expm(big)[..., :n, n:]


def _triangle(xp, a, upper, unit):
    t = xp.triu(a) if upper else xp.tril(a)
    if unit:
        d = xp.arange(a.shape[-1])
        t = t.copy()
        t[..., d, d] = 1
    return t


class SolveTriangular(Op):
    """X with T X = B for the upper or lower triangle T of A (unit diagonal when
    ``unitriangular``); batch dims broadcast."""

    def name(self):
        return "LinalgSolveTriangularBackward0"

    save_output = True
    save_inputs = (0,)

    def __init__(self, upper, unitriangular):
        self.upper, self.unit = upper, unitriangular

    def forward(self, a, b):
        xp = get_xp(a)
        self.sa, self.sb = a.shape, b.shape
        self.a = a
        self.t = _triangle(xp, a, self.upper, self.unit)
        batch = xp.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        t = xp.broadcast_to(self.t, batch + a.shape[-2:])
        self.x = checked(xp.linalg.solve, "linalg.solve_triangular", t,
                         xp.broadcast_to(b, batch + b.shape[-2:]))
        return self.x

    def regraph(self):
        """Under create_graph: the triangle again, from the swapped input."""
        return {"t": _triangle(get_xp(self.a), self.a, self.upper, self.unit)}

    def backward(self, g):
        xp = get_xp(g)
        gb = xp.linalg.solve(xp.broadcast_to(mT(self.t), g.shape[:-2] + self.t.shape[-2:]), g)
        ga = None
        if self.needs_input_grad[0]:
            ga = -(gb @ mT(self.x))
            ga = xp.triu(ga, 1 if self.unit else 0) if self.upper else xp.tril(ga, -1 if self.unit else 0)
            ga = sum_to(ga, self.sa)
        return ga, sum_to(gb, self.sb) if self.needs_input_grad[1] else None


class Pinv(Op):
    """Moore-Penrose pseudo-inverse from an SVD, dropping singular values at or below
    max(atol, rtol * largest).  Gradient (constant rank):
    -P^T g P^T + (I - A P) g^T P P^T + P^T P g^T (I - P A)."""

    def name(self):
        return "LinalgPinvBackward0"

    save_inputs = (0,)
    save_output = True

    def __init__(self, atol, rtol):
        self.atol, self.rtol = atol, rtol

    def forward(self, a):
        xp = get_xp(a)
        self.a = a
        u, s, vh = checked(lambda m: xp.linalg.svd(m, full_matrices=False), "linalg.pinv", a)
        smax = s[..., :1] if s.shape[-1] else xp.zeros(s.shape[:-1] + (1,), dtype=s.dtype)
        tol = xp.maximum(self.atol, self.rtol * smax)
        keep = s > tol
        sinv = xp.where(keep, 1 / xp.where(keep, s, 1), 0).astype(a.dtype)
        self.p = (mT(vh) * sinv[..., None, :]) @ mT(u)
        return self.p

    def backward(self, g):
        xp, a, p = get_xp(g), self.a, self.p
        pt, gt = mT(p), mT(g)
        i_ap = xp.eye(a.shape[-2], dtype=a.dtype) - a @ p
        i_pa = xp.eye(a.shape[-1], dtype=a.dtype) - p @ a
        return -(pt @ g @ pt) + i_ap @ gt @ (p @ pt) + (pt @ p) @ gt @ i_pa


def lu_factor(a):
    """LAPACK getrf on a batch: (packed LU, 1-based int32 pivots, info), with partial
    pivoting; info is the 1-based index of the first zero pivot (0 when none)."""
    xp = get_xp(a)
    lu = a.copy()
    batch, (m, n) = a.shape[:-2], a.shape[-2:]
    lu = lu.reshape((-1, m, n))
    k_max = min(m, n)
    piv = xp.zeros((lu.shape[0], k_max), dtype=xp.int32)
    info = xp.zeros(lu.shape[0], dtype=xp.int32)
    rows = xp.arange(lu.shape[0])
    for k in range(k_max):
        p = xp.argmax(xp.abs(lu[:, k:, k]), axis=1) + k
        piv[:, k] = p + 1
        top = lu[rows, k].copy()
        lu[rows, k] = lu[rows, p]
        lu[rows, p] = top
        pivot = lu[:, k, k]
        zero = pivot == 0
        info = xp.where((info == 0) & zero, k + 1, info)
        lu[:, k + 1:, k] /= xp.where(zero, 1, pivot)[:, None]
        lu[:, k + 1:, k + 1:] -= lu[:, k + 1:, k:k + 1] * lu[:, k:k + 1, k + 1:]
    return (lu.reshape(a.shape), piv.reshape(batch + (k_max,)),
            info.astype(xp.int32).reshape(batch))


class LUFactor(Op):
    """Packed LU factors and pivots of A = P L U (partial pivoting).  Gradient for square A:
    P L^-T (tril(L^T g, -1) + triu(g U^T)) U^-T, g the gradient of the packed factors."""

    nondiff_outputs = (1,)
    save_output = True

    def name(self):
        return "LinalgLuFactorExBackward0"

    def forward(self, a):
        lu, piv, self.info = lu_factor(a)
        self.lu, self.piv = lu, piv
        return lu, piv

    def backward(self, g, _):
        xp, lu = get_xp(g), self.lu
        m, n = lu.shape[-2:]
        if m != n:
            raise NotImplementedError("ember: the derivative of linalg.lu_factor is implemented "
                                      "for square matrices only")
        low = xp.tril(lu, -1) + xp.eye(n, dtype=lu.dtype)
        up = xp.triu(lu)
        phi = xp.tril(mT(low) @ g, -1) + xp.triu(g @ mT(up))
        x = xp.linalg.solve(mT(low), phi)
        x = mT(xp.linalg.solve(up, mT(x)))
        return permutation(self.piv, m, x.dtype) @ x


def permutation(piv, m, dtype):
    """P with A = P L U from LAPACK's 1-based row-interchange pivots (batched)."""
    xp = get_xp(piv)
    batch = piv.shape[:-1]
    perm = xp.broadcast_to(xp.arange(m), batch + (m,)).copy().reshape(-1, m)
    flat = piv.reshape(-1, piv.shape[-1]) - 1
    rows = xp.arange(perm.shape[0])
    for k in range(flat.shape[-1]):
        p = flat[:, k]
        top = perm[rows, k].copy()
        perm[rows, k] = perm[rows, p]
        perm[rows, p] = top
    eye = xp.eye(m, dtype=dtype)
    return mT(eye[perm]).reshape(batch + (m, m))


class Eig(Op):
    """Eigenvalues and unit eigenvectors of a general square matrix (complex outputs).
    Gradient as torch's: V^-H (diag(gw) + (V^H gV - V^H V diag(Re diag(V^H gV))) / conj(E)) V^H,
    E_ij = w_j - w_i, real part for a real input."""

    save_output = True

    def name(self):
        return "LinalgEigBackward0"

    def __init__(self, name, ctype):
        self.fname, self.ctype = name, ctype

    def forward(self, a):
        self.real = a.dtype.kind == "f"
        w, v = checked(get_xp(a).linalg.eig, self.fname, a)
        self.w, self.v = w.astype(self.ctype), v.astype(self.ctype)
        return self.w, self.v

    def backward(self, gw, gv):
        xp, w, v = get_xp(gv if gv is not None else gw), self.w, self.v
        vh = xp.conj(mT(v))
        inner = xp.zeros(v.shape, dtype=v.dtype)
        if gv is not None:
            vhgv = vh @ gv
            d = xp.real(xp.diagonal(vhgv, axis1=-2, axis2=-1))
            vhgv = vhgv - (vh @ v) * d[..., None, :]
            e = xp.conj(w[..., None, :] - w[..., :, None])
            n = w.shape[-1]
            e[..., xp.arange(n), xp.arange(n)] = 1
            inner = vhgv / e
            inner[..., xp.arange(n), xp.arange(n)] = 0
        if gw is not None:
            inner = inner + xp.eye(w.shape[-1], dtype=v.dtype) * gw[..., None, :]
        ga = xp.linalg.solve(vh, inner @ vh)
        return xp.real(ga) if self.real else ga


class SVD(Op):
    """U, S, Vh with A = U diag(S) Vh.  Gradient as torch's (distinct singular values; with
    full_matrices, the gradients of the extra columns of U / rows of Vh are ignored)."""

    save_output = True

    def name(self):
        return "LinalgSvdBackward0"

    def __init__(self, full_matrices):
        self.full = full_matrices

    def forward(self, a):
        xp = get_xp(a)
        u, s, vh = checked(lambda m: xp.linalg.svd(m, full_matrices=self.full), "linalg.svd", a)
        self.u, self.s, self.vh = u, s, vh
        return u, s, vh

    def backward(self, gu, gs, gvh):
        xp, s = get_xp(next(g for g in (gu, gs, gvh) if g is not None)), self.s
        k = s.shape[-1]
        u, vh = self.u[..., :, :k], self.vh[..., :k, :]
        m, n = u.shape[-2], vh.shape[-1]
        gu = None if gu is None else gu[..., :, :k]
        gv = None if gvh is None else mT(gvh[..., :k, :])
        v = mT(vh)
        ga = xp.zeros(s.shape + (k,), dtype=s.dtype)
        if gu is not None or gv is not None:
            e = s[..., None, :] ** 2 - s[..., :, None] ** 2
            d = xp.arange(k)
            e[..., d, d] = 1
            if gu is not None:
                uhgu = mT(u) @ gu
                ga = ga + (uhgu - mT(uhgu)) * s[..., None, :]
            if gv is not None:
                vhgv = mT(v) @ gv
                ga = ga + s[..., :, None] * (vhgv - mT(vhgv))
            with _errstate():
                ga = ga / e
        if gs is not None:
            ga = ga + xp.eye(k, dtype=s.dtype) * gs[..., None, :]
        if m > k and gu is not None:
            ga = u @ ga
            gusinv = gu / s[..., None, :]
            ga = (ga + gusinv - u @ (mT(u) @ gusinv)) @ vh
        elif n > k and gv is not None:
            ga = ga @ vh
            gvsinv = gv / s[..., None, :]
            ga = u @ (ga + mT(gvsinv) - (mT(gvsinv) @ v) @ vh)
        else:
            ga = u @ ga @ vh
        return ga


class QR(Op):
    """Q, R with A = Q R (``mode`` 'reduced', 'complete', or 'r': R alone, Q empty).

    Gradient, as torch's: for m >= n, (gQ + Q sym(triu(gR R^T - Q^T gQ))) R^-T with
    sym(X) = X + X^T, diagonal once.  For a wide A = [X | Y] (m < n), R = [U | V] with
    X = Q U square and V = Q^T Y, so gY = Q gV and X takes the square gradient with
    gQ + Y gV^T in place of gQ.  Not differentiable for mode 'r', nor 'complete' with m > n.
    """

    save_output = True

    def name(self):
        return "LinalgQrBackward0"

    def __init__(self, mode):
        self.mode = mode

    def forward(self, a):
        xp = get_xp(a)
        if self.mode == "r":
            self.r = checked(lambda x: xp.linalg.qr(x, mode="r"), "linalg.qr", a)
            return xp.zeros((0,), a.dtype), self.r
        self.q, self.r = checked(lambda x: xp.linalg.qr(x, mode=self.mode), "linalg.qr", a)
        return self.q, self.r

    def backward(self, gq, gr):
        if self.mode == "r":
            raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed "
                               "when mode='r'. Please use linalg.qr(A, mode='reduced') if you "
                               "are going to differentiate through linalg.qr.")
        xp, q, r = get_xp(gq if gq is not None else gr), self.q, self.r
        m, n = q.shape[-2], r.shape[-1]
        if m > n and self.mode == "complete":
            raise RuntimeError("The QR decomposition is not differentiable when mode='complete' "
                               "and nrows > ncols.")
        if m >= n:
            return _qr_square_grad(xp, q, r, gq, gr)
        u, v = r[..., :m], r[..., m:]
        gu = gv = None
        if gr is not None:
            gu, gv = gr[..., :m], gr[..., m:]
            gq = (0 if gq is None else gq) + (q @ v) @ mT(gv)
        gx = _qr_square_grad(xp, q, u, gq, gu)
        gy = xp.zeros(v.shape, q.dtype) if gv is None else q @ gv
        return xp.concatenate([gx, gy], axis=-1)


def _qr_square_grad(xp, q, r, gq, gr):
    """The gradient of A = Q R for m >= n (R n x n) from gQ and gR (either may be None)."""
    n = r.shape[-1]
    x = xp.zeros(r.shape[:-2] + (n, n), dtype=r.dtype)
    if gr is not None:
        x = x + gr @ mT(r)
    if gq is not None:
        x = x - mT(q) @ gq
    x = xp.triu(x)
    x = x + mT(x)
    d = xp.arange(n)
    x[..., d, d] *= 0.5
    ga = q @ x
    if gq is not None:
        ga = ga + gq
    # ga R^-T: solve R X^T = ga^T
    return mT(xp.linalg.solve(r, mT(ga)))


_BK_ALPHA = (1 + 17 ** 0.5) / 8


def ldl_factor(a):
    """LAPACK sytf2 (lower) on each matrix of a batch: Bunch-Kaufman LDL^T with the packed
    factor (lower triangle), 1-based pivots (negative for 2 x 2 blocks) and info."""
    xp = get_xp(a)
    n = a.shape[-1]
    flat = xp.tril(a).reshape((-1, n, n)).copy()
    piv = xp.zeros(flat.shape[:1] + (n,), dtype=xp.int32)
    info = xp.zeros(flat.shape[:1], dtype=xp.int32)
    for b in range(flat.shape[0]):
        info[b] = _sytf2(flat[b], piv[b])
    return flat.reshape(a.shape), piv.reshape(a.shape[:-1]), info.reshape(a.shape[:-2])


def _sytf2(A, ipiv):
    n, k, info = A.shape[0], 0, 0
    while k < n:
        kstep, absakk = 1, abs(A[k, k])
        imax = k + 1 + int(abs(A[k + 1:, k]).argmax()) if k < n - 1 else k
        colmax = abs(A[imax, k]) if k < n - 1 else 0.0
        kp = k
        if max(absakk, colmax) == 0:
            info = info or k + 1
        else:
            if absakk < _BK_ALPHA * colmax:
                rowmax = abs(A[imax, k:imax]).max()
                if imax < n - 1:
                    rowmax = max(rowmax, abs(A[imax + 1:, imax]).max())
                if absakk >= _BK_ALPHA * colmax * (colmax / rowmax):
                    kp = k
                elif abs(A[imax, imax]) >= _BK_ALPHA * rowmax:
                    kp = imax
                else:
                    kp, kstep = imax, 2
            kk = k + kstep - 1
            if kp != kk:
                A[kp + 1:, [kk, kp]] = A[kp + 1:, [kp, kk]]
                seg = A[kk + 1:kp, kk].copy()
                A[kk + 1:kp, kk] = A[kp, kk + 1:kp]
                A[kp, kk + 1:kp] = seg
                A[kk, kk], A[kp, kp] = A[kp, kp], A[kk, kk]
                if kstep == 2:
                    A[k + 1, k], A[kp, k] = A[kp, k], A[k + 1, k]
            if kstep == 1 and k < n - 1:
                d11 = 1 / A[k, k]
                x = A[k + 1:, k].copy()
                A[k + 1:, k + 1:] -= _tril_outer(d11 * x, x)
                A[k + 1:, k] *= d11
            elif kstep == 2 and k < n - 2:
                d21 = A[k + 1, k]
                d11, d22 = A[k + 1, k + 1] / d21, A[k, k] / d21
                d21 = (1 / (d11 * d22 - 1)) / d21
                wk = d21 * (d11 * A[k + 2:, k] - A[k + 2:, k + 1])
                wkp1 = d21 * (d22 * A[k + 2:, k + 1] - A[k + 2:, k])
                A[k + 2:, k + 2:] -= _tril_outer(A[k + 2:, k], wk) + _tril_outer(A[k + 2:, k + 1], wkp1)
                A[k + 2:, k], A[k + 2:, k + 1] = wk, wkp1
        if kstep == 1:
            ipiv[k] = kp + 1
        else:
            ipiv[k] = ipiv[k + 1] = -(kp + 1)
        k += kstep
    return info


def _tril_outer(x, y):
    """The lower triangle of the outer product x y^T."""
    return get_xp(x).tril(x[:, None] * y[None, :])


def ldl_solve(ld, piv, b):
    """LAPACK sytrs (lower): X with A X = B from ``ldl_factor``'s packed factor and pivots
    (batch dims of the factor and B broadcast)."""
    xp = get_xp(ld)
    n = ld.shape[-1]
    batch = xp.broadcast_shapes(ld.shape[:-2], b.shape[:-2])
    lds = xp.broadcast_to(ld, batch + (n, n)).reshape((-1, n, n))
    pivs = xp.broadcast_to(piv, batch + (n,)).reshape((-1, n))
    out = xp.broadcast_to(b, batch + b.shape[-2:]).reshape((-1,) + b.shape[-2:]).copy()
    for A, ipiv, B in zip(lds, pivs, out):
        _sytrs(A, ipiv, B)
    return out.reshape(batch + b.shape[-2:])


def _sytrs(A, ipiv, B):
    n, k = A.shape[0], 0
    while k < n:  # solve L D Y = B
        if ipiv[k] > 0:
            kp = ipiv[k] - 1
            B[[k, kp]] = B[[kp, k]]
            B[k + 1:] -= A[k + 1:, k, None] * B[k]
            B[k] /= A[k, k]
            k += 1
        else:
            kp = -ipiv[k] - 1
            B[[k + 1, kp]] = B[[kp, k + 1]]
            B[k + 2:] -= A[k + 2:, k, None] * B[k] + A[k + 2:, k + 1, None] * B[k + 1]
            akm1k = A[k + 1, k]
            akm1, ak = A[k, k] / akm1k, A[k + 1, k + 1] / akm1k
            denom = akm1 * ak - 1
            bkm1, bk = B[k] / akm1k, B[k + 1] / akm1k
            B[k], B[k + 1] = (ak * bkm1 - bk) / denom, (akm1 * bk - bkm1) / denom
            k += 2
    k = n - 1
    while k >= 0:  # solve L^T X = Y
        if ipiv[k] > 0:
            B[k] -= A[k + 1:, k] @ B[k + 1:]
            kp = ipiv[k] - 1
            B[[k, kp]] = B[[kp, k]]
            k -= 1
        else:
            B[k] -= A[k + 1:, k] @ B[k + 1:]
            B[k - 1] -= A[k + 1:, k - 1] @ B[k + 1:]
            kp = -ipiv[k] - 1
            B[[k, kp]] = B[[kp, k]]
            k -= 2


class Geqrf(Op):
    """LAPACK geqrf: R on and above the diagonal, the Householder vectors below it, and their
    scales tau.  Like torch, it has no derivative (backward raises)."""

    nondiff_outputs = (1,)

    def name(self):
        return "GeqrfBackward0"

    def forward(self, a):
        h, tau = get_xp(a).linalg.qr(a, mode="raw")
        return mT(h).astype(a.dtype), tau.astype(a.dtype)

    def backward(self, *grads):
        raise NotImplementedError("the derivative for 'geqrf' is not implemented.")
