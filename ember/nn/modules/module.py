"""``Module``: the base class of every layer and model.

A Module routes attribute assignment: a ``Parameter`` goes to ``_parameters``,
a Module to ``_modules``, a tensor named by ``register_buffer`` (or wrapped in
``Buffer``) to ``_buffers``; everything else is a plain attribute.  From that
registry come ``parameters()``, ``state_dict()`` (with torch's keys, so
checkpoints move between ember and PyTorch), ``to()``, ``train()``, hooks and
the printed tree.

Naming the failing layer
------------------------
When a layer rejects its input, the error names where the layer sits in the
model, e.g. ``fc1 (Linear(in_features=9216, out_features=128, bias=True)):
mat1 and mat2 shapes cannot be multiplied (64x9200 and 9216x128)``.  Layer
authors raise such errors with::

    raise layer_error(self, f"expected 4D input (got {x.dim()}D input)", ValueError)

``layer_error`` marks the exception with the layer; every ``Module.__call__``
it passes through on its way out rewrites the message with the layer's
attribute path relative to itself, so the outermost call leaves the path from
the root model.  RuntimeError, ValueError and IndexError raised inside the
forward of a built-in leaf layer (an ``ember.nn`` class without submodules)
are marked the same way.  Nothing runs on the success path: the work happens
only while an exception propagates.
"""
import itertools
import warnings
import weakref
from collections import OrderedDict, namedtuple

from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd.function import Function
from ..parameter import Parameter, Buffer
from ..._ops.creation import zeros_like
from ..._ops.conversion import _parse_to
from ... import _dtype
from ..._ops.creation import empty_like

__all__ = ["Module", "RemovableHandle", "ShapeError", "layer_error",
           "register_module_forward_pre_hook", "register_module_forward_hook"]


# -- errors that name the layer -----------------------------------------------
class ShapeError(RuntimeError):
    """A layer got an input of the wrong shape or dtype."""


def layer_error(module, msg, exc_type=ShapeError):
    """Build ``exc_type(msg)`` marked as raised by ``module``; use as ``raise layer_error(...)``.

    ``Module.__call__`` then prefixes the message with the layer's path in the model.
    """
    exc = exc_type(msg)
    exc._ember_layer, exc._ember_msg = module, msg
    return exc


_BLAMED = (RuntimeError, ValueError, IndexError)


def _name_layer(caller, exc):
    """Rewrite ``exc``'s message with the failing layer's path relative to ``caller``."""
    try:
        layer = exc._ember_layer
    except AttributeError:
        layer = caller if _is_builtin_leaf(caller) and isinstance(exc, _BLAMED) \
            and not isinstance(exc, NotImplementedError) else None
        msg = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else None
        try:
            exc._ember_layer, exc._ember_msg = layer, msg
        except AttributeError:  # an exception type without __dict__
            return
    if layer is None or exc._ember_msg is None:
        return
    path = caller._path_to(layer)
    if path is None:
        return
    desc = repr(layer)
    if "\n" in desc:
        desc = layer._get_name()
    exc.args = (f"{path} ({desc}): {exc._ember_msg}" if path else f"{desc}: {exc._ember_msg}",)


def _is_builtin_leaf(module):
    cls = type(module)
    return cls.__module__.startswith("ember.nn.") and cls is not Module and not module._modules


# -- hooks ----------------------------------------------------------------------
class RemovableHandle:
    """What the ``register_*_hook`` methods return: ``remove()`` unregisters the hook."""

    next_id = 0

    def __init__(self, hooks_dict, *, extra_dict=None):
        self.hooks_dict = hooks_dict
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        self.extra_dicts = () if extra_dict is None else \
            tuple(extra_dict) if isinstance(extra_dict, list) else (extra_dict,)

    def remove(self):
        for d in (self.hooks_dict,) + self.extra_dicts:
            d.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _add_hook(hooks, hook, prepend=False, flags=()):
    """Store ``hook`` in ``hooks`` (marking its id in each dict of ``flags``); return the handle."""
    handle = RemovableHandle(hooks, extra_dict=list(flags))
    hooks[handle.id] = hook
    for f in flags:
        f[handle.id] = True
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


class _WrappedHook:
    """A load-state-dict pre-hook stored as torch stores one (so whole-model pickles carry it).

    Modules call it with themselves first; ``hook`` gets that argument only when the hook
    was wrapped ``with_module`` (``module`` given), as torch's private hooks expect.
    """

    def __init__(self, hook, module=None):
        self.hook = hook
        self.with_module = module is not None
        if self.with_module:
            self.module = weakref.ref(module)

    def __call__(self, module, *args):
        return self.hook(module, *args) if self.with_module else self.hook(*args)

    def __getstate__(self):
        state = {"hook": self.hook, "with_module": self.with_module}
        if self.with_module:
            state["module"] = self.module()
        return state

    def __setstate__(self, state):
        self.hook, self.with_module = state["hook"], state["with_module"]
        if self.with_module:
            self.module = weakref.ref(state["module"])


_global_forward_pre_hooks = OrderedDict()
_global_forward_hooks = OrderedDict()
_global_forward_hooks_with_kwargs = OrderedDict()
_global_forward_hooks_always_called = OrderedDict()


def register_module_forward_pre_hook(hook):
    """A forward pre-hook ``hook(module, args)`` run before every module's own ones."""
    return _add_hook(_global_forward_pre_hooks, hook)


def register_module_forward_hook(hook, *, with_kwargs=False, always_call=False):
    """A forward hook ``hook(module, args, output)`` run before every module's own ones."""
    flags = [d for d, on in ((_global_forward_hooks_with_kwargs, with_kwargs),
                             (_global_forward_hooks_always_called, always_call)) if on]
    return _add_hook(_global_forward_hooks, hook, flags=flags)


class _GradTap(Function):
    """Identity whose backward hands the gradients to ``on_grads`` (which may replace them)."""

    @staticmethod
    def forward(ctx, *tensors, on_grads):
        ctx.on_grads = on_grads
        return tensors

    @staticmethod
    def backward(ctx, *grads):
        return tuple(ctx.on_grads(grads))


class _BackwardHooks:
    """One call's full backward (pre-)hooks: taps on the inputs and outputs of forward.

    As in torch, a hook sees one gradient per positional input (per output):
    None for non-tensors, zeros for tensors that do not require grad.
    """

    def __init__(self, module):
        self.module = module
        self.grad_outputs = None
        self.input_index = None

    @staticmethod
    def _tap(values, on_grads):
        """Route the grad-requiring tensors of ``values`` through a tap; return (values, index)."""
        index = [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]
        if not index or not grad_mode.is_grad_enabled():
            return values, None
        tapped = _GradTap.apply(*(values[i] for i in index), on_grads=on_grads)
        values = list(values)
        for i, t in zip(index, tapped):
            values[i] = t
        return tuple(values), index

    @staticmethod
    def _spread(values, index, grads):
        """Gradients for every position of ``values``, given those of the tapped ones."""
        full = [zeros_like(v) if isinstance(v, Tensor) else None for v in values]
        for i, g in zip(index, grads):
            full[i] = g
        return tuple(full)

    def wrap_inputs(self, args):
        self.inputs = args
        args, self.input_index = self._tap(args, self._on_input_grads)
        return args

    def wrap_outputs(self, result):
        single = isinstance(result, Tensor)
        outs = (result,) if single else result
        if not isinstance(outs, tuple):
            warnings.warn("For backward hooks to be called, module output should be a Tensor or "
                          f"a tuple of Tensors but received {type(result)}", stacklevel=3)
            return result
        self.outputs = outs
        outs, self.output_index = self._tap(outs, self._on_output_grads)
        return outs[0] if single else outs

    def _apply_hooks(self, hooks, current, extra, what, name):
        """Call ``hook(module, current, *extra)`` in turn; a non-None result replaces ``current``.
        """
        for hook in hooks:
            res = hook(self.module, current, *extra)
            if res is not None:
                if len(res) != len(current):
                    raise RuntimeError(f"Backward {what} returned an invalid number of {name}, "
                                       f"got {len(res)}, but expected {len(current)}")
                current = tuple(res)
        return current

    def _on_output_grads(self, grads):
        full = self._spread(self.outputs, self.output_index, grads)
        full = self._apply_hooks(self.module._backward_pre_hooks.values(), full, (), "pre hook",
                                 "grad_output")
        self.grad_outputs = full
        if self.input_index is None:
            self._run_full_hooks((None,) * len(self.inputs))
        return [full[i] for i in self.output_index]

    def _run_full_hooks(self, grad_input):
        return self._apply_hooks(self.module._backward_hooks.values(), grad_input,
                                 (self.grad_outputs,), "hook", "grad_input")

    def _on_input_grads(self, grads):
        full = self._run_full_hooks(self._spread(self.inputs, self.input_index, grads))
        return [full[i] for i in self.input_index]


# -- state_dict loading result -------------------------------------------------
class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _addindent(text, n):
    """Indent every line but the first (blank lines stay empty)."""
    first, *rest = text.split("\n")
    return "\n".join([first] + [" " * n + line if line.strip() else "" for line in rest])


def _typename(obj):
    if isinstance(obj, Tensor):
        return obj.type()
    cls = type(obj)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def _forward_unimplemented(self, *input):
    """Define the module's computation; every subclass overrides this (the base raises
    ``NotImplementedError``).

    Call the module instance rather than this method, so that registered hooks run.
    """
    raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" '
                              "function")


_EXTRA_STATE_KEY_SUFFIX = "_extra_state"


def _fresh_state():
    """The per-instance registries every Module starts with."""
    names = ("_parameters", "_buffers", "_modules", "_backward_pre_hooks", "_backward_hooks",
             "_forward_hooks", "_forward_hooks_with_kwargs", "_forward_hooks_always_called",
             "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs", "_state_dict_hooks",
             "_state_dict_pre_hooks", "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks")
    state = {n: OrderedDict() for n in names}
    state.update(training=True, _non_persistent_buffers_set=set(), _is_full_backward_hook=None)
    return state


class Module:
    """Base class of every layer and model: subclass it, create the parts in ``__init__``, define
    ``forward``.

    Assigning a ``Parameter``, a ``Module`` or (through ``register_buffer``) a tensor as an
    attribute registers it, so ``parameters()``, ``state_dict()``, ``to()``, ``train()``/``eval()``
    and the printed form reach it recursively. Call the module (``m(x)``), not ``m.forward(x)``: the
    call runs the forward pre-hooks, ``forward`` and the forward and backward hooks. State-dict
    keys, hook signatures and reprs are torch's, so checkpoints load either way.

    Attributes:
        training (bool): whether the module is in training mode (dropout and batch norm behave
          differently). Default: ``True``.

    Example:
        >>> class TwoLayer(ember.nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.fc1 = ember.nn.Linear(4, 8)
        ...         self.fc2 = ember.nn.Linear(8, 2)
        ...     def forward(self, x):
        ...         return self.fc2(self.fc1(x).relu())
        >>> net = TwoLayer()
        >>> net(ember.zeros(3, 4)).shape
        ember.Size([3, 2])
        >>> [name for name, _ in net.named_parameters()]
        ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
    """

    _version = 1
    dump_patches = False
    call_super_init = False

    def __init__(self, *args, **kwargs):
        if self.call_super_init is False and kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got an unexpected keyword argument "
                            f"'{next(iter(kwargs))}'")
        if self.call_super_init is False and args:
            raise TypeError(f"{type(self).__name__}.__init__() takes 1 positional argument but "
                            f"{len(args) + 1} were given")
        self.__dict__.update(_fresh_state())
        if self.call_super_init:
            super().__init__(*args, **kwargs)

    forward = _forward_unimplemented

    # -- registration ---------------------------------------------------------------
    def _check_name(self, name, kind, registry):
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {_typename(name)}")
        if "." in name:
            raise KeyError(f"{kind} name can't contain \".\"" +
                           (f", got: {name}" if kind == "module" else ""))
        if name == "":
            raise KeyError(f"{kind} name can't be empty string \"\"")
        if hasattr(self, name) and name not in registry:
            raise KeyError(f"attribute '{name}' already exists")

    def register_buffer(self, name, tensor, persistent=True):
        """Add a tensor that is state but not a parameter (e.g. running statistics)."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_name(name, "buffer", self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                            "(ember Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name, param):
        """Add a parameter (a ``Parameter`` or None) under ``name``."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_name(name, "parameter", self._parameters)
        if param is not None:
            if not isinstance(param, Parameter):
                raise TypeError(f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                                "(ember.nn.Parameter or None required)")
            if param.grad_fn is not None:
                raise ValueError(f"Cannot assign non-leaf Tensor to parameter '{name}'. Model "
                                 f"parameters must be created explicitly. To express '{name}' as a "
                                 "function of another Tensor, compute the value in the forward() "
                                 "method.")
        self._parameters[name] = param

    def add_module(self, name, module):
        """Add a child module under ``name`` (attribute access ``self.<name>``)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        self._check_name(name, "module", self._modules)
        self._modules[name] = module

    register_module = add_module

    def _path_to(self, target):
        """The dotted name of submodule ``target`` ('' for self), or None if it is not one."""
        for name, m in self.named_modules(remove_duplicate=False):
            if m is target:
                return name
        return None

    def get_submodule(self, target):
        """Return the submodule at the dotted path ``target`` (``''`` is the module itself).

        Raises ``AttributeError`` when a step of the path is missing or is not a ``Module``.

        Example:
            >>> net = ember.nn.Sequential(ember.nn.Sequential(ember.nn.Linear(2, 2)))
            >>> net.get_submodule("0.0")
            Linear(in_features=2, out_features=2, bias=True)
        """
        if target == "":
            return self
        mod = self
        for item in target.split("."):
            if not hasattr(mod, item):
                raise AttributeError(mod._get_name() + " has no attribute `" + item + "`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError("`" + item + "` is not an nn.Module")
        return mod

    def set_submodule(self, target, module, strict=False):
        """Replace (or, unless ``strict``, add) the submodule at the dotted path ``target`` with
        ``module``.
        """
        if target == "":
            raise ValueError("Cannot set the submodule without a target name!")
        if not isinstance(module, Module):
            raise ValueError(f"`module` is not an nn.Module, found {type(module)}")
        parent_path, _, name = target.rpartition(".")
        parent = self.get_submodule(parent_path)
        if strict and not hasattr(parent, name):
            raise AttributeError(parent._get_name() + " has no attribute `" + name + "`")
        if hasattr(parent, name) and not isinstance(getattr(parent, name), Module):
            raise AttributeError("`" + name + "` is not an nn.Module")
        setattr(parent, name, module)

    def _get_member(self, target, registry, what):
        path, _, name = target.rpartition(".")
        mod = self.get_submodule(path)
        if not hasattr(mod, name):
            raise AttributeError(mod._get_name() + " has no attribute `" + name + "`")
        if name not in getattr(mod, registry):
            raise AttributeError("`" + name + "` is not " + what)
        return getattr(mod, name)

    def get_parameter(self, target):
        """Return the parameter at the dotted path ``target``, e.g. ``'0.weight'``."""
        return self._get_member(target, "_parameters", "an nn.Parameter")

    def get_buffer(self, target):
        """Return the buffer at the dotted path ``target``, e.g. ``'bn.running_mean'``."""
        return self._get_member(target, "_buffers", "a buffer")

    def get_extra_state(self):
        """Override (with ``set_extra_state``) to keep non-tensor state in the state_dict."""
        raise RuntimeError("Module.get_extra_state() was called but the module does not define "
                           "it; override both get_extra_state and set_extra_state.")

    def set_extra_state(self, state):
        """Restore the value ``get_extra_state`` returned; override both to keep non-tensor state.
        """
        raise RuntimeError("Module.set_extra_state() was called but the module does not define "
                           "it; override both get_extra_state and set_extra_state.")

    def _has_extra_state(self):
        return type(self).set_extra_state is not Module.set_extra_state

    # -- attribute routing ------------------------------------------------------------
    def __getattr__(self, name):
        d = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            found = d.get(registry)
            if found is not None and name in found:
                return found[name]
        if name == "gpu":
            raise AttributeError(f"'{type(self).__name__}' object has no attribute 'gpu'. "
                                 "Did you mean .cuda() or .to(device)?")
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name, value):
        d = self.__dict__
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, keep="_parameters")
            self.register_parameter(name, value)
            return
        if params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as parameter '{name}' "
                                "(ember.nn.Parameter or None expected)")
            self.register_parameter(name, value)
            return
        modules = d.get("_modules")
        if isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, keep="_modules")
            modules[name] = value
            return
        if modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as child module '{name}' "
                                "(ember.nn.Module or None expected)")
            modules[name] = value
            return
        buffers = d.get("_buffers")
        if isinstance(value, Buffer) or (buffers is not None and name in buffers):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{_typename(value)}' as buffer '{name}' "
                                "(ember.Tensor or None expected)")
            persistent = value.persistent if isinstance(value, Buffer) else \
                name not in self._non_persistent_buffers_set
            self.register_buffer(name, value, persistent)
            return
        object.__setattr__(self, name, value)

    def _forget(self, name, keep):
        """Drop ``name`` from the plain attributes and the other registries than ``keep``."""
        d = self.__dict__
        d.pop(name, None)
        for registry in ("_parameters", "_buffers", "_modules"):
            if registry != keep:
                d[registry].pop(name, None)
        self._non_persistent_buffers_set.discard(name)

    def __delattr__(self, name):
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self):
        keys = itertools.chain(dir(type(self)), self.__dict__, self._parameters, self._modules,
                               self._buffers)
        return sorted({k for k in keys if not k[0].isdigit()})

    def __setstate__(self, state):
        self.__dict__.update(state)
        for name, default in _fresh_state().items():
            self.__dict__.setdefault(name, default)

    # -- iteration ---------------------------------------------------------------------
    def _named_members(self, get_members, prefix="", recurse=True, remove_duplicate=True):
        memo = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) \
            if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for k, v in get_members(module):
                if v is None or v in memo:
                    continue
                if remove_duplicate:
                    memo.add(v)
                yield (module_prefix + "." + k if module_prefix else k), v

    def parameters(self, recurse=True):
        """Iterate over the parameters of this module (and, with ``recurse``, of all submodules).

        Each parameter is yielded once even if shared.  This is what optimisers take.

        Example:
            >>> sum(p.numel() for p in ember.nn.Linear(4, 2).parameters())
            10
        """
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """Iterate over ``(dotted name, parameter)`` pairs, names prefixed with ``prefix``.

        With ``remove_duplicate=False`` a parameter shared by several submodules is yielded under
        each name.
        """
        return self._named_members(lambda m: m._parameters.items(), prefix, recurse,
                                   remove_duplicate)

    def buffers(self, recurse=True):
        """Iterate over the buffers (running statistics and other non-trained tensors), recursively
        by default.
        """
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """Iterate over ``(dotted name, buffer)`` pairs, names prefixed with ``prefix``."""
        return self._named_members(lambda m: m._buffers.items(), prefix, recurse,
                                   remove_duplicate)

    def children(self):
        """Iterate over the direct submodules."""
        for _, m in self.named_children():
            yield m

    def named_children(self):
        """Iterate over ``(name, submodule)`` pairs of the direct submodules."""
        memo = set()
        for name, m in self._modules.items():
            if m is not None and m not in memo:
                memo.add(m)
                yield name, m

    def modules(self):
        """Iterate over this module and every submodule, depth first, each once."""
        for _, m in self.named_modules():
            yield m

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """Iterate over ``(dotted name, module)`` for this module (name ``prefix``) and all
        submodules.
        """
        if memo is None:
            memo = set()
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, m in self._modules.items():
            if m is not None:
                yield from m.named_modules(memo, prefix + ("." if prefix else "") + name,
                                           remove_duplicate)

    # -- modes -------------------------------------------------------------------------
    def train(self, mode=True):
        """Set training mode (``mode=True``) or evaluation mode on this module and all submodules;
        return self.
        """
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for m in self.children():
            m.train(mode)
        return self

    def eval(self):
        """Set evaluation mode, the same as ``train(False)``; return self.

        Example:
            >>> m = ember.nn.Dropout().eval()
            >>> m.training, m(ember.ones(3))
            (False, tensor([1., 1., 1.]))
        """
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` on every parameter (to freeze or unfreeze the module); return self.
        """
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """Clear the gradients of every parameter: drop them (``set_to_none=True``) or fill them
        with zeros.
        """
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                if p.grad.grad_fn is not None:
                    p.grad.detach_()
                else:
                    p.grad.requires_grad_(False)
                p.grad.zero_()

    def share_memory(self):
        """A no-op: ember tensors are NumPy arrays, shared between threads already."""
        return self

    # -- conversion --------------------------------------------------------------------
    def _apply(self, fn, recurse=True):
        """Apply ``fn`` to every parameter, gradient and buffer; parameters keep their identity."""
        if recurse:
            for m in self.children():
                m._apply(fn)
        with grad_mode.no_grad():
            for p in self._parameters.values():
                if p is None:
                    continue
                p.data = fn(p)
                if p.grad is not None:
                    p.grad.data = fn(p.grad)
            for name, b in self._buffers.items():
                if b is not None:
                    self._buffers[name] = fn(b)
        return self

    def apply(self, fn):
        """Call ``fn(module)`` on every submodule (children first) and on self."""
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def to(self, *args, **kwargs):
        """Move and/or cast parameters and buffers (only floating/complex ones change dtype)."""
        dtype, device, _ = _parse_to(args, dict(kwargs))
        if dtype is not None and not (dtype.is_floating_point or dtype.is_complex):
            raise TypeError("nn.Module.to only accepts floating point or complex dtypes, but got "
                            f"desired dtype={dtype}")

        def convert(t):
            cast = dtype if t.is_floating_point() or t.is_complex() else None
            return t.to(device=device, dtype=cast)
        return self._apply(convert)

    def cuda(self, device=None):
        """Move every parameter and buffer to a CUDA device (needs CuPy); return self."""
        return self._apply(lambda t: t.cuda(device))

    def cpu(self):
        """Move every parameter and buffer to the CPU; return self."""
        return self._apply(lambda t: t.cpu())

    def type(self, dst_type):
        """Cast every parameter and buffer to ``dst_type``; return self."""
        return self._apply(lambda t: t.type(dst_type))

    def _cast_floats(self, dtype):
        return self._apply(lambda t: t.to(dtype) if t.is_floating_point() else t)

    def float(self):
        """Cast floating-point parameters and buffers to ``float32``; return self."""
        return self._cast_floats(_dtype.float32)

    def double(self):
        """Cast floating-point parameters and buffers to ``float64``; return self.

        Example:
            >>> ember.nn.Linear(2, 2).double().weight.dtype
            ember.float64
        """
        return self._cast_floats(_dtype.float64)

    def half(self):
        """Cast floating-point parameters and buffers to ``float16``; return self."""
        return self._cast_floats(_dtype.float16)

    def bfloat16(self):
        """Cast floating-point parameters and buffers to ``bfloat16``; return self."""
        return self._cast_floats(_dtype.bfloat16)

    def to_empty(self, *, device, recurse=True):
        """Move parameters and buffers to ``device`` without copying values (uninitialised storage).

        Used to materialise a model built on the ``meta`` device; initialise it afterwards.
        """
        return self._apply(lambda t: empty_like(t, device=device), recurse=recurse)

    # -- state_dict --------------------------------------------------------------------
    def _save_to_state_dict(self, destination, prefix, keep_vars):
        for name, p in self._parameters.items():
            if p is not None:
                destination[prefix + name] = p if keep_vars else p.detach()
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = b if keep_vars else b.detach()
        if self._has_extra_state():
            destination[prefix + _EXTRA_STATE_KEY_SUFFIX] = self.get_extra_state()

    def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
        """An OrderedDict of parameters and persistent buffers under torch's dotted keys."""
        if args:  # torch's deprecated positional form: (destination, prefix, keep_vars)
            destination, prefix, keep_vars = args + (destination, prefix, keep_vars)[len(args):]
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        local_metadata = {"version": self._version}
        if hasattr(destination, "_metadata"):
            destination._metadata[prefix[:-1]] = local_metadata
        for hook in self._state_dict_pre_hooks.values():
            hook(self, prefix, keep_vars)
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, m in self._modules.items():
            if m is not None:
                m.state_dict(destination=destination, prefix=prefix + name + ".",
                             keep_vars=keep_vars)
        for hook in self._state_dict_hooks.values():
            if hook(self, destination, prefix, local_metadata) is not None:
                raise RuntimeError("state_dict post-hook must return None")
        return destination

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        """Load this module's own entries (not its children's); override to migrate old keys."""
        for hook in self._load_state_dict_pre_hooks.values():
            hook(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                 error_msgs)
        local = {k: v for k, v in itertools.chain(
            self._parameters.items(),
            ((k, v) for k, v in self._buffers.items()
             if k not in self._non_persistent_buffers_set)) if v is not None}
        assign = local_metadata.get("assign_to_params_buffers", False)
        for name, param in local.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            value = state_dict[key]
            if not isinstance(value, Tensor):
                error_msgs.append(f'While copying the parameter named "{key}", expected '
                                  "ember.Tensor or Tensor-like object from checkpoint but "
                                  f"received {type(value)}")
                continue
            if param.dim() == 0 and value.dim() == 1 and value.shape[0] == 1:
                value = value[0]
            if value.shape != param.shape:
                error_msgs.append(f"size mismatch for {key}: copying a param with shape "
                                  f"{value.shape} from checkpoint, the shape in current model is "
                                  f"{param.shape}.")
                continue
            try:
                with grad_mode.no_grad():
                    if assign:
                        if isinstance(param, Parameter):
                            value = Parameter(value, requires_grad=param.requires_grad) \
                                if not isinstance(value, Parameter) \
                                else value.requires_grad_(param.requires_grad)
                        setattr(self, name, value)
                    else:
                        param.copy_(value)
            except Exception as ex:
                error_msgs.append(f'While copying the parameter named "{key}", whose dimensions '
                                  f"in the model are {param.size()} and whose dimensions in the "
                                  f"checkpoint are {value.size()}, an exception occurred : "
                                  f"{ex.args}.")
        extra_key = prefix + _EXTRA_STATE_KEY_SUFFIX
        if self._has_extra_state():
            if extra_key in state_dict:
                self.set_extra_state(state_dict[extra_key])
            elif strict:
                missing_keys.append(extra_key)
        elif strict and extra_key in state_dict:
            unexpected_keys.append(extra_key)
        if strict:
            for key in state_dict:
                if key.startswith(prefix) and key != extra_key:
                    head, dot, _ = key[len(prefix):].partition(".")
                    if (head not in self._modules) if dot else (head not in local):
                        unexpected_keys.append(key)

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """Copy values from ``state_dict`` into the parameters and buffers, in place.

        Returns ``(missing_keys, unexpected_keys)``; with ``strict`` any mismatch
        raises RuntimeError listing every problem.  Copies happen under no_grad
        into the existing tensors, so optimizers keep valid references.
        """
        from collections.abc import Mapping
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing, unexpected, errors = [], [], []
        metadata = getattr(state_dict, "_metadata", None)
        state_dict = OrderedDict(state_dict)
        if metadata is not None:
            state_dict._metadata = metadata

        def load(module, local_state, prefix=""):
            local_metadata = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
            if assign:
                local_metadata["assign_to_params_buffers"] = assign
            module._load_from_state_dict(local_state, prefix, local_metadata, True, missing,
                                         unexpected, errors)
            for name, child in module._modules.items():
                if child is not None:
                    child_prefix = prefix + name + "."
                    load(child, {k: v for k, v in local_state.items()
                                 if k.startswith(child_prefix)}, child_prefix)
            keys = _IncompatibleKeys(missing, unexpected)
            for hook in module._load_state_dict_post_hooks.values():
                if hook(module, keys) is not None:
                    raise AssertionError("Hooks registered with "
                                         "``register_load_state_dict_post_hook`` are not expected "
                                         "to return new values, if incompatible_keys need to be "
                                         "modified, it should be done inplace.")

        load(self, state_dict)
        if strict:
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in unexpected)))
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in missing)))
        if errors:
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                type(self).__name__, "\n\t".join(errors)))
        return _IncompatibleKeys(missing, unexpected)

    def register_state_dict_pre_hook(self, hook):
        """``hook(module, prefix, keep_vars)`` before this module saves its state."""
        return _add_hook(self._state_dict_pre_hooks, hook)

    def register_state_dict_post_hook(self, hook):
        """``hook(module, state_dict, prefix, local_metadata)`` after; may edit state_dict."""
        return _add_hook(self._state_dict_hooks, hook)

    def register_load_state_dict_pre_hook(self, hook):
        """``hook(module, state_dict, prefix, local_metadata, strict, missing_keys,
        unexpected_keys, error_msgs)`` before this module loads its entries."""
        return _add_hook(self._load_state_dict_pre_hooks, hook)

    def register_load_state_dict_post_hook(self, hook):
        """``hook(module, incompatible_keys)`` after this module and its children loaded."""
        return _add_hook(self._load_state_dict_post_hooks, hook)

    # -- calling -----------------------------------------------------------------------
    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """``hook(module, args)`` (or ``(module, args, kwargs)``) before forward; may replace args.
        """
        flags = [self._forward_pre_hooks_with_kwargs] if with_kwargs else []
        return _add_hook(self._forward_pre_hooks, hook, prepend, flags)

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False, always_call=False):
        """``hook(module, args, output)`` after forward; may replace the output."""
        flags = [d for d, on in ((self._forward_hooks_with_kwargs, with_kwargs),
                                 (self._forward_hooks_always_called, always_call)) if on]
        return _add_hook(self._forward_hooks, hook, prepend, flags)

    def register_full_backward_pre_hook(self, hook, prepend=False):
        """``hook(module, grad_output)`` when the output's gradients are ready; may replace them."""
        return _add_hook(self._backward_pre_hooks, hook, prepend)

    def register_full_backward_hook(self, hook, prepend=False):
        """``hook(module, grad_input, grad_output)`` once the inputs' gradients are computed."""
        if self._is_full_backward_hook is False:
            raise RuntimeError("Cannot use both regular backward hooks and full backward hooks on "
                               "a single Module. Please use only one of them.")
        self._is_full_backward_hook = True
        return _add_hook(self._backward_hooks, hook, prepend)

    def __call__(self, *args, **kwargs):
        try:
            if not (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks
                    or self._backward_pre_hooks or _global_forward_pre_hooks
                    or _global_forward_hooks):
                return self.forward(*args, **kwargs)
            return self._call_with_hooks(args, kwargs)
        except Exception as exc:
            _name_layer(self, exc)
            raise

    _call_impl = __call__

    def _call_with_hooks(self, args, kwargs):
        result = None
        called = set()
        with_kwargs = self._forward_hooks_with_kwargs
        try:
            for hid, hook in itertools.chain(_global_forward_pre_hooks.items(),
                                             self._forward_pre_hooks.items()):
                if hid in self._forward_pre_hooks_with_kwargs:
                    res = hook(self, args, kwargs)
                    if res is not None:
                        if not (isinstance(res, tuple) and len(res) == 2):
                            raise RuntimeError("forward pre-hook must return None or a tuple of "
                                               f"(new_args, new_kwargs), but got {res}.")
                        args, kwargs = res
                else:
                    res = hook(self, args)
                    if res is not None:
                        args = res if isinstance(res, tuple) else (res,)
            taps = None
            if self._backward_hooks or self._backward_pre_hooks:
                taps = _BackwardHooks(self)
                args = taps.wrap_inputs(args)
            result = self.forward(*args, **kwargs)
            for hid, hook in itertools.chain(_global_forward_hooks.items(),
                                             self._forward_hooks.items()):
                called.add(hid)
                if hid in with_kwargs or hid in _global_forward_hooks_with_kwargs:
                    res = hook(self, args, kwargs, result)
                else:
                    res = hook(self, args, result)
                if res is not None:
                    result = res
            return taps.wrap_outputs(result) if taps is not None else result
        except Exception:
            self._run_always_called(called, args, kwargs, result)
            raise

    def _run_always_called(self, called, args, kwargs, result):
        """After forward failed: run the ``always_call`` forward hooks that did not run yet."""
        for hid, hook in itertools.chain(_global_forward_hooks.items(),
                                         self._forward_hooks.items()):
            if hid in called or not (hid in self._forward_hooks_always_called
                                     or hid in _global_forward_hooks_always_called):
                continue
            try:
                if hid in self._forward_hooks_with_kwargs or hid in _global_forward_hooks_with_kwargs:
                    res = hook(self, args, kwargs, result)
                else:
                    res = hook(self, args, result)
                if res is not None:
                    result = res
            except Exception as e:
                warnings.warn("module forward hook with ``always_call=True`` raised an exception "
                              f"that was silenced as another error was raised in forward: {e}",
                              stacklevel=3)

    # -- printing ----------------------------------------------------------------------
    def _get_name(self):
        return type(self).__name__

    def extra_repr(self):
        """Override to show the layer's settings inside the parentheses of its repr."""
        return ""

    def __repr__(self):
        extra = self.extra_repr()
        lines = extra.split("\n") if extra else []
        children = [f"({name}): {_addindent(repr(m), 2)}" for name, m in self._modules.items()]
        if len(lines) == 1 and not children:
            return f"{self._get_name()}({lines[0]})"
        body = lines + children
        if not body:
            return self._get_name() + "()"
        return self._get_name() + "(\n  " + "\n  ".join(body) + "\n)"

