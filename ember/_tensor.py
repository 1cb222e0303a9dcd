"""The Tensor: an array, its autograd bookkeeping, and the core protocol methods.

This is the lowest layer that knows tensors: it imports only dtypes, devices, the array
backends and printing.  Everything else attaches its functions as methods from above (see
``tensor_method``): the op families from ``ember/_ops/``, ``backward`` and the gradient hooks
from ``ember/autograd/``, the legacy constructor ``Tensor(2, 3)`` from ``_ops/creation.py`` and
pickling from ``_utils.py``.  This file holds only what every tensor needs: metadata, the NumPy
bridge and printing.
"""
import numpy as np

from . import _dtype
from ._alias import public_prefix
from ._backend import device_of
from ._backend.storage import (root_array, data_address, storage_offset as _offset_of,
                               element_strides, contiguous_strides)
from ._memory_format import strided as _strided
from ._dtype import FROM_NP
from ._tensor_str import format_tensor
from .storage import UntypedStorage


class Tensor:
    """A multi-dimensional array that records operations for autograd."""

    __slots__ = ("_data", "_requires_grad", "grad", "grad_fn", "_output_nr", "_vc", "_base",
                 "_view_fn", "_view_ver", "_hooks", "_retains_grad", "__weakref__")

    def __init__(self, *args, **kwargs):
        """Nothing to do: ``__new__`` (attached by ``_ops/creation.py``) builds the tensor."""
        pass

    # -- metadata ---------------------------------------------------------
    @property
    def dtype(self):
        """The element type, an ``ember.dtype`` (``ember.float32``...)."""
        return FROM_NP[self._data.dtype]

    @property
    def shape(self):
        """The sizes of the dims, an ``ember.Size``."""
        return Size(self._data.shape)

    def size(self, dim=None):
        """The sizes of the dims (an ``ember.Size``), or the size of dim ``dim``."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    @property
    def ndim(self):
        """The number of dims."""
        return self._data.ndim

    def dim(self):
        """The number of dims."""
        return self._data.ndim

    ndimension = dim

    def numel(self):
        """The number of elements (the product of the sizes)."""
        return self._data.size

    nelement = numel

    @property
    def device(self):
        """Where the data lives: ``device('cpu')``, ``device('cuda', 0)``, ``device('meta')``."""
        return device_of(self._data)

    @property
    def is_cuda(self):
        """True for a tensor held by CuPy (a CUDA device)."""
        return type(self._data) is not np.ndarray and not self.is_meta

    @property
    def is_meta(self):
        """True for a tensor on the ``meta`` device (a shape and dtype, no data)."""
        return type(self._data).__name__ == "MetaArray"

    @property
    def is_cpu(self):
        """True for a tensor held in host memory by NumPy."""
        return type(self._data) is np.ndarray

    is_sparse = False
    is_quantized = False
    is_mps = is_xpu = False
    layout = _strided

    def is_floating_point(self):
        """True for a floating-point dtype."""
        return self._data.dtype.kind == "f"

    def is_complex(self):
        """True for a complex dtype."""
        return self._data.dtype.kind == "c"

    def element_size(self):
        """Bytes per element."""
        return self._data.itemsize

    def stride(self, dim=None):
        """Steps in elements between neighbours along each dim (or along ``dim``), as torch counts
        them."""
        arr = self._data
        # NumPy reports zero strides for empty arrays, torch contiguous ones
        strides = contiguous_strides(arr.shape) if arr.size == 0 else element_strides(arr)
        return strides if dim is None else strides[_wrap_dim(dim, arr.ndim)]

    def storage_offset(self):
        """How many elements into its storage this tensor starts."""
        return _offset_of(self._data)

    def is_contiguous(self, memory_format=None):
        """True when the elements lie in row-major order with no gaps."""
        return self._data.flags.c_contiguous

    def data_ptr(self):
        """The address of the first element."""
        return data_address(self._data)

    def untyped_storage(self):
        """The storage (the bytes) this tensor views, shared by all views of one base."""
        return UntypedStorage._of(root_array(self._data))

    def get_device(self):
        """The device index: -1 on the CPU."""
        return -1 if self.is_cpu else self.device.index

    # -- autograd -----------------------------------------------------------
    @property
    def requires_grad(self):
        """Whether autograd records operations on this tensor (settable on leaves)."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place (on a leaf) and return the tensor."""
        flag = bool(requires_grad)
        if self.grad_fn is not None:
            if flag:
                return self
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you "
                               "want to use a computed variable in a subgraph that doesn't require "
                               "differentiation use var_no_grad = var.detach().")
        if flag and self._data.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point and complex dtype can require "
                               f"gradients (got {self.dtype})")
        self._requires_grad = flag
        return self

    @property
    def is_leaf(self):
        """True for a tensor no recorded operation made (``grad_fn`` is None)."""
        return self.grad_fn is None

    @property
    def _version(self):
        """The in-place modification counter, shared with views."""
        return self._vc[0]

    @property
    def output_nr(self):
        """Which output of its ``grad_fn`` this tensor is."""
        return self._output_nr

    @property
    def retains_grad(self):
        """Whether ``retain_grad()`` asked a non-leaf to keep its ``.grad``."""
        return self._retains_grad

    @property
    def data(self):
        """The same values without autograd history (changes here are not tracked)."""
        return _wrap(self._data)

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, got {type(value).__name__}")
        self._data = value._data

    def detach(self):
        """A view of the same data, cut from the graph (shares the version counter)."""
        t = _wrap(self._data)
        t._vc = self._vc
        t._base = self._base if self._base is not None else self
        return t

    def detach_(self):
        """Cut this tensor from the graph in place (it becomes a leaf)."""
        if self._base is not None and self._base.requires_grad:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    # -- NumPy bridge -------------------------------------------------------
    def numpy(self, *, force=False):
        """The data as a NumPy array sharing memory (``force=True``: also for tensors requiring
        grad or on a device)."""
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        if type(self._data) is not np.ndarray:
            if not force:
                raise TypeError(f"can't convert {self.device} device type tensor to numpy. Use "
                                "Tensor.cpu() to copy the tensor to host memory first.")
            return self._data.get()
        return self._data

    def __array__(self, dtype=None, copy=None):
        """NumPy's conversion protocol: the data as a host array, optionally cast to ``dtype``."""
        arr = self._data if type(self._data) is np.ndarray else self._data.get()
        return arr if dtype is None else arr.astype(dtype, copy=False)

    def item(self):
        """The one element as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to "
                               f"Scalar (shape {tuple(self._data.shape)}); item() needs exactly one")
        return self._data.item()

    def tolist(self):
        """The data as nested Python lists of numbers."""
        return self._data.tolist()

    def __len__(self):
        """The size of the first dim."""
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        """Iterate over the first dim (views ``self[0]``, ``self[1]``...)."""
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self):
        """The truth of a one-element tensor."""
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {'no' if self._data.size == 0 else 'more than one'} "
                               f"value{'s' if self._data.size == 0 else ''} is ambiguous "
                               f"(shape {tuple(self._data.shape)})")
        return bool(self._data.item())

    def __float__(self):
        """A one-element tensor as a Python float."""
        return float(self.item())

    def __int__(self):
        """A one-element tensor as a Python int."""
        return int(self.item())

    def __index__(self):
        """A one-element integer tensor as an index."""
        if self._data.size != 1 or self._data.dtype.kind not in "iub":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.item())

    def __complex__(self):
        """A one-element tensor as a Python complex."""
        return complex(self.item())

    __hash__ = object.__hash__

    def __getattr__(self, name):
        """Raise AttributeError for a missing attribute, with a hint for common slips."""
        # Only reached for missing attributes: say what the user probably meant.
        hint = _ATTRIBUTE_HINTS.get(name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'"
                             + (f". {hint}" if hint else ""))

    def __repr__(self):
        """torch's printed form: ``tensor([1., 2.], requires_grad=True)``."""
        d = self.dtype
        dev = None if self.is_cpu else str(self.device)
        arr = self._data if self.is_meta else self.__array__()
        return format_tensor(arr, dtype_name=d.name,
                             default_dtype_name=_dtype.get_default_dtype().name,
                             is_floating=d.is_floating_point, requires_grad=self._requires_grad and self.grad_fn is None,
                             grad_fn_name=None if self.grad_fn is None else self.grad_fn.name(),
                             device=dev)

    def __format__(self, spec):
        """``format(t, spec)``: a 0-d tensor formats as its number."""
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __deepcopy__(self, memo):
        """A leaf holding a copy of the data (and of ``.grad``); non-leaves cannot be deep-copied."""
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support "
                               "the deepcopy protocol at the moment.")
        new = _wrap(self._data.copy(), self._requires_grad)
        if self.grad is not None:
            new.grad = _wrap(self.grad._data.copy())
        memo[id(self)] = new
        return new


_ATTRIBUTE_HINTS = {
    "gpu": "Did you mean .cuda() or .to(device)?",
    "cuda_": "Did you mean .cuda() or .to(device)?",
    "numpy_": "Did you mean .numpy()?",
    "len": "Use len(tensor) or tensor.size(0).",
    "length": "Use len(tensor) or tensor.size(0).",
    "astype": "Tensors convert with .to(dtype) or .float()/.long().",
    "reshape_": "Use tensor.reshape(...) or tensor.resize_(...).",
}


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``ember.Size([2, 3])``."""

    __slots__ = ()

    def __repr__(self):
        return f"{public_prefix()}.Size({list(self)})"

    def numel(self):
        """The number of elements a tensor of this shape holds."""
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, key):
        """An entry, or a ``Size`` for a slice."""
        res = tuple.__getitem__(self, key)
        return Size(res) if isinstance(key, slice) else res

    def __add__(self, other):
        """Concatenated shapes, as a ``Size``."""
        return Size(tuple.__add__(self, other))


# the public names (what type(), typename() and tracebacks show), as torch.Tensor / torch.Size
Tensor.__module__ = Size.__module__ = "ember"


def _wrap_dim(dim, ndim):
    """Normalise a possibly negative dim; IndexError as torch words it."""
    n = ndim if ndim else 1
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim + n if dim < 0 else dim


_new = object.__new__
_ndarray, _generic = np.ndarray, np.generic


def _wrap(arr, requires_grad=False):
    """Make a Tensor around ``arr`` without copying: the one internal constructor."""
    if type(arr) is not _ndarray and isinstance(arr, _generic):
        arr = np.asarray(arr)
    t = _new(Tensor)
    t._data = arr
    t._requires_grad = requires_grad
    t.grad = None
    t.grad_fn = None
    t._output_nr = 0
    t._vc = [0]
    t._base = None
    t._view_fn = None
    t._view_ver = 0
    t._hooks = None
    t._retains_grad = False
    return t


def tensor_method(*names):
    """Attach the decorated function to Tensor under ``names`` (and return it unchanged)."""
    def deco(fn):
        for n in names:
            setattr(Tensor, n, fn)
        return fn
    return deco
