"""Fixed parameters and evaluation points for every distribution, shared by the tests.

Each case is ``(id, make, params, value)``: ``make(D, **params)`` builds the distribution with
``D`` either ``torch.distributions`` or ``ember.distributions``; ``params`` are NumPy arrays
(float parameters become tensors of the test dtype requiring grad); ``value`` is a point (or
batch of points) inside the support, used for log_prob and cdf; icdf is checked at ``Q``.
"""
import numpy as np

A = np.array
Q = A([0.2, 0.7])  # probabilities for icdf
SPD = A([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 1.5]])
TRIL = np.linalg.cholesky(SPD)

CASES = [
    ("Normal", lambda D, loc, scale: D.Normal(loc, scale),
     dict(loc=A([0.3, -1.0]), scale=A([1.2, 0.5])), A([0.1, -0.7])),
    ("Uniform", lambda D, low, high: D.Uniform(low, high),
     dict(low=A([0.0, -1.0]), high=A([2.0, 0.5])), A([1.5, 0.1])),
    ("Exponential", lambda D, rate: D.Exponential(rate), dict(rate=A([0.7, 2.0])), A([1.3, 0.2])),
    ("Laplace", lambda D, loc, scale: D.Laplace(loc, scale),
     dict(loc=A([0.3, -1.0]), scale=A([1.2, 0.5])), A([0.1, -0.7])),
    ("Cauchy", lambda D, loc, scale: D.Cauchy(loc, scale),
     dict(loc=A([0.3, -1.0]), scale=A([1.2, 0.5])), A([0.1, -0.7])),
    ("Gamma", lambda D, c, r: D.Gamma(c, r), dict(c=A([0.8, 3.0]), r=A([1.5, 0.6])),
     A([0.4, 2.5])),
    ("Chi2", lambda D, df: D.Chi2(df), dict(df=A([1.5, 4.0])), A([0.4, 2.5])),
    ("Beta", lambda D, a, b: D.Beta(a, b), dict(a=A([0.8, 3.0]), b=A([1.5, 2.6])), A([0.3, 0.8])),
    ("Dirichlet", lambda D, c: D.Dirichlet(c), dict(c=A([[0.8, 3.0, 1.2], [2.0, 1.0, 0.5]])),
     A([0.2, 0.5, 0.3])),
    ("StudentT", lambda D, df, loc, scale: D.StudentT(df, loc, scale),
     dict(df=A([3.0, 6.5]), loc=A([0.2, -0.4]), scale=A([1.1, 0.7])), A([0.1, -0.7])),
    ("LogNormal", lambda D, loc, scale: D.LogNormal(loc, scale),
     dict(loc=A([0.3, -1.0]), scale=A([1.2, 0.5])), A([0.5, 1.7])),
    ("HalfNormal", lambda D, scale: D.HalfNormal(scale), dict(scale=A([1.2, 0.5])), A([0.5, 1.7])),
    ("HalfCauchy", lambda D, scale: D.HalfCauchy(scale), dict(scale=A([1.2, 0.5])), A([0.5, 1.7])),
    ("Gumbel", lambda D, loc, scale: D.Gumbel(loc, scale),
     dict(loc=A([0.3, -1.0]), scale=A([1.2, 0.5])), A([0.1, -0.7])),
    ("Pareto", lambda D, scale, alpha: D.Pareto(scale, alpha),
     dict(scale=A([0.5, 1.0]), alpha=A([3.0, 2.5])), A([1.5, 2.7])),
    ("Weibull", lambda D, scale, k: D.Weibull(scale, k),
     dict(scale=A([0.5, 1.3]), k=A([1.7, 0.8])), A([0.4, 2.0])),
    ("Kumaraswamy", lambda D, a, b: D.Kumaraswamy(a, b),
     dict(a=A([1.5, 3.0]), b=A([2.0, 0.7])), A([0.3, 0.8])),
    ("InverseGamma", lambda D, c, r: D.InverseGamma(c, r), dict(c=A([2.5, 3.5]), r=A([1.5, 0.6])),
     A([0.4, 2.5])),
    ("FisherSnedecor", lambda D, d1, d2: D.FisherSnedecor(d1, d2),
     dict(d1=A([3.0, 5.0]), d2=A([5.0, 7.0])), A([0.4, 2.5])),
    ("GeneralizedPareto", lambda D, loc, scale, c: D.GeneralizedPareto(loc, scale, c),
     dict(loc=A([0.1, -0.5]), scale=A([1.2, 0.5]), c=A([0.3, 0.1])), A([0.4, 1.5])),
    ("ContinuousBernoulli", lambda D, p: D.ContinuousBernoulli(probs=p),
     dict(p=A([0.2, 0.8])), A([0.3, 0.9])),
    ("ContinuousBernoulliLogits", lambda D, lg: D.ContinuousBernoulli(logits=lg),
     dict(lg=A([-1.0, 0.6])), A([0.3, 0.9])),
    ("Bernoulli", lambda D, p: D.Bernoulli(probs=p), dict(p=A([0.2, 0.8])), A([1.0, 0.0])),
    ("BernoulliLogits", lambda D, lg: D.Bernoulli(logits=lg), dict(lg=A([-1.0, 0.6])),
     A([1.0, 0.0])),
    ("Geometric", lambda D, p: D.Geometric(probs=p), dict(p=A([0.2, 0.8])), A([3.0, 0.0])),
    ("Poisson", lambda D, rate: D.Poisson(rate), dict(rate=A([0.7, 4.0])), A([2.0, 5.0])),
    ("Binomial", lambda D, p: D.Binomial(5, probs=p), dict(p=A([0.2, 0.7])), A([1.0, 4.0])),
    ("NegativeBinomial", lambda D, p: D.NegativeBinomial(3.0, probs=p), dict(p=A([0.2, 0.7])),
     A([1.0, 4.0])),
    ("Categorical", lambda D, p: D.Categorical(probs=p),
     dict(p=A([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])), A([2, 0])),
    ("CategoricalLogits", lambda D, lg: D.Categorical(logits=lg),
     dict(lg=A([[0.2, -0.5, 1.3], [0.1, 2.1, 0.8]])), A([2, 0])),
    ("OneHotCategorical", lambda D, p: D.OneHotCategorical(probs=p),
     dict(p=A([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])), A([0.0, 1.0, 0.0])),
    ("Multinomial", lambda D, p: D.Multinomial(4, probs=p),
     dict(p=A([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])), A([1.0, 3.0, 0.0])),
    ("MultivariateNormalCov", lambda D, loc, cov: D.MultivariateNormal(loc, covariance_matrix=cov),
     dict(loc=A([0.3, -1.0, 0.5]), cov=SPD), A([[0.1, -0.7, 0.2], [1.0, 0.0, -1.0]])),
    ("MultivariateNormalTril", lambda D, loc, L: D.MultivariateNormal(loc, scale_tril=L),
     dict(loc=A([0.3, -1.0, 0.5]), L=TRIL), A([[0.1, -0.7, 0.2], [1.0, 0.0, -1.0]])),
    ("MultivariateNormalPrec", lambda D, loc, P: D.MultivariateNormal(loc, precision_matrix=P),
     dict(loc=A([0.3, -1.0, 0.5]), P=SPD), A([[0.1, -0.7, 0.2], [1.0, 0.0, -1.0]])),
    ("RelaxedBernoulli", lambda D, p: D.RelaxedBernoulli(p.new_tensor(0.5), probs=p),
     dict(p=A([0.2, 0.8])), A([0.3, 0.9])),
    ("RelaxedOneHotCategorical",
     lambda D, p: D.RelaxedOneHotCategorical(p.new_tensor(0.7), probs=p),
     dict(p=A([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])), A([0.2, 0.5, 0.3])),
    ("LogisticNormal", lambda D, loc, scale: D.LogisticNormal(loc, scale),
     dict(loc=A([0.3, -1.0]), scale=A([1.2, 0.5])), A([0.2, 0.5, 0.3])),
    ("IndependentNormal", lambda D, loc, scale: D.Independent(D.Normal(loc, scale), 1),
     dict(loc=A([[0.3, -1.0], [0.1, 0.2]]), scale=A([[1.2, 0.5], [0.3, 2.0]])), A([0.1, -0.7])),
    ("TransformedTanh", lambda D, loc, scale: D.TransformedDistribution(
        D.Normal(loc, scale), [D.TanhTransform(), D.AffineTransform(1.0, 2.0)]),
     dict(loc=A([0.3, -1.0]), scale=A([1.2, 0.5])), A([0.1, 2.2])),
]
