"""``torch.fx``: ember has no graph capture; ``wrap`` works, ``symbolic_trace`` says so clearly.

Libraries mark functions with ``torch.fx.wrap`` (a registration for tracing)
and check ``isinstance(x, torch.fx.Proxy)`` to see whether they are being
traced: here ``wrap`` returns its argument and nothing is ever a ``Proxy``.
Building a graph (``symbolic_trace``, ``Tracer``, ``GraphModule``) raises
NotImplementedError naming what ember does instead (it runs eagerly).

Example::

    >>> @ember.fx.wrap
    ... def helper(x): return x + 1
    >>> helper(1)
    2
"""
__all__ = ["symbolic_trace", "wrap", "Tracer", "Graph", "GraphModule", "Node", "Proxy"]

_NOT_SUPPORTED = ("ember has no torch.fx graph capture: {what} is not supported. ember runs "
                  "modules eagerly; call the module directly (ember.compile(model) returns it "
                  "unchanged)")


def wrap(fn_or_name):
    """Return ``fn_or_name``: there is no tracer to keep it opaque from."""
    return fn_or_name


def symbolic_trace(root, concrete_args=None):
    """Not supported in ember; raises NotImplementedError."""
    raise NotImplementedError(_NOT_SUPPORTED.format(what="symbolic_trace"))


class _GraphClass:
    """A torch.fx class that ember cannot build; ``isinstance`` checks against it are False."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(_NOT_SUPPORTED.format(what=f"torch.fx.{type(self).__name__}"))


class Tracer(_GraphClass):
    """torch.fx.Tracer (not supported)."""


class Graph(_GraphClass):
    """torch.fx.Graph (not supported)."""


class GraphModule(_GraphClass):
    """torch.fx.GraphModule (not supported)."""


class Node(_GraphClass):
    """torch.fx.Node (not supported)."""


class Proxy(_GraphClass):
    """torch.fx.Proxy: the stand-in values of a trace; ember never makes one."""
