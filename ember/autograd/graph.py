"""The autograd graph: ``Node`` (one op application) and the backward engine.

A node holds what its backward needs (raw arrays) and ``next_edges``: one
``(node, output_nr)`` pair or ``None`` per input.  A leaf that requires grad is
its own edge target (the engine accumulates into ``leaf.grad``), so no
per-leaf accumulator objects are made on the hot path; ``next_functions``
shows torch's ``AccumulateGrad`` view of them.

The engine walks the graph with explicit stacks (no recursion, so a chain of
100,000 ops is fine), counts dependencies first so that each node runs once
with its gradients summed, and frees saved arrays unless ``retain_graph``.
"""
from numpy import ndarray as _ndarray

from .._backend import is_array
from .._backend.arrays import is_writeable
from .._dtype import FROM_NP
from .._tensor import _wrap
from . import anomaly_mode, grad_mode
from .tensor_xp import differentiable_backward

_FREED_MSG = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward.")


class Node:
    """One application of an op in the graph (what ``tensor.grad_fn`` is)."""

    # n_outputs: how many gradients the engine hands to ``backward`` (set on linking)
    __slots__ = ("next_edges", "needs_input_grad", "n_outputs", "__dict__", "__weakref__")
    # rarely set, so class-level defaults keep linking cheap
    _versions = None
    _pre_hooks = None
    _hooks = None
    _freed = False

    def name(self):
        return type(self).__name__ + "Backward0"

    def __repr__(self):
        return f"<{self.name().rsplit('::', 1)[-1]} object at {id(self):#x}>"

    @property
    def next_functions(self):
        return tuple((None, 0) if e is None else
                     (AccumulateGrad(e[0]) if _is_leaf_target(e[0]) else e[0], e[1])
                     for e in self.next_edges)

    def register_hook(self, fn):
        """fn(grad_inputs, grad_outputs) after this node's backward; may return new grad_inputs."""
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return _Handle(self._hooks, fn)

    def register_prehook(self, fn):
        """fn(grad_outputs) before this node's backward; may return new grad_outputs."""
        return self._add_pre_hook(None, fn)

    def _add_pre_hook(self, output_nr, fn):
        """Run ``fn`` before this node's backward: on the gradient (a Tensor) of output
        ``output_nr`` (returning a new gradient or None), or for None on the tuple of all of them."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        entry = (output_nr, fn)
        self._pre_hooks.append(entry)
        return _Handle(self._pre_hooks, entry)

    # -- engine protocol -------------------------------------------------
    def backward(self, *grads):  # pragma: no cover - every op defines it
        raise NotImplementedError

    def release(self):
        """Drop saved arrays after a backward without ``retain_graph``."""
        saved = self.__dict__
        arrays = [k for k, v in saved.items()
                  if type(v) is _ndarray or is_array(v)]
        if arrays:
            for k in arrays:
                del saved[k]
            self._freed = True

    def check_saved(self):
        """Raise torch's errors if saved values were freed or modified in place."""
        if self._freed:
            raise RuntimeError(_FREED_MSG)
        versions = self._versions
        if versions:
            for entry in versions:
                counter, expected = entry[0], entry[1]
                if counter[0] != expected:
                    arr, what = entry[2], entry[3]
                    raise RuntimeError(
                        "one of the variables needed for gradient computation has been modified "
                        f"by an inplace operation: [{_type_name(arr)} {list(arr.shape)}], which is "
                        f"{_describe(what)} of {self.name()}, is at version {counter[0]}; expected version "
                        f"{expected} instead. Hint: the value was saved for backward and then "
                        "changed in place; clone() it before the in-place change.")


def _describe(what):
    """A saved value's role: input i (what = i >= 0), output i (what = -1 - i), or given text."""
    if isinstance(what, str):
        return what
    return f"input {what}" if what >= 0 else f"output {-1 - what}"


def _type_name(arr):
    d = FROM_NP.get(arr.dtype)
    return "ember." + (d._tensor_type if d else str(arr.dtype))


class _Handle:
    """What register_hook returns: ``remove()`` takes the hook out again."""

    __slots__ = ("_list", "_item")

    def __init__(self, lst, item):
        self._list, self._item = lst, item

    def remove(self):
        if self._item in self._list:
            self._list.remove(self._item)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class AccumulateGrad:
    """torch's node for a leaf: shown in ``next_functions``; ``.variable`` is the leaf."""

    __slots__ = ("variable",)
    next_functions = ()

    def __init__(self, variable):
        self.variable = variable

    def name(self):
        return "torch::autograd::AccumulateGrad"

    def __repr__(self):
        return f"<AccumulateGrad object at {id(self):#x}>"

    def __eq__(self, other):
        return type(other) is AccumulateGrad and other.variable is self.variable

    def __hash__(self):
        return id(self.variable)


def _is_leaf_target(obj):
    return not isinstance(obj, Node)


def _topo_dependencies(roots):
    """Count, for every node reachable from ``roots``, the edges that point at it.

    ``deps`` doubles as the visited set: a node is pushed when its first edge is
    counted (roots are pushed up front, so never again).
    """
    deps = {}
    stack = []
    for n in roots:
        if isinstance(n, Node) and n not in stack:
            stack.append(n)
    starts = stack[:]
    while stack:
        for edge in stack.pop().next_edges:
            if edge is None:
                continue
            nxt = edge[0]
            count = deps.get(nxt)
            if count is None:
                deps[nxt] = 1
                if isinstance(nxt, Node) and nxt not in starts:
                    stack.append(nxt)
            else:
                deps[nxt] = count + 1
    return deps


def _all_none(grads):
    for g in grads:
        if g is not None:
            return False
    return True


def _accumulate(buffers, target, index, grad):
    """Add ``grad`` into ``target``'s input buffer at ``index`` (a list, one slot per output)."""
    buf = buffers.get(target)
    if buf is None:
        buf = buffers[target] = [None] * (target.n_outputs if isinstance(target, Node) else 1)
    buf[index] = grad if buf[index] is None else buf[index] + grad


def _as_tensor(g):
    """A gradient as hooks see it: a Tensor (arrays on the first-order path are wrapped)."""
    return g if g is None or not (type(g) is _ndarray or is_array(g)) else _wrap(g)


def _unwrap(g, graph):
    """A hook's result back in the engine's form: arrays, or Tensors under create_graph."""
    return g if g is None or graph else g._data


def _run_pre_hooks(node, grads, graph=False):
    for output_nr, fn in list(node._pre_hooks):
        if output_nr is None:
            res = fn(tuple(_as_tensor(g) for g in grads))
            if res is not None:
                grads = [_unwrap(g, graph) for g in res]
        elif grads[output_nr] is not None:
            res = fn(_as_tensor(grads[output_nr]))
            if res is not None:
                grads[output_nr] = _unwrap(res, graph)
    return grads


def _run_post_hooks(node, in_grads, grads, graph=False):
    wrap = lambda gs: tuple(_as_tensor(g) for g in gs)  # noqa: E731
    for fn in list(node._hooks):
        res = fn(wrap(in_grads), wrap(grads))
        if res is not None:
            in_grads = tuple(_unwrap(g, graph) for g in res)
    return in_grads


def run_backward(roots, root_grads, retain_graph=False, capture=None, create_graph=False):
    """Backpropagate ``root_grads`` from ``roots`` (tensors) through the graph.

    Without ``capture`` the gradients reaching leaves are accumulated into
    their ``.grad``.  With ``capture`` (a dict mapping ``(node_or_leaf, output_nr)``
    to None) only those gradients are collected and returned, nothing is
    accumulated: that is ``autograd.grad``.  With ``create_graph`` the gradients
    are Tensors (``root_grads`` too) and each node's backward formula runs on
    them with grad mode on (``tensor_xp.differentiable_backward``), so the
    results can be differentiated again.
    """
    buffers = {}
    starts = []
    for t, g in zip(roots, root_grads):
        target, index = (t.grad_fn, t._output_nr) if t.grad_fn is not None else (t, 0)
        starts.append(target)
        _accumulate(buffers, target, index, g)
    deps = _topo_dependencies(starts)
    ready = [n for n in dict.fromkeys(starts) if n not in deps]
    given = set()  # ids of arrays already handed to a leaf, which must not alias
    state = grad_mode.state
    enabled, state.enabled = state.enabled, create_graph
    try:
        while ready:
            node = ready.pop()
            grads = buffers.pop(node, None)
            if not isinstance(node, Node):
                if grads is not None and grads[0] is not None:
                    if capture is None:
                        _accumulate_leaf(node, grads[0], given, create_graph)
                    elif (node, 0) in capture:
                        capture[(node, 0)] = grads[0]
                continue
            if grads is not None and node._pre_hooks:
                grads = _run_pre_hooks(node, grads, create_graph)
            if capture is not None and grads is not None:
                for i, g in enumerate(grads):
                    if (node, i) in capture:
                        capture[(node, i)] = g
            if grads is None or _all_none(grads):
                in_grads = (None,) * len(node.next_edges)
            else:
                if node._freed or node._versions:
                    node.check_saved()
                in_grads = node.backward(*grads) if not create_graph else \
                    differentiable_backward(node, grads)
                if type(in_grads) is not tuple:
                    in_grads = (in_grads,)
                if anomaly_mode.state[0] and anomaly_mode.state[1]:
                    anomaly_mode.check_gradients(node, in_grads)
                if node._hooks:
                    in_grads = _run_post_hooks(node, in_grads, grads, create_graph)
                if not retain_graph:
                    node.release()
            for edge, g in zip(node.next_edges, in_grads):
                if edge is None:
                    continue
                nxt, index = edge
                if g is not None:
                    _accumulate(buffers, nxt, index, g)
                left = deps[nxt] - 1
                deps[nxt] = left
                if left == 0:
                    ready.append(nxt)
    finally:
        state.enabled = enabled
    return capture


def _accumulate_leaf(leaf, grad, given, graph=False):
    """Add ``grad`` into ``leaf.grad`` after the leaf's hooks, as AccumulateGrad does."""
    if graph:
        return _accumulate_leaf_graph(leaf, grad)
    hooks = leaf._hooks
    if hooks:
        for fn in list(hooks):
            res = fn(_wrap(grad))
            if res is not None:
                grad = res._data
    np_dtype = leaf._data.dtype
    if grad.dtype != np_dtype:
        grad = grad.astype(np_dtype)
    if grad.shape != leaf._data.shape:
        raise RuntimeError(f"gradient of shape {tuple(grad.shape)} reached a leaf of shape "
                           f"{tuple(leaf._data.shape)}: a backward or a hook returned the wrong shape")
    if leaf.grad is None:
        if id(grad) in given or grad.base is not None or not is_writeable(grad):
            grad = grad.copy()
        given.add(id(grad))
        leaf.grad = _wrap(grad)
    else:
        acc = leaf.grad._data
        acc += grad
    if hooks:
        _run_post_accumulate_hooks(leaf)


def _run_post_accumulate_hooks(leaf):
    """Call the leaf's post-accumulate-grad hooks, which ride in its hook list (as
    pre-accumulation hooks they pass the gradient unchanged)."""
    for fn in list(leaf._hooks or ()):
        if isinstance(fn, PostAccumulateGradHook):
            fn.hook(leaf)


class PostAccumulateGradHook:
    """A leaf's ``register_post_accumulate_grad_hook`` entry: ``hook(leaf)`` runs once the
    gradient is accumulated into ``leaf.grad``; as a pre-accumulation hook it does nothing."""

    def __init__(self, hook):
        self.hook = hook

    def __call__(self, grad):
        return None


def _accumulate_leaf_graph(leaf, grad):
    """``_accumulate_leaf`` under create_graph: ``grad`` is a Tensor of the new graph, and a
    gradient already there is added out of place (torch's rule), so both stay differentiable."""
    for fn in list(leaf._hooks or ()):
        res = fn(grad)
        if res is not None:
            grad = res
    if grad._data.dtype != leaf._data.dtype:
        grad = grad.to(leaf.dtype)
    if grad._data.shape != leaf._data.shape:
        raise RuntimeError(f"gradient of shape {tuple(grad.shape)} reached a leaf of shape "
                           f"{tuple(leaf._data.shape)}: a backward or a hook returned the wrong shape")
    leaf.grad = grad if leaf.grad is None else leaf.grad + grad
    _run_post_accumulate_hooks(leaf)


class save_on_cpu:
    """torch's context manager that keeps the tensors saved for backward in CPU memory.

    ember's ops save raw arrays where they were computed and have no saved-tensor hooks, so the
    block runs unchanged: for CPU tensors that is already what this asks for; CuPy tensors are
    not offloaded. ``pin_memory`` and ``device_type`` are accepted for torch's signature.

    Example::

        >>> x = ember.ones(3, requires_grad=True)
        >>> with ember.autograd.graph.save_on_cpu():
        ...     y = (x * x).sum()
        >>> y.backward(); x.grad
        tensor([2., 2., 2.])
    """

    def __init__(self, pin_memory=False, device_type="cuda"):
        self.pin_memory = pin_memory
        self.device_type = device_type

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
