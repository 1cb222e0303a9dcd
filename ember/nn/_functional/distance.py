"""Distances and similarities: ``pairwise_distance``, ``cosine_similarity``, ``pdist``.

Written with ember's differentiable norm and broadcasting ops (no op of
their own): the norm's gradient is 0 where a distance is 0, as in torch.
"""
import numpy as np

from ..._tensor import _wrap
from ...linalg import vector_norm
from ..._ops.shape.funcs import broadcast_tensors

__all__ = ["pairwise_distance", "cosine_similarity", "pdist"]


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The p-norm of x1 - x2 + eps along the last dim (inputs broadcast)."""
    if x1.dim() == 0 or x2.dim() == 0:
        raise RuntimeError("pairwise_distance expects inputs of at least 1 dimension, got "
                           f"{x1.dim()}-D and {x2.dim()}-D")
    return vector_norm(x1 - x2 + eps, p, dim=-1, keepdim=keepdim)


def _floored_norm(x, dim, eps):
    """max(|x|, eps) along ``dim``, whose gradient is the norm's even where eps wins (torch
    raises the norm to eps outside autograd)."""
    n = vector_norm(x, 2, dim=dim, keepdim=True)
    return n + (n.detach().clamp_min(eps) - n.detach())


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """sum(x1 / max(|x1|, eps) * x2 / max(|x2|, eps)) along ``dim`` (inputs broadcast)."""
    x1, x2 = broadcast_tensors(x1, x2)
    return ((x1 / _floored_norm(x1, dim, eps)) * (x2 / _floored_norm(x2, dim, eps))).sum(dim)


def pdist(input, p=2.0):
    """p-norm distances between all pairs of rows i < j of an (N, M) input, in row-major order."""
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    i, j = np.triu_indices(input.shape[0], 1)
    return vector_norm(input[_wrap(i)] - input[_wrap(j)], p, dim=-1)
