"""``vmap``: run a function written for one example over a batch, in one call per op.

The mapped dim of each input is moved to the front and the input wrapped as a logical tensor
of a new vmap level (``_batching``); the function runs once; each output's batch dim is moved
to its ``out_dims`` place.  ``chunk_size`` runs the batch in slices and concatenates them.
Random draws inside follow ``randomness``: "error" refuses them, "same" draws one example's
worth shared by all, "different" draws a whole batch (the default generator's draws made
through ``rand``/``randn``/``randint``/``dropout``...).
"""
import functools

from .._tensor import Tensor, _wrap
from ..utils._pytree import (SUPPORTED_NODES, _get_node_type, tree_flatten, tree_is_leaf,
                             tree_unflatten)
from . import _batching as B
from ..random import default_generator
from .._ops.shape.funcs import cat
from ..random import get_rng_state, set_rng_state

__all__ = ["vmap"]

RANDOM_ERROR = ("vmap: called random operation while in randomness error mode. Please either use "
                "the 'same' or 'different' randomness flags on vmap or perform the randomness "
                "operation out of vmap")


def _name(func):
    if hasattr(func, "__name__"):
        return func.__name__
    if isinstance(func, functools.partial):
        return f"functools.partial({_name(func.func)}, ...)"
    return repr(func)


class _BatchRandom:
    """Stands for the default NumPy generator inside a vmap whose randomness is not "same"."""

    _SIZE_AT = {"random": 0, "standard_normal": 0, "integers": 2}

    def __init__(self, rng, level):
        self._inner, self._level = rng, level

    def __getattr__(self, name):
        if self._level.randomness == "error":
            raise RuntimeError(RANDOM_ERROR)
        if name not in self._SIZE_AT:
            raise NotImplementedError(f"vmap(randomness='different'): random draws through "
                                      f"{name} cannot be batched yet")
        draw, at = getattr(self._inner, name), self._SIZE_AT[name]

        def batched(*args, **kwargs):
            args = list(args)
            if len(args) > at:
                args[at] = self._batch_shape(args[at])
            else:
                kwargs["size"] = self._batch_shape(kwargs.get("size"))
            return B.BatchedArray(_wrap(draw(*args, **kwargs)), self._level.number)
        return batched

    def _batch_shape(self, size):
        size = () if size is None else (size,) if isinstance(size, int) else tuple(size)
        return (self._level.size,) + size


def _broadcast_to_and_flatten(tree, spec):
    """``tree`` (a prefix of ``spec``'s structure) with each leaf repeated over the leaves of
    the subtree it stands for, flat; None when the structures do not match."""
    if spec.is_leaf() or tree_is_leaf(tree):
        return [tree] * spec.num_leaves
    if _get_node_type(tree) is not spec.type:
        return None
    children, context = SUPPORTED_NODES[spec.type].flatten_fn(tree)
    if len(children) != spec.num_children or context != spec.context:
        return None
    flat = []
    for child, child_spec in zip(children, spec.children_specs):
        part = _broadcast_to_and_flatten(child, child_spec)
        if part is None:
            return None
        flat.extend(part)
    return flat


def _process_inputs(func, in_dims, args):
    if not isinstance(in_dims, (int, tuple)):
        raise ValueError(f"vmap({_name(func)}, in_dims={in_dims}, ...)(<inputs>): expected "
                         "`in_dims` to be int or a (potentially nested) tuple matching the "
                         f"structure of inputs, got: {type(in_dims)}.")
    if not args:
        raise ValueError(f"vmap({_name(func)})(<inputs>): got no inputs. Maybe you forgot to add "
                         "inputs, or you are trying to vmap over a function with no inputs. The "
                         "latter is unsupported.")
    flat_args, spec = tree_flatten(args)
    flat_dims = _broadcast_to_and_flatten(in_dims, spec)
    if flat_dims is None:
        raise ValueError(f"vmap({_name(func)}, in_dims={in_dims}, ...)(<inputs>): in_dims is not "
                         "compatible with the structure of `inputs`. in_dims has structure "
                         f"{tree_flatten(in_dims)[1]} but inputs has structure {spec}.")
    for i, (arg, d) in enumerate(zip(flat_args, flat_dims)):
        head = f"vmap({_name(func)}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for "
        if not isinstance(d, int) and d is not None:
            raise ValueError(head + "an input but in_dim must be either an integer dimension "
                             "or None.")
        if isinstance(d, int) and not isinstance(arg, Tensor):
            raise ValueError(head + f"an input but the input is of type {type(arg)}. We cannot "
                             "vmap over non-Tensor arguments, please use None as the respective "
                             "in_dim")
        if d is not None and not -arg.dim() <= d < arg.dim():
            raise ValueError(head + f"some input, but that input is a Tensor of dimensionality "
                             f"{arg.dim()} so expected in_dim to satisfy -{arg.dim()} <= in_dim "
                             f"< {arg.dim()}.")
        if d is not None and d < 0:
            flat_dims[i] = d % arg.dim()
    sizes = [arg.size(d) for arg, d in zip(flat_args, flat_dims) if d is not None]
    if not sizes:
        raise ValueError("vmap: Expected at least one Tensor to vmap over")
    if any(s != sizes[0] for s in sizes):
        raise ValueError("vmap: Expected all tensors to have the same size in the mapped "
                         f"dimension, got sizes {sizes} for the mapped dimension")
    return sizes[0], flat_dims, flat_args, spec


def _flat_out_dims(func, out_dims, outputs):
    flat, spec = tree_flatten(outputs)
    if isinstance(outputs, Tensor):
        if isinstance(out_dims, int) or out_dims is None:
            return flat, [out_dims], spec
        if isinstance(out_dims, tuple) and len(out_dims) == 1:
            return flat, list(out_dims), spec
        dims = None
    else:
        dims = _broadcast_to_and_flatten(out_dims, spec)
    if dims is None:
        raise ValueError(f"vmap({_name(func)}, ..., out_dims={out_dims})(<inputs>): out_dims is "
                         "not compatible with the structure of `outputs`. out_dims has structure "
                         f"{tree_flatten(out_dims)[1]} but outputs has structure {spec}.")
    return flat, dims, spec


def _unbatch(func, out, level, out_dim):
    name = _name(func)
    if out_dim is None:
        if isinstance(out, Tensor) and B.level_of(out) == level.number:
            raise ValueError(f"vmap({name}, ...): `{name}` can not return a BatchedTensor when "
                             "out_dim is None")
        return out
    if not isinstance(out, Tensor):
        raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type "
                         f"{type(out)}. Did you mean to set out_dims= to None for output?")
    phys, batched = B.unwrap(out, level.number)
    if not batched:
        phys = out.unsqueeze(0).expand((level.size,) + tuple(out.shape))
    return phys.movedim(0, out_dim)


def _run(func, size, flat_dims, flat_args, spec, out_dims, randomness, kwargs):
    level = B.enter(size, randomness)
    saved_rng = default_generator._rng
    if randomness != "same":
        default_generator._rng = _BatchRandom(saved_rng, level)
    try:
        inputs = [a if d is None else B.wrap(a.movedim(d, 0), level.number)
                  for a, d in zip(flat_args, flat_dims)]
        outputs = func(*tree_unflatten(inputs, spec), **kwargs)
        flat, dims, out_spec = _flat_out_dims(func, out_dims, outputs)
        return tree_unflatten([_unbatch(func, o, level, d) for o, d in zip(flat, dims)], out_spec)
    finally:
        default_generator._rng = saved_rng
        B.leave()


def _check_out_dims(func, out_dims):
    for d in tree_flatten(out_dims)[0]:
        if d is not None and not isinstance(d, int):
            raise ValueError(f"vmap({_name(func)}, ..., out_dims={out_dims}): `out_dims` must be "
                             "an int, None or a python collection of ints representing where in "
                             "the outputs the vmapped dimension should appear.")


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """Vectorise ``func`` over a batch dimension of its inputs.

    Args:
        func: a function of tensors (and other values) written for a single example.
        in_dims: the mapped dim of each input: an int for all, or a (nested) tuple matching the
            positional arguments, ``None`` for inputs shared by every example.
        out_dims: where the batch dim goes in each output (int, tuple, or None for outputs that
            do not depend on the batch).
        randomness: "error", "same" or "different" (see the module doc).
        chunk_size: run at most this many examples at once (None: all).

    Returns:
        A function taking ``func``'s arguments with the batch dims added.

    Example::

        >>> from ember.func import vmap
        >>> x = ember.randn(8, 3)
        >>> vmap(lambda v: (v * v).sum())(x).shape
        ember.Size([8])
    """
    if randomness not in ("error", "different", "same"):
        raise RuntimeError("Only allowed values for randomness are 'error', 'different', or "
                           f"'same'. Got {randomness}")
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size <= 0):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")
    _check_out_dims(func, out_dims)

    @functools.wraps(func)
    def vectorized(*args, **kwargs):
        size, flat_dims, flat_args, spec = _process_inputs(func, in_dims, args)
        if chunk_size is None or chunk_size >= size:
            return _run(func, size, flat_dims, flat_args, spec, out_dims, randomness, kwargs)
        state = get_rng_state() if randomness == "same" else None  # every chunk draws alike
        pieces = []
        for start in range(0, size, chunk_size):
            n = min(chunk_size, size - start)
            if state is not None:
                set_rng_state(state)
            part = [a if d is None else a.narrow(d, start, n) for a, d in zip(flat_args, flat_dims)]
            pieces.append(_run(func, n, flat_dims, part, spec, out_dims, randomness, kwargs))
        flat0, dims, out_spec = _flat_out_dims(func, out_dims, pieces[0])
        flats = [tree_flatten(p)[0] for p in pieces]
        joined = [cat([f[i] for f in flats], d) if d is not None else flats[0][i]
                  for i, d in enumerate(dims)]
        return tree_unflatten(joined, out_spec)
    return vectorized
