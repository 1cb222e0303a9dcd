"""Helpers shared by the distributions: broadcasting parameters, probs/logits conversion,
cached properties, and the small array utilities the families reuse."""
import numbers

import numpy as np

import ember

__all__ = ["broadcast_all", "logits_to_probs", "probs_to_logits", "clamp_probs", "lazy_property",
           "tril_matrix_to_vec", "vec_to_tril_matrix", "euler_constant"]

euler_constant = 0.57721566490153286060


def broadcast_all(*values):
    """Broadcast numbers and tensors to one shape; numbers become tensors of the default dtype
    (or of the first tensor's dtype).

    Example: ``loc, scale = broadcast_all(0.0, ember.ones(3))`` gives two tensors of shape (3,).
    """
    if not all(isinstance(v, (ember.Tensor, numbers.Number)) or hasattr(v, "__torch_function__")
               for v in values):
        raise ValueError("Input arguments must all be instances of numbers.Number, "
                         "torch.Tensor or objects implementing __torch_function__.")
    if all(isinstance(v, ember.Tensor) for v in values):
        return ember.broadcast_tensors(*values)
    like = next((v for v in values if isinstance(v, ember.Tensor)), None)
    dtype = like.dtype if like is not None else ember.get_default_dtype()
    tensors = [v if isinstance(v, ember.Tensor) else ember.tensor(v, dtype=dtype) for v in values]
    return ember.broadcast_tensors(*tensors)


def _sum_rightmost(value, dim):
    """Sum over the ``dim`` rightmost dimensions (none when ``dim`` is 0)."""
    if dim == 0:
        return value
    return value.reshape(tuple(value.shape[:-dim]) + (-1,)).sum(-1)


def clamp_probs(probs):
    """Clamp probabilities into the open interval (eps, 1 - eps) of their dtype."""
    eps = ember.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def logits_to_probs(logits, is_binary=False):
    """Probabilities from logits: sigmoid when ``is_binary``, else softmax over the last dim.

    Example: ``logits_to_probs(ember.zeros(2))`` is ``tensor([0.5, 0.5])``.
    """
    if is_binary:
        return ember.sigmoid(logits)
    return ember.softmax(logits, dim=-1)


def probs_to_logits(probs, is_binary=False):
    """Logits from probabilities (clamped away from 0 and 1): ``log p - log1p(-p)`` when
    ``is_binary``, else ``log p``."""
    p = clamp_probs(probs)
    if is_binary:
        return ember.log(p) - ember.log1p(-p)
    return ember.log(p)


class lazy_property:
    """A property computed on first access and then stored on the instance.

    Parameters given as ``probs`` may derive ``logits`` lazily and vice versa.
    Example: ``class D: x = lazy_property(lambda self: expensive())``.
    """

    def __init__(self, wrapped):
        self.wrapped = wrapped
        self.__doc__ = wrapped.__doc__
        self.__name__ = wrapped.__name__

    def __get__(self, instance, obj_type=None):
        if instance is None:
            return _lazy_property_and_property(self.wrapped)
        with ember.enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value


class _lazy_property_and_property(lazy_property, property):
    """What a lazy property looks like on the class: also a ``property`` (for introspection)."""

    def __init__(self, wrapped):
        property.__init__(self, wrapped)
        self.wrapped = wrapped
        self.__name__ = wrapped.__name__


class _BinaryProbsLogits:
    """Shared parameter handling of the families given by one success probability ``probs``
    or, instead, its log-odds ``logits`` (Bernoulli, Binomial, Geometric, ...): the other one is
    derived lazily on first access.

    A subclass calls ``_set_probs_or_logits(probs, logits, *others)`` in its ``__init__``.
    Example: ``Bernoulli(logits=ember.tensor(0.0)).probs`` is ``0.5``.
    """

    def _set_probs_or_logits(self, probs, logits, *others):
        """Store whichever of ``probs`` and ``logits`` is given (exactly one must be) as a tensor
        broadcast with ``others``, keep it as ``_param``, and return ``others`` broadcast and cast
        to its dtype (an empty list when there are none)."""
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        name, given = ("probs", probs) if probs is not None else ("logits", logits)
        *others, self._param = broadcast_all(*others, given)
        setattr(self, name, self._param)
        return [other.type_as(self._param) for other in others]

    def _new(self, *args, **kwargs):
        return self._param.new(*args, **kwargs)

    @property
    def param_shape(self):
        return self._param.size()

    @lazy_property
    def logits(self):
        """Log-odds of success."""
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self):
        """Probability of success."""
        return logits_to_probs(self.logits, is_binary=True)


class _LocScale:
    """Shared constructor of the location-scale families peaked at ``loc`` (Normal, Laplace,
    Cauchy): ``loc`` and ``scale`` are broadcast to the batch shape, and ``loc`` is the mode.

    Example: ``Laplace(ember.zeros(3), 1.0).batch_shape`` is ``(3,)``.
    """

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(self.loc.size(), validate_args=validate_args)

    @property
    def mode(self):
        return self.loc


def tril_matrix_to_vec(mat, diag=0):
    """The lower triangle (offset ``diag``) of the last two dims, row by row, as a vector."""
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    rows, cols = _tril_indices(n, diag)
    return mat[..., rows, cols]


def vec_to_tril_matrix(vec, diag=0):
    """Inverse of :func:`tril_matrix_to_vec`: a square lower-triangular matrix from its entries."""
    m = vec.shape[-1]
    n = next(k for k in range(m + abs(diag) + 2) if len(np.tril_indices(k, diag)[0]) >= m)
    rows, cols = _tril_indices(n, diag)
    if len(rows) != m:
        raise ValueError("Incorrect size of vector: " + str(m))
    mat = vec.new_zeros(tuple(vec.shape[:-1]) + (n, n))
    mat[..., rows, cols] = vec
    return mat


def _tril_indices(n, diag):
    r, c = np.tril_indices(n, diag)
    return ember.tensor(r), ember.tensor(c)
