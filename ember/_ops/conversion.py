"""dtype and device conversion: ``to``, ``type``, ``float()``..., ``cpu``/``cuda``, ``clone``, ``copy_``;
and a tensor's storage and geometry: queries (``is_set_to``, ``dim_order``, ``is_shared``...)
and the in-place changes (``set_``, ``resize_``, ``as_strided_``, ``share_memory_``)."""
import mmap

import numpy as np

from .._alias import public_prefix
from .._backend import cuda_available, device_of, get_array_module, optional_cupy, to_device
from .._backend.arrays import as_strided as _strided
from .._backend.storage import data_address as _address, root_array as _root_array
from .._device import as_device, device as device_cls
from .._tensor import Tensor, tensor_method, _wrap
from .. import _dtype
from .._dtype import BY_TENSOR_TYPE, as_dtype
from .base import Op, get_xp, sum_to
from .common import to_tensor
from .elementwise.ops import Cast
from . import creation as C
from .shape import funcs as S
from .inplace import apply_inplace, check_inplace

__all__ = ["clone"]


class ToDevice(Op):
    """Move between NumPy and CuPy; the gradient moves back."""

    def __init__(self, device):
        self.device = device

    def forward(self, a):
        self.src = device_of(a)
        return to_device(a, self.device)

    def backward(self, g):
        return to_device(g, self.src)


class Clone(Op):
    def forward(self, a):
        return a.copy()

    def backward(self, g):
        return g


class CopyFrom(Op):
    """``self.copy_(src)``: the result is src's values (broadcast and cast to self); the old
    values get a zero gradient, as torch's."""

    def name(self):
        return "torch::autograd::CopyBackwards"

    def forward(self, dst, src):
        self.src_shape, self.src_dtype = getattr(src, "shape", ()), getattr(src, "dtype", None)
        xp = get_array_module(dst)
        out = xp.empty_like(dst)
        out[...] = src
        return out

    def backward(self, g):
        gdst = get_xp(g).zeros_like(g) if self.needs_input_grad[0] else None
        gsrc = None
        if self.needs_input_grad[1]:
            gsrc = sum_to(g, self.src_shape)
            if self.src_dtype is not None and gsrc.dtype != self.src_dtype:
                gsrc = gsrc.astype(self.src_dtype)
        return gdst, gsrc


def _parse_to(args, kwargs):
    """Split ``to``'s overloads into (dtype, device, copy)."""
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
    for a in args:
        if isinstance(a, Tensor):
            dtype, device = a.dtype, a.device
        elif isinstance(a, _dtype.dtype):
            dtype = a
        elif isinstance(a, (str, device_cls, int)):
            device = a
        elif isinstance(a, bool):
            pass
        elif a is not None:
            dtype = as_dtype(a)
    return dtype, device, copy


def _cast(t, np_dtype):
    """``t`` converted to ``np_dtype``; into an integer or bool dtype the result leaves the graph,
    as torch's does (no gradient flows through rounding)."""
    if np_dtype.kind not in "fc" and t._requires_grad:
        t = t.detach()
    return Cast(np_dtype)(t)


@tensor_method("to")
def to(self, *args, **kwargs):
    """This tensor in another dtype and/or on another device (``to(dtype)``, ``to(device)``,
    ``to(other)``); ``self`` itself when nothing changes, unless ``copy=True``."""
    dtype, device, copy = _parse_to(args, dict(kwargs))
    out = self
    if device is not None:
        dev = as_device(device)
        if dev != device_of(self._data):
            out = ToDevice(dev)(out)
    if dtype is not None and as_dtype(dtype).np != out._data.dtype:
        out = _cast(out, as_dtype(dtype).np)
    if copy and out is self:
        out = Clone()(self)
    return out


def _converter(dt):
    def convert(self, memory_format=None):
        return self if self._data.dtype == dt.np else _cast(self, dt.np)
    convert.__doc__ = f"This tensor as {dt}."
    return convert


for _name, _dt in [("float", _dtype.float32), ("double", _dtype.float64), ("half", _dtype.float16),
                   ("long", _dtype.int64), ("int", _dtype.int32), ("short", _dtype.int16),
                   ("char", _dtype.int8), ("byte", _dtype.uint8), ("bool", _dtype.bool),
                   ("cfloat", _dtype.complex64), ("cdouble", _dtype.complex128)]:
    setattr(Tensor, _name, _converter(_dt))


@tensor_method("type")
def type_(self, dtype=None, non_blocking=False, **kwargs):
    """With no argument, torch's type string ('ember.FloatTensor', 'torch.' under the alias);
    else convert."""
    prefix = public_prefix() + ("." if self.is_cpu else ".cuda.")
    if dtype is None:
        return prefix + self.dtype._tensor_type
    if isinstance(dtype, str):
        name = dtype.split(".")[-1]
        if name not in BY_TENSOR_TYPE:
            raise ValueError(f"invalid type: '{dtype}'")
        target = BY_TENSOR_TYPE[name]
        on_cuda = ".cuda." in dtype
    elif isinstance(dtype, type) and hasattr(dtype, "_ember_dtype"):
        target, on_cuda = dtype._ember_dtype, getattr(dtype, "_is_cuda", False)
    else:
        target, on_cuda = as_dtype(dtype), not self.is_cpu
    out = self.to(target)
    if on_cuda and self.is_cpu:
        out = out.cuda()
    return out


@tensor_method("type_as")
def type_as(self, other):
    """``self.to(other.dtype)``."""
    return self.to(other.dtype)


@tensor_method("cpu")
def cpu(self, memory_format=None):
    """This tensor in host memory (``self`` when it is already there)."""
    return self.to("cpu")


@tensor_method("cuda")
def cuda(self, device=None, non_blocking=False, memory_format=None):
    """This tensor on a CUDA device (the current one, or ``device``)."""
    if device is None:
        device = "cuda"
    elif isinstance(device, int):
        device = device_cls("cuda", device)
    return self.to(device)


@tensor_method("clone")
def clone(input, *, memory_format=None):
    return Clone()(input)


@tensor_method("copy_")
def copy_(self, src, non_blocking=False):
    if not isinstance(src, Tensor):
        src = to_tensor(src)
    if src._data.dtype != self._data.dtype:
        src = Cast(self._data.dtype)(src)
    if type(src._data) is not type(self._data):
        src = src.to(self.device)
    return apply_inplace(self, CopyFrom(), src)


# -- storage geometry and memory queries ------------------------------------------------
def _root(t):
    return _root_array(t._data)


def _geometry(t):
    """(storage address, data address, shape, strides) of ``t``: what ``is_set_to`` compares."""
    return _address(_root(t)), t.data_ptr(), tuple(t.shape), t.stride()


@tensor_method("is_set_to")
def is_set_to(self, tensor):
    """Whether ``self`` and ``tensor`` view the same storage with the same offset, sizes and
    strides.  Example: ``x.is_set_to(x[:])`` is True, ``x.is_set_to(x.view(-1))`` False
    for a 2-D ``x``."""
    return _geometry(self) == _geometry(tensor)


@tensor_method("dense_dim")
def dense_dim(self):
    """The number of dense dims: every dim of a (strided) ember tensor, so ``self.dim()``.
    Example: ``ember.ones(2, 3).dense_dim()`` is 2."""
    return self.dim()


@tensor_method("sparse_dim")
def sparse_dim(self):
    """The number of sparse dims: 0 for a (strided) ember tensor.
    Example: ``ember.ones(2, 3).sparse_dim()`` is 0."""
    return 0


@tensor_method("to_dense")
def to_dense(self, dtype=None, *, masked_grad=True):
    """``self`` (already strided), converted to ``dtype`` when given.
    Example: ``x.to_dense() is x`` for any ember tensor ``x``."""
    return self if dtype is None else self.to(dtype)


@tensor_method("const_data_ptr")
def const_data_ptr(self):
    """The address of the first element (``data_ptr()``), for read-only use."""
    return self.data_ptr()


def _inner_after(strides, shape, a, b):
    """Comparing dims ``a`` and ``b`` listed innermost first: 1 when ``a`` belongs after
    ``b`` (a larger stride, or the same stride over more elements), -1 when before, 0 when
    the strides do not tell (a zero stride)."""
    sa, sb = strides[a], strides[b]
    if sa == 0 or sb == 0:
        return 0
    if sa == sb:
        return 1 if shape[a] > shape[b] else 0
    return 1 if sa > sb else -1


def _dense_in(shape, strides, outer_to_inner):
    """Whether the strides lay the dims out densely in the order given (size-1 dims aside)."""
    step = 1
    for d in reversed(tuple(outer_to_inner)):
        if shape[d] != 1:
            if strides[d] != step:
                return False
            step *= shape[d]
    return True


@tensor_method("dim_order")
def dim_order(self, *, ambiguity_check=False):
    """The dims from outermost to innermost in memory, read from the strides (logical order
    where they do not decide).  ``ambiguity_check=True`` raises when that order is not unique
    (a size-1 dim or two equal strides).

    Example: ``ember.ones(2, 3).t().dim_order()`` is ``(1, 0)``.
    """
    shape, strides = tuple(self.shape), self.stride()
    ndim = len(shape)
    if ambiguity_check and (1 in shape or len(set(strides)) < ndim):
        raise RuntimeError("The tensor does not have unique dim order, or cannot map to exact one "
                           "of the given memory formats.")
    if ndim < 2:
        return tuple(range(ndim))
    plain = _dense_in(shape, strides, range(ndim))
    last = ndim == 4 and _dense_in(shape, strides, (0, 2, 3, 1))
    if plain != last:  # one layout alone fits: row-major or channels-last
        return tuple(range(ndim)) if plain else (0, 2, 3, 1)
    order = list(reversed(range(ndim)))  # innermost first; an insertion sort that steps
    for i in range(1, ndim):              # over undecided pairs and stops at a decided one
        j = i
        for k in reversed(range(i)):
            c = _inner_after(strides, shape, order[k], order[j])
            if c > 0:
                order[k], order[j] = order[j], order[k]
                j = k
            elif c < 0:
                break
    return tuple(reversed(order))


Tensor.is_sparse_csr = False  # ember tensors are strided: no sparse, XLA or IPU tensors
Tensor.is_xla = False
Tensor.is_ipu = False


@tensor_method("is_shared")
def is_shared(self):
    """Whether the storage lies in memory shared with child processes (``share_memory_``);
    always True for CUDA tensors, as in torch."""
    holder = getattr(_root(self), "base", None)
    return self.is_cuda or isinstance(getattr(holder, "obj", holder), mmap.mmap)


@tensor_method("share_memory_")
def share_memory_(self):
    """Move the storage into anonymous shared memory (an ``mmap`` that forked workers see)
    and return ``self``; a no-op for CUDA tensors and storages already shared.  Other
    tensors viewing the old storage keep it, unlike torch's.

    Example: ``t.share_memory_().is_shared()`` is True.
    """
    if self.is_shared() or self.is_meta:
        return self
    root = _root(self)
    raw = root.reshape(-1).view(np.uint8)
    buf = mmap.mmap(-1, max(raw.size, 1))
    shared = np.frombuffer(buf, np.uint8, raw.size)
    shared[...] = raw
    offset = self.storage_offset() * self.element_size()
    self._data = _strided(np, shared[offset:].view(self._data.dtype) if raw.size else
                          shared.view(self._data.dtype), self._data.shape, self._data.strides)
    return self


@tensor_method("is_pinned")
def is_pinned(self, device=None):
    """Whether a CPU tensor's memory is page-locked for fast copies to the GPU (made by
    ``pin_memory``); False without a CUDA device."""
    cupy = optional_cupy()
    if not self.is_cpu or cupy is None or not cuda_available() or self.numel() == 0:
        return False
    attrs = cupy.cuda.runtime.pointerGetAttributes(self.data_ptr())
    return attrs.type == cupy.cuda.runtime.memoryTypeHost


@tensor_method("pin_memory")
def pin_memory(self, device=None):
    """A copy of a CPU tensor in page-locked host memory (``self`` if already pinned); needs
    a CUDA device, as torch does.

    Example: ``x.pin_memory().is_pinned()`` is True on a machine with a GPU.
    """
    if not cuda_available():
        raise RuntimeError("Cannot access accelerator device when none is available.")
    if not self.is_cpu:
        raise RuntimeError(f"cannot pin '{self.type()}' only dense CPU tensors can be pinned")
    if self.is_pinned():
        return self
    import cupyx  # CuPy is present: cuda_available() said so
    buf = cupyx.empty_pinned(self._data.shape, self._data.dtype)
    buf[...] = self._data
    out = _wrap(buf)
    out.requires_grad = self.requires_grad
    return out


@tensor_method("record_stream")
def record_stream(self, stream):
    """Mark the tensor as used on ``stream``: torch's caching allocator then delays reusing
    its memory.  ember's tensors keep their arrays alive while referenced, so nothing is
    recorded; accepted for torch's API."""


_SLOTS = tuple(s for s in Tensor.__slots__ if s != "__weakref__")


@tensor_method("as_subclass")
def as_subclass(self, cls):
    """An alias of ``self`` (same memory, same place in the autograd graph) as an instance
    of the Tensor subclass ``cls``.

    Example: ``ember.ones(2).as_subclass(MyTensor)`` is a ``MyTensor``.
    """
    if not (isinstance(cls, type) and issubclass(cls, Tensor)):
        raise TypeError("Creating a Tensor subclass from a class that does not inherit from "
                        "Tensor is not possible. Make sure your class inherits from Tensor.")
    alias = self.view_as(self)
    out = object.__new__(cls)
    for slot in _SLOTS:
        setattr(out, slot, getattr(alias, slot))
    return out


@tensor_method("module_load")
def module_load(self, other, assign=False):
    """What ``nn.Module.load_state_dict`` stores for this parameter or buffer given the state
    dict's ``other`` (when swapping tensors): ``other`` detached with ``assign``, else
    ``self`` overwritten by ``other``, detached.  Subclasses override it to convert values.

    Example: ``ember.zeros(2).module_load(ember.ones(2))`` is ``tensor([1., 1.])``.
    """
    if assign:
        return other.detach()
    return self.copy_(other).detach()


def _on_bytes(raw, dtype, offset, shape, strides=None):
    """An array of ``dtype`` over the bytes ``raw`` from element ``offset`` on, with
    ``shape`` and element ``strides`` (contiguous by default); ``raw`` grows (zero-filled,
    as a new buffer) when they reach past its end."""
    xp = get_xp(raw)
    item = np.dtype(dtype).itemsize
    if strides is None:
        strides = C.empty(shape).stride()
    span = 0 if 0 in shape else 1 + sum((n - 1) * s for n, s in zip(shape, strides))
    need = (offset + span) * item
    if need > raw.size:
        grown = xp.zeros(need, np.uint8)
        grown[:raw.size] = raw
        raw = grown
    elems = raw[offset * item:need].view(dtype) if span else xp.zeros(0, dtype)
    return _strided(xp, elems, tuple(shape), tuple(s * item for s in strides))


@tensor_method("resize_")
def resize_(self, *sizes, memory_format=None):
    """Give ``self`` the shape ``sizes`` (contiguous) over its storage from its offset on,
    growing the storage (zeros beyond the old bytes) when it is too small; the values already
    there stay.  Not for tensors that require grad.

    Example: ``ember.arange(6.).resize_(2, 2)`` is ``tensor([[0., 1.], [2., 3.]])``.
    """
    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    shape = C._size(sizes)
    if shape != tuple(self.shape):
        self._data = _on_bytes(self.untyped_storage()._bytes(), self._data.dtype,
                               self.storage_offset(), shape)
        self._vc[0] += 1
    return self


@tensor_method("resize_as_")
def resize_as_(self, the_template, memory_format=None):
    """``resize_`` to the shape of ``the_template``.

    Example: ``ember.zeros(2, 3).resize_as_(ember.ones(3)).shape`` is ``(3,)``.
    """
    return resize_(self, tuple(the_template.shape))


@tensor_method("set_")
def set_(self, source=None, storage_offset=0, size=None, stride=None):
    """Make ``self`` view other memory: with no argument an empty storage; a tensor's own
    memory and geometry (``source`` a Tensor alone); or the memory of ``source`` (a Tensor or
    an ``UntypedStorage``) from element ``storage_offset`` with ``size`` and ``stride``.

    Example: ``x.set_(y)`` makes ``x.is_set_to(y)`` True; writes to one show in the other.
    """
    check_inplace(self)
    dtype = self._data.dtype
    if source is None:
        self._data = get_xp(self._data).zeros(0, dtype)
    elif isinstance(source, Tensor) and size is None:
        if source._data.dtype != dtype:
            raise RuntimeError(f"Could not set tensor of type {source._data.dtype.name} to a "
                               f"tensor of type {dtype.name}")
        self._data = source._data
    else:
        storage = source.untyped_storage() if isinstance(source, Tensor) else source.untyped()
        raw = storage._bytes()
        if size is None:
            size = (raw.size // dtype.itemsize - storage_offset,)
        self._data = _on_bytes(raw, dtype, storage_offset, C._size((size,)),
                               None if stride is None else tuple(stride))
    self._vc[0] += 1
    return self


@tensor_method("as_strided_")
def as_strided_(self, size, stride, storage_offset=None):
    """In-place ``as_strided``: ``self`` takes the given sizes, element strides and offset
    on its own storage (differentiable on a non-leaf, as the out-of-place form).

    Example: ``ember.arange(6.).as_strided_((2, 2), (1, 2), 1)`` is
    ``tensor([[1., 3.], [2., 4.]])``.
    """
    check_inplace(self)
    view = S.as_strided(self, size, stride, storage_offset)
    self._data = view._data
    if view.grad_fn is not None:
        view.grad_fn.overload = 1  # torch's node for the in-place form: AsStridedBackward1
        self.grad_fn, self._output_nr = view.grad_fn, view._output_nr
    self._vc[0] += 1
    return self
