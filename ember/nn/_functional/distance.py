"""Distances and similarities: ``pairwise_distance``, ``cosine_similarity``, ``pdist``.

Written with ember's differentiable norm and broadcasting ops (no op of
their own): the norm's gradient is 0 where a distance is 0, as in torch.
"""
import numpy as np

from ..._ops.base import relabel
from ..._tensor import _wrap
from ...linalg import vector_norm
from ..._ops.shape.funcs import broadcast_tensors

__all__ = ["pairwise_distance", "cosine_similarity", "pdist"]


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """Distance between paired rows: ``||x1 - x2 + eps||_p`` along the last dimension.

    Args:
        x1 (Tensor): ``(N, D)`` or ``(D)``.
        x2 (Tensor): broadcastable to ``x1``.
        p (float): the norm's exponent. Default: ``2.0``.
        eps (float): small shift added to the difference. Default: ``1e-6``.
        keepdim (bool): keep the reduced dimension. Default: ``False``.

    Shape:
        - Output: ``(N)``, or ``(N, 1)`` with ``keepdim``.

    Example:
        >>> x1 = ember.tensor([[0., 0.], [1., 1.]])
        >>> ember.nn.functional.pairwise_distance(x1, ember.tensor([[3., 4.], [1., 1.]]))
        tensor([5.0000e+00, 1.4142e-06])
    """
    if x1.dim() == 0 or x2.dim() == 0:
        raise RuntimeError("pairwise_distance expects inputs of at least 1 dimension, got "
                           f"{x1.dim()}-D and {x2.dim()}-D")
    return relabel(vector_norm(x1 - x2 + eps, p, dim=-1, keepdim=keepdim), "NormBackward1")


def _floored_norm(x, dim, eps):
    """max(|x|, eps) along ``dim``, whose gradient is the norm's even where eps wins (torch
    raises the norm to eps outside autograd)."""
    n = vector_norm(x, 2, dim=dim, keepdim=True)
    return n + (n.detach().clamp_min(eps) - n.detach())


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """Cosine similarity along ``dim``: ``sum(x1 * x2) / (max(||x1||, eps) * max(||x2||, eps))``.

    Args:
        x1 (Tensor): the first input.
        x2 (Tensor): broadcastable to ``x1``.
        dim (int): the dimension reduced. Default: ``1``.
        eps (float): lower bound of each norm. Default: ``1e-8``.

    Shape:
        - Input: ``(*1, D, *2)`` and broadcastable.
        - Output: ``(*1, *2)``.

    Example:
        >>> x1 = ember.tensor([[1., 0.], [1., 1.]])
        >>> ember.nn.functional.cosine_similarity(x1, ember.tensor([[0., 1.], [2., 2.]]))
        tensor([0.0000, 1.0000])
    """
    x1, x2 = broadcast_tensors(x1, x2)
    return ((x1 / _floored_norm(x1, dim, eps)) * (x2 / _floored_norm(x2, dim, eps))).sum(dim)


def pdist(input, p=2.0):
    """The ``p``-norm distance between every pair of rows ``i < j``, in row-major order.

    It is the upper triangle (without the diagonal) of ``cdist(input, input)``, flattened.

    Args:
        input (Tensor): ``(N, M)``.
        p (float): the norm's exponent, at least 0. Default: ``2.0``.

    Shape:
        - Input: ``(N, M)``.
        - Output: ``(N * (N - 1) / 2,)``.

    Example:
        >>> ember.nn.functional.pdist(ember.tensor([[0., 0.], [3., 4.], [6., 8.]]))
        tensor([ 5., 10.,  5.])
    """
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    i, j = np.triu_indices(input.shape[0], 1)
    return relabel(vector_norm(input[_wrap(i)] - input[_wrap(j)], p, dim=-1), "PdistBackward0")
