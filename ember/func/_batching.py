"""Batched tensors: how ``vmap`` runs a function once over a whole batch.

Inside ``vmap`` the function sees *logical* tensors, shaped like one example.  Such a tensor's
``_data`` is a ``BatchedArray``: a ``MetaArray`` of the logical shape (so the API layer's
shape logic, dim checks and error messages work unchanged) that also holds ``phys``, the real
Tensor with the batch dim in front, and the vmap ``level`` it belongs to.  Reading a logical
tensor's values raises torch's vmap errors instead of giving one example's numbers.

While any vmap is active, ``Op.__call__`` is replaced by ``batched_call``: an op given a logical
input is sent to its family's batching rule (``_rules.py``), which calls the op (or a copy with
its dims shifted by one) on the physical tensors, so the whole batch is one call and autograd
records the physical graph.  An op with no rule runs once per example (``per_example``) and
the results are stacked.  A physical tensor may itself be logical for an outer vmap: rules call
ops on it through the same hook, so nested vmaps unwrap one level at a time.
"""
import copy

import numpy as np

from .._backend.meta import MetaArray
from .._tensor import Tensor, _wrap
from .._dtype import FROM_NP
from .._ops.base import Op
from .._ops.shape.funcs import stack

DATA_DEPENDENT = ("vmap: It looks like you're attempting to use a Tensor in some data-dependent "
                  "control flow. We don't support that yet, please file an issue at "
                  "https://github.com/pytorch/pytorch/issues .")
ITEM = ("vmap: It looks like you're calling .item() on a Tensor. We don't support vmap over "
        "calling .item() on a Tensor, please try to rewrite what you're doing with other "
        "operations. If error is occurring somewhere inside PyTorch internals, please file a bug "
        "report.")

INPLACE_BATCHED = ("vmap: inplace arithmetic(self, *extra_args) is not possible because there "
                   "exists a Tensor `other` in extra_args that has more elements than `self`. "
                   "This happened due to `other` being vmapped over but `self` not being vmapped "
                   "over in a vmap. Please try to use out-of-place operators instead of inplace "
                   "arithmetic.")

VIEW_WRITE = ("vmap: an in-place change to a view (or a tensor that shares memory with another) "
              "whose gradient is needed is not supported inside ember's vmap; use an "
              "out-of-place op instead")


class BatchedArray(MetaArray):
    """The ``_data`` of a logical tensor: shape and dtype of one example, plus ``phys`` (the
    Tensor holding every example, batch dim first) and the vmap ``level``.

    Raw NumPy use of it by the API layer (fast no-grad paths, masks, ``argmax`` along an axis,
    basic indexing, reshapes) is done on the whole batch and gives BatchedArrays again; a
    physical array that is logical for an outer vmap is handled the same way one level down.
    Anything else gives shape-only MetaArrays, and reading values raises torch's vmap error.
    """

    __slots__ = ("phys", "level")

    def __init__(self, phys, level):
        MetaArray.__init__(self, tuple(phys.shape)[1:], phys._data.dtype)
        self.phys, self.level = phys, level

    @property
    def device(self):
        """The device holding the physical values."""
        return self.phys.device

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError(DATA_DEPENDENT)

    def __bool__(self):
        raise RuntimeError(DATA_DEPENDENT)

    __float__ = __int__ = __index__ = __bool__

    def item(self, *args):
        raise RuntimeError(ITEM)

    def tolist(self):
        raise RuntimeError(DATA_DEPENDENT)

    def _batch(self, data):
        """A BatchedArray of this level around physical ``data`` (or a tuple of them)."""
        if isinstance(data, tuple):
            return tuple(self._batch(d) for d in data)
        return BatchedArray(_wrap(data), self.level)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        top = max(x.level for x in inputs if type(x) is BatchedArray)
        if method != "__call__" or "out" in kwargs or self.level != top:
            return MetaArray.__array_ufunc__(self, ufunc, method, *inputs, **kwargs)
        nd = max(np.ndim(x) for x in inputs)
        physical = [pad_raw(x, nd) if type(x) is BatchedArray and x.level == top else x
                    for x in inputs]
        return self._batch(getattr(ufunc, method)(*physical, **kwargs))

    def __array_function__(self, func, types, args, kwargs):
        # NumPy along one axis of this batch alone (argmax, sort, flip, take_along_axis...):
        # the axis moves right; arrays of the same level and rank join with their physical
        # values
        given, args, kwargs = (args, kwargs), list(args), dict(kwargs)
        at = _POSITIONAL_AXIS.get(func)
        if at is not None and len(args) > at:
            kwargs["axis"] = args.pop(at)
        axis = kwargs.get("axis")
        if args and args[0] is self and isinstance(axis, int):
            args[1:] = [v.phys._data if type(v) is BatchedArray and v.level == self.level
                        and v.ndim == self.ndim else v for v in args[1:]]
            if not any(isinstance(v, MetaArray) for v in args[1:] + list(kwargs.values())):
                kwargs["axis"] = axis + 1 if axis >= 0 else axis
                return self._batch(func(self.phys._data, *args[1:], **kwargs))
        return MetaArray.__array_function__(self, func, types, *given)

    def __getitem__(self, key):
        key = key if isinstance(key, tuple) else (key,)
        if any(isinstance(k, MetaArray) for k in key):
            return MetaArray.__getitem__(self, key)
        return self._batch(self.phys._data[(slice(None),) + key])

    def __setitem__(self, key, value):
        # an in-place write (``write_into``): into every example's memory, so views see it;
        # a whole-tensor write also makes the written values this tensor's physical tensor, so
        # that autograd follows the op that produced them
        key = key if isinstance(key, tuple) else (key,)
        if type(value) is BatchedArray and value.level == self.level:
            tracked = value.phys.requires_grad or self.phys.requires_grad
            if tracked and getattr(self.phys._data, "base", None) is not None:
                raise NotImplementedError(VIEW_WRITE)
            if key == (Ellipsis,) and value.shape == self.shape:
                self.phys._data[...] = value.phys._data
                self.phys = value.phys
                return
            value = pad_raw(value, self.ndim)
        elif type(value) is BatchedArray and value.level > self.level:
            raise RuntimeError(INPLACE_BATCHED)
        self.phys._data[(slice(None),) + key] = value

    def reshape(self, *shape):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        data = self.phys._data
        return self._batch(data.reshape(data.shape[:1] + tuple(shape)))

    def astype(self, dtype, copy=True, **kwargs):
        # through ops on the physical tensor, so a copy keeps its autograd history
        return BatchedArray(self.phys.to(FROM_NP[np.dtype(dtype)], copy=True), self.level)

    def copy(self, order="C"):
        return BatchedArray(self.phys.clone(), self.level)


#: NumPy functions whose axis may come positionally, and where
_POSITIONAL_AXIS = {np.take_along_axis: 2, np.flip: 1, np.argsort: 1, np.sort: 1,
                    np.argmax: 1, np.argmin: 1, np.cumsum: 1}


def pad_raw(x, nd):
    """``x``'s physical array shaped ``(B, 1, ..., *logical)`` with ``nd`` logical dims."""
    data = x.phys._data
    return data.reshape(data.shape[:1] + (1,) * (nd - x.ndim) + tuple(data.shape[1:]))


_UFUNCS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "truediv": np.true_divide,
           "floordiv": np.floor_divide, "mod": np.remainder, "pow": np.power,
           "and": np.bitwise_and, "or": np.bitwise_or, "xor": np.bitwise_xor, "lt": np.less,
           "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal, "eq": np.equal,
           "ne": np.not_equal}
for _name, _ufunc in _UFUNCS.items():
    setattr(BatchedArray, f"__{_name}__", lambda self, other, _u=_ufunc: _u(self, other))
    setattr(BatchedArray, f"__r{_name}__", lambda self, other, _u=_ufunc: _u(other, self))
BatchedArray.__neg__ = lambda self: np.negative(self)


# -- levels ---------------------------------------------------------------------------------
class Level:
    """One active vmap: its number, batch size and randomness mode."""

    __slots__ = ("number", "size", "randomness")

    def __init__(self, number, size, randomness):
        self.number, self.size, self.randomness = number, size, randomness


_levels = []   # active vmaps, outermost first
_plain = []    # the Op.__call__ that batched_call stands in front of


def enter(size, randomness):
    """Start a vmap level of batch ``size``; the hook goes in front of ``Op.__call__`` unless
    it is there already (an observer swapped in meanwhile keeps working: it calls the hook)."""
    if Op.__call__ is not batched_call:
        _plain[:] = [Op.__call__]
        Op.__call__ = batched_call
    level = Level(len(_levels) + 1, size, randomness)
    _levels.append(level)
    return level


def leave():
    """End the innermost vmap level; after the last one ``Op.__call__`` is put back, unless
    someone else has replaced it since (then the idle hook just passes calls through)."""
    _levels.pop()
    if not _levels and Op.__call__ is batched_call:
        Op.__call__ = _plain[0]


def active_levels():
    """The active vmap levels, outermost first."""
    return tuple(_levels)


def level_of(x):
    """The vmap level number of a logical tensor (or BatchedArray), else None."""
    data = x._data if isinstance(x, Tensor) else x
    return data.level if type(data) is BatchedArray else None


def wrap(phys, level):
    """The logical tensor at ``level`` whose examples are the rows of ``phys``."""
    t = _wrap(BatchedArray(phys, level))
    t._requires_grad, t.grad_fn = phys._requires_grad, phys.grad_fn
    return t


def unwrap(x, level):
    """``(physical tensor, True)`` for a logical tensor of ``level``; ``(x, False)`` otherwise."""
    if isinstance(x, Tensor) and level_of(x) == level:
        return x._data.phys, True
    return x, False


def size_of(level):
    return _levels[level - 1].size


def materialize(x, level):
    """``x`` as a physical tensor of ``level``: batched ones unwrapped, others expanded."""
    phys, batched = unwrap(x, level)
    if batched:
        return phys
    return x.unsqueeze(0).expand((size_of(level),) + tuple(x.shape))


def wrap_outputs(out, level):
    if type(out) is tuple:
        return tuple(wrap(o, level) for o in out)
    return wrap(out, level)


# -- dispatch -------------------------------------------------------------------------------
def _top_level(op, inputs):
    levels = [level_of(x) for x in inputs if isinstance(x, Tensor)]
    levels += [v.level for v in vars(op).values() if type(v) is BatchedArray]
    levels = [n for n in levels if n is not None]
    return max(levels) if levels else None


def batched_call(op, *inputs):
    """``Op.__call__`` while a vmap is active: logical inputs go to their op's batching rule."""
    level = _top_level(op, inputs)
    if level is None:
        return _plain[0](op, *inputs)
    from ._rules import rule_for  # deferred: the rules are written with this module's helpers
    return rule_for(type(op))(op, inputs, level)


def per_example(op, inputs, level):
    """The fallback: run a fresh copy of ``op`` on each example, then stack the results."""
    batch = size_of(level)
    attrs = {k: v for k, v in vars(op).items() if type(v) is BatchedArray and v.level == level}
    results = []
    for b in range(batch):
        one = copy.copy(op)
        for k, v in attrs.items():
            setattr(one, k, v.phys._data[b])
        args = [unwrap(x, level)[0][b] if level_of(x) == level else x for x in inputs]
        results.append(one(*args))
    if type(results[0]) is tuple:
        return tuple(wrap(stack([r[i] for r in results]), level) for i in range(len(results[0])))
    return wrap(stack(results), level)
