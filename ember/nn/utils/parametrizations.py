"""Ready-made parametrizations over ``nn.utils.parametrize``: ``orthogonal``, ``weight_norm``
and ``spectral_norm``.

Each registers a small module on a tensor of a layer, so the tensor is recomputed
from its originals on every access and ``state_dict`` holds torch's keys
(``parametrizations.weight.original`` or ``...original0``/``original1``).

Example:
    >>> from ember.nn.utils.parametrizations import weight_norm
    >>> m = weight_norm(ember.nn.Linear(20, 40))
    >>> m.parametrizations.weight.original0.shape   # g, one norm per output row
    ember.Size([40, 1])
"""
import math
from enum import Enum, auto

import numpy as np

from ..._ops.creation import eye, zeros_like
from ..._ops.linalg.funcs import mv, vdot
from ..._ops.shape.funcs import cat
from ..._dtype import finfo
from ..._tensor import Tensor, _wrap
from ...autograd import grad_mode
from ..._ops.normalization.funcs import normalize
from ..modules.conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from ..modules.module import Module
from . import parametrize
from ...linalg import qr
from ...linalg import solve
from ..._ops.random import randn

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]


def _mH(X):
    """The conjugate transpose of the last two dims."""
    return X.mT.conj() if X.is_complex() else X.mT


def _matrix_exp(A):
    """exp(A) for a (batch of) square matrix by scaling and squaring a Taylor series.

    Written with differentiable tensor ops, so gradients come from autograd.
    """
    norm = float(np.abs(A.detach().numpy()).sum(-2).max()) if A.numel() else 0.0
    squarings = max(0, math.ceil(math.log2(norm)) + 1) if norm > 0.5 else 0
    X = A / (2.0 ** squarings)
    Id = eye(A.shape[-1], dtype=A.dtype)
    result, term = Id + X, X
    for k in range(2, 19):
        term = (term @ X) / k
        result = result + term
    for _ in range(squarings):
        result = result @ result
    return result


def _householder_product(A, tau):
    """The first k columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^H, v_i = A[:, i] below a 1."""
    n, k = A.shape[-2], A.shape[-1]
    rows = np.arange(n)
    Q = eye(n, dtype=A.dtype).expand(*A.shape[:-2], n, n)
    for i in range(k - 1, -1, -1):
        below = _wrap((rows > i).astype(np.dtype(str(A.dtype).split(".")[-1])))
        unit = _wrap((rows == i).astype(below._data.dtype))
        v = A[..., :, i] * below + unit
        Q = Q - tau[..., i, None, None] * (v.unsqueeze(-1) @ (v.unsqueeze(-2) @ Q))
    return Q[..., :k]


def _make_orthogonal(A):
    """The Q of A = QR (A tall) with diag(R) >= 0."""
    Q, R = qr(A)
    return Q * R.diagonal(dim1=-2, dim2=-1).sgn().unsqueeze(-2)


def _geqrf(A):
    """LAPACK's compact QR: reflectors below the diagonal, R on and above it, and tau."""
    h, tau = np.linalg.qr(A.detach().numpy(), mode="raw")
    return _wrap(np.ascontiguousarray(np.swapaxes(h, -1, -2))), _wrap(tau)


def _is_orthogonal(Q):
    n, k = Q.shape[-2], Q.shape[-1]
    Id = eye(k, dtype=Q.dtype)
    return bool((_mH(Q) @ Q).allclose(Id, atol=10.0 * n * finfo(Q.dtype).eps))


class _OrthMaps(Enum):
    matrix_exp = auto()
    cayley = auto()
    householder = auto()


class _Orthogonal(Module):
    """Maps an unconstrained matrix to an orthogonal one (see ``orthogonal``)."""

    def __init__(self, weight, orthogonal_map, *, use_trivialization=True):
        super().__init__()
        if weight.is_complex() and orthogonal_map == _OrthMaps.householder:
            raise ValueError("The householder parametrization does not support complex tensors.")
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X):
        n, k = X.size(-2), X.size(-1)
        transposed = n < k
        if transposed:
            X = X.mT
            n, k = k, n
        if self.orthogonal_map == _OrthMaps.householder:
            A = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (A * A).sum(dim=-2))
            Q = _householder_product(A, tau)
            Q = Q * X.diagonal(dim1=-2, dim2=-1).detach().int().unsqueeze(-2)
        else:
            X = X.tril()
            if n != k:
                X = cat([X, X.new_zeros(n, n - k).expand(*X.shape[:-2], -1, -1)], dim=-1)
            A = X - _mH(X)
            if self.orthogonal_map == _OrthMaps.matrix_exp:
                Q = _matrix_exp(A)
            else:
                Id = eye(n, dtype=A.dtype)
                Q = solve(Id - 0.5 * A, Id + 0.5 * A)
            if n != k:
                Q = Q[..., :k]
        if hasattr(self, "base"):
            Q = self.base @ Q
        return Q.mT if transposed else Q

    def right_inverse(self, Q):
        with grad_mode.no_grad():
            if Q.shape != self.shape:
                raise ValueError(f"Expected a matrix or batch of matrices of shape {self.shape}. "
                                 f"Got a tensor of shape {Q.shape}.")
            Q_init = Q
            n, k = Q.size(-2), Q.size(-1)
            transpose = n < k
            if transpose:
                Q = Q.mT
                n, k = k, n
            if not hasattr(self, "base"):
                if self.orthogonal_map != _OrthMaps.householder:
                    raise NotImplementedError("It is not possible to assign to the matrix "
                                              "exponential or the Cayley parametrizations when "
                                              "use_trivialization=False.")
                A, tau = _geqrf(Q)
                diag = A.diagonal(dim1=-2, dim2=-1)
                diag.copy_(diag.sign() * (1 - 2 * (tau == 0.0).to(A.dtype)))
                return A.mT if transpose else A
            if n == k:
                Q = Q.clone() if _is_orthogonal(Q) else _make_orthogonal(Q)
            else:
                N = randn(*(tuple(Q.shape[:-2]) + (n, n - k)), dtype=Q.dtype)
                Q = _make_orthogonal(cat([Q, N], dim=-1))
            self.base = Q
            neg_Id = zeros_like(Q_init)
            neg_Id.diagonal(dim1=-2, dim2=-1).fill_(-1.0)
            return neg_Id


def orthogonal(module, name="weight", orthogonal_map=None, *, use_trivialization=True):
    """Constrain ``module.<name>`` (a matrix or a batch of them) to be orthogonal (or unitary).

    A tall matrix gets orthonormal columns, a wide one orthonormal rows.  The map from
    the unconstrained original is ``"matrix_exp"`` or ``"cayley"`` of a skew-symmetric
    matrix, or ``"householder"`` reflectors (default: ``"matrix_exp"`` for square or
    complex matrices, else ``"householder"``).  With ``use_trivialization`` (default) the
    current orthogonal matrix is kept as a buffer ``base`` and the original starts at the
    map's preimage of the identity, so registering keeps the weight's value (made
    orthogonal by QR if it was not).

    Args:
        module (nn.Module): the module holding the tensor.
        name (str): the tensor to constrain, shape ``(*, n, k)``. Default: ``'weight'``.
        orthogonal_map (str, optional): ``"matrix_exp"``, ``"cayley"`` or ``"householder"``.
        use_trivialization (bool): keep the ``base`` buffer (see above).

    Returns the module.

    Example:
        >>> from ember.nn.utils.parametrizations import orthogonal
        >>> m = orthogonal(ember.nn.Linear(4, 6))
        >>> ember.dist(m.weight.T @ m.weight, ember.eye(4)) < 1e-5
        tensor(True)
    """
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError("Expected a matrix or batch of matrices. "
                         f"Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        square = weight.size(-2) == weight.size(-1)
        orthogonal_map = "matrix_exp" if square or weight.is_complex() else "householder"
    orth_enum = getattr(_OrthMaps, orthogonal_map, None)
    if orth_enum is None:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", "householder". '
                         f"Got: {orthogonal_map}")
    orth = _Orthogonal(weight, orth_enum, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module


def _norm_except_dim(v, dim):
    """The 2-norm of ``v`` over every dim but ``dim``, kept with size 1 (``dim=-1``: all dims)."""
    if dim == -1:
        return v.norm()
    others = tuple(d for d in range(v.dim()) if d != dim)
    return v.norm(dim=others, keepdim=True)


def _weight_norm(v, g, dim):
    """``g * v / ||v||``, the norm taken over every dim but ``dim``."""
    return v * (g / _norm_except_dim(v, dim))


class _WeightNorm(Module):
    """Computes ``g * v / ||v||`` from ``(g, v)``; its right inverse splits a weight so."""

    def __init__(self, dim=0):
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g, weight_v):
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight):
        return _norm_except_dim(weight, self.dim), weight


def weight_norm(module, name="weight", dim=0):
    """Split ``module.<name>`` into a magnitude ``g`` and a direction ``v``: ``w = g * v / ||v||``.

    The norm is taken over every dimension but ``dim`` (over all of them for
    ``dim=None``), so ``g`` has ``w``'s size along ``dim`` and 1 elsewhere.  The state_dict
    keys are ``parametrizations.<name>.original0`` (g) and ``original1`` (v); a state dict
    saved with the legacy ``<name>_g``/``<name>_v`` keys also loads.

    Args:
        module (nn.Module): the module holding the tensor.
        name (str): the tensor to reparametrize. Default: ``'weight'``.
        dim (int, optional): the dimension keeping its own norms (default 0).

    Returns the module.

    Example:
        >>> from ember.nn.utils.parametrizations import weight_norm
        >>> m = weight_norm(ember.nn.Linear(20, 40), name="weight")
        >>> m.parametrizations.weight.original0.size(), m.parametrizations.weight.original1.size()
        (ember.Size([40, 1]), ember.Size([40, 20]))
    """
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def legacy_keys(module, state_dict, prefix, local_metadata, strict, missing_keys,
                    unexpected_keys, error_msgs):
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[f"{prefix}parametrizations.{name}.original0"] = state_dict.pop(g_key)
            state_dict[f"{prefix}parametrizations.{name}.original1"] = state_dict.pop(v_key)

    module.register_load_state_dict_pre_hook(legacy_keys)
    return module


def _power_iteration(weight_mat, u, v, n_iterations, eps):
    """Refine the singular-vector estimates ``u``, ``v`` of ``weight_mat`` in place."""
    with grad_mode.no_grad():
        for _ in range(n_iterations):
            u.copy_(normalize(mv(weight_mat, v), dim=0, eps=eps))
            v.copy_(normalize(mv(_mH(weight_mat), u), dim=0, eps=eps))


def _weight_matrix(weight, dim):
    """``weight`` with ``dim`` moved first and the rest flattened: ``(size(dim), -1)``."""
    if dim != 0:
        weight = weight.permute(dim, *(d for d in range(weight.dim()) if d != dim))
    return weight.flatten(1)


class _SpectralNorm(Module):
    """Divides a weight by its largest singular value, estimated by power iteration."""

    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12):
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError("Dimension out of range (expected to be in range of "
                             f"[-{ndim}, {ndim - 1}] but got {dim})")
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but "
                             f"got n_power_iterations={n_power_iterations}")
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            weight_mat = _weight_matrix(weight, self.dim)
            h, w = weight_mat.size()
            u = weight_mat.new_empty(h).normal_(0, 1)
            v = weight_mat.new_empty(w).normal_(0, 1)
            self.register_buffer("_u", normalize(u, dim=0, eps=self.eps))
            self.register_buffer("_v", normalize(v, dim=0, eps=self.eps))
            _power_iteration(weight_mat.detach(), self._u, self._v, 15, self.eps)

    def forward(self, weight):
        if weight.ndim == 1:
            return normalize(weight, dim=0, eps=self.eps)
        weight_mat = _weight_matrix(weight, self.dim)
        if self.training:
            _power_iteration(weight_mat.detach(), self._u, self._v, self.n_power_iterations,
                             self.eps)
        u, v = self._u.clone(), self._v.clone()
        return weight / vdot(u, mv(weight_mat, v))

    def right_inverse(self, value):
        return value


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """Divide ``module.<name>`` by its spectral norm (largest singular value) on every access.

    The singular value is estimated by power iteration on the weight viewed as a matrix
    ``(size(dim), -1)``; the vectors are buffers ``parametrizations.<name>.0._u`` and
    ``._v``, refined ``n_power_iterations`` times per access in training mode only.

    Args:
        module (nn.Module): the module holding the tensor.
        name (str): the tensor to normalise. Default: ``'weight'``.
        n_power_iterations (int): power iterations per access (training mode).
        eps (float): added when normalising the vectors.
        dim (int, optional): the output dimension (default 1 for ConvTranspose, else 0).

    Returns the module.

    Example:
        >>> from ember.nn.utils.parametrizations import spectral_norm
        >>> m = spectral_norm(ember.nn.Linear(20, 40))
        >>> sigma = ember.linalg.matrix_norm(m.weight.detach(), 2)   # near 1 after a few calls
        >>> bool((sigma - 1).abs() < 0.01)
        True
    """
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        transposed = isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d))
        dim = 1 if transposed else 0
    parametrize.register_parametrization(
        module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module
