"""The multinomial distribution."""
import ember
from . import constraints
from .binomial import Binomial
from .categorical import _OnCategorical
from .utils import broadcast_all

__all__ = ["Multinomial"]


class Multinomial(_OnCategorical):
    """Counts of each of ``K`` categories in ``total_count`` draws from a :class:`Categorical`
    with ``probs`` or ``logits`` (event shape ``(K,)``).  ``total_count`` is one int for the
    whole batch; ``log_prob`` does not need it (it is read from the counts).

    Example: ``Multinomial(4, ember.tensor([0.5, 0.5])).sample().sum()`` is ``4.0``.
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    total_count: int

    @property
    def mean(self):
        return self.probs * self.total_count

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        if not isinstance(total_count, int):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        self._init_categorical(probs, logits, validate_args)
        self._binomial = Binomial(total_count=total_count, probs=self.probs)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(type(self), _instance)
        new.total_count = self.total_count
        self._expand_categorical(new, batch_shape)
        new._binomial = Binomial(total_count=self.total_count, probs=new.probs)
        return new

    @constraints.dependent_property(is_discrete=True, event_dim=1)
    def support(self):
        return constraints.multinomial(self.total_count)

    def sample(self, sample_shape=ember.Size()):
        sample_shape = ember.Size(sample_shape)
        samples = self._categorical.sample(ember.Size((self.total_count,)) + sample_shape)
        # move the draws dim last and count how often each category was drawn
        samples = samples.permute(*range(1, samples.dim()), 0)
        counts = ember.nn.functional.one_hot(samples, self._categorical._num_events).sum(-2)
        return counts.to(self.probs.dtype)

    def entropy(self):
        n = ember.tensor(self.total_count)
        cat_entropy = self._categorical.entropy()
        term1 = n * cat_entropy - ember.lgamma(n + 1)
        support = self._binomial.enumerate_support(expand=False)[1:]
        binomial_probs = ember.exp(self._binomial.log_prob(support))
        weights = ember.lgamma(support + 1)
        term2 = (binomial_probs * weights).sum([0, -1])
        return term1 + term2

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        logits = logits.clone()
        log_factorial_n = ember.lgamma(value.sum(-1) + 1)
        log_factorial_xs = ember.lgamma(value + 1).sum(-1)
        logits = ember.where((value == 0) & (logits == -float("inf")), 0.0, logits)
        log_powers = (logits * value).sum(-1)
        return log_factorial_n - log_factorial_xs + log_powers
