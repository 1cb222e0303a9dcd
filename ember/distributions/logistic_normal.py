"""The logistic-normal distribution on the simplex."""
from . import constraints
from .normal import Normal
from .transformed_distribution import TransformedDistribution
from .transforms import StickBreakingTransform

__all__ = ["LogisticNormal"]


class LogisticNormal(TransformedDistribution):
    """A normal vector of length ``K-1`` mapped onto the ``K``-simplex by stick breaking.

    Example: ``LogisticNormal(ember.zeros(2), ember.ones(2)).sample().shape == (3,)``.
    """

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        base_dist = Normal(loc, scale, validate_args=validate_args)
        if not base_dist.batch_shape:
            base_dist = base_dist.expand([1])
        super().__init__(base_dist, StickBreakingTransform(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(LogisticNormal, _instance)
        return super().expand(batch_shape, _instance=new)

    @property
    def loc(self):
        """Mean of the underlying normal."""
        return self.base_dist.base_dist.loc

    @property
    def scale(self):
        """Scale of the underlying normal."""
        return self.base_dist.base_dist.scale
