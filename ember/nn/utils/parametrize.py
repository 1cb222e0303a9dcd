"""Parametrizations: make a module's tensor the output of a small module applied to hidden
originals, recomputed on every access.

``register_parametrization(m, "weight", P())`` moves ``m.weight`` into
``m.parametrizations.weight.original`` (so its state_dict key becomes
``parametrizations.weight.original``) and turns ``weight`` into a property returning
``P()(original)``.  If ``P`` has a ``right_inverse``, the original is stored as
``right_inverse(weight)`` and assigning ``m.weight = X`` stores ``right_inverse(X)``; a
``right_inverse`` returning several tensors stores them as ``original0``, ``original1``, ...
The module's class is swapped for a subclass ``Parametrized<Name>`` holding the properties,
and switched back once the last parametrization is removed.

Example:
    >>> from ember.nn.utils.parametrize import register_parametrization
    >>> class Symmetric(ember.nn.Module):
    ...     def forward(self, X):
    ...         return X.triu() + X.triu(1).mT
    >>> m = register_parametrization(ember.nn.Linear(3, 3), "weight", Symmetric())
    >>> bool((m.weight == m.weight.T).all())
    True
    >>> list(m.state_dict())
    ['bias', 'parametrizations.weight.original']
"""
import collections.abc
import copy
import copyreg
from contextlib import contextmanager

from ..._tensor import Tensor
from ...autograd import grad_mode
from ..modules.container import ModuleDict, ModuleList
from ..parameter import Parameter

__all__ = ["cached", "ParametrizationList", "register_parametrization", "is_parametrized",
           "remove_parametrizations", "type_before_parametrizations",
           "transfer_parametrizations_and_params"]

_cache_enabled = 0
_cache = {}


@contextmanager
def cached():
    """Within this context each parametrized tensor is computed once, on first access.

    Useful when a parametrized weight is used several times in one forward (an RNN
    step loop); the cache is emptied when the outermost context exits.

    Example:
        >>> from ember.nn.utils.parametrize import cached, register_parametrization
        >>> m = register_parametrization(ember.nn.Linear(3, 3), "weight", ember.nn.Tanh())
        >>> with cached():      # tanh(weight) is computed once for both calls
        ...     y = m(ember.zeros(1, 3)) + m(ember.ones(1, 3))
        >>> y.shape
        ember.Size([1, 3])
    """
    global _cache_enabled
    _cache_enabled += 1
    try:
        yield
    finally:
        _cache_enabled -= 1
        if not _cache_enabled:
            _cache.clear()


def _register_parameter_or_buffer(module, name, X):
    if isinstance(X, Parameter):
        module.register_parameter(name, X)
    else:
        module.register_buffer(name, X)


def _maybe_set(dest, src):
    """Make ``dest`` hold ``src``'s values and shape, keeping ``dest``'s identity (torch's set_)."""
    dest._data = src._data
    dest._vc[0] += 1


def _check_tensor_like(value, i, what):
    if not isinstance(value, Tensor):
        raise ValueError(f"'right_inverse' must return a {what}. Got element {i} of the "
                         f"sequence with type {type(value).__name__}.")


class ParametrizationList(ModuleList):
    """The chain of parametrizations of one tensor, holding its originals.

    ``forward()`` (no inputs) applies the first parametrization to the originals
    (``original`` or ``original0, original1, ...``) and each later one to the
    previous result.  ``right_inverse(value)`` runs the chain's inverses backwards
    and stores the result in the originals.  Made by ``register_parametrization``;
    it lives at ``module.parametrizations[tensor_name]``.

    Args:
        modules: the parametrizations (at least one).
        original: the tensor being parametrized (its Parameter or buffer object is
            kept as ``original`` when ``right_inverse`` returns one tensor).
        unsafe: skip the dtype/shape consistency checks.

    Shape:
        - Input: none; ``forward()`` reads the originals.
        - Output: the parametrized tensor, of the original's shape unless ``unsafe``.

    Example:
        >>> from ember.nn.utils.parametrize import register_parametrization
        >>> m = register_parametrization(ember.nn.Linear(2, 2), "weight", ember.nn.Identity())
        >>> type(m.parametrizations.weight).__name__
        'ParametrizationList'
    """

    def __init__(self, modules, original, unsafe=False):
        if len(modules) == 0:
            raise ValueError("ParametrizationList requires one or more modules.")
        super().__init__(modules)
        self.unsafe = unsafe
        shape, dtype = original.shape, original.dtype
        with grad_mode.no_grad():
            new = original
            for module in reversed(self):
                if hasattr(module, "right_inverse"):
                    try:
                        new = module.right_inverse(new)
                    except NotImplementedError:
                        pass
        if not isinstance(new, (Tensor, collections.abc.Sequence)):
            raise ValueError("'right_inverse' must return a Tensor or a Sequence of tensors "
                             f"(list, tuple...). Got {type(new).__name__}")
        self.is_tensor = isinstance(new, Tensor)
        self.ntensors = 1 if self.is_tensor else len(new)
        if self.is_tensor:
            if original.dtype != new.dtype:
                raise ValueError("When `right_inverse` outputs one tensor, it may not change the "
                                 f"dtype.\noriginal.dtype: {original.dtype}\n"
                                 f"right_inverse(original).dtype: {new.dtype}")
            with grad_mode.no_grad():
                _maybe_set(original, new)
            _register_parameter_or_buffer(self, "original", original)
        else:
            for i, originali in enumerate(new):
                _check_tensor_like(originali, i, "Tensor or a reference-type opaque")
                if isinstance(original, Parameter):
                    originali = Parameter(originali, original.requires_grad)
                originali.requires_grad_(original.requires_grad)
                _register_parameter_or_buffer(self, f"original{i}", originali)
        if not self.unsafe:
            Z = self()
            if not isinstance(Z, Tensor):
                raise ValueError(f"A parametrization must return a tensor. Got {type(Z).__name__}.")
            if Z.dtype != dtype:
                raise ValueError("Registering a parametrization may not change the dtype of the "
                                 "tensor, unless `unsafe` flag is enabled.\n"
                                 f"unparametrized dtype: {dtype}\nparametrized dtype: {Z.dtype}")
            if Z.shape != shape:
                raise ValueError("Registering a parametrization may not change the shape of the "
                                 "tensor, unless `unsafe` flag is enabled.\n"
                                 f"unparametrized shape: {shape}\nparametrized shape: {Z.shape}")

    def right_inverse(self, value):
        """Store ``value`` by running every parametrization's ``right_inverse``, last first."""
        with grad_mode.no_grad():
            for module in reversed(self):
                if not hasattr(module, "right_inverse"):
                    raise RuntimeError(f"parametrization {type(module).__name__} does not "
                                       "implement right_inverse.")
                value = module.right_inverse(value)
            if self.is_tensor:
                if not isinstance(value, Tensor):
                    raise ValueError("`right_inverse` should return a tensor. Got "
                                     f"{type(value).__name__}")
                if value.dtype != self.original.dtype:
                    raise ValueError(f"The tensor returned by `right_inverse` has dtype "
                                     f"{value.dtype} while `original` has dtype "
                                     f"{self.original.dtype}")
                _maybe_set(self.original, value)
                return
            if not isinstance(value, collections.abc.Sequence):
                raise ValueError("'right_inverse' must return a sequence of tensors. Got "
                                 f"{type(value).__name__}.")
            if len(value) != self.ntensors:
                raise ValueError("'right_inverse' must return a sequence of tensors of length "
                                 f"{self.ntensors}. Got a sequence of length {len(value)}.")
            for i, tensor in enumerate(value):
                original_i = getattr(self, f"original{i}")
                _check_tensor_like(tensor, i, "sequence of tensors or reference-type opaques")
                if tensor.dtype != original_i.dtype:
                    raise ValueError(f"Tensor {i} returned by `right_inverse` has dtype "
                                     f"{tensor.dtype} while `original{i}` has dtype "
                                     f"{original_i.dtype}")
                _maybe_set(original_i, tensor)

    def forward(self):
        if self.is_tensor:
            x = self[0](self.original)
        else:
            x = self[0](*(getattr(self, f"original{i}") for i in range(self.ntensors)))
        for module in list(self)[1:]:
            x = module(x)
        return x


def _getstate(self):
    raise RuntimeError("Serialization of parametrized modules is only supported through "
                       "state_dict(). See:\nhttps://pytorch.org/tutorials/beginner/"
                       "saving_loading_models.html#saving-loading-a-general-checkpoint-for-"
                       "inference-and-or-resuming-training")


def _deepcopy(self, memo):
    """A plain deepcopy of the instance (parametrized classes refuse ``__getstate__``)."""
    if id(self) in memo:
        return memo[id(self)]
    replica = self.__new__(type(self))
    memo[id(self)] = replica
    replica.__dict__ = copy.deepcopy(self.__dict__, memo)
    for slot in copyreg._slotnames(type(self)):
        if hasattr(self, slot):
            setattr(replica, slot, copy.deepcopy(getattr(self, slot), memo))
    return replica


def _inject_new_class(module):
    cls = type(module)
    attrs = {"__getstate__": _getstate}
    if not hasattr(cls, "__deepcopy__"):
        attrs["__deepcopy__"] = _deepcopy
    module.__class__ = type(f"Parametrized{cls.__name__}", (cls,), attrs)


def _inject_property(module, tensor_name):
    if hasattr(module, tensor_name):
        raise AssertionError(f"Module already has an attribute named '{tensor_name}'")

    def get_parametrized(self):
        parametrization = self.parametrizations[tensor_name]
        if not _cache_enabled:
            return parametrization()
        key = (id(self), tensor_name)
        tensor = _cache.get(key)
        if tensor is None:
            tensor = _cache[key] = parametrization()
        return tensor

    def set_original(self, value):
        self.parametrizations[tensor_name].right_inverse(value)

    setattr(type(module), tensor_name, property(get_parametrized, set_original))


def _check_appended(module, tensor_name, parametrization):
    """An extra parametrization must map tensors like module.<name> to such tensors."""
    Y = getattr(module, tensor_name)
    X = parametrization(Y)
    if not isinstance(X, Tensor):
        raise ValueError(f"A parametrization must return a tensor. Got {type(X).__name__}.")
    for what, a, b in (("dtype", X.dtype, Y.dtype), ("shape", X.shape, Y.shape)):
        if a != b:
            raise ValueError(f"Registering a parametrization may not change the {what} of the "
                             "tensor, unless the `unsafe` flag is enabled.\n"
                             f"module.{tensor_name}.{what}: {b}\n"
                             f"parametrization(module.{tensor_name}).{what}: {a}")
    if hasattr(parametrization, "right_inverse"):
        try:
            Z = parametrization.right_inverse(X)
        except NotImplementedError:
            return
        if not isinstance(Z, Tensor):
            raise ValueError("parametrization.right_inverse must return a tensor. Got: "
                             f"{type(Z).__name__}")
        for what, a, b in (("dtype", Z.dtype, Y.dtype), ("shape", Z.shape, Y.shape)):
            if a != b:
                raise ValueError(f"The tensor returned by parametrization.right_inverse must "
                                 f"have the same {what} as module.{tensor_name}, unless the "
                                 f"`unsafe` flag is enabled.\nmodule.{tensor_name}.{what}: {b}\n"
                                 f"returned {what}: {a}")


def register_parametrization(module, tensor_name, parametrization, *, unsafe=False):
    """Replace ``module.<tensor_name>`` by ``parametrization(original)``, computed on access.

    Registering a second parametrization on the same name chains it after the first.

    Args:
        module (nn.Module): the module owning the tensor.
        tensor_name (str): a parameter or buffer name (or an already parametrized one).
        parametrization (nn.Module): maps the originals to a tensor of the same shape and
            dtype; an optional ``right_inverse(X)`` maps a tensor back to the originals.
        unsafe (bool): skip the shape/dtype consistency checks.

    Returns the module (its class now ``Parametrized<Name>``).

    Example:
        >>> from ember.nn.utils.parametrize import register_parametrization
        >>> m = register_parametrization(ember.nn.Linear(4, 4), "weight", ember.nn.Tanh())
        >>> m.weight.shape, list(m.state_dict())
        (ember.Size([4, 4]), ['bias', 'parametrizations.weight.original'])
    """
    parametrization.train(module.training)
    if is_parametrized(module, tensor_name):
        if not unsafe:
            _check_appended(module, tensor_name, parametrization)
        plist = module.parametrizations[tensor_name]
        plist.append(parametrization)
        plist.unsafe |= unsafe
    elif tensor_name in module._buffers or tensor_name in module._parameters:
        original = getattr(module, tensor_name)
        plist = ParametrizationList([parametrization], original, unsafe=unsafe)
        delattr(module, tensor_name)
        if not is_parametrized(module):
            _inject_new_class(module)
            module.parametrizations = ModuleDict()
        _inject_property(module, tensor_name)
        module.parametrizations[tensor_name] = plist
    else:
        raise ValueError(f"Module '{module}' does not have a parameter, a buffer, or a "
                         f"parametrized element with name '{tensor_name}'")
    return module


def is_parametrized(module, tensor_name=None):
    """Whether ``module`` has a parametrization (on ``tensor_name``, or on any tensor).

    Example:
        >>> from ember.nn.utils.parametrize import is_parametrized
        >>> is_parametrized(ember.nn.Linear(2, 2))
        False
    """
    parametrizations = getattr(module, "parametrizations", None)
    if not isinstance(parametrizations, ModuleDict):
        return False
    if tensor_name is None:
        return len(parametrizations) > 0
    return tensor_name in parametrizations


def remove_parametrizations(module, tensor_name, leave_parametrized=True):
    """Undo the parametrizations on ``tensor_name``, making it a plain parameter/buffer again.

    Args:
        module (nn.Module): the parametrized module.
        tensor_name (str): the parametrized tensor.
        leave_parametrized (bool): keep the current parametrized value (True) or the
            stored original (False; only possible with a single original tensor).

    The original Parameter object is kept when there is one original, so optimizers
    holding it stay valid.  Returns the module.

    Example:
        >>> from ember.nn.utils.parametrize import register_parametrization, remove_parametrizations
        >>> m = register_parametrization(ember.nn.Linear(2, 2), "weight", ember.nn.Tanh())
        >>> type(remove_parametrizations(m, "weight")).__name__
        'Linear'
    """
    if not is_parametrized(module, tensor_name):
        raise ValueError(f"Module {module} does not have a parametrization on {tensor_name}")
    plist = module.parametrizations[tensor_name]
    if plist.is_tensor:
        original = plist.original
        if leave_parametrized:
            with grad_mode.no_grad():
                t = getattr(module, tensor_name)
                _maybe_set(original, t)
    elif leave_parametrized:
        t = getattr(module, tensor_name)
        original = Parameter(t.detach(), t.requires_grad) if t.requires_grad else t
    else:
        raise ValueError("Cannot leave unparametrized (`leave_parametrized=False`) a tensor "
                         "that is parametrized in terms of a sequence of tensors.")
    delattr(type(module), tensor_name)
    del module.parametrizations[tensor_name]
    _register_parameter_or_buffer(module, tensor_name, original)
    if not is_parametrized(module):
        delattr(module, "parametrizations")
        module.__class__ = type(module).__bases__[0]
    return module


def type_before_parametrizations(module):
    """The module's class before parametrizations swapped it (its own class otherwise).

    Example:
        >>> from ember.nn.utils.parametrize import (register_parametrization,
        ...                                         type_before_parametrizations)
        >>> m = register_parametrization(ember.nn.Linear(2, 2), "weight", ember.nn.Tanh())
        >>> type_before_parametrizations(m).__name__
        'Linear'
    """
    if is_parametrized(module):
        return type(module).__bases__[0]
    return type(module)


def transfer_parametrizations_and_params(from_module, to_module, tensor_name=None):
    """Copy the parametrizations (and their originals' values) of ``from_module`` to ``to_module``.

    Args:
        from_module, to_module (nn.Module): source and target, with matching tensor names.
        tensor_name (str, optional): transfer only this tensor (default: every
            parametrized one).

    Returns ``to_module``.

    Example:
        >>> from ember.nn.utils.parametrize import (register_parametrization,
        ...                                         transfer_parametrizations_and_params)
        >>> a = register_parametrization(ember.nn.Linear(2, 2), "weight", ember.nn.Tanh())
        >>> b = transfer_parametrizations_and_params(a, ember.nn.Linear(2, 2))
        >>> bool((a.weight == b.weight).all())
        True
    """
    if not is_parametrized(from_module):
        return to_module
    names = from_module.parametrizations if tensor_name is None else [tensor_name]
    for name in names:
        if not hasattr(to_module, name):
            setattr(to_module, name, Parameter(getattr(from_module, name)))
        for p in from_module.parametrizations[name]:
            register_parametrization(to_module, name, p)
        source = from_module.parametrizations[name]
        target = to_module.parametrizations[name]
        originals = ["original"] if source.is_tensor else \
            [f"original{i}" for i in range(source.ntensors)]
        for original in originals:
            setattr(target, original, getattr(source, original))
    return to_module
