"""The half-Cauchy distribution."""
import math

import ember
from .cauchy import Cauchy
from .half import _HalfDistribution

__all__ = ["HalfCauchy"]


class HalfCauchy(_HalfDistribution):
    """``|X|`` for ``X ~ Cauchy(0, scale)``.

    Example: ``HalfCauchy(1.0).cdf(ember.tensor(1.0))`` is ``0.5``.
    """

    _base_family = Cauchy

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(HalfCauchy, _instance)
        return super().expand(batch_shape, _instance=new)

    @property
    def mean(self):
        return ember.full(tuple(self._extended_shape()), math.inf, dtype=self.scale.dtype)

    @property
    def variance(self):
        return self.base_dist.variance

    def _as_value(self, value):
        return ember.as_tensor(value, dtype=self.base_dist.scale.dtype)
