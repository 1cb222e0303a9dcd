"""Distance layers: ``PairwiseDistance`` and ``CosineSimilarity``."""
from .._functional import distance as F
from .module import Module

__all__ = ["PairwiseDistance", "CosineSimilarity"]


class PairwiseDistance(Module):
    """Distance between paired rows: ``||x1 - x2 + eps||_p`` along the last dimension.

    ``eps`` is added to the difference so that the gradient at equal inputs stays finite.

    Args:
        p (float): the norm's exponent. Default: ``2.0``.
        eps (float): small shift added to the difference. Default: ``1e-6``.
        keepdim (bool): keep the reduced dimension with size 1. Default: ``False``.

    Shape:
        - Input1: ``(N, D)`` or ``(D)``.
        - Input2: broadcastable to Input1.
        - Output: ``(N)`` (``(N, 1)`` with ``keepdim``), or ``()`` for 1-D inputs.

    Example:
        >>> d = ember.nn.PairwiseDistance()
        >>> d(ember.tensor([[0., 0.], [1., 1.]]), ember.tensor([[3., 4.], [1., 1.]]))
        tensor([5.0000e+00, 1.4142e-06])
    """

    def __init__(self, p=2.0, eps=1e-6, keepdim=False):
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1, x2):
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


class CosineSimilarity(Module):
    """Cosine of the angle between ``x1`` and ``x2`` along ``dim``.

    ``sim = sum(x1 * x2) / (max(||x1||, eps) * max(||x2||, eps))``.

    Args:
        dim (int): the dimension reduced. Default: ``1``.
        eps (float): lower bound of each norm, avoiding division by zero. Default: ``1e-8``.

    Shape:
        - Input1: ``(*1, D, *2)`` with ``D`` at position ``dim``.
        - Input2: broadcastable to Input1.
        - Output: ``(*1, *2)``.

    Example:
        >>> cos = ember.nn.CosineSimilarity(dim=1)
        >>> cos(ember.tensor([[1., 0.], [1., 1.]]), ember.tensor([[0., 1.], [2., 2.]]))
        tensor([0.0000, 1.0000])
    """

    def __init__(self, dim=1, eps=1e-8):
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1, x2):
        return F.cosine_similarity(x1, x2, self.dim, self.eps)
