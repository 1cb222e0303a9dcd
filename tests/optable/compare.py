"""Running a row's call under torch and ember and comparing what comes back.

``both(fn, sample)`` calls ``fn`` with each library; an exception torch raises must be raised
by ember too, with the same type name.  ``same(e, t, row)`` compares results by value, dtype
and shape (only dtype and shape for random ops).  ``check_forward`` and ``check_backward``
are the per-sample checks the table and the fuzz test share.

Example::

    t, e = both(row.call, sample)
    same(e, t, row)
"""
import numpy as np
import pytest

from tests.helpers import assert_close, random_cotangent
from .core import (TEST_DEVICE, Arg, dtype_name, ember, host_to, numpy_of, run, tensors_of,
                   torch)


class Raised:
    """An exception a call raised, kept to compare with the other library's."""

    def __init__(self, exc):
        self.exc = exc

    @property
    def kind(self):
        """The exception's class name (torch's private ``_LinAlgError`` reads as ``LinAlgError``)."""
        return type(self.exc).__name__.lstrip("_")


def attempt(fn, sample, lib, grad=False, device=TEST_DEVICE):
    """``(result, leaves)`` of ``fn`` on ``sample`` (ember's inputs on ``device``), or
    ``(Raised, leaves)``."""
    try:
        return run(fn, sample, lib, grad, device)
    except Exception as exc:   # noqa: BLE001 - the type is what gets compared
        return Raised(exc), []


def both(fn, sample, grad=False, device=TEST_DEVICE):
    """``(torch_out, torch_leaves, ember_out, ember_leaves)`` with ember's inputs on
    ``device``; fails when only one raises or the exception types differ, and skips the
    comparison when both raised alike."""
    t, tl = attempt(fn, sample, torch, grad)
    e, el = attempt(fn, sample, ember, grad, device)
    agree_on_raising(t, e)
    return t, tl, e, el


def stays_on(e, sample, device, what="output"):
    """Every tensor in ember's result ``e`` lies on ``device`` when the sample gave tensors
    there (an op that drops a result on the host has leaked)."""
    if device == "cpu" or isinstance(e, Raised) or not sample.arrays():
        return
    for t in tensors_of(e, ember):
        assert t.device.type == device, f"{what}: a result left {device} for {t.device}"


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
    if isinstance(t, (bool, int, float)) and not isinstance(t, np.generic):
        assert type(e) is type(t), f"{what}: torch gives {type(t).__name__}, ember {type(e).__name__}"
    assert_close(e, t, row.atol, row.rtol, what)


def call_forms(row, sample):
    """The call forms checked on a sample: the function, the method, the operator."""
    forms = [("function", row.call)]
    if sample.args and isinstance(sample.args[0], Arg):
        base = row.name.split(".")[-1]
        if row.method and not row.name.startswith("Tensor."):
            forms.append(("method", lambda lib, x, *a, **k: getattr(x, base)(*a, **k)))
        if row.operator:
            forms.append(("operator", lambda lib, x, *a, **k: getattr(x, row.operator)(*a, **k)))
    return forms


def check_forward(row, sample, device=TEST_DEVICE):
    """Every call form of the row on ``sample`` (ember's inputs on ``device``) gives torch's
    function's result (or raises the same exception type), on ``device``."""
    t, _ = attempt(row.call, sample, torch)
    for form, fn in call_forms(row, sample):
        e, _ = attempt(fn, sample, ember, device=device)
        agree_on_raising(t, e)
        stays_on(e, sample, device, form)
        same(e, t, row, form)


def check_backward(row, sample, device=TEST_DEVICE):
    """The same seeded cotangent through both libraries gives torch's input gradients
    (values, dtypes, shapes; ``None`` in torch may be zeros in ember), ember's on ``device``, or
    the exception type torch's backward raises."""
    t, tl, e, el = both(row.call, sample, grad=True, device=device)
    if isinstance(t, Raised):
        return
    touts = [o for o in tensors_of(t, torch) if o.requires_grad]
    eouts = [o for o in tensors_of(e, ember) if o.requires_grad]
    assert len(eouts) == len(touts), "ember and torch disagree on which outputs require grad"
    if not touts:
        return
    rng = np.random.default_rng(1)
    cots = [random_cotangent(rng, tuple(o.shape), numpy_of(o).dtype) for o in touts]
    try:
        torch.autograd.backward(touts, [torch.from_numpy(c.copy()) for c in cots])
    except Exception as exc:   # noqa: BLE001 - no derivative (unique): ember must refuse alike
        with pytest.raises(type(exc)):
            ember.autograd.backward(eouts, [host_to(ember, c, device) for c in cots])
        return
    ember.autograd.backward(eouts, [host_to(ember, c, device) for c in cots])
    for i, (tx, ex) in enumerate(zip(tl, el)):
        if tx.grad is None:
            assert ex.grad is None or not np.any(numpy_of(ex.grad)), f"grad {i}: torch has None"
            continue
        assert ex.grad is not None, f"grad {i} is None in ember"
        stays_on(ex.grad, sample, device, f"grad {i}")
        assert dtype_name(ex.grad) == dtype_name(tx.grad), \
            f"grad {i}: dtype {ex.grad.dtype} != torch {tx.grad.dtype}"
        assert tuple(ex.grad.shape) == tuple(tx.grad.shape), f"grad {i}: shape"
        assert_close(numpy_of(ex.grad), numpy_of(tx.grad), row.atol * 10, row.rtol * 10,
                     f"grad {i}")
