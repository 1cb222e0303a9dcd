"""``torch.compiler``: ember runs everything eagerly, so compiling is the identity.

``compile`` is ``ember.compile`` (returns the model), ``disable`` marks a
function as never compiled (returns it), and ``is_compiling()`` is always
False, which is the truth: no code runs under a compiler in ember.

Example::

    >>> @ember.compiler.disable
    ... def step(x): return x * 2
    >>> ember.compiler.is_compiling()
    False
"""
from .._runtime import compile  # noqa: F401

__all__ = ["compile", "disable", "is_compiling", "is_dynamo_compiling", "is_exporting", "reset",
           "allow_in_graph", "assume_constant_result", "cudagraph_mark_step_begin",
           "list_backends"]


def disable(fn=None, recursive=True, *, reason=None):
    """Decorator (bare or called) returning ``fn`` unchanged: it already runs eagerly."""
    if fn is None:
        return lambda f: f
    return fn


def is_compiling():
    """False: ember never traces or compiles the code that asks."""
    return False


is_dynamo_compiling = is_exporting = is_compiling


def reset():
    """Nothing to reset: ember keeps no compiled code."""


def allow_in_graph(fn):
    """Return ``fn``: there is no graph to allow it into."""
    return fn


def assume_constant_result(fn):
    """Return ``fn``: there is no compiler to constant-fold its result."""
    return fn


def cudagraph_mark_step_begin():
    """No CUDA graphs are recorded, so there is no step to mark."""


def list_backends(exclude_tags=("debug", "experimental")):
    """No compiler backends: ember has none."""
    return []
