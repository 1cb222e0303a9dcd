"""Containers: ``Sequential``, ``ModuleList``, ``ModuleDict``, ``ParameterList``, ``ParameterDict``
(and the deprecated ``Container``).

Their children are registered under torch's names ("0", "1", ... or the dict
keys), so ``state_dict`` keys such as ``features.0.weight`` match PyTorch.
"""
import operator
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from itertools import chain, islice

from ..._tensor import Tensor
from ..parameter import Parameter
from .module import Module, _addindent

__all__ = ["Container", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"]


def _abs_index(idx, size):
    """``idx`` as a non-negative position in a container of ``size`` (IndexError if outside)."""
    idx = operator.index(idx)
    if not -size <= idx < size:
        raise IndexError(f"index {idx} is out of range")
    return idx + size if idx < 0 else idx


def _renumber(module):
    """Rename the children "0".."n-1" in order, after a deletion."""
    module._modules = OrderedDict((str(i), m) for i, m in enumerate(module._modules.values()))


def _no_digits_dir(module):
    return [k for k in Module.__dir__(module) if not k.isdigit()]


def _check_pairs(kind, items):
    """Yield the (key, value) pairs of an iterable of pairs, with torch's errors for bad ones."""
    for j, pair in enumerate(items):
        if not isinstance(pair, Iterable):
            raise TypeError(f"{kind} update sequence element #{j} should be Iterable; is"
                            + type(pair).__name__)
        if len(pair) != 2:
            raise ValueError(f"{kind} update sequence element #{j} has length {len(pair)}; 2 is "
                             "required")
        yield pair[0], pair[1]


class Container(Module):
    """Deprecated (as in torch): a ``Module`` whose keyword arguments become its children.

    Constructing one raises a ``FutureWarning``; subclass ``Module`` instead.

    Args:
        kwargs: name and module of each child.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     c = ember.nn.Container(act=ember.nn.ReLU())
        >>> c
        Container(
          (act): ReLU()
        )
    """

    def __init__(self, **kwargs):
        warnings.warn("`nn.Container` is deprecated. All of its functionality is now implemented "
                      "in `nn.Module`. Subclass that instead.", FutureWarning, stacklevel=2)
        super().__init__()
        for name, module in kwargs.items():
            self.add_module(name, module)


class Sequential(Module):
    """A chain of modules: the output of each is the input of the next.

    Build it from modules (named ``"0"``, ``"1"``, ...) or from one ``OrderedDict`` of named
    modules.  It supports indexing and slicing (a slice is a new ``Sequential`` sharing the
    modules), ``len``, iteration, ``+`` (concatenation), ``*`` (repetition, of the same module
    objects) and the list methods ``append``, ``insert``, ``extend`` and ``pop``.

    Args:
        args: the modules in order, or a single ``OrderedDict`` mapping names to modules.

    Shape:
        - Input: what the first module takes.
        - Output: what the last module returns.

    Example:
        >>> net = ember.nn.Sequential(ember.nn.Linear(4, 8), ember.nn.ReLU(), ember.nn.Linear(8, 2))
        >>> net(ember.zeros(3, 4)).shape
        ember.Size([3, 2])
        >>> net[1], len(net)
        (ReLU(), 3)
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for key, module in args[0].items():
                self.add_module(key, module)
        else:
            for idx, module in enumerate(args):
                self.add_module(str(idx), module)

    def _key_at(self, idx):
        return next(islice(self._modules.keys(), _abs_index(idx, len(self)), None))

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(OrderedDict(list(self._modules.items())[idx]))
        return self._modules[self._key_at(idx)]

    def __setitem__(self, idx, module):
        setattr(self, self._key_at(idx), module)

    def __delitem__(self, idx):
        keys = list(self._modules)[idx] if isinstance(idx, slice) else [self._key_at(idx)]
        for key in keys:
            delattr(self, key)
        _renumber(self)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __dir__(self):
        return _no_digits_dir(self)

    def _require_sequential(self, other):
        if not isinstance(other, Sequential):
            raise ValueError("add operator supports only objects of Sequential class, but "
                             f"{type(other)} is given.")

    def __add__(self, other):
        self._require_sequential(other)
        return Sequential().extend(self).extend(other)

    def __iadd__(self, other):
        self._require_sequential(other)
        return self.extend(other)

    def _check_factor(self, other):
        if not isinstance(other, int):
            raise TypeError(f"unsupported operand type(s) for *: {type(self)} and {type(other)}")
        if other <= 0:
            raise ValueError(f"Non-positive multiplication factor {other} for {type(self)}")

    def __mul__(self, other):
        self._check_factor(other)
        return Sequential().extend(list(self) * other)

    __rmul__ = __mul__

    def __imul__(self, other):
        self._check_factor(other)
        return self.extend(list(self) * (other - 1))

    def pop(self, key):
        """Remove the module at index ``key`` and return it; later modules are renumbered."""
        v = self[key]
        del self[key]
        return v

    def append(self, module):
        """Add ``module`` at the end and return the ``Sequential``."""
        self.add_module(str(len(self)), module)
        return self

    def insert(self, index, module):
        """Insert ``module`` before position ``index`` (negative counts from the end) and return the
        ``Sequential``.
        """
        if not isinstance(module, Module):
            raise AssertionError(f"module should be of type: {Module}")
        n = len(self._modules)
        if not -n <= index <= n:
            raise IndexError(f"Index out of range: {index}")
        if index < 0:
            index += n
        for i in range(n, index, -1):
            self._modules[str(i)] = self._modules[str(i - 1)]
        self._modules[str(index)] = module
        return self

    def extend(self, sequential):
        """Append every module of ``sequential`` (any iterable of modules) and return the
        ``Sequential``.
        """
        for layer in sequential:
            self.append(layer)
        return self

    def forward(self, input):
        for module in self:
            input = module(input)
        return input


class ModuleList(Module):
    """A list of modules registered as children, so their parameters belong to the owner.

    Unlike a Python list, modules in a ``ModuleList`` are seen by ``parameters()``, ``to()``,
    ``state_dict()`` and the like.  It has no ``forward``: iterate over it yourself.  Supports
    indexing, slicing, ``len``, iteration, ``+``, ``+=`` and the list methods.

    Args:
        modules (iterable of Module, optional): the initial modules. Default: ``None``.

    Example:
        >>> layers = ember.nn.ModuleList(ember.nn.Linear(4, 4) for _ in range(3))
        >>> x = ember.zeros(2, 4)
        >>> for layer in layers:
        ...     x = layer(x)
        >>> x.shape, len(list(layers.parameters()))
        (ember.Size([2, 4]), 6)
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self += modules

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(list(self._modules.values())[idx])
        return self._modules[str(_abs_index(idx, len(self)))]

    def __setitem__(self, idx, module):
        setattr(self, str(_abs_index(idx, len(self))), module)

    def __delitem__(self, idx):
        if isinstance(idx, slice):
            for k in range(len(self._modules))[idx]:
                delattr(self, str(k))
        else:
            delattr(self, str(_abs_index(idx, len(self))))
        _renumber(self)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __iadd__(self, modules):
        return self.extend(modules)

    def __add__(self, other):
        combined = ModuleList()
        for i, module in enumerate(chain(self, other)):
            combined.add_module(str(i), module)
        return combined

    def __dir__(self):
        return _no_digits_dir(self)

    def __repr__(self):
        """Like Module's, but runs of identical children print once: ``(0-2): 3 x Linear(...)``."""
        reprs = [repr(m) for m in self]
        if not reprs:
            return self._get_name() + "()"
        runs = []  # [first, last, repr]
        for i, r in enumerate(reprs):
            if runs and runs[-1][2] == r:
                runs[-1][1] = i
            else:
                runs.append([i, i, r])
        lines = [_addindent(f"({a}): {r}" if a == b else f"({a}-{b}): {b - a + 1} x {r}", 2)
                 for a, b, r in runs]
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"

    def insert(self, index, module):
        """Insert ``module`` before position ``index``."""
        for i in range(len(self._modules), index, -1):
            self._modules[str(i)] = self._modules[str(i - 1)]
        self._modules[str(index)] = module

    def append(self, module):
        """Add ``module`` at the end and return the list."""
        self.add_module(str(len(self)), module)
        return self

    def pop(self, key):
        """Remove the module at index ``key`` and return it; later modules are renumbered."""
        v = self[key]
        del self[key]
        return v

    def extend(self, modules):
        """Append every module of the iterable ``modules`` and return the list."""
        if not isinstance(modules, Iterable):
            raise TypeError("ModuleList.extend should be called with an iterable, but got "
                            + type(modules).__name__)
        offset = len(self)
        for i, module in enumerate(modules):
            self.add_module(str(offset + i), module)
        return self


class ModuleDict(Module):
    """An ordered dictionary of modules registered as children under their keys.

    Keeps insertion order (and the order of an ``OrderedDict`` or another ``ModuleDict`` given to
    ``update``).  Supports ``[key]``, ``in``, ``len``, iteration over keys and the dict methods
    ``keys``, ``items``, ``values``, ``update``, ``pop`` and ``clear``.

    Args:
        modules (mapping or iterable of (str, Module) pairs, optional): the initial entries.
          Default: ``None``.

    Example:
        >>> acts = ember.nn.ModuleDict({"relu": ember.nn.ReLU(), "tanh": ember.nn.Tanh()})
        >>> acts["relu"](ember.tensor([-1., 2.]))
        tensor([0., 2.])
        >>> list(acts.keys())
        ['relu', 'tanh']
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def clear(self):
        """Remove every entry."""
        self._modules.clear()

    def pop(self, key):
        """Remove the entry ``key`` and return its module."""
        v = self[key]
        del self[key]
        return v

    def keys(self):
        """The keys, in order."""
        return self._modules.keys()

    def items(self):
        """The ``(key, module)`` pairs, in order."""
        return self._modules.items()

    def values(self):
        """The modules, in order."""
        return self._modules.values()

    def update(self, modules):
        """Add or overwrite entries from a mapping or an iterable of ``(key, module)`` pairs."""
        if not isinstance(modules, Iterable):
            raise TypeError("ModuleDict.update should be called with an iterable of key/value "
                            "pairs, but got " + type(modules).__name__)
        pairs = modules.items() if isinstance(modules, (Mapping, ModuleDict)) else \
            _check_pairs("ModuleDict", modules)
        for key, module in pairs:
            self[key] = module


def _describe(items, by_type):
    """ParameterList/ParameterDict's repr lines; ``by_type`` names tensors as 'ember.FloatTensor'.
    """
    lines = []
    for k, p in items:
        if isinstance(p, Tensor):
            size = "x".join(str(s) for s in p.size())
            device = f" ({p.device})" if p.device.type == "cuda" else ""
            kind = "Parameter" if isinstance(p, Parameter) else "Tensor"
            text = f"{kind} containing: [{p.type() if by_type else p.dtype} of size {size}{device}]"
        else:
            text = "Object of type: " + type(p).__name__
        lines.append(f"  ({k}): {text}")
    return "\n".join(lines)


def _as_parameter(value):
    return Parameter(value) if isinstance(value, Tensor) and not isinstance(value, Parameter) \
        else value


class ParameterList(Module):
    """A list of parameters registered on the owner; plain tensors are wrapped in ``Parameter``.

    Entries are named ``"0"``, ``"1"``, ... in ``named_parameters()`` and the state dict.  Supports
    indexing, ``len``, iteration, ``+=``, ``append`` and ``extend``.  Calling it raises an error, as
    it has no ``forward``.

    Args:
        values (iterable, optional): the initial tensors or parameters. Default: ``None``.

    Example:
        >>> params = ember.nn.ParameterList([ember.zeros(2), ember.ones(3)])
        >>> [tuple(p.shape) for p in params], params[0].requires_grad
        ([(2,), (3,)], True)
    """

    def __init__(self, values=None):
        super().__init__()
        self._size = 0
        if values is not None:
            self += values

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            out = type(self)()
            for i in range(*idx.indices(len(self))):
                out.append(self[i])
            return out
        return getattr(self, str(_abs_index(idx, len(self))))

    def __setitem__(self, idx, param):
        setattr(self, str(_abs_index(idx, len(self))), _as_parameter(param))

    def __len__(self):
        return self._size

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __iadd__(self, parameters):
        return self.extend(parameters)

    def __dir__(self):
        return _no_digits_dir(self)

    def append(self, value):
        """Add ``value`` at the end (a tensor becomes a ``Parameter``) and return the list."""
        self._size += 1
        self[self._size - 1] = value
        return self

    def extend(self, values):
        """Append every value of the iterable ``values`` and return the list."""
        if not isinstance(values, Iterable) or isinstance(values, Tensor):
            raise TypeError("ParameterList.extend should be called with an iterable, but got "
                            + type(values).__name__)
        for value in values:
            self.append(value)
        return self

    def extra_repr(self):
        return _describe(enumerate(self), by_type=False)

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterList should not be called.")


class ParameterDict(Module):
    """An ordered dictionary of parameters registered on the owner; tensors become ``Parameter``.

    Supports the dict interface (``[key]``, ``in``, ``get``, ``setdefault``, ``pop``, ``popitem``,
    ``update``, ``copy``, ``fromkeys``, ``keys``, ``items``, ``values``, ``clear``) and ``|`` /
    ``|=`` merging.  As in torch, ``update`` with a plain ``dict`` adds its entries in sorted key
    order.

    Args:
        parameters (mapping or iterable of (str, tensor) pairs, optional): the initial entries.
          Default: ``None``.

    Example:
        >>> pd = ember.nn.ParameterDict({"scale": ember.ones(2)})
        >>> pd["shift"] = ember.zeros(2)
        >>> list(pd.keys()), type(pd["shift"]).__name__
        (['scale', 'shift'], 'Parameter')
    """

    def __init__(self, parameters=None):
        super().__init__()
        self._keys = {}
        if parameters is not None:
            self.update(parameters)

    @staticmethod
    def _key_to_attr(key):
        if not isinstance(key, str):
            raise TypeError("Index given to ParameterDict cannot be used as a key as it is not a "
                            f"string (type is '{type(key).__name__}'). Open an issue on github if "
                            "you need non-string keys.")
        return key

    def __getitem__(self, key):
        return getattr(self, self._key_to_attr(key))

    def __setitem__(self, key, value):
        self._keys[key] = None
        setattr(self, self._key_to_attr(key), _as_parameter(value))

    def __delitem__(self, key):
        del self._keys[key]
        delattr(self, self._key_to_attr(key))

    def __len__(self):
        return len(self._keys)

    def __iter__(self):
        return iter(self._keys)

    def __reversed__(self):
        return reversed(list(self._keys))

    def __contains__(self, key):
        return key in self._keys

    def copy(self):
        """A new ``ParameterDict`` holding the same parameter objects."""
        return ParameterDict(OrderedDict((k, self[k]) for k in self._keys))

    def setdefault(self, key, default=None):
        """Return the entry ``key``, first setting it to ``default`` if it is missing."""
        if key not in self:
            self[key] = default
        return self[key]

    def clear(self):
        """Remove every entry."""
        for k in list(self._keys):
            del self[k]

    def pop(self, key):
        """Remove the entry ``key`` and return its value."""
        v = self[key]
        del self[key]
        return v

    def popitem(self):
        """Remove the last-inserted entry and return it as ``(key, value)``."""
        k = next(reversed(self._keys))
        return k, self.pop(k)

    def get(self, key, default=None):
        """The entry ``key``, or ``default`` if it is missing."""
        return self[key] if key in self else default

    def fromkeys(self, keys, default=None):
        """A new ``ParameterDict`` with each of ``keys`` set to ``default``."""
        return ParameterDict((k, default) for k in keys)

    def keys(self):
        """The keys, in order."""
        return self._keys.keys()

    def items(self):
        """The ``(key, value)`` pairs, in order."""
        return ((k, self[k]) for k in self._keys)

    def values(self):
        """The values, in order."""
        return (self[k] for k in self._keys)

    def update(self, parameters):
        """Add or overwrite entries from a mapping or an iterable of ``(key, value)`` pairs.

        A plain ``dict`` is added in sorted key order; an ``OrderedDict`` or ``ParameterDict`` in
        its own order.
        """
        if not isinstance(parameters, Iterable):
            raise TypeError("ParametersDict.update should be called with an iterable of key/value "
                            "pairs, but got " + type(parameters).__name__)
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs = parameters.items()
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items())
        else:
            pairs = _check_pairs("ParameterDict", parameters)
        for key, value in pairs:
            self[key] = value

    def __or__(self, other):
        copy = self.copy()
        copy.update(other)
        return copy

    def __ror__(self, other):
        copy = other.copy()
        copy.update(self)
        return copy

    def __ior__(self, other):
        self.update(other)
        return self

    def extra_repr(self):
        return _describe(self.items(), by_type=True)

    def __call__(self, input):
        raise RuntimeError("ParameterDict should not be called.")
