"""The Optimizer base: PyTorch's param_groups, state and state_dict layout, and its hooks.

Concrete optimizers are thin classes over a plain update function that works
on the raw arrays of one parameter (``p._data``, ``grad._data``) in place:
the update is a measured hot path, so it avoids Tensor dispatch and
temporaries. ``step`` applies maximize and weight decay (``_prepare_grad``,
by default ``effective_grad``) before it hands each parameter to the
optimizer's ``_update``. State entries are ember Tensors so that
``state_dict()`` has torch's structure (``step`` is a 0-d float32 tensor,
buffers match the param).

Every class's own ``step`` is wrapped once (``__init_subclass__``) so that the
global and per-optimizer step hooks run around it, whichever optimizer (or
user subclass) defines it, in torch's order: global pre, own pre, step, own
post, global post. A subclass step that calls ``super().step()`` runs them once.
"""
import functools
from collections import OrderedDict, defaultdict
from copy import deepcopy
from itertools import chain

from .._backend import get_array_module
from .._tensor import Tensor, _wrap
from ..autograd import grad_mode
from ._functional import effective_grad
from ..nn.modules.module import _add_hook

__all__ = ["Optimizer", "required", "register_optimizer_step_pre_hook",
           "register_optimizer_step_post_hook"]

_global_optimizer_pre_hooks = OrderedDict()
_global_optimizer_post_hooks = OrderedDict()


def register_optimizer_step_pre_hook(hook):
    """Run ``hook(optimizer, args, kwargs)`` before every optimizer's ``step``.

    ``args`` holds the optimizer itself first, then step's positional arguments.
    The hook may return ``(new_args, new_kwargs)`` to change what ``step`` gets.
    Returns a handle whose ``remove()`` unregisters it.

    Example::

        >>> h = ember.optim.optimizer.register_optimizer_step_pre_hook(
        ...     lambda opt, args, kwargs: print("stepping", type(opt).__name__))
        >>> h.remove()
    """
    return _add_hook(_global_optimizer_pre_hooks, hook)


def register_optimizer_step_post_hook(hook):
    """Run ``hook(optimizer, args, kwargs)`` after every optimizer's ``step``.

    Example::

        >>> steps = []
        >>> h = ember.optim.optimizer.register_optimizer_step_post_hook(
        ...     lambda opt, args, kwargs: steps.append(1))
        >>> h.remove()
    """
    return _add_hook(_global_optimizer_post_hooks, hook)


def _with_step_hooks(step):
    """``step`` wrapped to run the global and per-optimizer pre and post hooks around it."""
    @functools.wraps(step)
    def hooked_step(*args, **kwargs):
        self = args[0]
        if self.__dict__.get("_in_step"):  # a subclass's step calling super().step()
            return step(*args, **kwargs)
        for hook in chain(_global_optimizer_pre_hooks.values(),
                          self._optimizer_step_pre_hooks.values()):
            result = hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(f"{step} must return None or a tuple of (new_args, "
                                       f"new_kwargs), but got {result}.")
                args, kwargs = result
        self._in_step = True
        try:
            out = step(*args, **kwargs)
        finally:
            self._in_step = False
        self._opt_called = True  # lr schedulers warn when stepped before any optimizer step
        for hook in chain(self._optimizer_step_post_hooks.values(),
                          _global_optimizer_post_hooks.values()):
            hook(self, args, kwargs)
        return out
    hooked_step.hooked = True
    return hooked_step


_HOOK_DICTS = ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks",
               "_optimizer_state_dict_pre_hooks", "_optimizer_state_dict_post_hooks",
               "_optimizer_load_state_dict_pre_hooks", "_optimizer_load_state_dict_post_hooks")


class _Required:
    def __repr__(self):
        return "<required parameter>"


required = _Required()


class Optimizer:
    """Base class: holds ``param_groups`` (dicts with 'params' and hyper-parameters) and ``state``.

    ``params`` is an iterable of Tensors, of ``(name, Tensor)`` pairs (as
    ``named_parameters()`` gives; the names are kept as ``param_names``), or
    of dicts each holding ``'params'`` and per-group hyper-parameters;
    ``defaults`` fills the hyper-parameters a group leaves out.

    Args:
        params (iterable): tensors, ``(name, tensor)`` pairs, or dicts of parameter groups.
        defaults (dict): the hyper-parameters a group does not set.

    Example::

        >>> w = ember.zeros(3, requires_grad=True)
        >>> opt = ember.optim.SGD([w], lr=0.1)
        >>> w.grad = ember.ones(3); opt.step(); w
        tensor([-0.1000, -0.1000, -0.1000], requires_grad=True)
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "hooked", False):
            cls.step = _with_step_hooks(step)

    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        for name in _HOOK_DICTS:
            setattr(self, name, OrderedDict())
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {params.type()}")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for g in groups:
            self.add_param_group(g)
        _check_flags(defaults)

    def add_param_group(self, param_group):
        """Add a group of parameters with its own hyper-parameters (defaults fill the rest)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. Please "
                            "use a list instead.")
        params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        if names and len(names) != len(params):
            raise ValueError("all optimizer params should be with/without names. Some param "
                             "names are missing")
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is "
                                f"{type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        group = dict(param_group, params=params)
        if names:
            group["param_names"] = names
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            group.setdefault(name, default)
        seen = set(map(id, chain.from_iterable(g["params"] for g in self.param_groups)))
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        if len(set(map(id, params))) != len(params):
            import warnings
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in "
                          "future, this will cause an error", stacklevel=3)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=True):
        """Reset every parameter's gradient (to None by default, as torch does)."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:  # zeroed in place, cut from any graph, as torch
                        grad = p.grad
                        if grad.grad_fn is not None:
                            grad.detach_()
                        else:
                            grad.requires_grad_(False)
                        grad._data[...] = 0

    @_with_step_hooks
    def step(self, closure=None):
        """One update of every parameter that has a gradient; ``closure`` re-evaluates the loss."""
        loss = None
        if closure is not None:
            with grad_mode.enable_grad():
                loss = closure()
        with grad_mode.no_grad():
            for group in self.param_groups:
                if isinstance(group["lr"], Tensor):  # the updates take a plain number
                    group = dict(group, lr=group["lr"].item())
                for p in group["params"]:
                    if p.grad is not None:
                        param, state = p._data, self.state[p]
                        if param.dtype.kind == "c":  # update real and imaginary parts apart
                            state = _RealState(state, param)
                            param = real_view(param)
                        grad = self._prepare_grad(param, real_view(p.grad._data), group)
                        self._update(param, grad, state, group)
        return loss

    _prepare_grad = staticmethod(effective_grad)

    def _update(self, param, grad, state, group):  # pragma: no cover - each optimizer defines it
        """Update the array ``param`` in place; ``grad`` has maximize and weight decay applied."""
        raise NotImplementedError

    # -- hooks --------------------------------------------------------------
    def register_step_pre_hook(self, hook):
        """Run ``hook(optimizer, args, kwargs)`` before this optimizer's ``step``.

        It may return ``(new_args, new_kwargs)`` to replace step's arguments
        (``args[0]`` is the optimizer). Returns a handle with ``remove()``.

        Example::

            >>> opt = ember.optim.SGD([ember.zeros(2, requires_grad=True)], lr=0.1)
            >>> h = opt.register_step_pre_hook(lambda o, args, kwargs: print("step", len(args)))
            >>> opt.step()
            step 1
            >>> h.remove()
        """
        return _add_hook(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook):
        """Run ``hook(optimizer, args, kwargs)`` after this optimizer's ``step``.

        Example::

            >>> opt = ember.optim.SGD([ember.zeros(2, requires_grad=True)], lr=0.1)
            >>> h = opt.register_step_post_hook(lambda o, args, kwargs: print("done"))
            >>> opt.step()
            done
        """
        return _add_hook(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook, prepend=False):
        """Run ``hook(optimizer)`` at the start of ``state_dict()`` (first if ``prepend``).

        Example::

            >>> opt = ember.optim.SGD([ember.zeros(2, requires_grad=True)], lr=0.1)
            >>> h = opt.register_state_dict_pre_hook(lambda o: print("saving"))
            >>> sd = opt.state_dict()
            saving
        """
        return _add_hook(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        """Run ``hook(optimizer, state_dict)`` on the result of ``state_dict()``.

        A hook that returns a dict replaces the state dict for the hooks after
        it and for the caller.

        Example::

            >>> opt = ember.optim.SGD([ember.zeros(2, requires_grad=True)], lr=0.1)
            >>> h = opt.register_state_dict_post_hook(lambda o, sd: {**sd, "note": 1})
            >>> sorted(opt.state_dict())
            ['note', 'param_groups', 'state']
        """
        return _add_hook(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        """Run ``hook(optimizer, state_dict)`` before ``load_state_dict`` loads anything.

        ``state_dict`` is a shallow copy of the caller's; a returned dict is
        loaded instead.

        Example::

            >>> opt = ember.optim.SGD([ember.zeros(2, requires_grad=True)], lr=0.1)
            >>> sd = opt.state_dict()
            >>> sd["param_groups"][0]["lr"] = 0.5
            >>> h = opt.register_load_state_dict_pre_hook(
            ...     lambda o, sd: {**sd, "param_groups": [dict(sd["param_groups"][0], lr=0.2)]})
            >>> opt.load_state_dict(sd); opt.param_groups[0]["lr"]
            0.2
        """
        return _add_hook(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        """Run ``hook(optimizer)`` after ``load_state_dict`` has loaded.

        Example::

            >>> opt = ember.optim.SGD([ember.zeros(2, requires_grad=True)], lr=0.1)
            >>> h = opt.register_load_state_dict_post_hook(lambda o: print("loaded"))
            >>> opt.load_state_dict(opt.state_dict())
            loaded
        """
        return _add_hook(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # -- state dicts ------------------------------------------------------
    def state_dict(self):
        """``{'state': {index: {...}}, 'param_groups': [{..., 'params': [indices]}]}`` like torch."""
        for hook in self._optimizer_state_dict_pre_hooks.values():
            hook(self)
        index = {}
        groups = []
        for g in self.param_groups:
            ids = []
            for p in g["params"]:
                index.setdefault(id(p), len(index))
                ids.append(index[id(p)])
            groups.append({**{k: v for k, v in g.items() if k != "params"}, "params": ids})
        state = {index[id(p)]: s for p, s in self.state.items() if id(p) in index and s}
        state_dict = {"state": state, "param_groups": groups}
        for hook in self._optimizer_state_dict_post_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def load_state_dict(self, state_dict):
        """Load a state dict from ``state_dict()`` (ember's or torch's)."""
        state_dict = state_dict.copy()
        for hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        state_dict = deepcopy(state_dict)
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for i, (g, sg) in enumerate(zip(self.param_groups, saved_groups)):
            if len(g["params"]) != len(sg["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't match "
                                 f"the size of optimizer's group (group {i}: "
                                 f"{len(sg['params'])} saved vs {len(g['params'])} here)")
        id_map = {}
        for g, sg in zip(self.param_groups, saved_groups):
            id_map.update(zip(sg["params"], g["params"]))
        self.state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                p = id_map[k]
                self.state[p] = {name: _cast_state(name, val, p) for name, val in v.items()}
        for g, sg in zip(self.param_groups, saved_groups):
            g.update({k: v for k, v in sg.items() if k != "params"})
        for hook in self._optimizer_load_state_dict_post_hooks.values():
            hook(self)

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        for name in _HOOK_DICTS:
            self.__dict__.setdefault(name, OrderedDict())

    def __repr__(self):
        lines = [self.__class__.__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(group):
                if key != "params":
                    lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)


def real_view(arr):
    """A complex array seen as real numbers (each value's real and imaginary parts side by
    side along the last axis, as torch's ``view_as_real`` flattened); other arrays as is.

    Writes through the view change the complex array."""
    if arr.dtype.kind != "c":
        return arr
    return (arr.reshape(1) if arr.ndim == 0 else arr).view(arr.real.dtype)


class _RealState:
    """A complex parameter's state as its update sees it: complex entries as real views.

    Entries stored with the real view's shape become complex again (shaped
    like the parameter), so the state keeps torch's layout; scalars such as
    ``step`` pass through.
    """

    def __init__(self, state, param):
        self._state, self._param = state, param
        self._real_shape = real_view(param).shape

    def __contains__(self, name):
        return name in self._state

    def __getitem__(self, name):
        value = self._state[name]
        if isinstance(value, Tensor) and value._data.dtype.kind == "c":
            return _wrap(real_view(value._data))
        return value

    def get(self, name, default=None):
        return self[name] if name in self._state else default

    def __setitem__(self, name, value):
        if isinstance(value, Tensor) and value._data.shape == self._real_shape:
            value = _wrap(value._data.view(self._param.dtype).reshape(self._param.shape))
        self._state[name] = value


def _check_flags(defaults):
    """torch's errors for contradictory implementation flags, and an honest one for
    ``differentiable=True``, which ember cannot honour.

    ``foreach``, ``fused`` and ``capturable`` only choose how torch runs the
    same arithmetic (batched kernels, one fused kernel, CUDA-graph capture);
    ember's single NumPy implementation gives the same numbers for each, so
    they are accepted. ``differentiable=True`` asks for a step that autograd
    can differentiate through; ember updates the raw arrays in place outside
    autograd, so it refuses rather than silently dropping the gradient.
    """
    if defaults.get("fused") and defaults.get("foreach"):
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
    if defaults.get("differentiable"):
        if defaults.get("fused"):
            raise RuntimeError("`fused` does not support `differentiable`")
        raise NotImplementedError("differentiable=True is not supported: ember's optimizers "
                                  "update the parameters in place outside autograd")


def _cast_state(name, value, param):
    """State tensors follow the parameter's dtype and device; ``step`` keeps its own dtype.

    Lists and tuples of tensors (LBFGS's history) are cast item by item."""
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(None, v, param) for v in value)
    if not isinstance(value, Tensor) or name == "step":
        return value
    if value.is_floating_point():
        return value.to(dtype=param.dtype, device=param.device)
    return value.to(device=param.device)


def check_nonnegative(*named):
    """torch's ValueError for the first hyper-parameter below zero (or NaN).

    ``named`` holds (label, value) pairs: ("learning rate", -1) -> "Invalid learning rate: -1".
    """
    for label, value in named:
        if not 0.0 <= value:
            raise ValueError(f"Invalid {label}: {value}")


def state_tensor(arr):
    """An optimizer state entry around ``arr`` (no copy)."""
    return _wrap(arr)


def step_tensor(state):
    """Increment the 0-d float32 ``step`` entry and return it as a Python number."""
    import numpy as np
    step = state.get("step")
    if step is None:
        step = state["step"] = _wrap(np.zeros((), np.float32))
    step._data += 1
    return float(step._data)


def zero_buffers(state, param, *names):
    """Create the state entries ``names`` as zeros like ``param`` (at a parameter's first step)."""
    for name in names:
        state[name] = state_tensor(get_array_module(param).zeros_like(param))
