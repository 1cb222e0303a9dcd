"""The op table's building blocks: tensor arguments described as NumPy arrays, samples, rows.

A row (``OpRow``) describes one public op once: how to call it, which inputs to try
(``samples``), the dtypes it supports, its tolerances and variants (Tensor method, operator,
``out=``, in-place), whether it has gradients, and the errors torch raises on bad input.
The test modules next to this file turn every row into checks against torch.

Example::

    OpRow("exp", unary_samples(), method=True, inplace="exp_", out=True)
"""
import dataclasses
from typing import Callable

import numpy as np

import ember
from tests.conftest import TEST_DEVICE
from tests.helpers import _NP, torch

FLOATS = ("float32", "float64")
INTS = ("int64", "int32", "int16", "int8", "uint8")
ALL = FLOATS + INTS + ("bool",)
FLOAT_INT = FLOATS + ("int64",)
SPECIALS = (np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -2.5, 0.5)


@dataclasses.dataclass(frozen=True, eq=False)
class Arg:
    """A tensor argument: its values, and whether to hand it over as a strided view.

    ``noncontig=True`` builds the tensor as every other element of a twice-as-wide array, so
    the op sees a non-contiguous view with the same values.  ``grad=False`` keeps it out of
    backward even when it is a float tensor (targets, weights).
    """
    array: np.ndarray
    noncontig: bool = False
    grad: bool = True

    @property
    def differentiable(self):
        return self.grad and self.array.dtype.kind in "fc"


@dataclasses.dataclass(frozen=True)
class D:
    """A dtype argument (``D("float64")``), resolved to ``lib.float64`` for each library."""
    name: str


@dataclasses.dataclass(frozen=True, eq=False)
class Sample:
    """One call: positional and keyword arguments (``Arg``/``D`` resolved per library) and a
    ``tag`` naming it within its row (``"broadcast"``, ``"nonfinite"``, ...).  ``gradcheck=False``
    keeps a sample out of the finite-difference check (a kink, or an op that renormalises its
    input in place)."""
    tag: str
    args: tuple = ()
    kwargs: dict = dataclasses.field(default_factory=dict)
    gradcheck: bool = True

    def arrays(self):
        """Every ``Arg`` in the call, in order."""
        found = []

        def walk(x):
            if isinstance(x, Arg):
                found.append(x)
            elif isinstance(x, (list, tuple)):
                for y in x:
                    walk(y)
        walk(self.args)
        walk(list(self.kwargs.values()))
        return found

    def finite(self):
        return all(np.isfinite(a.array).all() for a in self.arrays() if a.array.dtype.kind == "f")

    def empty(self):
        return any(a.array.size == 0 for a in self.arrays())


class Maker:
    """Seeded random ``Arg`` factory handed to a row's sample generator.

    ``make(shape)`` gives values uniform in the row's domain ``[low, high)`` in the requested
    dtype (integers rounded, bools random); ``make.values(list)`` gives fixed values.
    """

    def __init__(self, dtype, low=-2.0, high=2.0, seed=0):
        self.dtype, self.low, self.high = dtype, low, high
        self.rng = np.random.default_rng(seed)

    def __call__(self, shape, dtype=None, low=None, high=None, noncontig=False, grad=True):
        dtype = dtype or self.dtype
        lo = self.low if low is None else low
        hi = self.high if high is None else high
        npd = _NP[dtype]
        if dtype == "bool":
            a = self.rng.random(shape) > 0.5
        elif np.issubdtype(npd, np.integer):
            lo = max(lo, 0) if dtype == "uint8" else lo
            ilo = int(np.ceil(lo))
            a = self.rng.integers(ilo, max(int(np.ceil(hi)), ilo + 1), size=shape)
        else:
            a = self.rng.uniform(lo, hi, size=shape)
        return Arg(np.asarray(a).astype(npd), noncontig, grad)

    def complex(self, shape, noncontig=False, grad=True):
        """Complex values, real and imaginary parts uniform in the domain: complex128 when the
        dtype under test is float64, else complex64."""
        npd = np.complex128 if self.dtype == "float64" else np.complex64
        re, im = (self.rng.uniform(self.low, self.high, shape) for _ in range(2))
        a = re + 1j * im
        return Arg(np.asarray(a).astype(npd), noncontig, grad)

    def values(self, values, dtype=None, grad=True):
        return Arg(np.asarray(values, dtype=_NP[dtype or self.dtype]), grad=grad)

    def distinct(self, shape):
        """Values without ties (so the indices of sorts and extrema are well defined)."""
        n = int(np.prod(shape))
        v = self.rng.permutation(n) - (0 if self.dtype in ("uint8", "bool") else n // 2)
        v = v * 0.5 if self.dtype.startswith("float") else v
        return Arg(v.reshape(shape).astype(_NP[self.dtype]))

    def index(self, shape, high):
        """An int64 index tensor with entries in ``[0, high)``."""
        return Arg(self.rng.integers(0, high, size=shape).astype(np.int64), grad=False)


@dataclasses.dataclass(eq=False, repr=False)
class OpRow:
    """One public op.

    name: the public name; ``"add"`` is ``torch.add``, ``"nn.functional.relu"`` and
        ``"linalg.norm"`` are dotted from the top module, ``"Tensor.view"`` is a method only.
    samples: ``samples(make) -> [Sample]``, ``make`` a ``Maker`` for the dtype under test.
    call: ``call(lib, *args, **kwargs)``; by default the named function of ``lib``.
    method: also call ``args[0].<name>(*args[1:])`` and compare it with torch.
    operator: a dunder (``"__add__"``) checked like the method.
    inplace: the in-place method name (``"add_"``), checked on a non-leaf with autograd.
    out: the function takes ``out=``.
    aliases: other public names for the same op, given as ``"ember.x"``, ``"Tensor.x"``,
        ``"nn.functional.x"`` or ``"linalg.x"``; each is called on the first sample too.
    dtypes: dtypes the op supports; each is run on the first sample.
    grad: the op has gradients (checked on float inputs, and by a float64 gradcheck).
    (second derivatives: every gradcheck row is gradgradchecked; ``gradgrad.py`` lists the
    rows ember does not differentiate twice yet.)
    random: outputs are random; only shapes and dtypes are compared.
    errors: ``errors(lib) -> [(thunk, exception type)]`` bad calls torch rejects.
    atol, rtol: forward tolerances (gradients get ten times as much).
    gradcheck: run the float64 finite-difference check.
    kind: ``"unary"``, ``"binary"`` or ``"reduce"``: the fuzz test draws inputs for it.
    domain: ``(low, high)`` of random values.
    xfail: ``{"check" or "check:tag": reason}``: known differences from torch, each marked
        ``xfail(strict=True)`` on that check (and sample) only.
    variant: tells apart two rows of one name (``max`` over all values and ``max`` of two
        tensors); the row's id is ``name.variant``.
    """
    name: str
    samples: Callable
    call: Callable = None
    method: bool = False
    operator: str = None
    inplace: str = None
    out: bool = False
    aliases: tuple = ()
    dtypes: tuple = FLOATS
    grad: bool = True
    random: bool = False
    errors: Callable = None
    atol: float = 1e-5
    rtol: float = 1e-4
    gradcheck: bool = True
    kind: str = None
    domain: tuple = (-2.0, 2.0)
    xfail: dict = dataclasses.field(default_factory=dict)
    variant: str = ""

    def __post_init__(self):
        if self.call is None:
            self.call = resolve_call(self.name)

    def __repr__(self):
        return f"OpRow({self.id!r})"

    @property
    def id(self):
        return f"{self.name}.{self.variant}" if self.variant else self.name

    def make_samples(self, dtype=None):
        """The row's samples for ``dtype`` (its first supported dtype by default)."""
        make = Maker(dtype or self.dtypes[0], *self.domain)
        return list(self.samples(make))

    def covers(self):
        """The public names this row exercises (for the completeness test)."""
        base = self.name.split(".")[-1]
        names = set(self.aliases)
        if self.name.startswith("Tensor."):
            names.add(self.name)
        elif "." in self.name:
            names.add(self.name)
        else:
            names.add("ember." + self.name)
        if self.method:
            names.add("Tensor." + base)
        if self.inplace:
            names.add("Tensor." + self.inplace)
        if self.operator:
            names.add("Tensor." + self.operator)
        return names


def lookup(lib, dotted):
    """``lib`` followed by a dotted attribute path (``"nn.functional.relu"``)."""
    obj = lib
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def resolve_call(name):
    """The default call of a row: a method for ``"Tensor.x"``, else the library function."""
    if name.startswith("Tensor."):
        meth = name.split(".", 1)[1]
        return lambda lib, x, *a, **k: getattr(x, meth)(*a, **k)
    return lambda lib, *a, **k: lookup(lib, name)(*a, **k)


def alias_call(alias):
    """A call for an alias name as used in ``OpRow.aliases``."""
    scope, _, rest = alias.partition(".")
    if scope == "ember":
        return resolve_call(rest)
    return resolve_call(alias)


def host_to(lib, array, device):
    """``array`` as a ``lib`` tensor; ember's is moved to ``device`` (torch's stays on the CPU,
    the reference side)."""
    t = lib.from_numpy(array.copy())
    return t.to(device) if lib is ember and device != "cpu" else t


def build(obj, lib, leaves, grad, given=None, device="cpu"):
    """Turn a sample's ``Arg``/``D`` placeholders into ``lib`` tensors and dtypes (ember's on
    ``device``); float tensors that take part in backward are appended to ``leaves`` when
    ``grad`` is set, or taken in order from the iterator ``given`` instead of being built."""
    if isinstance(obj, Arg):
        if given is not None and obj.differentiable:
            return next(given)
        a = obj.array
        if obj.noncontig and a.ndim:
            t = host_to(lib, np.repeat(a, 2, axis=-1), device)[..., ::2]
        else:
            t = host_to(lib, a, device)
        if grad and obj.differentiable:
            t.requires_grad_(True)
            leaves.append(t)
        return t
    if isinstance(obj, D):
        return getattr(lib, obj.name)
    if isinstance(obj, list):
        return [build(x, lib, leaves, grad, given, device) for x in obj]
    if isinstance(obj, tuple):
        return tuple(build(x, lib, leaves, grad, given, device) for x in obj)
    if isinstance(obj, dict):
        return {k: build(v, lib, leaves, grad, given, device) for k, v in obj.items()}
    return obj


def materialize(sample, lib, grad=False, given=None, device="cpu"):
    """``(args, kwargs, leaves)`` of ``sample`` for ``lib`` (ember's tensors on ``device``);
    ``given``: tensors to use, in order, for the differentiable arguments."""
    leaves = []
    given = iter(given) if given is not None else None
    args = build(sample.args, lib, leaves, grad, given, device)
    kwargs = build(sample.kwargs, lib, leaves, grad, given, device)
    return args, kwargs, leaves


def run(fn, sample, lib, grad=False, device=TEST_DEVICE):
    """Call ``fn(lib, *args, **kwargs)`` on ``sample`` (ember's inputs on ``device``);
    returns ``(result, leaves)``."""
    args, kwargs, leaves = materialize(sample, lib, grad, device=device)
    return fn(lib, *args, **kwargs), leaves


def tensors_of(out, lib):
    """The tensors in a result (a tensor, or a tuple/list of them and other values)."""
    if isinstance(out, lib.Tensor):
        return [out]
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in tensors_of(o, lib)]
    return []


def dtype_name(t):
    """``"float32"`` for a tensor of either library."""
    return str(t.dtype).split(".")[-1]


def numpy_of(t):
    """A tensor's values as an array; torch's ZeroTensor gradients read as zeros."""
    if isinstance(t, torch.Tensor):
        if t._is_zerotensor():
            return np.zeros(tuple(t.shape), dtype=torch.empty(0, dtype=t.dtype).numpy().dtype)
        return t.detach().resolve_conj().resolve_neg().numpy()
    return np.asarray(t.detach().cpu().numpy())


__all__ = ["Arg", "D", "Sample", "Maker", "OpRow", "FLOATS", "INTS", "ALL", "FLOAT_INT", "SPECIALS",
           "TEST_DEVICE", "lookup", "resolve_call", "alias_call", "host_to", "materialize", "run",
           "tensors_of", "numpy_of", "dtype_name", "ember", "torch"]
