"""``ExponentialFamily``: distributions whose density is ``h(x) exp(<t(x), theta> - F(theta))``.

Their entropy (and KL between two members of one family) follows from the log-normalizer ``F``
by differentiation (Bregman divergence), which subclasses supply through
``_natural_params``, ``_log_normalizer`` and ``_mean_carrier_measure``.
"""
import ember
from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """Base class for exponential families; ``entropy`` comes from the log-normalizer."""

    @property
    def _natural_params(self):
        """The natural parameters ``theta`` as a tuple of tensors."""
        raise NotImplementedError

    def _log_normalizer(self, *natural_params):
        """The log-normalizer ``F(theta)``."""
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self):
        """``E[log h(x)]``, the expected log carrier measure."""
        raise NotImplementedError

    def entropy(self):
        """``F(theta) - <theta, grad F(theta)> - E[log h(x)]``, the gradient taken by autograd on
        detached natural parameters (as torch does)."""
        result = -self._mean_carrier_measure
        nparams = [p.detach().requires_grad_() for p in self._natural_params]
        lg_normal = self._log_normalizer(*nparams)
        gradients = ember.autograd.grad(lg_normal.sum(), nparams, retain_graph=True)
        result = result + lg_normal
        for np_, g in zip(nparams, gradients):
            result = result - (np_ * g).reshape(tuple(self._batch_shape) + (-1,)).sum(-1)
        return result
