"""``Parameter`` (a tensor a Module learns) and ``Buffer`` (a tensor it keeps but does not learn).

Both are Tensor subclasses that share the given tensor's array (no copy), as
torch's do, so ``Parameter(t)`` sees later in-place changes to ``t``.
"""
from collections import OrderedDict

from .._tensor import Tensor, _wrap

__all__ = ["Parameter", "Buffer"]

_FIELDS = tuple(s for s in Tensor.__slots__ if s != "__weakref__")


def _make_subclass(cls, data, requires_grad):
    """An instance of ``cls`` sharing ``data``'s array and version counter, as a graph leaf."""
    if data is None:
        from .._api.creation import empty
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
