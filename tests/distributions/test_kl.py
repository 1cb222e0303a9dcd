"""kl_divergence values and gradients equal torch's for every registered pair we build, and
the registry's dispatch, errors and ``register_kl`` behave as torch's."""
import numpy as np
import pytest

import ember
from tests.helpers import assert_close, torch

A = np.array
SPD = A([[2.0, 0.3], [0.3, 1.0]])
SPD2 = A([[1.0, -0.2], [-0.2, 0.7]])

# name -> (make(D, t), params); t maps a param name to a tensor of the test dtype
FAMILIES = {
    "Normal": (lambda D, t: D.Normal(t("loc"), t("scale")),
               dict(loc=(0.3, -0.5), scale=(1.2, 0.6))),
    "Laplace": (lambda D, t: D.Laplace(t("loc"), t("scale")),
                dict(loc=(0.1, 0.4), scale=(0.9, 1.3))),
    "Gumbel": (lambda D, t: D.Gumbel(t("loc"), t("scale")),
               dict(loc=(0.2, -0.1), scale=(0.7, 1.1))),
    "Cauchy": (lambda D, t: D.Cauchy(t("loc"), t("scale")),
               dict(loc=(0.2, -0.1), scale=(0.7, 1.1))),
    "Uniform": (lambda D, t: D.Uniform(t("low"), t("high")),
                dict(low=(0.2, 0.1), high=(0.7, 0.9))),
    "Exponential": (lambda D, t: D.Exponential(t("rate")), dict(rate=(0.8, 1.7))),
    "Gamma": (lambda D, t: D.Gamma(t("c"), t("r")), dict(c=(1.7, 2.5), r=(0.8, 1.4))),
    "Beta": (lambda D, t: D.Beta(t("a"), t("b")), dict(a=(1.7, 2.5), b=(0.8, 1.4))),
    "Pareto": (lambda D, t: D.Pareto(t("scale"), t("alpha")),
               dict(scale=(0.5, 1.0), alpha=(3.0, 3.5))),
    "ContinuousBernoulli": (lambda D, t: D.ContinuousBernoulli(t("p")), dict(p=(0.3, 0.8))),
    "Bernoulli": (lambda D, t: D.Bernoulli(t("p")), dict(p=(0.3, 0.8))),
    "Geometric": (lambda D, t: D.Geometric(t("p")), dict(p=(0.3, 0.8))),
    "Poisson": (lambda D, t: D.Poisson(t("rate")), dict(rate=(0.8, 2.5))),
    "Binomial": (lambda D, t: D.Binomial(4, t("p")), dict(p=(0.3, 0.8))),
    "Categorical": (lambda D, t: D.Categorical(t("p")),
                    dict(p=((0.2, 0.5, 0.3), (0.6, 0.3, 0.1)))),
    "OneHotCategorical": (lambda D, t: D.OneHotCategorical(t("p")),
                          dict(p=((0.2, 0.5, 0.3), (0.6, 0.3, 0.1)))),
    "Dirichlet": (lambda D, t: D.Dirichlet(t("c")),
                  dict(c=((0.7, 2.0, 1.2), (1.5, 0.6, 3.0)))),
    "HalfNormal": (lambda D, t: D.HalfNormal(t("scale")), dict(scale=(0.8, 1.6))),
    "LogNormal": (lambda D, t: D.LogNormal(t("loc"), t("scale")),
                  dict(loc=(0.3, -0.5), scale=(1.2, 0.6))),
    "Independent": (lambda D, t: D.Independent(D.Normal(t("loc"), t("scale")), 1),
                    dict(loc=(0.3, -0.5), scale=(1.2, 0.6))),
    "Wishart": (lambda D, t: D.Wishart(t("df"), t("cov")), dict(df=(3.5, 5.0), cov=SPD)),
    "MultivariateNormal": (lambda D, t: D.MultivariateNormal(t("loc"), t("cov")),
                           dict(loc=(0.3, -0.5), cov=SPD)),
    "LowRankMultivariateNormal": (lambda D, t: D.LowRankMultivariateNormal(
        t("loc"), t("W"), t("d")), dict(loc=(0.1, 0.2), W=((0.5,), (-0.3,)), d=(1.0, 0.6))),
}
# the second member of a pair uses these parameters instead (a different distribution)
LOC_SCALE = dict(loc=(-0.2, 0.4), scale=(0.7, 1.5))
PROBS = dict(p=(0.6, 0.2))
CAT = dict(p=((0.4, 0.4, 0.2), (0.1, 0.1, 0.8)))
OTHER = {"Normal": LOC_SCALE, "LogNormal": LOC_SCALE, "Independent": LOC_SCALE,
         "Laplace": dict(loc=(0.5, -0.3), scale=(1.4, 0.5)),
         "Gumbel": dict(loc=(-0.4, 0.3), scale=(1.2, 0.8)),
         "Cauchy": dict(loc=(-0.4, 0.3), scale=(1.2, 0.8)),
         "Uniform": dict(low=(0.0, -1.0), high=(1.0, 2.0)), "Exponential": dict(rate=(1.3, 0.6)),
         "Gamma": dict(c=(2.2, 1.1), r=(1.5, 0.7)), "Beta": dict(a=(1.2, 3.0), b=(2.0, 0.9)),
         "Pareto": dict(scale=(0.4, 0.9), alpha=(2.0, 4.0)), "ContinuousBernoulli": PROBS,
         "Bernoulli": PROBS, "Geometric": PROBS, "Binomial": PROBS,
         "Poisson": dict(rate=(1.5, 0.9)), "Categorical": CAT, "OneHotCategorical": CAT,
         "Dirichlet": dict(c=((1.7, 0.9, 2.2), (0.5, 1.6, 1.0))),
         "HalfNormal": dict(scale=(1.3, 0.7)),
         "MultivariateNormal": dict(loc=(-0.1, 0.6), cov=SPD2),
         "Wishart": dict(df=(2.5, 4.0), cov=SPD2),
         "LowRankMultivariateNormal": dict(loc=(0.3, -0.2), W=((0.2,), (0.6,)), d=(0.5, 1.2))}

SAME = [(f, f) for f in FAMILIES]
CROSS = [("Bernoulli", "Poisson"), ("Beta", "ContinuousBernoulli"), ("Beta", "Pareto"),
         ("Beta", "Exponential"), ("Beta", "Gamma"), ("Beta", "Normal"), ("Beta", "Uniform"),
         ("ContinuousBernoulli", "Pareto"), ("ContinuousBernoulli", "Exponential"),
         ("ContinuousBernoulli", "Normal"), ("ContinuousBernoulli", "Uniform"),
         ("Exponential", "Beta"), ("Exponential", "Gamma"), ("Exponential", "Gumbel"),
         ("Exponential", "Normal"), ("Exponential", "Uniform"), ("Gamma", "Exponential"),
         ("Gamma", "Gumbel"), ("Gamma", "Normal"), ("Gamma", "Pareto"), ("Gumbel", "Normal"),
         ("Gumbel", "Gamma"), ("Laplace", "Normal"), ("Laplace", "Beta"), ("Normal", "Gumbel"),
         ("Normal", "Laplace"), ("Normal", "Uniform"), ("Pareto", "Exponential"),
         ("Pareto", "Gamma"), ("Pareto", "Normal"), ("Pareto", "Beta"), ("Poisson", "Bernoulli"),
         ("Poisson", "Binomial"), ("Uniform", "Beta"), ("Uniform", "ContinuousBernoulli"),
         ("Uniform", "Exponential"), ("Uniform", "Gamma"), ("Uniform", "Gumbel"),
         ("Uniform", "Normal"), ("Uniform", "Pareto"),
         ("MultivariateNormal", "LowRankMultivariateNormal"),
         ("LowRankMultivariateNormal", "MultivariateNormal")]
TOL = {"float64": (1e-9, 1e-7), "float32": (2e-5, 2e-4)}


def _build(lib, family, params, dtype, leaves):
    make = FAMILIES[family][0]

    def t(name):
        x = lib.tensor(params[name], dtype=getattr(lib, dtype), requires_grad=True)
        leaves.append(x)
        return x
    return make(lib.distributions, t)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("pair", SAME + CROSS, ids=["-".join(p) for p in SAME + CROSS])
def test_kl_values_and_gradients(pair, dtype):
    atol, rtol = TOL[dtype]
    results = {}
    for lib in (torch, ember):
        leaves = []
        p = _build(lib, pair[0], FAMILIES[pair[0]][1], dtype, leaves)
        q = _build(lib, pair[1], OTHER[pair[1]] if pair[0] == pair[1] else FAMILIES[pair[1]][1],
                   dtype, leaves)
        kl = lib.distributions.kl_divergence(p, q)
        finite = lib.isfinite(kl)
        if kl.requires_grad and bool(finite.any()):
            w = lib.tensor([1.0, -0.7][:kl.numel()], dtype=kl.dtype).reshape(kl.shape)
            (lib.where(finite, kl, lib.zeros_like(kl)) * w).sum().backward()
        results[lib] = kl, [x.grad for x in leaves]
    (ekl, egrads), (tkl, tgrads) = results[ember], results[torch]
    assert_close(ekl, tkl, atol, rtol, f"KL{pair}")
    for i, (eg, tg) in enumerate(zip(egrads, tgrads)):
        if tg is None or not torch.any(tg != 0):
            assert eg is None or not np.any(eg.numpy()), f"KL{pair}: grad {i} should be zero"
            continue
        assert_close(eg, tg, atol * 10, rtol * 10, f"KL{pair} grad {i}")


def test_unregistered_pair_raises_like_torch():
    for lib in (torch, ember):
        D = lib.distributions
        with pytest.raises(NotImplementedError, match="No KL\\(p \\|\\| q\\) is implemented for "
                                                      "p type StudentT and q type Normal"):
            D.kl_divergence(D.StudentT(3.0), D.Normal(0.0, 1.0))


def test_register_kl_dispatches_to_most_specific_subclass():
    D = ember.distributions

    class MyNormal(D.Normal):
        pass

    @D.register_kl(MyNormal, D.Normal)
    def _kl(p, q):
        return ember.tensor(42.0)

    assert D.kl_divergence(MyNormal(0.0, 1.0), D.Normal(0.0, 1.0)).item() == 42.0
    # the base pair still uses the closed form
    assert D.kl_divergence(D.Normal(0.0, 1.0), D.Normal(1.0, 1.0)).item() == pytest.approx(0.5)
    # a subclass on the right falls back to the (Normal, Normal) formula
    assert D.kl_divergence(D.Normal(0.0, 1.0), MyNormal(1.0, 1.0)).item() == pytest.approx(0.5)


def test_binomial_kl_with_larger_q_count_raises_like_torch():
    for lib in (torch, ember):
        D = lib.distributions
        with pytest.raises(NotImplementedError, match="q.total_count > p.total_count"):
            D.kl_divergence(D.Binomial(2, lib.tensor(0.3)), D.Binomial(5, lib.tensor(0.3)))


def test_exponential_family_bregman_forms_equal_torchs():
    # the generic entropy, and the KL of two Gammas next to its closed form
    out = {}
    for lib in (torch, ember):
        D = lib.distributions
        rate = lib.tensor([0.5, 2.0], dtype=lib.float64)
        e = D.ExponentialFamily.entropy(D.Exponential(rate))
        p, q = D.Gamma(rate, rate + 1), D.Gamma(rate + 2, rate)
        kl = D.kl.__dict__["_kl_expfamily_expfamily"](p, q)
        np.testing.assert_allclose(kl.detach().numpy(), D.kl_divergence(p, q).detach().numpy())
        out[lib] = e, kl
    assert_close(out[ember][0], out[torch][0], 1e-10, 1e-9)
    assert_close(out[ember][1], out[torch][1], 1e-10, 1e-9)
    with pytest.raises(NotImplementedError, match="different exponential families"):
        ember.distributions.kl.__dict__["_kl_expfamily_expfamily"](
            ember.distributions.Exponential(1.0), ember.distributions.Poisson(1.0))
