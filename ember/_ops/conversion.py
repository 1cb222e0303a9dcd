"""dtype and device conversion: ``to``, ``type``, ``float()``..., ``cpu``/``cuda``, ``clone``, ``copy_``."""
from .._alias import public_prefix
from .._backend import device_of, get_array_module, to_device
from .._device import as_device, device as device_cls
from .._tensor import Tensor, tensor_method
from .. import _dtype
from .._dtype import BY_TENSOR_TYPE, as_dtype
from .base import Op, sum_to
from .common import to_tensor
from .elementwise.ops import Cast
from .inplace import apply_inplace

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
    """``self.copy_(src)``: the result is src's values (broadcast and cast to self)."""

    def forward(self, dst, src):
        self.src_shape, self.src_dtype = getattr(src, "shape", ()), getattr(src, "dtype", None)
        xp = get_array_module(dst)
        out = xp.empty_like(dst)
        out[...] = src
        return out

    def backward(self, g):
        gsrc = None
        if self.needs_input_grad[1]:
            gsrc = sum_to(g, self.src_shape)
            if self.src_dtype is not None and gsrc.dtype != self.src_dtype:
                gsrc = gsrc.astype(self.src_dtype)
        return None, gsrc


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


