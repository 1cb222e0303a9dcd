"""``torch.autograd.forward_ad``: forward-mode derivatives through dual tensors.

ember computes forward-mode derivatives lazily, from reverse mode.  ``make_dual(x, t)`` gives
a tensor with ``x``'s values that autograd tracks (a fresh leaf, or a view of ``x`` that keeps
its history) and records ``t`` as its tangent in the current dual level.  Ops run as usual;
``unpack_dual(y)`` then finds ``y``'s tangent ``J t`` by the double-backward identity: for a
dummy cotangent ``u``, ``g(u) = J^T u`` (a backward pass to the dual inputs with
``create_graph``) is linear in ``u``, and the vector-Jacobian product of ``g`` with the
tangents is ``J t``.  So every op with a gradient, and any composition of them, has a
forward-mode derivative without a second formula per op; the cost is two backward passes per
``unpack_dual``.  Unlike torch, tensors computed from dual tensors report
``requires_grad=True`` (that is how they are tracked); primals come back detached.

Example::

    >>> from ember.autograd.forward_ad import dual_level, make_dual, unpack_dual
    >>> with dual_level():
    ...     d = make_dual(ember.tensor([1.0, 2.0]), ember.ones(2))
    ...     unpack_dual(d * d).tangent
    tensor([2., 4.])
"""
import contextlib
from typing import NamedTuple

from .._tensor import Tensor
from . import grad as _grad
from .grad_mode import enable_grad

__all__ = ["UnpackedDualTensor", "dual_level", "enter_dual_level", "exit_dual_level",
           "make_dual", "unpack_dual"]

_levels = []  # one dict per open level: id(dual tensor) -> (dual tensor, tangent)


def enter_dual_level():
    """Open a dual level (only one at a time, as in torch) and return its number."""
    if _levels:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _levels.append({})
    return len(_levels) - 1


def exit_dual_level(*, level=None):
    """Close the current dual level; its tangents are forgotten."""
    if level is None:
        level = len(_levels) - 1
    if level != len(_levels) - 1 or level < 0:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that "
                           "was created. This is not supported.")
    _levels.pop()


class dual_level(contextlib.ContextDecorator):
    """A context (or decorator) inside which dual tensors carry tangents.

    Example::

        >>> from ember.autograd.forward_ad import dual_level, make_dual, unpack_dual
        >>> with dual_level():
        ...     y = make_dual(ember.tensor(3.0), ember.tensor(1.0)) ** 2
        ...     unpack_dual(y).tangent
        tensor(6.)
    """

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()
        return False


def _table(level, fn_name):
    if level is None:
        level = len(_levels) - 1
    if not _levels:
        return None
    if not 0 <= level < len(_levels):
        raise RuntimeError(f"Invalid level given to {fn_name}")
    return _levels[level]


def make_dual(tensor, tangent, *, level=None):
    """A tensor with ``tensor``'s values whose forward-mode tangent is ``tangent``.

    Args:
        tensor: the primal (a floating-point Tensor).
        tangent: a Tensor of the same size.
        level: the dual level (default: the current one).

    Returns:
        The dual tensor; results computed from it have tangents that ``unpack_dual`` reads.
    """
    if not _levels:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, "
                           "make sure to enter_dual_level() first.")
    table = _table(level, "_make_dual")
    if not (tensor.is_floating_point() or tensor.is_complex()):
        raise ValueError(f"Expected primal to be floating point or complex, but got: "
                         f"{tensor.dtype}")
    if not (tangent.is_floating_point() or tangent.is_complex()):
        raise ValueError(f"Expected tangent to be floating point or complex, but got: "
                         f"{tangent.dtype}")
    if tuple(tangent.shape) != tuple(tensor.shape):
        raise RuntimeError("Trying to set a forward gradient that has a different size than "
                           "that of the original Tensor, this is not supported. Tensor is of "
                           f"size {list(tensor.shape)} while the given forward gradient is of "
                           f"size {list(tangent.shape)}.")
    with enable_grad():
        dual = tensor.view_as(tensor) if tensor.requires_grad else \
            tensor.detach().requires_grad_(True)
    table[id(dual)] = (dual, tangent)
    return dual


class UnpackedDualTensor(NamedTuple):
    """``unpack_dual``'s result: the ``primal`` and its ``tangent`` (None without one)."""

    primal: Tensor
    tangent: Tensor | None


def unpack_dual(tensor, *, level=None):
    """The primal of ``tensor`` and its tangent at ``level`` (None when it has none).

    Example::

        >>> from ember.autograd.forward_ad import dual_level, make_dual, unpack_dual
        >>> with dual_level():
        ...     p, t = unpack_dual(make_dual(ember.zeros(2), ember.ones(2)).sin())
        >>> t
        tensor([1., 1.])
    """
    table = _table(level, "_unpack_dual")
    if not table or not isinstance(tensor, Tensor):
        return UnpackedDualTensor(tensor, None)
    entry = table.get(id(tensor))
    if entry is not None and entry[0] is tensor:
        return UnpackedDualTensor(tensor.detach(), entry[1])
    if not tensor.requires_grad:
        return UnpackedDualTensor(tensor, None)
    duals = [d for d, _ in table.values()]
    with enable_grad():
        dummy = tensor.detach().new_zeros(tensor.shape).requires_grad_(True)
        pulled = _grad([tensor], duals, [dummy], create_graph=True, allow_unused=True)
        pairs = [(g, t) for g, (_, t) in zip(pulled, table.values()) if g is not None]
        if not pairs:
            return UnpackedDualTensor(tensor.detach(), None)
        live = [(g, t) for g, t in pairs if g.requires_grad]
        tangent = _grad([g for g, _ in live], [dummy], [t for _, t in live], retain_graph=True,
                        allow_unused=True)[0] if live else None
    if tangent is None:
        tangent = dummy.detach()
    return UnpackedDualTensor(tensor.detach(), tangent.detach())
