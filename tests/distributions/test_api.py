"""The namespace is complete, validation raises torch's errors, and constraints, transforms,
biject_to/transform_to, expand and the utilities behave as torch's."""
import numpy as np
import pytest

import ember
from tests.helpers import assert_close, torch

ED, TD = ember.distributions, torch.distributions

#: torch.distributions names not in ember.distributions yet (empty: all are there)
NOT_YET = set()


def test_every_public_name_of_torch_distributions_exists():
    missing = {n for n in TD.__all__ if not hasattr(ED, n)}
    assert missing == NOT_YET
    for mod in ("constraints", "transforms", "constraint_registry", "kl", "utils"):
        tmod = getattr(TD, mod)
        emod = getattr(ED, mod)
        names = getattr(tmod, "__all__", [])
        assert {n for n in names if not hasattr(emod, n)} == set(), mod


# -- validation --------------------------------------------------------------------------
def _param_error(lib):
    return lib.distributions.Normal(lib.tensor([0.0, 1.0]), lib.tensor([1.0, -1.0]))


def test_invalid_parameter_raises_torchs_value_error():
    with pytest.raises(ValueError) as t:
        _param_error(torch)
    with pytest.raises(ValueError) as e:
        _param_error(ember)
    head = ("Expected parameter scale (Tensor of shape (2,)) of distribution Normal(loc: "
            "{size}([2]), scale: {size}([2])) to satisfy the constraint GreaterThan("
            "lower_bound=0.0), but found invalid values:\n")
    assert str(t.value).startswith(head.format(size="torch.Size"))
    assert str(e.value).startswith(head.format(size="ember.Size"))


@pytest.mark.parametrize("call, message", [
    (lambda D, lib: D.Normal(0.0, 1.0).log_prob(0.5),
     "The value argument to log_prob must be a Tensor"),
    (lambda D, lib: D.Exponential(lib.tensor([1.0])).log_prob(lib.tensor([-1.0])),
     r"Expected value argument \(Tensor of shape \(1,\)\) to be within the support "
     r"\(GreaterThanEq\(lower_bound=0.0\)\) of the distribution Exponential\(rate: "
     r"tensor\(\[1\.\]\)\), but found invalid values:\ntensor\(\[-1\.\]\)"),
    (lambda D, lib: D.Dirichlet(lib.ones(2, 3)).log_prob(lib.ones(2, 4) / 4),
     r"The right-most size of value must match event_shape"),
    (lambda D, lib: D.Normal(lib.zeros(3), lib.ones(3)).log_prob(lib.zeros(4)),
     r"Value is not broadcastable with batch_shape\+event_shape: \w+\.Size\(\[4\]\) vs "
     r"\w+\.Size\(\[3\]\)"),
    (lambda D, lib: D.Bernoulli(probs=lib.tensor(0.5), logits=lib.tensor(0.0)),
     "Either `probs` or `logits` must be specified, but not both."),
    (lambda D, lib: D.Categorical(probs=lib.tensor(0.5)),
     "`probs` parameter must be at least one-dimensional."),
    (lambda D, lib: D.Uniform(lib.tensor(1.0), lib.tensor(0.0)),
     r"Expected parameter low \(Tensor of shape \(\)\) of distribution Uniform\(low: 1.0, "
     r"high: 0.0\) to satisfy the constraint LessThan\(upper_bound=0.0\)"),
    (lambda D, lib: D.MultivariateNormal(lib.zeros(2)),
     "Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified."),
    (lambda D, lib: D.MultivariateNormal(lib.zeros(2), lib.tensor([[1.0, 2.0], [2.0, 1.0]])),
     r"Expected parameter covariance_matrix .* to satisfy the constraint PositiveDefinite\(\)"),
    (lambda D, lib: D.Independent(D.Normal(0.0, 1.0), 1),
     r"Expected reinterpreted_batch_ndims <= len\(base_distribution.batch_shape\), actual 1 vs 0"),
    (lambda D, lib: D.LKJCholesky(1),
     "Expected dim to be an integer greater than or equal to 2. Found dim=1."),
    (lambda D, lib: D.Geometric(probs=lib.tensor([0.0, 0.5])),
     r"Expected parameter probs \(Tensor of shape \(2,\)\) of distribution Geometric"),
])
def test_errors_equal_torchs(call, message):
    for lib in (torch, ember):
        with pytest.raises(ValueError, match=message):
            call(lib.distributions, lib)


def test_validation_can_be_switched_off():
    try:
        ED.Distribution.set_default_validate_args(False)
        d = ED.Normal(ember.tensor(0.0), ember.tensor(-1.0))
        assert np.isnan(d.log_prob(ember.tensor(0.0)).item())
    finally:
        ED.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        ED.Distribution.set_default_validate_args("yes")
    assert ED.Normal(0.0, -1.0, validate_args=False).scale.item() == -1.0


# -- shapes and expand -------------------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda D, lib: D.Normal(lib.tensor([0.0, 1.0]), lib.tensor([1.0, 2.0])),
    lambda D, lib: D.Categorical(logits=lib.tensor([[0.0, 1.0, 2.0], [1.0, 0.0, 0.0]])),
    lambda D, lib: D.MultivariateNormal(lib.zeros(2, 3), lib.eye(3)),
    lambda D, lib: D.Beta(lib.tensor([1.0, 2.0]), lib.tensor([3.0, 1.0])),
    lambda D, lib: D.Independent(D.Normal(lib.zeros(2, 3), lib.ones(2, 3)), 1),
    lambda D, lib: D.LogNormal(lib.tensor([0.0, 1.0]), lib.tensor([1.0, 2.0])),
    lambda D, lib: D.Multinomial(3, lib.tensor([[0.2, 0.8], [0.5, 0.5]])),
    lambda D, lib: D.StudentT(lib.tensor([3.0, 4.0])),
], ids=["Normal", "Categorical", "MVN", "Beta", "Independent", "LogNormal", "Multinomial",
        "StudentT"])
def test_expand_matches_torch(make):
    t, e = make(TD, torch).expand((4, 2)), make(ED, ember).expand((4, 2))
    assert type(e).__name__ == type(t).__name__
    assert tuple(e.batch_shape) == tuple(t.batch_shape) == (4, 2)
    assert tuple(e.event_shape) == tuple(t.event_shape)
    assert tuple(e.sample((3,)).shape) == tuple(t.sample((3,)).shape)
    value = t.sample()
    assert_close(e.log_prob(ember.tensor(value.numpy())), t.log_prob(value), 1e-5, 1e-5)


def test_sample_n_warns_and_samples():
    with pytest.warns(UserWarning, match="sample_n will be deprecated"):
        assert tuple(ED.Normal(ember.zeros(2), 1.0).sample_n(5).shape) == (5, 2)


def test_enumerate_support_and_perplexity():
    for lib in (torch, ember):
        d = lib.distributions.Categorical(probs=lib.tensor([[0.2, 0.8], [0.5, 0.5]]))
        assert d.enumerate_support().tolist() == [[0, 0], [1, 1]]
        b = lib.distributions.Binomial(2, lib.tensor([0.3, 0.6]))
        assert b.enumerate_support(expand=False).tolist() == [[0.0], [1.0], [2.0]]
    assert_close(ED.Categorical(ember.tensor([0.5, 0.5])).perplexity(),
                 TD.Categorical(torch.tensor([0.5, 0.5])).perplexity())


# -- constraints -------------------------------------------------------------------------
CONSTRAINT_INPUTS = {
    "real": [0.0, float("nan"), 1.0], "positive": [0.0, 1.0, -1.0],
    "nonnegative": [0.0, 1.0, -1.0], "unit_interval": [0.0, 1.0, 1.5],
    "boolean": [0.0, 1.0, 0.5], "nonnegative_integer": [0.0, 2.0, 1.5],
    "positive_integer": [0.0, 2.0, 1.5], "simplex": [[0.2, 0.8], [0.5, 0.6]],
    "lower_cholesky": [[[1.0, 0.0], [2.0, 1.0]], [[1.0, 1.0], [0.0, 1.0]]],
    "positive_definite": [[[2.0, 0.5], [0.5, 1.0]], [[1.0, 2.0], [2.0, 1.0]]],
    "corr_cholesky": [[[1.0, 0.0], [0.6, 0.8]], [[1.0, 0.0], [0.6, 0.9]]],
    "one_hot": [[0.0, 1.0], [1.0, 1.0]], "real_vector": [[0.0, 1.0], [float("nan"), 0.0]],
}


@pytest.mark.parametrize("name", sorted(CONSTRAINT_INPUTS))
def test_constraint_checks_and_reprs(name):
    tc, ec = getattr(TD.constraints, name), getattr(ED.constraints, name)
    x = CONSTRAINT_INPUTS[name]
    assert ec.check(ember.tensor(x)).tolist() == tc.check(torch.tensor(x)).tolist()
    assert repr(ec) == repr(tc)
    assert (ec.event_dim, ec.is_discrete) == (tc.event_dim, tc.is_discrete)


def test_parametrised_constraints():
    x = [-1.0, 0.0, 0.5, 1.0, 2.0]
    for make in (lambda C: C.interval(0.0, 1.0), lambda C: C.half_open_interval(0.0, 1.0),
                 lambda C: C.greater_than(0.0), lambda C: C.greater_than_eq(0.0),
                 lambda C: C.less_than(1.0), lambda C: C.integer_interval(0, 1),
                 lambda C: C.independent(C.real, 1)):
        tc, ec = make(TD.constraints), make(ED.constraints)
        assert repr(ec) == repr(tc)
        assert ec.check(ember.tensor(x)).tolist() == tc.check(torch.tensor(x)).tolist()
    with pytest.raises(ValueError, match="Cannot determine validity of dependent constraint"):
        ED.constraints.dependent.check(ember.tensor(0.0))


# -- transforms and the registries -------------------------------------------------------
TRANSFORMS = [
    ("Exp", lambda T: T.ExpTransform(), [0.3, -1.2, 2.0]),
    ("Sigmoid", lambda T: T.SigmoidTransform(), [0.3, -1.2, 2.0]),
    ("Tanh", lambda T: T.TanhTransform(), [0.3, -1.2, 2.0]),
    ("Softplus", lambda T: T.SoftplusTransform(), [0.3, -1.2, 2.0]),
    ("Affine", lambda T: T.AffineTransform(1.0, -2.0), [0.3, -1.2, 2.0]),
    ("Power", lambda T: T.PowerTransform(2.5), [0.3, 1.2, 2.0]),
    ("StickBreaking", lambda T: T.StickBreakingTransform(), [0.3, -1.2, 2.0]),
    ("Softmax", lambda T: T.SoftmaxTransform(), [0.3, -1.2, 2.0]),
    ("CorrCholesky", lambda T: T.CorrCholeskyTransform(), [0.3, -1.2, 2.0]),
    ("LowerCholesky", lambda T: T.LowerCholeskyTransform(), [[0.3, 0.4], [-1.2, 2.0]]),
    ("Compose", lambda T: T.ComposeTransform([T.ExpTransform(), T.AffineTransform(0.5, 2.0)]),
     [0.3, -1.2, 2.0]),
    ("Independent", lambda T: T.IndependentTransform(T.SigmoidTransform(), 1), [0.3, -1.2, 2.0]),
    ("Reshape", lambda T: T.ReshapeTransform((4,), (2, 2)), [0.3, -1.2, 2.0, 0.1]),
    ("Cat", lambda T: T.CatTransform([T.ExpTransform(), T.SigmoidTransform()], 0, [1, 2]),
     [0.3, -1.2, 2.0]),
    ("Stack", lambda T: T.StackTransform([T.ExpTransform(), T.TanhTransform(),
                                          T.SigmoidTransform()], 0), [0.3, -1.2, 2.0]),
]


@pytest.mark.parametrize("case", TRANSFORMS, ids=[c[0] for c in TRANSFORMS])
def test_transform_values_inverses_and_jacobians(case):
    _, make, x = case
    out = {}
    for lib, T in ((torch, TD.transforms), (ember, ED.transforms)):
        t = make(T)
        xt = lib.tensor(x, dtype=lib.float64, requires_grad=True)
        y = t(xt)
        res = [y, t.inv(y.detach())]
        if t.bijective:
            ladj = t.log_abs_det_jacobian(xt, y)
            (y.sum() + ladj.sum()).backward()
            res += [ladj, xt.grad]
        try:
            shape = t.forward_shape((3, 4))
        except ValueError as err:
            shape = str(err)
        out[lib] = res, repr(t), shape
    assert_close(out[ember][0], out[torch][0], 1e-9, 1e-7)
    assert out[ember][1:] == out[torch][1:]


@pytest.mark.parametrize("name", ["real", "positive", "nonnegative", "unit_interval",
                                  "simplex", "lower_cholesky", "positive_definite",
                                  "corr_cholesky", "real_vector"])
def test_transform_to_and_biject_to_map_reals_into_the_constraint(name):
    for registry in ("transform_to", "biject_to"):
        tc, ec = getattr(TD.constraints, name), getattr(ED.constraints, name)
        try:
            tt = getattr(TD, registry)(tc)
        except NotImplementedError:
            with pytest.raises(NotImplementedError):
                getattr(ED, registry)(ec)
            continue
        et = getattr(ED, registry)(ec)
        shape = {"lower_cholesky": (3, 3), "positive_definite": (3, 3), "corr_cholesky": (3,)}
        x = np.random.default_rng(0).standard_normal(shape.get(name, (3,)))
        ey, ty = et(ember.tensor(x)), tt(torch.tensor(x))
        assert_close(ey, ty, 1e-9, 1e-7)
        assert bool(ec.check(ey).all())
    assert ED.biject_to(ED.constraints.interval(-1.0, 3.0))(ember.tensor(0.0)).item() == 1.0


def test_utils():
    U, TU = ED.utils, TD.utils
    a, b = U.broadcast_all(ember.tensor([1.0, 2.0]), 3.0)
    assert a.shape == b.shape == (2,) and b.tolist() == [3.0, 3.0]
    with pytest.raises(ValueError, match="Input arguments must all be instances of"):
        U.broadcast_all("x")
    p = np.array([0.1, 0.6, 0.3])
    assert_close(U.probs_to_logits(ember.tensor(p)), TU.probs_to_logits(torch.tensor(p)))
    assert_close(U.logits_to_probs(ember.tensor(p), True),
                 TU.logits_to_probs(torch.tensor(p), True))
    m = np.arange(9.0).reshape(3, 3)
    assert_close(U.tril_matrix_to_vec(ember.tensor(m), -1),
                 TU.tril_matrix_to_vec(torch.tensor(m), -1))
    v = np.arange(6.0)
    assert_close(U.vec_to_tril_matrix(ember.tensor(v)), TU.vec_to_tril_matrix(torch.tensor(v)))
