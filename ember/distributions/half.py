"""What HalfNormal and HalfCauchy share: ``|X|`` for a family ``X`` centred at zero."""
import math

import ember
from . import constraints
from .transformed_distribution import TransformedDistribution
from .transforms import AbsTransform

__all__ = []


class _HalfDistribution(TransformedDistribution):
    """``|X|`` for ``X ~ _base_family(0, scale)``, a symmetric family named by the subclass: the
    density is twice the base density on ``[0, inf)``, and cdf, icdf and entropy follow from the
    base's.

    Parameters: ``scale`` (positive, number or tensor, its shape the batch shape) and
    ``validate_args``. Example: ``HalfNormal(ember.ones(2)).cdf(ember.zeros(2))`` is ``[0, 0]``.
    """

    arg_constraints = {"scale": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True
    _base_family = None

    def __init__(self, scale, validate_args=None):
        base_dist = self._base_family(0, scale, validate_args=False)
        super().__init__(base_dist, AbsTransform(), validate_args=validate_args)

    @property
    def scale(self):
        """Scale of the underlying distribution."""
        return self.base_dist.scale

    @property
    def mode(self):
        return ember.zeros_like(self.scale)

    def _as_value(self, value):
        """The value ``log_prob`` evaluates (a subclass may convert it first)."""
        return value

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        value = self._as_value(value)
        log_prob = self.base_dist.log_prob(value) + math.log(2)
        return ember.where(value >= 0, log_prob, -math.inf)

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return 2 * self.base_dist.cdf(value) - 1

    def icdf(self, prob):
        return self.base_dist.icdf((prob + 1) / 2)

    def entropy(self):
        return self.base_dist.entropy() - math.log(2)
