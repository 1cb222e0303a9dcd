"""The Tensor: an array, its autograd bookkeeping, and the core protocol methods.

Op families attach their functions as methods from ``ember/_ops/`` (see
``tensor_method``); this file holds only what every tensor needs: metadata,
the NumPy bridge, printing, and the autograd entry points.
"""
import numpy as np

from . import _dtype
from ._backend.arrays import root_array as _root_array, data_address as _address
from ._memory_format import strided as _strided
from ._dtype import FROM_NP
from . import autograd as _autograd
from .autograd import grad_mode
from .autograd import graph as _graph

_grad_state = grad_mode.state


class Tensor:
    """A multi-dimensional array that records operations for autograd."""

    __slots__ = ("_data", "_requires_grad", "grad", "grad_fn", "_output_nr", "_vc", "_base",
                 "_view_fn", "_view_ver", "_hooks", "_retains_grad", "__weakref__")

    def __new__(cls, *args, **kwargs):
        # ``ember.Tensor(2, 3)`` / ``ember.Tensor([1, 2])``: the legacy float constructor.
        from ._ops.creation import legacy_new
        return legacy_new(cls, _dtype.get_default_dtype(), args, kwargs)

    def __init__(self, *args, **kwargs):
        pass

    # -- metadata ---------------------------------------------------------
    @property
    def dtype(self):
        return FROM_NP[self._data.dtype]

    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    ndimension = dim

    def numel(self):
        return self._data.size

    nelement = numel

    @property
    def device(self):
        from ._backend import device_of
        return device_of(self._data)

    @property
    def is_cuda(self):
        return type(self._data) is not np.ndarray and not self.is_meta

    @property
    def is_meta(self):
        return type(self._data).__name__ == "MetaArray"

    @property
    def is_cpu(self):
        return type(self._data) is np.ndarray

    is_sparse = False
    is_quantized = False
    is_mps = is_xpu = False
    layout = _strided

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def is_complex(self):
        return self._data.dtype.kind == "c"

    def element_size(self):
        return self._data.itemsize

    def stride(self, dim=None):
        arr = self._data
        if arr.size == 0:  # NumPy reports zero strides for empty arrays, torch contiguous ones
            strides, step = [], 1
            for n in reversed(arr.shape):
                strides.append(step)
                step *= max(n, 1)
            strides = tuple(reversed(strides))
        else:
            strides = tuple(s // arr.itemsize for s in arr.strides)
        return strides if dim is None else strides[_wrap_dim(dim, arr.ndim)]

    def storage_offset(self):
        return (_address(self._data) - _address(_root_array(self._data))) // self._data.itemsize

    def is_contiguous(self, memory_format=None):
        return self._data.flags.c_contiguous

    def data_ptr(self):
        return _address(self._data)

    def untyped_storage(self):
        from .storage import UntypedStorage
        return UntypedStorage._of(_root_array(self._data))

    def get_device(self):
        return -1 if self.is_cpu else self.device.index

    # -- autograd -----------------------------------------------------------
    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
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
        return self.grad_fn is None

    @property
    def _version(self):
        return self._vc[0]

    @property
    def output_nr(self):
        return self._output_nr

    @property
    def retains_grad(self):
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
        if self._base is not None and self._base.requires_grad:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    def retain_grad(self):
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        target = self

        def keep(grad):
            target.grad = grad.clone() if target.grad is None else target.grad + grad
        self.grad_fn._add_pre_hook(self._output_nr, keep)

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new one."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            return self.grad_fn._add_pre_hook(self._output_nr, hook)
        from .autograd.graph import _Handle
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return _Handle(self._hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Call ``hook(self)`` after backward accumulates this leaf's gradient into ``.grad``
        (not for ``autograd.grad``); returns a handle whose ``remove()`` drops it."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                               "tensors")
        return self.register_hook(_graph.PostAccumulateGradHook(hook))

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad``."""
        _autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # -- NumPy bridge -------------------------------------------------------
    def numpy(self, *, force=False):
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
        arr = self._data if type(self._data) is np.ndarray else self._data.get()
        return arr if dtype is None else arr.astype(dtype, copy=False)

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to "
                               f"Scalar (shape {tuple(self._data.shape)}); item() needs exactly one")
        return self._data.item()

    def tolist(self):
        return self._data.tolist()

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {'no' if self._data.size == 0 else 'more than one'} "
                               f"value{'s' if self._data.size == 0 else ''} is ambiguous "
                               f"(shape {tuple(self._data.shape)})")
        return bool(self._data.item())

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self._data.size != 1 or self._data.dtype.kind not in "iub":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.item())

    def __complex__(self):
        return complex(self.item())

    __hash__ = object.__hash__

    def __getattr__(self, name):
        # Only reached for missing attributes: say what the user probably meant.
        hint = _ATTRIBUTE_HINTS.get(name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'"
                             + (f". {hint}" if hint else ""))

    def __repr__(self):
        from ._tensor_str import format_tensor
        d = self.dtype
        dev = None if self.is_cpu else str(self.device)
        arr = self._data if self.is_meta else self.__array__()
        return format_tensor(arr, dtype_name=d.name,
                             default_dtype_name=_dtype.get_default_dtype().name,
                             is_floating=d.is_floating_point, requires_grad=self._requires_grad and self.grad_fn is None,
                             grad_fn_name=None if self.grad_fn is None else self.grad_fn.name(),
                             device=dev)

    def __format__(self, spec):
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __reduce_ex__(self, protocol):
        from .serialization import reduce_tensor
        return reduce_tensor(self)

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support "
                               "the deepcopy protocol at the moment.")
        new = _wrap(self._data.copy(), self._requires_grad)
        if type(self) is not Tensor:
            new = type(self).__new__(type(self), new, self._requires_grad) if _is_param(self) else new
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


def _is_param(t):
    from .nn.parameter import Parameter
    return isinstance(t, Parameter)


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``ember.Size([2, 3])``."""

    __slots__ = ()

    def __repr__(self):
        from ._alias import public_prefix
        return f"{public_prefix()}.Size({list(self)})"

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, key):
        res = tuple.__getitem__(self, key)
        return Size(res) if isinstance(key, slice) else res

    def __add__(self, other):
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


_graph._wrap = _wrap


def tensor_method(*names):
    """Attach the decorated function to Tensor under ``names`` (and return it unchanged)."""
    def deco(fn):
        for n in names:
            setattr(Tensor, n, fn)
        return fn
    return deco
