"""``Parameter`` (a tensor a Module learns) and ``Buffer`` (a tensor it keeps but does not learn).

Both are Tensor subclasses that share the given tensor's array (no copy), as
torch's do, so ``Parameter(t)`` sees later in-place changes to ``t``.
``UninitializedParameter`` and ``UninitializedBuffer`` are the shapeless placeholders of lazy
modules (``LazyLinear``) until their first input fixes the shapes.
"""
from collections import OrderedDict

from .._tensor import Tensor, _wrap

__all__ = ["Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer", "is_lazy"]

_FIELDS = tuple(s for s in Tensor.__slots__ if s != "__weakref__")


def _make_subclass(cls, data, requires_grad):
    """An instance of ``cls`` sharing ``data``'s array and version counter, as a graph leaf."""
    if data is None:
        from .._ops.creation import empty
        data = empty(0)
    elif not isinstance(data, Tensor):
        raise TypeError(f"{cls.__name__}(): data must be a Tensor, got {type(data).__name__}")
    src = _wrap(data._data)
    src._vc = data._vc
    src.requires_grad_(requires_grad)
    obj = object.__new__(cls)
    for name in _FIELDS:
        setattr(obj, name, getattr(src, name))
    return obj


class Parameter(Tensor):
    """A tensor that is a module parameter: assigning one to a Module attribute registers it.

    ``Parameter(data=None, requires_grad=True)``; shares ``data``'s memory.
    """

    def __new__(cls, data=None, requires_grad=True):
        return _make_subclass(cls, data, requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol):
        return _rebuild_parameter, (self.data, self.requires_grad, OrderedDict())


def _rebuild_parameter(data, requires_grad, backward_hooks):
    """Unpickling entry point (the counterpart of torch's ``_utils._rebuild_parameter``)."""
    return Parameter(data, requires_grad)


class Buffer(Tensor):
    """A tensor that assigning to a Module attribute registers as a buffer.

    ``Buffer(data=None, *, persistent=True)``: non-persistent buffers stay out of ``state_dict``.
    """

    def __new__(cls, data=None, *, persistent=True):
        buf = _make_subclass(cls, data, getattr(data, "requires_grad", False))
        buf.persistent = persistent
        return buf


class UninitializedTensorMixin:
    """What the uninitialized placeholders share: no shape until ``materialize(shape)``.

    ``materialize`` gives the tensor uninitialised memory of ``shape`` (and optionally another
    ``device``/``dtype``) and turns it, in place, into ``cls_to_become``, so every reference to
    it (a module's registry, an optimizer) sees the real tensor.
    """

    __slots__ = ()
    cls_to_become = None

    def materialize(self, shape, device=None, dtype=None):
        from .._ops.creation import empty
        self.data = empty(shape, device=self.device if device is None else device,
                          dtype=self.dtype if dtype is None else dtype)
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError("Can't access the shape of an uninitialized parameter or buffer. This "
                           "error usually happens in `load_state_dict` when trying to load an "
                           "uninitialized parameter into an initialized one. Call `forward` to "
                           "initialize the parameters before accessing their attributes.")

    def share_memory_(self):
        raise RuntimeError("Can't share memory on an uninitialized parameter or buffer. Call "
                           "`forward` to initialize the parameters before calling "
                           "`module.share_memory()`.")

    def __repr__(self):
        return f"<{type(self).__name__}>"

    def __reduce_ex__(self, protocol):
        return type(self), (self.requires_grad,)

    def __deepcopy__(self, memo):
        return memo.setdefault(id(self), type(self)(self.requires_grad, self.device, self.dtype))


def is_lazy(tensor):
    """True for a parameter or buffer still waiting for its shape (see ``materialize``)."""
    return isinstance(tensor, UninitializedTensorMixin)


def _empty_placeholder(cls, requires_grad, device, dtype):
    from .._ops.creation import empty
    return _make_subclass(cls, empty(0, device=device, dtype=dtype), requires_grad)


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape is not known yet; ``materialize(shape)`` makes it a Parameter.

    ``UninitializedParameter(requires_grad=True, device=None, dtype=None)``, e.g. the weight of
    ``LazyLinear(4)`` before its first call.
    """

    cls_to_become = Parameter

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        return _empty_placeholder(cls, requires_grad, device, dtype)


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer whose shape is not known yet; ``materialize(shape)`` makes it a plain Tensor.

    ``UninitializedBuffer(requires_grad=False, device=None, dtype=None)``, e.g. the running
    mean of ``LazyBatchNorm2d()`` before its first call (register it with ``register_buffer``).
    """

    __slots__ = ()
    cls_to_become = Tensor

    def __new__(cls, requires_grad=False, device=None, dtype=None):
        return _empty_placeholder(cls, requires_grad, device, dtype)
