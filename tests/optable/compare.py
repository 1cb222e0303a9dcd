"""Running a row's call under torch and ember and comparing what comes back.

``both(fn, sample)`` calls ``fn`` with each library; an exception torch raises must be raised
by ember too, with the same type name.  ``same(e, t, row)`` compares results by value, dtype
and shape (only dtype and shape for random ops).

Example::

    t, e = both(row.call, sample)
    same(e, t, row)
"""
import numpy as np
import pytest

from tests.helpers import assert_close
from .core import dtype_name, ember, torch, run


class Raised:
    """An exception a call raised, kept to compare with the other library's."""

    def __init__(self, exc):
        self.exc = exc

    @property
    def kind(self):
        """The exception's class name (torch's private ``_LinAlgError`` reads as ``LinAlgError``)."""
        return type(self.exc).__name__.lstrip("_")


def attempt(fn, sample, lib, grad=False):
    """``(result, leaves)`` of ``fn`` on ``sample``, or ``(Raised, leaves)``."""
    try:
        return run(fn, sample, lib, grad)
    except Exception as exc:   # noqa: BLE001 - the type is what gets compared
        return Raised(exc), []


def both(fn, sample, grad=False):
    """``(torch_out, torch_leaves, ember_out, ember_leaves)``; fails when only one raises or
    the exception types differ, and skips the comparison when both raised alike."""
    t, tl = attempt(fn, sample, torch, grad)
    e, el = attempt(fn, sample, ember, grad)
    agree_on_raising(t, e)
    return t, tl, e, el


def agree_on_raising(t, e):
    """Both succeeded, or both raised the same exception type (then the values are moot)."""
    if isinstance(t, Raised):
        if not isinstance(e, Raised):
            pytest.fail(f"torch raises {t.kind}: {t.exc}; ember returns {e!r:.200}")
        assert e.kind == t.kind, f"torch raises {t.kind}: {t.exc}; ember raises {e.kind}: {e.exc}"
    elif isinstance(e, Raised):
        raise e.exc


def same(e, t, row, what="output"):
    """ember's result ``e`` equals torch's ``t`` within the row's tolerances (random ops:
    the same structure, shapes and dtypes)."""
    if isinstance(t, Raised):
        return
    if t is None:
        assert e is None, f"{what}: torch gives None, ember {e!r:.200}"
        return
    if isinstance(t, (tuple, list)):
        assert isinstance(e, (tuple, list)) and len(e) == len(t), f"{what}: {e!r:.200} vs {t!r:.200}"
        for i, (a, b) in enumerate(zip(e, t)):
            same(a, b, row, f"{what}[{i}]")
        return
    if row.random and isinstance(t, torch.Tensor):
        assert isinstance(e, ember.Tensor), f"{what}: expected a Tensor, got {type(e).__name__}"
        assert dtype_name(e) == dtype_name(t), f"{what}: dtype {e.dtype} != torch {t.dtype}"
        assert tuple(e.shape) == tuple(t.shape), f"{what}: shape {tuple(e.shape)} != {tuple(t.shape)}"
        return
    if isinstance(t, str):
        assert e == t, f"{what}: {e!r} != torch {t!r}"
        return
    if isinstance(t, torch.Tensor) and t.is_complex():
        assert dtype_name(e) == dtype_name(t), f"{what}: dtype {e.dtype} != torch {t.dtype}"
        np.testing.assert_allclose(e.numpy(), t.numpy(), atol=row.atol, rtol=row.rtol, err_msg=what)
        return
    if isinstance(t, (bool, int, float)) and not isinstance(t, np.generic):
        assert type(e) is type(t), f"{what}: torch gives {type(t).__name__}, ember {type(e).__name__}"
    assert_close(e, t, row.atol, row.rtol, what)
