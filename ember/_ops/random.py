"""Sampling functions (rand, randn, randint, randperm, normal, bernoulli, multinomial,
poisson), their ``*_like`` forms, and the in-place fills (``x.uniform_()``...).

Every sampler takes ``generator=`` (default: ``ember.random.default_generator``).
Samples for the CPU come from the generator's NumPy stream; samples for a device are
drawn there, from the generator's device stream (``rng_on``: CuPy's ``RandomState`` on
CUDA, seeded by ``manual_seed`` or ``cuda.manual_seed``), never on the host, so as in
torch a seed gives different numbers on the CPU and on a GPU.  Where torch records a
sampler in the graph (normal with tensor mean/std, bernoulli, poisson, the
in-place fills), ember does too, with torch's zero gradient.
"""
import numbers

import numpy as np

from .._tensor import Tensor, _wrap, tensor_method
from .. import _dtype
from .._dtype import as_dtype, get_default_dtype
from .base import Op, get_xp
from .special.ops import gammainc, lgamma
from ..random import Generator, rng_on, manual_seed, seed, initial_seed, \
    get_rng_state, set_rng_state, default_generator  # noqa: F401 (re-exported)
from .common import handle_out, promote_all, broadcast_shape
from .._utils import finish_tensor as _finish
from .creation import _size
from .inplace import apply_inplace
from .._backend import array_module_for, to_device
from .._device import as_device, default_device

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state", "rand", "rand_like", "randn", "randn_like",
           "randint", "randint_like", "randperm", "normal", "bernoulli", "multinomial", "poisson",
           "thread_safe_generator"]


class Sampled(Op):
    """Output = pre-drawn ``values``; inputs get torch's zero gradient.

    Links a sample into the graph (``normal(mean, std)``, ``x.uniform_()`` on a
    tensor with history) the way torch does, without pretending it has a
    reparameterised derivative.
    """

    def __init__(self, values):
        self.values = values

    def forward(self, *inputs):
        self.shapes = [getattr(x, "shape", ()) for x in inputs]
        self.dtypes = [getattr(x, "dtype", None) for x in inputs]
        return self.values

    def backward(self, g):
        xp = get_xp(g)
        return tuple(xp.zeros(s, d) if need else None
                     for s, d, need in zip(self.shapes, self.dtypes, self.needs_input_grad))


def _float_np(dtype, what):
    """The NumPy float dtype for a float sampler; integer dtypes raise as in torch."""
    dt = as_dtype(dtype) if dtype is not None else get_default_dtype()
    if dt.np.kind not in "fc":
        raise NotImplementedError(f'"{what}" not implemented for \'{dt._tensor_type[:-6]}\'')
    return dt.np


def _uniform(rng, shape, np_dtype):
    """U[0, 1) of any float or complex dtype (complex: both parts uniform)."""
    if np_dtype.kind == "c":
        part = np.dtype(np.float32 if np_dtype == np.complex64 else np.float64)
        return (_uniform(rng, shape, part) + 1j * _uniform(rng, shape, part)).astype(np_dtype)
    if np_dtype == np.float16:
        return (rng.integers(0, 2 ** 11, shape) * 2.0 ** -11).astype(np.float16)
    return rng.random(shape, np_dtype)


def _normal(rng, shape, np_dtype):
    """N(0, 1) of any float or complex dtype (complex: each part N(0, 1/2), as torch)."""
    if np_dtype.kind == "c":
        part = np.dtype(np.float32 if np_dtype == np.complex64 else np.float64)
        z = _normal(rng, shape, part) + 1j * _normal(rng, shape, part)
        return (z * np.sqrt(0.5)).astype(np_dtype)
    if np_dtype == np.float16:
        return rng.standard_normal(shape, np.float32).astype(np.float16)
    return rng.standard_normal(shape, np_dtype)


def _rng_for(device, generator):
    """The stream a factory draws from for ``device`` (None: the default device); the meta
    device's (data-less) samples come from the host stream."""
    device = default_device() if device is None else as_device(device)
    return rng_on(np if device.type == "meta" else array_module_for(device), generator)


def _rng_of(t, generator):
    """The stream that draws next to tensor ``t``'s data."""
    return rng_on(get_xp(t._data), generator)


def _shape(args, size):
    if size is not None:
        if args:
            raise TypeError("size given both positionally and as a keyword")
        return _size((size,))
    return _size(args)


def rand(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """A tensor of the given shape with values drawn uniformly from ``[0, 1)``.

    Args:
        size (int...): the shape, as separate ints or one tuple or list.
        generator (ember.Generator, optional): the source of randomness. Default: the global one.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): a float element type. Default: the default float dtype.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> x = ember.rand(2, 3)
        >>> x.shape, bool(((x >= 0) & (x < 1)).all())
        (ember.Size([2, 3]), True)
    """
    arr = _uniform(_rng_for(device, generator), _shape(args, size),
                   _float_np(dtype, "check_uniform_bounds"))
    return handle_out(_finish(arr, device, requires_grad), out, "rand")


def randn(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """A tensor of the given shape with values drawn from the standard normal ``N(0, 1)``.

    Complex dtypes draw each part from ``N(0, 1/2)``, so the modulus has unit variance.

    Args:
        size (int...): the shape, as separate ints or one tuple or list.
        generator (ember.Generator, optional): the source of randomness. Default: the global one.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): a float element type. Default: the default float dtype.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> ember.randn(4, 2).shape
        ember.Size([4, 2])
    """
    arr = _normal(_rng_for(device, generator), _shape(args, size),
                  _float_np(dtype, "normal_kernel_cpu"))
    return handle_out(_finish(arr, device, requires_grad), out, "randn")


def _int_bounds(low, high, np_dtype):
    """Check [low, high) for ``np_dtype`` with torch's messages."""
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    if np_dtype.kind in "iub":
        info = np.iinfo(np_dtype) if np_dtype.kind != "b" else None
        lo, hi = (info.min, info.max) if info else (0, 1)
        name = _C_NAMES.get(np_dtype.name, np_dtype.name)
        if not lo <= low <= hi:
            raise RuntimeError(f"from is out of bounds for {name} (from={low}, range "
                               f"[{lo}, {hi}])")
        if not lo <= high - 1 <= hi:
            raise RuntimeError(f"to - 1 is out of bounds for {name} (to - 1={high - 1}, range "
                               f"[{lo}, {hi}])")


_C_NAMES = {"uint8": "unsigned char", "int8": "signed char", "int16": "short", "int32": "int",
            "int64": "long"}


def _randint_values(rng, low, high, shape, np_dtype):
    _int_bounds(low, high, np_dtype)
    if high - 1 > np.iinfo(np.int64).max:
        return rng.integers(low, high, shape, dtype=np.uint64).astype(np_dtype)
    return rng.integers(low, high, shape, dtype=np.int64).astype(np_dtype, copy=False)


def randint(*args, low=None, high=None, size=None, generator=None, out=None, dtype=None,
            layout=None, device=None, requires_grad=False, pin_memory=False):
    """A tensor of integers drawn uniformly from ``[low, high)``.

    Called as ``randint(high, size)`` or ``randint(low, high, size)``.

    Args:
        low (int): the smallest value. Default: ``0``.
        high (int): the bound, excluded.
        size (tuple of int): the shape.
        generator (ember.Generator, optional): the source of randomness. Default: the global one.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): the element type. Default: ``ember.int64``.
        device (ember.device or str, optional): where to allocate. Default: the default device.

    Example:
        >>> x = ember.randint(3, 6, (2, 4))
        >>> x.dtype, bool(((x >= 3) & (x < 6)).all())
        (ember.int64, True)
    """
    args = list(args)
    if size is None and args and not isinstance(args[-1], numbers.Number):
        size = args.pop()
    if high is None and args:
        high = args.pop()
    if low is None:
        low = args.pop() if args else 0
    if args or high is None or size is None:
        raise TypeError("randint() takes (high, size) or (low, high, size), with size a tuple "
                        "of ints")
    if isinstance(size, numbers.Number):
        raise TypeError(f"randint(): argument 'size' must be tuple of ints, not "
                        f"{type(size).__name__}")
    np_dtype = (as_dtype(dtype) if dtype is not None else _dtype.int64).np
    arr = _randint_values(_rng_for(device, generator), int(low), int(high), _size((size,)),
                          np_dtype)
    return handle_out(_finish(arr, device, requires_grad), out, "randint")


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """A random permutation of the integers ``0, 1, ..., n - 1``.

    Args:
        n (int): how many integers.
        generator (ember.Generator, optional): the source of randomness. Default: the global one.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): the element type. Default: ``ember.int64``.
        device (ember.device or str, optional): where to allocate. Default: the default device.

    Example:
        >>> ember.randperm(5).sort().values
        tensor([0, 1, 2, 3, 4])
    """
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    np_dtype = (as_dtype(dtype) if dtype is not None else _dtype.int64).np
    arr = _rng_for(device, generator).permutation(int(n)).astype(np_dtype)
    return handle_out(_finish(arr, device, requires_grad), out, "randperm")


def _like_kwargs(input, dtype, device):
    dtype = dtype if dtype is not None else input.dtype
    device = device if device is not None else (None if input.is_cpu else input.device)
    return dtype, device


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None, generator=None):
    """:func:`ember.rand` with the shape of ``input``: uniform values in ``[0, 1)``.

    Args:
        input (Tensor): the tensor whose shape (and, by default, dtype and device) to use.
        dtype (ember.dtype, optional): the element type. Default: ``input.dtype``.
        device (ember.device or str, optional): the device. Default: ``input.device``.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.
        generator (ember.Generator, optional): the source of randomness. Default: the global one.

    Example:
        >>> ember.rand_like(ember.zeros(2, 2, dtype=ember.float64)).dtype
        ember.float64
    """
    dtype, device = _like_kwargs(input, dtype, device)
    return rand(tuple(input.shape), dtype=dtype, device=device, requires_grad=requires_grad,
                generator=generator)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None, generator=None):
    """:func:`ember.randn` with the shape of ``input``: standard normal values.

    Args:
        input (Tensor): the tensor whose shape (and, by default, dtype and device) to use.
        dtype (ember.dtype, optional): the element type. Default: ``input.dtype``.
        device (ember.device or str, optional): the device. Default: ``input.device``.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.
        generator (ember.Generator, optional): the source of randomness. Default: the global one.

    Example:
        >>> ember.randn_like(ember.zeros(3, 1)).shape
        ember.Size([3, 1])
    """
    dtype, device = _like_kwargs(input, dtype, device)
    return randn(tuple(input.shape), dtype=dtype, device=device, requires_grad=requires_grad,
                 generator=generator)


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None,
                 requires_grad=False, memory_format=None, generator=None):
    """:func:`ember.randint` with the shape of ``input``: integers uniform in ``[low, high)``.

    Called as ``randint_like(x, high)`` or ``randint_like(x, low, high)``.

    Args:
        input (Tensor): the tensor whose shape (and, by default, dtype and device) to use.
        low (int): the smallest value. Default: ``0``.
        high (int): the bound, excluded.
        dtype (ember.dtype, optional): the element type. Default: ``input.dtype``.
        device (ember.device or str, optional): the device. Default: ``input.device``.
        generator (ember.Generator, optional): the source of randomness. Default: the global one.

    Example:
        >>> x = ember.randint_like(ember.zeros(5), 2)
        >>> x.dtype, bool(((x == 0) | (x == 1)).all())
        (ember.float32, True)
    """
    if high is None:
        low, high = 0, low
    dtype, device = _like_kwargs(input, dtype, device)
    return randint(low, high, tuple(input.shape), dtype=dtype, device=device,
                   requires_grad=requires_grad, generator=generator)


# -- samplers with tensor parameters ----------------------------------------------------
def _link(values, like, *params):
    """Wrap ``values`` (drawn on ``like``'s device), in the graph when a param requires grad."""
    tensors = [p for p in params if isinstance(p, Tensor)]
    return Sampled(values)(*tensors) if tensors else _wrap(values)


def normal(mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None,
           device=None, requires_grad=False, pin_memory=False):
    """Samples from normal distributions ``N(mean, std ** 2)``.

    ``mean`` and ``std`` may be tensors (their shapes broadcast and give the result's shape;
    gradients flow to them as zero, as in torch) or numbers; with two numbers, ``size`` gives
    the shape.

    Args:
        mean (Tensor or float): the means.
        std (Tensor or float): the standard deviations, non-negative. Default: ``1.0``.
        size (tuple of int, optional): the shape when both ``mean`` and ``std`` are numbers.
        generator (ember.Generator, optional): the source of randomness. Default: the global one.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): the element type with number arguments.

    Example:
        >>> ember.normal(ember.zeros(3), 1.0).shape
        ember.Size([3])
        >>> ember.normal(2.0, 0.0, size=(2,))
        tensor([2., 2.])
    """
    tm, ts = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not tm and not ts:
        if size is None:
            raise TypeError("normal() with float mean and std needs a size: normal(mean, std, "
                            "size)")
        _check_std(std, "normal")
        arr = _normal(_rng_for(device, generator), _size((size,)),
                      _float_np(dtype, "normal_kernel_cpu"))
        if std != 1 or mean != 0:
            arr = arr * float(std) + float(mean)  # Python floats keep arr's dtype
        return handle_out(_finish(arr, device, requires_grad), out, "normal")
    for t in (mean, std):
        if isinstance(t, Tensor):
            _float_np(t.dtype, "normal_kernel_cpu")
    (m, s), _ = promote_all(mean, std)
    ref = m if tm else s
    if ts and s._data.size and bool((s._data < 0).any()):
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if not ts:
        _check_std(s, "normal")
    md = m._data if tm else m
    sd = s._data if ts else s
    shape = broadcast_shape(tuple(getattr(md, "shape", ())), tuple(getattr(sd, "shape", ())))
    np_dtype = ref._data.dtype
    values = (_normal(_rng_of(ref, generator), shape, np_dtype) * sd + md).astype(np_dtype,
                                                                                 copy=False)
    return handle_out(_link(values, ref, m if tm else None, s if ts else None), out, "normal")


def _check_std(std, name):
    if std < 0:
        raise RuntimeError(f"{name} expects std >= 0.0, but found std {std:g}")


@tensor_method("bernoulli")
def bernoulli(input, p=None, *, generator=None, out=None):
    """Draws of 0 or 1, each 1 with probability given by ``input`` (or by ``p``).

    Args:
        input (Tensor): the probabilities in ``[0, 1]``; the result has its shape and dtype.
        p (float, optional): one probability for every element instead of ``input``'s values.
        generator (ember.Generator, optional): the source of randomness. Default: the global one.
        out (Tensor, optional): write the result here (not taken with ``p``).

    Example:
        >>> ember.bernoulli(ember.tensor([0.0, 1.0, 1.0]))
        tensor([0., 1., 1.])
    """
    if p is not None and out is not None:
        raise TypeError("bernoulli(): out= is not taken with a float p; bernoulli(input, *, "
                        "generator=None, out=None) draws with probabilities input")
    if input._data.dtype.kind not in "fc" and p is None:
        raise NotImplementedError(f'"bernoulli_tensor_cpu_p_" not implemented for '
                                  f"'{input.dtype._tensor_type[:-6]}'")
    probs = input._data if p is None else p
    _check_probs(probs, "bernoulli")
    u = _rng_of(input, generator).random(tuple(input.shape))
    values = (u < probs).astype(input._data.dtype)
    return handle_out(_link(values, input, input), out, "bernoulli")


def _check_probs(p, name):
    """Probabilities ``p`` (a number or an array on any device) lie in [0, 1]."""
    arr = p if hasattr(p, "ndim") else np.asarray(p)
    if arr.size and not bool(((arr >= 0) & (arr <= 1)).all()):
        shown = f"p={float(arr):g}" if arr.ndim == 0 else "values outside [0, 1]"
        raise RuntimeError(f"{name} expects p to be in [0, 1], but got {shown}")


@tensor_method("multinomial")
def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Indices of categories drawn with probabilities proportional to the weights ``input``.

    Each row of a 2-D ``input`` is its own distribution. Without ``replacement`` an index is
    drawn at most once per row, so ``num_samples`` may not exceed the number of categories.

    Args:
        input (Tensor): non-negative float weights (they need not sum to 1).
        num_samples (int): how many indices to draw per row.
        replacement (bool): draw with replacement. Default: ``False``.
        generator (ember.Generator, optional): the source of randomness. Default: the global one.
        out (Tensor, optional): write the result here.

    Shape:
        - Input: ``(C)`` or ``(N, C)``.
        - Output: ``(num_samples)`` or ``(N, num_samples)``, ``int64``.

    Example:
        >>> ember.multinomial(ember.tensor([0.0, 0.0, 1.0]), 2, replacement=True)
        tensor([2, 2])
    """
    if input.ndim not in (1, 2):
        raise RuntimeError(f"prob_dist must be 1 or 2 dim, got shape {list(input.shape)}")
    if input._data.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{input.dtype._tensor_type[:-6]}")
    if num_samples <= 0:
        raise RuntimeError(f"cannot sample n_sample <= 0 samples (num_samples={num_samples})")
    xp = get_xp(input._data)
    w = input._data.astype(np.float64).reshape(-1, input.shape[-1])
    n_cat = w.shape[1]
    if not replacement and num_samples > n_cat:
        raise RuntimeError(f"cannot sample n_sample > prob_dist.size(-1) samples without "
                           f"replacement ({num_samples} > {n_cat})")
    if not bool(xp.isfinite(w).all()) or bool((w < 0).any()):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if w.shape[0] and bool((w.sum(1) <= 0).any()):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    rng = _rng_of(input, generator)
    if replacement:
        idx = _sample_with_replacement(xp, rng, w, num_samples)
    else:
        # exponential race: the k smallest E_i / w_i are a weighted sample without replacement
        with np.errstate(divide="ignore"):
            keys = rng.exponential(size=w.shape) / w
        idx = xp.argsort(keys, axis=1, kind="stable")[:, :num_samples]
    idx = idx.reshape(tuple(input.shape[:-1]) + (num_samples,))
    return handle_out(_link(idx.astype(np.int64, copy=False), input), out, "multinomial")


def _sample_with_replacement(xp, rng, w, k):
    """Inverse-CDF sampling for every row at once (rows offset into one sorted array), with
    array module ``xp`` and its stream ``rng``."""
    rows, n_cat = w.shape
    cdf = xp.cumsum(w, axis=1)
    cdf /= cdf[:, -1:]
    offset = xp.arange(rows)[:, None]
    u = rng.random((rows, k)) + offset
    idx = xp.searchsorted((cdf + offset).ravel(), u.ravel(), side="right").reshape(rows, k)
    return xp.minimum(idx - offset * n_cat, n_cat - 1)


def poisson(input, generator=None):
    """Counts drawn from Poisson distributions with the rates in ``input``.

    Args:
        input (Tensor): non-negative float rates; the result has its shape and dtype.
        generator (ember.Generator, optional): the source of randomness. Default: the global one.

    Example:
        >>> ember.poisson(ember.tensor([0.0, 0.0]))
        tensor([0., 0.])
    """
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f'"poisson_cpu" not implemented for '
                                  f"'{input.dtype._tensor_type[:-6]}'")
    lam = input._data
    if lam.size and bool((lam < 0).any()):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    values = _rng_of(input, generator).poisson(lam).astype(input._data.dtype)
    return _link(values, input, input)


# -- in-place fills ---------------------------------------------------------------------
def _fill(self, values):
    """Write ``values`` (drawn next to self's data) into self as an in-place op (version bump,
    graph rebasing)."""
    values = get_xp(self._data).asarray(values).astype(self._data.dtype, copy=False)
    if not self.is_cpu:
        values = to_device(values, self.device)
    return apply_inplace(self, Sampled(values))


def _need_float(self, what):
    if self._data.dtype.kind not in "fc":
        raise NotImplementedError(f'"{what}" not implemented for '
                                  f"'{self.dtype._tensor_type[:-6]}'")


def _need_continuous(self, law):
    """RuntimeError, as torch's, for a continuous law drawn into a non-float tensor."""
    if self._data.dtype.kind not in "fc":
        raise RuntimeError(f"{law} distribution is a continuous probability distribution. dtype "
                           f"must be a floating point but you specified "
                           f"{self.dtype._tensor_type[:-6]}")


@tensor_method("uniform_")
def uniform_(self, from_=0.0, to=1.0, *, generator=None, **kw):
    """Fill with U[from, to)."""
    from_ = kw.pop("from", from_)
    _need_float(self, "check_uniform_bounds")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={from_:g} > to={to:g}")
    if self.is_meta:  # no values to fill, and (as torch) no draws taken
        return self
    u = _uniform(_rng_of(self, generator), tuple(self.shape), self._data.dtype)
    if (from_, to) != (0, 1):       # in place: a second fresh array costs more than the draw
        u *= to - from_
        u += from_
    return _fill(self, u)


@tensor_method("normal_")
def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with N(mean, std**2)."""
    _need_float(self, "normal_kernel_cpu")
    _check_std(std, "normal")
    if self.is_meta:
        return self
    z = _normal(_rng_of(self, generator), tuple(self.shape), self._data.dtype)
    if (mean, std) != (0, 1):       # in place, as in uniform_
        z *= std
        z += mean
    return _fill(self, z)


@tensor_method("bernoulli_")
def bernoulli_(self, p=0.5, *, generator=None):
    """Fill with 0/1 draws of probability ``p`` (a float or a broadcastable tensor)."""
    probs = p._data if isinstance(p, Tensor) else p
    if not isinstance(p, Tensor):
        _check_probs(p, "bernoulli_")
    u = _rng_of(self, generator).random(tuple(self.shape))
    return _fill(self, u < probs)


_FLOAT_RANDOM_MAX = {"float16": 2 ** 11, "float32": 2 ** 24, "float64": 2 ** 53}


@tensor_method("random_")
def random_(self, *args, generator=None, **kw):
    """Fill with integers: ``random_()`` over the dtype's exact range, ``random_(to)`` over
    [0, to), ``random_(from, to)`` over [from, to)."""
    lo, hi = kw.pop("from", None), kw.pop("to", None)
    if len(args) == 1 and lo is None and hi is None:
        lo, hi = 0, args[0]
    elif args:
        lo, hi = (list(args) + [hi])[:2]
    lo = 0 if lo is None else lo
    dt = self._data.dtype
    if hi is None:
        if dt.kind == "f":
            hi = _FLOAT_RANDOM_MAX[dt.name] + 1
        elif dt.kind == "b":
            hi = 2
        else:
            hi = int(np.iinfo(dt).max) + 1
    values = _randint_values(_rng_of(self, generator), int(lo), int(hi), tuple(self.shape), dt)
    return _fill(self, values)


@tensor_method("exponential_")
def exponential_(self, lambd=1.0, *, generator=None):
    """Fill with Exponential(lambd) samples."""
    _need_continuous(self, "Exponential")
    if lambd <= 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    return _fill(self, _rng_of(self, generator).exponential(1.0 / lambd, tuple(self.shape)))


@tensor_method("geometric_")
def geometric_(self, p, *, generator=None):
    """Fill with Geometric(p) samples: trials up to the first success (1, 2, ...)."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
    return _fill(self, _rng_of(self, generator).geometric(p, tuple(self.shape)))


@tensor_method("cauchy_")
def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Fill with Cauchy(median, sigma) samples."""
    _need_continuous(self, "Cauchy")
    if sigma <= 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma:g}")
    return _fill(self, median + sigma * _rng_of(self, generator).standard_cauchy(tuple(self.shape)))


@tensor_method("log_normal_")
def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Fill with exp(N(mean, std**2)) samples."""
    _need_float(self, "log_normal_cpu")
    if std <= 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std:g}")
    return _fill(self, _rng_of(self, generator).lognormal(mean, std, tuple(self.shape)))


# -- samplers for ember.distributions ---------------------------------------------------
class StandardGamma(Op):
    """Gamma(alpha, 1) samples; the gradient is the implicit reparameterisation
    ``dx/dalpha = -(dF/dalpha)(x) / f(x)`` (F the gamma CDF, dF/dalpha by central difference
    in float64), so rsample of Gamma, Beta and Dirichlet is differentiable as in torch."""

    def __init__(self, rng):
        self.rng = rng

    def forward(self, alpha):
        xp = get_xp(alpha)
        a = alpha.astype(np.float64)
        x = xp.maximum(self.rng.standard_gamma(a), np.finfo(alpha.dtype).tiny)
        if self.needs_input_grad[0]:
            self.a, self.x = a, x
        return x.astype(alpha.dtype)

    def backward(self, g):
        a, x = self.a, self.x
        xp = get_xp(g)
        h = 1e-5 * xp.maximum(a, 1.0)
        dcdf = (gammainc(xp, a + h, x) - gammainc(xp, xp.maximum(a - h, 1e-300), x)) / (2 * h)
        log_pdf = (a - 1) * xp.log(x) - x - lgamma(xp, a)
        return (g * (-dcdf / xp.exp(log_pdf))).astype(g.dtype)


def _standard_gamma(input, generator=None):
    """Gamma(input, 1) samples (CPU), differentiable in ``input`` (implicit
    reparameterisation).  Example: ``ember._standard_gamma(ember.full((1000,), 2.0)).mean()``
    is close to 2."""
    return StandardGamma(_rng_of(input, generator))(input)


def _sample_dirichlet(input, generator=None):
    """Dirichlet samples with concentrations along the last dim of ``input`` (normalised gamma
    draws, so differentiable in ``input``).  Example: ``ember._sample_dirichlet(ember.ones(3))``
    is a point of the 3-simplex."""
    gammas = _standard_gamma(input, generator)
    return gammas / gammas.sum(-1, keepdim=True)


def binomial(count, prob, generator=None):
    """Counts of successes in ``count`` trials each succeeding with probability ``prob``.

    ``count`` and ``prob`` are float tensors whose shapes broadcast; the result has
    ``prob``'s dtype.

    Args:
        count (Tensor): the numbers of trials.
        prob (Tensor): the success probabilities in ``[0, 1]``.
        generator (ember.Generator, optional): the source of randomness. Default: the global one.

    Example:
        >>> ember.binomial(ember.tensor([10.0, 10.0]), ember.tensor([0.0, 1.0]))
        tensor([ 0., 10.])
    """
    if count._data.dtype.kind != "f":
        raise ValueError("binomial only supports floating-point dtypes for count, got: "
                         f"{count.dtype._tensor_type[:-6]}")
    xp = get_xp(prob._data)
    n, p = xp.broadcast_arrays(count._data, prob._data)
    values = _rng_of(prob, generator).binomial(n.astype(np.int64), xp.clip(p, 0, 1))
    return _link(values.astype(prob._data.dtype), prob, count, prob)


__all__ += ["_standard_gamma", "_sample_dirichlet", "binomial"]


def thread_safe_generator():
    """The generator a DataLoader thread worker should draw from, or None (the global one).

    ember's DataLoader workers are processes, each with its own global stream, so this is
    always None.

    Example:
        >>> g = ember.thread_safe_generator()
        >>> ember.rand(2, generator=g).shape
        ember.Size([2])
    """
    return None
