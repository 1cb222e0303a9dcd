"""``torch._dynamo``: the parts libraries touch when they check for or undo ``torch.compile``.

``ember.compile`` returns models unchanged, so no ``OptimizedModule`` arises
from it; the class exists (and works, wrapping a module as torch's does, with
the original under ``_orig_mod``) for the ``isinstance`` checks and unwrapping
that Lightning and others do.  ``config`` holds dynamo's common settings
(accepted, unused).

Example::

    >>> wrapped = ember._dynamo.OptimizedModule(ember.nn.Linear(2, 2))
    >>> wrapped._orig_mod
    Linear(in_features=2, out_features=2, bias=True)
"""
import types

from ..compiler import (disable, is_compiling, reset, allow_in_graph,  # noqa: F401
                        assume_constant_result)
from ..nn import Module

__all__ = ["OptimizedModule", "disable", "is_compiling", "reset", "allow_in_graph",
           "assume_constant_result", "config", "optimize"]

config = types.SimpleNamespace(suppress_errors=False, cache_size_limit=8, verbose=False,
                               capture_scalar_outputs=False, optimize_ddp=True)


def _module_base():
    return Module


class OptimizedModule(_module_base()):
    """A module wrapped by a compiler: calls go to ``_orig_mod`` (ember compiles nothing)."""

    def __init__(self, mod, dynamo_ctx=None):
        super().__init__()
        self._orig_mod = mod
        self.dynamo_ctx = dynamo_ctx

    def forward(self, *args, **kwargs):
        return self._orig_mod(*args, **kwargs)


def optimize(backend="inductor", *, nopython=False, guard_export_fn=None, guard_fail_fn=None,
             disable=False, dynamic=None):
    """A decorator returning its function unchanged (no compiler)."""
    return lambda fn: fn
