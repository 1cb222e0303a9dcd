"""The Wishart distribution over positive-definite matrices."""
import math
import numbers
import warnings

import ember
from . import constraints
from .chi2 import Chi2
from .exp_family import ExponentialFamily
from .multivariate_normal import _precision_to_scale_tril
from .utils import lazy_property

__all__ = ["Wishart"]

_LOG_2 = math.log(2)


def _mvdigamma(x, p):
    """The multivariate digamma ``sum_i digamma(x - i/2)`` for i < p."""
    offsets = ember.arange(p, dtype=x.dtype, device=x.device) / 2
    return ember.digamma(x.unsqueeze(-1) - offsets).sum(-1)


class Wishart(ExponentialFamily):
    """Wishart distribution with ``df`` degrees of freedom (> p - 1) and scale given by exactly
    one of ``covariance_matrix``, ``precision_matrix`` or ``scale_tril`` (p x p): the
    distribution of ``X^T X`` for ``df`` rows ``X`` drawn from N(0, covariance).
    ``rsample`` uses the Bartlett decomposition.

    Example: ``Wishart(ember.tensor(4.0), ember.eye(2)).mean`` is ``4 * eye(2)``.
    """

    arg_constraints = {"covariance_matrix": constraints.positive_definite,
                       "precision_matrix": constraints.positive_definite,
                       "scale_tril": constraints.lower_cholesky,
                       "df": constraints.greater_than(0)}
    support = constraints.positive_definite
    has_rsample = True
    _mean_carrier_measure = 0

    def __init__(self, df, covariance_matrix=None, precision_matrix=None, scale_tril=None,
                 validate_args=None):
        given = {"scale_tril": scale_tril, "covariance_matrix": covariance_matrix,
                 "precision_matrix": precision_matrix}
        if sum(v is not None for v in given.values()) != 1:
            raise AssertionError("Exactly one of covariance_matrix or precision_matrix or "
                                 "scale_tril may be specified.")
        name, param = next((k, v) for k, v in given.items() if v is not None)
        if param.dim() < 2:
            raise ValueError("scale_tril must be at least two-dimensional, with optional "
                             "leading batch dimensions")
        if isinstance(df, numbers.Number):
            batch_shape = tuple(param.shape[:-2])
            self.df = ember.tensor(df, dtype=param.dtype)
        else:
            batch_shape = tuple(ember.broadcast_shapes(tuple(param.shape[:-2]), tuple(df.shape)))
            self.df = df.expand(batch_shape)
        event_shape = param.shape[-2:]
        p = event_shape[-1]
        if self.df.le(p - 1).any():
            raise ValueError(f"Value of df={df} expected to be greater than ndim - 1 = {p - 1}.")
        setattr(self, name, param.expand(batch_shape + (-1, -1)))
        if self.df.lt(p).any():
            warnings.warn("Low df values detected. Singular samples are highly likely to occur "
                          "for ndim - 1 < df < ndim.", stacklevel=2)
        super().__init__(batch_shape, event_shape, validate_args=validate_args)
        if scale_tril is not None:
            self._unbroadcasted_scale_tril = scale_tril
        elif covariance_matrix is not None:
            self._unbroadcasted_scale_tril = ember.linalg.cholesky(covariance_matrix)
        else:
            self._unbroadcasted_scale_tril = _precision_to_scale_tril(precision_matrix)
        self._dist_chi2 = self._chi2(batch_shape)

    def _chi2(self, batch_shape):
        """Chi-squared laws of the squared Bartlett diagonal: df, df - 1, ..., df - p + 1."""
        p = self._event_shape[-1]
        L = self._unbroadcasted_scale_tril
        offsets = ember.arange(p, dtype=L.dtype, device=L.device)
        return Chi2(df=(self.df.unsqueeze(-1) - offsets).expand(tuple(batch_shape) + (-1,)))

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Wishart, _instance)
        batch_shape = tuple(ember.Size(batch_shape))
        cov_shape = batch_shape + tuple(self.event_shape)
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril.expand(cov_shape)
        new.df = self.df.expand(batch_shape)
        for name in ("covariance_matrix", "scale_tril", "precision_matrix"):
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(cov_shape))
        ExponentialFamily.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._dist_chi2 = new._chi2(batch_shape)
        new._validate_args = self._validate_args
        return new

    def _matrix_shape(self):
        return tuple(self._batch_shape) + tuple(self._event_shape)

    @lazy_property
    def scale_tril(self):
        """Lower Cholesky factor of the scale matrix."""
        return self._unbroadcasted_scale_tril.expand(self._matrix_shape())

    @lazy_property
    def covariance_matrix(self):
        """The scale matrix ``L L^T``."""
        L = self._unbroadcasted_scale_tril
        return (L @ L.transpose(-2, -1)).expand(self._matrix_shape())

    @lazy_property
    def precision_matrix(self):
        """The inverse scale matrix."""
        return self._solve_scale(ember.eye(self._event_shape[-1],
                                           dtype=self._unbroadcasted_scale_tril.dtype)
                                 ).expand(self._matrix_shape())

    def _solve_scale(self, rhs):
        """``(L L^T)^{-1} rhs``, by two solves with the (lower) scale factor."""
        L = self._unbroadcasted_scale_tril.tril()
        batch = ember.broadcast_shapes(tuple(L.shape[:-2]), tuple(rhs.shape[:-2]))
        L = L.expand(tuple(batch) + tuple(L.shape[-2:]))
        rhs = rhs.expand(tuple(batch) + tuple(rhs.shape[-2:]))
        return ember.linalg.solve(L.mT, ember.linalg.solve(L, rhs))

    @property
    def mean(self):
        return self.df.view(tuple(self._batch_shape) + (1, 1)) * self.covariance_matrix

    @property
    def mode(self):
        factor = self.df - self.covariance_matrix.shape[-1] - 1
        factor = ember.where(factor <= 0, math.nan, factor)
        return factor.view(tuple(self._batch_shape) + (1, 1)) * self.covariance_matrix

    @property
    def variance(self):
        V = self.covariance_matrix
        diag_V = ember.diagonal(V, dim1=-2, dim2=-1)
        return self.df.view(tuple(self._batch_shape) + (1, 1)) * (
            V.pow(2) + diag_V.unsqueeze(-1) * diag_V.unsqueeze(-2))

    def rsample(self, sample_shape=ember.Size(), max_try_correction=None):
        """Samples by the Bartlett decomposition; a sample that is not numerically positive
        definite is drawn again, up to ``max_try_correction`` (default 10) times, with a warning
        (it may stay singular, and then ``log_prob`` gives -inf)."""
        tries = 10 if max_try_correction is None else max_try_correction
        sample = self._bartlett_sample(sample_shape)
        singular = ~self.support.check(sample)
        if bool(singular.any()):
            warnings.warn("Singular sample detected.", stacklevel=2)
            for _ in range(tries):
                mask = singular.reshape(tuple(singular.shape) + (1, 1))
                sample = ember.where(mask, self._bartlett_sample(sample_shape), sample)
                singular = ~self.support.check(sample)
                if not bool(singular.any()):
                    break
        return sample

    def _bartlett_sample(self, sample_shape):
        """``(L A)(L A)^T`` with ``A`` lower triangular: square roots of chi-squared variables on
        the diagonal, standard normals below it."""
        sample_shape = tuple(ember.Size(sample_shape))
        p = self._event_shape[-1]
        chi = self._dist_chi2.rsample(sample_shape).sqrt()
        chi = chi.clamp(min=ember.finfo(chi.dtype).eps)
        below = ember.randn(sample_shape + tuple(self._batch_shape) + (p, p),
                            dtype=chi.dtype).tril(-1)
        chol = self._unbroadcasted_scale_tril @ (ember.diag_embed(chi) + below)
        return chol @ chol.transpose(-2, -1)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        nu = self.df
        p = self._event_shape[-1]
        half_log_det = ember.diagonal(self._unbroadcasted_scale_tril, dim1=-2,
                                      dim2=-1).log().sum(-1)
        trace = ember.diagonal(self._solve_scale(value), dim1=-2, dim2=-1).sum(-1)
        return (-nu * (p * _LOG_2 / 2 + half_log_det) - ember.mvlgamma(nu / 2, p=p)
                + (nu - p - 1) / 2 * ember.linalg.slogdet(value).logabsdet - trace / 2)

    def entropy(self):
        nu = self.df
        p = self._event_shape[-1]
        half_log_det = ember.diagonal(self._unbroadcasted_scale_tril, dim1=-2,
                                      dim2=-1).log().sum(-1)
        return ((p + 1) * (p * _LOG_2 / 2 + half_log_det) + ember.mvlgamma(nu / 2, p=p)
                - (nu - p - 1) / 2 * _mvdigamma(nu / 2, p=p) + nu * p / 2)

    @property
    def _natural_params(self):
        p = self._event_shape[-1]
        return -self.precision_matrix / 2, (self.df - p - 1) / 2

    def _log_normalizer(self, x, y):
        p = self._event_shape[-1]
        return ((y + (p + 1) / 2) * (-ember.linalg.slogdet(-2 * x).logabsdet + _LOG_2 * p)
                + ember.mvlgamma(y + (p + 1) / 2, p=p))
