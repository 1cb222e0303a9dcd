"""``Parameter`` (a tensor a Module learns) and ``Buffer`` (a tensor it keeps but does not learn).

Both are Tensor subclasses that share the given tensor's array (no copy), as
torch's do, so ``Parameter(t)`` sees later in-place changes to ``t``.
``UninitializedParameter`` and ``UninitializedBuffer`` are the shapeless placeholders of lazy
modules (``LazyLinear``) until their first input fixes the shapes.
"""
from collections import OrderedDict

from .._ops.creation import empty
from .._tensor import Tensor, _wrap

__all__ = ["Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer", "is_lazy"]

_FIELDS = tuple(s for s in Tensor.__slots__ if s != "__weakref__")


def _make_subclass(cls, data, requires_grad):
    """An instance of ``cls`` sharing ``data``'s array and version counter, as a graph leaf."""
    if data is None:
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
    """A tensor that a module learns: assigning one to a ``Module`` attribute registers it.

    Registered parameters appear in ``parameters()`` (what optimisers update) and in the state
    dict.  The parameter shares ``data``'s memory and is a leaf of the autograd graph.

    Args:
        data (Tensor, optional): the initial value. Default: ``None``, an empty tensor.
        requires_grad (bool): track gradients. Default: ``True``.

    Example:
        >>> m = ember.nn.Module()
        >>> m.scale = ember.nn.Parameter(ember.ones(2))
        >>> [name for name, _ in m.named_parameters()]
        ['scale']
        >>> m.scale
        Parameter containing:
        tensor([1., 1.], requires_grad=True)
    """

    def __new__(cls, data=None, requires_grad=True):
        return _make_subclass(cls, data, requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol):
        return _rebuild_parameter, (self.data, self.requires_grad, OrderedDict())

    def __deepcopy__(self, memo):
        """A parameter holding a copy of the values (and of ``.grad``), as torch's."""
        plain = Tensor.__deepcopy__(self, {})
        new = type(self)(plain, self._requires_grad)
        new.grad = plain.grad
        memo[id(self)] = new
        return new


def _rebuild_parameter(data, requires_grad, backward_hooks):
    """Unpickling entry point (the counterpart of torch's ``_utils._rebuild_parameter``)."""
    return Parameter(data, requires_grad)


class Buffer(Tensor):
    """A tensor a module keeps but does not learn: assigning one to a ``Module`` attribute registers
    it.

    The same as ``module.register_buffer(name, tensor, persistent)``: buffers move with ``to()``
    and, when persistent, are saved in the state dict, but are not in ``parameters()``.

    Args:
        data (Tensor, optional): the value. Default: ``None``, an empty tensor.
        persistent (bool, keyword-only): include it in the state dict. Default: ``True``.

    Example:
        >>> m = ember.nn.Module()
        >>> m.count = ember.nn.Buffer(ember.zeros(1))
        >>> list(m.state_dict()), list(m.parameters())
        (['count'], [])
    """

    def __new__(cls, data=None, *, persistent=True):
        buf = _make_subclass(cls, data, getattr(data, "requires_grad", False))
        buf.persistent = persistent
        return buf


class UninitializedTensorMixin:
    """What the uninitialised placeholders share: no shape until ``materialize(shape)``.

    ``materialize`` gives the tensor uninitialised memory of ``shape`` (and optionally another
    ``device``/``dtype``) and turns it, in place, into ``cls_to_become``, so every reference to
    it (a module's registry, an optimizer) sees the real tensor.  Reading the shape before that
    raises a ``RuntimeError``.
    """

    __slots__ = ()
    cls_to_become = None

    def materialize(self, shape, device=None, dtype=None):
        """Give the placeholder uninitialised storage of ``shape`` and turn it into
        ``cls_to_become`` in place.
        """
        self.data = empty(shape, device=self.device if device is None else device,
                          dtype=self.dtype if dtype is None else dtype)
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        """Raise ``RuntimeError``: a placeholder has no shape until ``materialize`` is called."""
        raise RuntimeError("Can't access the shape of an uninitialized parameter or buffer. This "
                           "error usually happens in `load_state_dict` when trying to load an "
                           "uninitialized parameter into an initialized one. Call `forward` to "
                           "initialize the parameters before accessing their attributes.")

    def share_memory_(self):
        """Raise ``RuntimeError``: a placeholder has no storage to share until materialised."""
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
    return _make_subclass(cls, empty(0, device=device, dtype=dtype), requires_grad)


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape is not known yet; ``materialize(shape)`` makes it a ``Parameter``.

    The lazy layers (``LazyLinear``, ``LazyConv2d``, ...) hold these until their first call.

    Args:
        requires_grad (bool): track gradients once materialised. Default: ``True``.
        device (ember.device, optional): where it will live.
        dtype (ember.dtype, optional): its dtype.

    Example:
        >>> p = ember.nn.UninitializedParameter()
        >>> p
        <UninitializedParameter>
        >>> p.materialize((2, 3))
        >>> type(p).__name__, p.shape
        ('Parameter', ember.Size([2, 3]))
    """

    cls_to_become = Parameter

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        return _empty_placeholder(cls, requires_grad, device, dtype)


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer whose shape is not known yet; ``materialize(shape)`` makes it a plain tensor.

    The lazy normalisation layers hold their running statistics as these until the first call.

    Args:
        requires_grad (bool): track gradients once materialised. Default: ``False``.
        device (ember.device, optional): where it will live.
        dtype (ember.dtype, optional): its dtype.

    Example:
        >>> b = ember.nn.UninitializedBuffer()
        >>> b.materialize((4,))
        >>> b.shape
        ember.Size([4])
    """

    __slots__ = ()
    cls_to_become = Tensor

    def __new__(cls, requires_grad=False, device=None, dtype=None):
        return _empty_placeholder(cls, requires_grad, device, dtype)
