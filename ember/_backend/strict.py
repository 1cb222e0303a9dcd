"""A strict CPU stand-in for CuPy: the array module of ``device("strict")``.

It runs on NumPy but refuses what CuPy refuses where NumPy is lenient, so the
tests can run ember's GPU code paths on a machine without a GPU:

- ``ndarray`` is not a NumPy array: implicit conversion (``numpy.asarray(a)``,
  ``__array__``) raises TypeError as CuPy's does (``a.get()`` copies to the
  host), and mixing it with a NumPy array in a ufunc or a NumPy function
  raises TypeError;
- ``flags`` has only ``c_contiguous``, ``f_contiguous`` and ``owndata``; there
  is no ``__array_interface__`` and no ``__array_namespace__`` (CuPy < 14);
  the address is ``a.data.ptr``;
- reductions and integer indexing give 0-d arrays, not NumPy scalars;
- ``ufunc.at`` exists for add, maximum and minimum only, and
  ``lib.stride_tricks.as_strided`` takes no ``writeable``;
- ``random`` is its own stream (``RandomState``, ``seed``), not NumPy's.

This module is itself the ``xp`` namespace: any NumPy function looked up on
it unwraps stand-in arrays, calls NumPy and wraps array results.  Only
``array``/``asarray``/``asanyarray`` accept host arrays, like CuPy's.
Example::

    >>> import ember
    >>> x = ember.ones(3, device="strict")
    >>> (x * 2).cpu()
    tensor([2., 2., 2.])
"""

import types

import numpy

_nd, _generic = numpy.ndarray, numpy.generic
_HOST_OK = frozenset({"array", "asarray", "asanyarray"})
_AT_UFUNCS = frozenset({"add", "maximum", "minimum"})
_HIDDEN = frozenset({"setflags", "ctypes", "__array_interface__", "__array_struct__",
                     "__array_namespace__", "__array_priority__"})


def _refuse_host(value):
    if isinstance(value, _nd):
        raise TypeError(f"Unsupported type {type(value)}")


def _unwrap(value, host_ok=False):
    """The NumPy object inside ``value`` (recursing into lists, tuples and dicts)."""
    if type(value) is ndarray:
        return value._a
    if type(value) in (list, tuple):
        return type(value)(_unwrap(v, host_ok) for v in value)
    if type(value) is dict:
        return {k: _unwrap(v, host_ok) for k, v in value.items()}
    if not host_ok:
        _refuse_host(value)
    return value


def _wrap(value):
    """Stand-in arrays for NumPy arrays and scalars in ``value`` (0-d for scalars, as CuPy)."""
    if isinstance(value, (_nd, _generic)):
        return ndarray(value)
    if type(value) in (list, tuple):
        return type(value)(_wrap(v) for v in value)
    if isinstance(value, tuple):  # NumPy's named results (linalg.svd, eigh...)
        return type(value)(*(_wrap(v) for v in value))
    return value


def _call(fn, args, kwargs, host_ok=False):
    return _wrap(fn(*_unwrap(args, host_ok), **_unwrap(kwargs, host_ok)))


def _forward(fn, host_ok=False):
    """``fn`` on stand-in arrays: unwrap the arguments, wrap the results."""
    def call(*args, **kwargs):
        return _call(fn, args, kwargs, host_ok)
    call.__name__ = getattr(fn, "__name__", "call")
    call.__doc__ = getattr(fn, "__doc__", None)
    return call


class _Flags:
    """CuPy's flags: contiguity and ownership only."""

    __slots__ = ("c_contiguous", "f_contiguous", "owndata")

    def __init__(self, a):
        f = a.flags
        self.c_contiguous, self.f_contiguous = f.c_contiguous, f.f_contiguous
        self.owndata = f.owndata


class _Pointer:
    __slots__ = ("ptr",)

    def __init__(self, ptr):
        self.ptr = ptr


class _Device:
    __slots__ = ("id",)

    def __init__(self):
        self.id = 0


def _binary(ufunc):
    def op(self, other):
        return ufunc(self, other)

    def rop(self, other):
        return ufunc(other, self)

    def iop(self, other):
        return ufunc(self, other, out=(self,))
    return op, rop, iop


class ndarray:
    """An array on the strict device: a NumPy array behind CuPy's stricter interface.

    ``a.get()`` returns a host (NumPy) copy; ``a.shape``, ``a.dtype``, views,
    indexing and methods behave as NumPy's, with array results wrapped.
    """

    __slots__ = ("_a",)
    __array_priority__ = 100

    def __init__(self, a):
        self._a = numpy.asarray(a) if isinstance(a, _generic) else a

    # -- what CuPy refuses -------------------------------------------------
    def __array__(self, *args, **kwargs):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. "
                        "Please use `.get()` to construct a NumPy array explicitly.")

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "at" and ufunc.__name__ not in _AT_UFUNCS:
            raise AttributeError(f"'{ufunc.__name__}' ufunc has no attribute 'at' on the device")
        out = kwargs.get("out")
        result = getattr(ufunc, method)(*_unwrap(inputs), **_unwrap(kwargs))
        if out is not None:
            return out[0] if len(out) == 1 else out
        return _wrap(result)

    def __array_function__(self, func, types_, args, kwargs):
        return _call(func, args, kwargs)

    def __getattr__(self, name):
        if name in _HIDDEN:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        value = getattr(self._a, name)
        return _forward(value) if callable(value) else _wrap(value)

    # -- CuPy's own attributes ---------------------------------------------
    @property
    def flags(self):
        return _Flags(self._a)

    @property
    def data(self):
        return _Pointer(self._a.__array_interface__["data"][0])

    @property
    def device(self):
        return _Device()

    @property
    def base(self):
        """The array this one views (past the holder NumPy's ``as_strided`` puts between)."""
        base = self._a.base
        while base is not None and not isinstance(base, _nd):
            base = getattr(base, "base", None)
        return None if base is None else ndarray(base)

    def get(self):
        """A NumPy copy of the array (CuPy's device-to-host transfer)."""
        return self._a.copy()

    # -- Python protocols ----------------------------------------------------
    def __repr__(self):
        return "strict." + repr(self._a)

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return (self[i] for i in range(len(self._a)))

    def __bool__(self):
        return bool(self._a)

    def __float__(self):
        return float(self._a)

    def __int__(self):
        return int(self._a)

    def __complex__(self):
        return complex(self._a)

    def __getitem__(self, key):
        return _wrap(self._a[_unwrap(key, host_ok=True)])

    def __setitem__(self, key, value):
        self._a[_unwrap(key, host_ok=True)] = _unwrap(value, host_ok=True)

    def __copy__(self):
        return ndarray(self._a.copy())

    def __deepcopy__(self, memo):
        return ndarray(self._a.copy())

    def __reduce__(self):
        return (ndarray, (self._a,))

    def __neg__(self):
        return numpy.negative(self)

    def __pos__(self):
        return numpy.positive(self)

    def __abs__(self):
        return numpy.absolute(self)

    def __invert__(self):
        return numpy.invert(self)

    __hash__ = None


for _name, _uf in [("add", numpy.add), ("sub", numpy.subtract), ("mul", numpy.multiply),
                   ("truediv", numpy.true_divide), ("floordiv", numpy.floor_divide),
                   ("mod", numpy.remainder), ("pow", numpy.power), ("matmul", numpy.matmul),
                   ("and", numpy.bitwise_and), ("or", numpy.bitwise_or),
                   ("xor", numpy.bitwise_xor), ("lshift", numpy.left_shift),
                   ("rshift", numpy.right_shift)]:
    for _prefix, _method in zip(("", "r", "i"), _binary(_uf)):
        setattr(ndarray, f"__{_prefix}{_name}__", _method)
for _name, _uf in [("eq", numpy.equal), ("ne", numpy.not_equal), ("lt", numpy.less),
                   ("le", numpy.less_equal), ("gt", numpy.greater), ("ge", numpy.greater_equal)]:
    setattr(ndarray, f"__{_name}__", _binary(_uf)[0])
del _name, _uf, _prefix, _method


def _namespace(name, source):
    """A module forwarding ``source``'s functions onto stand-in arrays."""
    mod = types.ModuleType(f"{__name__}.{name}")
    mod.__getattr__ = lambda attr: _lookup(source, attr)
    return mod


def _lookup(source, name):
    value = getattr(source, name)
    if isinstance(value, (type, numpy.ufunc)) or not callable(value):
        return value  # dtypes and classes as they are; ufuncs dispatch via __array_ufunc__
    return _forward(value, host_ok=name in _HOST_OK and source is numpy)


def _as_strided(x, shape=None, strides=None):
    """``as_strided`` without NumPy's ``writeable`` (CuPy has none)."""
    return _wrap(numpy.lib.stride_tricks.as_strided(_unwrap(x), shape, strides))


class RandomState:
    """The device's random stream (CuPy's ``RandomState``): its own PCG64, seeded by ``seed``.

    The methods are CuPy's (names, argument order, ``dtype=``); parameters may be stand-in
    arrays, host arrays are refused, and every result is a stand-in array.
    """

    def __init__(self, seed=None):
        self._rng = numpy.random.Generator(numpy.random.PCG64(seed))

    def _draw(self, name, *args, size=None, dtype=None):
        out = getattr(self._rng, name)(*_unwrap(args), size=size)
        return _wrap(numpy.asarray(out) if dtype is None else numpy.asarray(out).astype(dtype))

    def random_sample(self, size=None, dtype=float):
        return _wrap(self._rng.random(size, dtype=dtype))

    def standard_normal(self, size=None, dtype=float):
        return _wrap(self._rng.standard_normal(size, dtype=dtype))

    def randint(self, low, high=None, size=None, dtype=int):
        return _wrap(self._rng.integers(low, high, size, dtype=dtype))

    def permutation(self, num):
        return _wrap(self._rng.permutation(num))

    def standard_gamma(self, shape, size=None, dtype=float):
        return self._draw("standard_gamma", shape, size=size, dtype=dtype)

    def exponential(self, scale=1.0, size=None, dtype=float):
        return self._draw("exponential", scale, size=size, dtype=dtype)

    def standard_cauchy(self, size=None, dtype=float):
        return self._draw("standard_cauchy", size=size, dtype=dtype)

    def lognormal(self, mean=0.0, sigma=1.0, size=None, dtype=float):
        return self._draw("lognormal", mean, sigma, size=size, dtype=dtype)

    def geometric(self, p, size=None, dtype=int):
        return self._draw("geometric", p, size=size, dtype=dtype)

    def poisson(self, lam=1.0, size=None, dtype=int):
        return self._draw("poisson", lam, size=size, dtype=dtype)

    def binomial(self, n, p, size=None, dtype=int):
        return self._draw("binomial", n, p, size=size, dtype=dtype)


_global = RandomState()


def _seed(seed=None):
    """Restart the module-level stream from ``seed``."""
    _global.__init__(seed)


ndarray.__module__ = __name__
lib = types.SimpleNamespace(stride_tricks=types.SimpleNamespace(as_strided=_as_strided))
linalg = _namespace("linalg", numpy.linalg)
fft = _namespace("fft", numpy.fft)
random = types.SimpleNamespace(RandomState=RandomState, seed=_seed,
                               random_sample=lambda size=None, dtype=float:
                               _global.random_sample(size, dtype))


def __getattr__(name):
    return _lookup(numpy, name)
