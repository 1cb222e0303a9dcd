"""The von Mises (circular normal) distribution."""
import math

import numpy as np

import ember
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["VonMises"]


def _log_i0(x):
    """``log I0(x)`` through the exponentially scaled Bessel function (stable for large x)."""
    return ember.special.i0e(x).log() + x


def _log_i1(x):
    """``log I1(x)`` for x > 0."""
    return ember.special.i1e(x).log() + x


class VonMises(Distribution):
    """Von Mises distribution on the circle with mean direction ``loc`` (radians, any real,
    read modulo 2 pi) and ``concentration`` (density ``exp(k cos(x - loc)) / (2 pi I0(k))``).
    Samples lie in [-pi, pi) (Best-Fisher rejection sampling, in float64).

    Example: ``VonMises(0.0, 1.0).log_prob(ember.tensor(0.0))`` is ``1 - log(2 pi I0(1))``.
    """

    arg_constraints = {"loc": constraints.real, "concentration": constraints.positive}
    support = constraints.real
    has_rsample = False

    def __init__(self, loc, concentration, validate_args=None):
        self.loc, self.concentration = broadcast_all(loc, concentration)
        super().__init__(self.loc.shape, ember.Size(), validate_args)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return (self.concentration * ember.cos(value - self.loc) - math.log(2 * math.pi)
                - _log_i0(self.concentration))

    def sample(self, sample_shape=ember.Size()):
        shape = tuple(self._extended_shape(sample_shape))
        loc = np.broadcast_to(self.loc.detach().numpy().astype(np.float64), shape)
        kappa = np.broadcast_to(self.concentration.detach().numpy().astype(np.float64), shape)
        tau = 1 + np.sqrt(1 + 4 * kappa ** 2)
        rho = (tau - np.sqrt(2 * tau)) / (2 * kappa)
        r = np.where(kappa < 1e-5, 1 / kappa + kappa, (1 + rho ** 2) / (2 * rho))
        x = np.zeros(shape)
        done = np.zeros(shape, dtype=bool)
        while not done.all():
            u1, u2, u3 = (ember.rand((3,) + shape, dtype=ember.float64)).numpy()
            z = np.cos(math.pi * u1)
            f = (1 + r * z) / (r + z)
            c = kappa * (r - f)
            with np.errstate(divide="ignore", invalid="ignore"):
                accept = ((c * (2 - c) - u2) > 0) | (np.log(c / u2) + 1 - c >= 0)
            accept &= ~done
            x = np.where(accept, np.sign(u3 - 0.5) * np.arccos(np.clip(f, -1, 1)), x)
            done |= accept
        out = (x + math.pi + loc) % (2 * math.pi) - math.pi
        return ember.tensor(out, dtype=self.loc.dtype)

    @property
    def mean(self):
        """The circular mean."""
        return self.loc

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        """The circular variance ``1 - I1(k) / I0(k)``."""
        return 1 - (_log_i1(self.concentration) - _log_i0(self.concentration)).exp()
