"""Checks generated from the op table, each compared with torch.

For every row: forward values, dtypes and shapes per sample (function, method and operator
forms), gradients per sample, a float64 gradcheck, every dtype in ``ALL`` on the first sample
(supported dtypes must work; the others must fail or succeed as torch's do), ``grad_fn``
names, ``out=``, the in-place form on a non-leaf with autograd, aliases, and bad inputs.
Known differences are ``xfail(strict=True)`` per row, check and sample (``OpRow.xfail``).
"""
import functools

import pytest

from .compare import Raised, agree_on_raising, attempt, both, check_backward, check_forward, same
from .gradgrad import GRADGRAD_XFAIL
from .core import ALL, TEST_DEVICE, alias_call, ember, materialize, numpy_of, tensors_of, torch
from .registry import ROWS

# the device axis (as Chainer's inject_backend_tests): forward and backward run with ember's
# inputs on the test device and on the strict CuPy stand-in, the other checks on the test device
DEVICES = tuple(dict.fromkeys((TEST_DEVICE, "strict")))
# rows about where a tensor lives (moving it, asking its device): torch's answers are for
# CPU tensors, so these run on the CPU only
WHERE_ROWS = frozenset({"Tensor.to", "Tensor.cpu", "Tensor.numpy", "Tensor.is_cpu",
                        "Tensor.is_cuda", "Tensor.get_device", "frombuffer", "from_dlpack",
                        "to_dlpack", "Tensor.module_load"})
# checks (``check:row-tag``) whose device path is known to leak to the host, each a strict xfail
# off the CPU until fixed; none known today
DEVICE_LEAKS = {}

pytestmark = pytest.mark.filterwarnings("ignore")


@functools.lru_cache(maxsize=None)
def samples_of(row_id, dtype=None):
    """A row's samples for a dtype, made once per session."""
    return ROWS[row_id].make_samples(dtype)


def params(check, keys):
    """pytest params ``(row_id, key)`` for ``check``, marked xfail where the row says so."""
    out = []
    for row_id, key in keys:
        row = ROWS[row_id]
        reason = row.xfail.get(f"{check}:{key}") or row.xfail.get(check)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(row_id, key, marks=marks, id=f"{row_id}-{key}"))
    return out


def sample_tag_ids(check, wanted=lambda row, s: True):
    """pytest params ``(row_id, sample index)``, marked xfail by the row's ``check`` or
    ``check:tag`` entry."""
    out = []
    for r in ROWS.values():
        for i, s in enumerate(samples_of(r.id)):
            if not wanted(r, s):
                continue
            reason = r.xfail.get(f"{check}:{s.tag}") or r.xfail.get(check)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(r.id, i, marks=marks, id=f"{r.id}-{s.tag}"))
    return out


def home(row_id):
    """The device a row's single-device checks give ember's inputs (the CPU for WHERE_ROWS)."""
    return "cpu" if row_id in WHERE_ROWS else TEST_DEVICE


def on_devices(check, params_):
    """``params_`` (``(row_id, key)`` params of ``check``) once per device of the axis, the
    device last; a known device leak (``DEVICE_LEAKS``) is a strict xfail off the CPU."""
    out = []
    for p in params_:
        row_id = p.values[0]
        for device in (("cpu",) if row_id in WHERE_ROWS else DEVICES):
            marks = list(p.marks)
            leak = DEVICE_LEAKS.get(f"{check}:{p.id}")
            if device != "cpu" and leak:
                marks.append(pytest.mark.xfail(strict=True, reason=leak))
            out.append(pytest.param(*p.values, device, marks=marks, id=f"{p.id}-{device}"))
    return out


def per_row(check, wanted=lambda row: True):
    """pytest params, one per row that ``wanted`` accepts, marked by the row's ``check`` entry."""
    return params(check, [(r.id, "") for r in ROWS.values() if wanted(r)])


@pytest.mark.parametrize("row_id,index,device", on_devices("forward", sample_tag_ids("forward")))
def test_forward(row_id, index, device):
    """Values, dtypes and shapes of each call form equal torch's function on the sample; the
    results stay on ``device``."""
    row = ROWS[row_id]
    check_forward(row, samples_of(row_id)[index], device)


def _differentiable(row, s):
    return row.grad and not row.random and any(a.differentiable for a in s.arrays())


@pytest.mark.parametrize("row_id,index,device",
                         on_devices("backward", sample_tag_ids("backward", _differentiable)))
def test_backward(row_id, index, device):
    """The same random cotangent through both libraries gives the same input gradients
    (values, dtypes, shapes), on ``device``."""
    check_backward(ROWS[row_id], samples_of(row_id)[index], device)


def _gradcheckable(row):
    return row.grad and row.gradcheck and not row.random and "float64" in row.dtypes


def _gradcheck_samples(row, size=100):
    """Small finite float64 samples of ``row`` without a known difference from torch."""
    known = {key.split(":")[1] for key in row.xfail if key.startswith(("forward:", "backward:"))}
    return [s for s in samples_of(row.id, "float64")
            if s.finite() and not s.empty() and any(a.differentiable for a in s.arrays())
            and sum(a.array.size for a in s.arrays()) <= size and s.tag not in known
            and s.gradcheck]


@pytest.mark.parametrize("row_id,key", per_row("gradcheck", _gradcheckable))
def test_gradcheck(row_id, key):
    """float64 central differences agree with ember's backward on small finite samples (those
    without a known difference)."""
    row = ROWS[row_id]
    picked = _gradcheck_samples(row)[:3]
    assert picked, "no sample fits a gradcheck; set gradcheck=False on the row"
    for s in picked:
        xs = tuple(ember.from_numpy(a.array.copy()).requires_grad_(True)
                   for a in s.arrays() if a.differentiable)

        def fn(*given, s=s):
            args, kwargs, _ = materialize(s, ember, given=given)
            return row.call(ember, *args, **kwargs)
        assert ember.autograd.gradcheck(fn, xs, eps=1e-6, atol=1e-5, rtol=1e-3), s.tag


def _gradgrad_params():
    out = []
    for r in ROWS.values():
        if not _gradcheckable(r):
            continue
        reason = GRADGRAD_XFAIL.get(r.id) or r.xfail.get("gradgrad")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(r.id, marks=marks, id=r.id))
    return out


@pytest.mark.parametrize("row_id", _gradgrad_params())
def test_gradgradcheck(row_id):
    """Second derivatives (backward taken with ``create_graph=True``, then differentiated with
    respect to the inputs and the cotangent) agree with float64 central differences of the
    first derivative, on the row's first small gradcheck sample."""
    row = ROWS[row_id]
    picked = _gradcheck_samples(row, 40) or _gradcheck_samples(row)
    assert picked, "no sample fits a gradgradcheck"
    s = picked[0]
    xs = tuple(ember.from_numpy(a.array.copy()).requires_grad_(True)
               for a in s.arrays() if a.differentiable)

    def fn(*given):
        args, kwargs, _ = materialize(s, ember, given=given)
        return row.call(ember, *args, **kwargs)
    assert ember.autograd.gradgradcheck(fn, xs, eps=1e-6, atol=1e-5, rtol=1e-3), s.tag


@pytest.mark.parametrize("dtype", ALL)
@pytest.mark.parametrize("row_id,key", per_row("dtype"))
def test_dtype(row_id, key, dtype, request):
    """The first sample in each dtype: supported dtypes give torch's values and result dtype;
    for the others ember fails (or not) as torch does.  Where torch only lacks a CPU kernel
    for the dtype (``NotImplementedError``), ember may compute a result."""
    row = ROWS[row_id]
    reason = row.xfail.get(f"dtype:{dtype}")
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    sample = samples_of(row_id, dtype)[0]
    leak = DEVICE_LEAKS.get(f"forward:{row_id}-{sample.tag}")
    if leak and home(row_id) != "cpu" and dtype in row.dtypes:
        request.applymarker(pytest.mark.xfail(strict=True, reason=leak))
    t, _ = attempt(row.call, sample, torch)
    if dtype in row.dtypes:
        assert not isinstance(t, Raised), f"table error: torch rejects {dtype}: {t.exc}"
    if isinstance(t, Raised) and isinstance(t.exc, NotImplementedError):
        return
    e, _ = attempt(row.call, sample, ember, device=home(row_id))
    agree_on_raising(t, e)
    same(e, t, row)


def _grad_fn_sample(row):
    for s in samples_of(row.id):
        if _differentiable(row, s) and not s.empty():
            return s


@pytest.mark.parametrize("row_id,key", per_row("grad_fn", lambda r: _grad_fn_sample(r)))
def test_grad_fn(row_id, key):
    """The ``grad_fn`` names of the outputs that require grad are torch's."""
    row = ROWS[row_id]
    t, _, e, _ = both(row.call, _grad_fn_sample(row), grad=True, device=home(row_id))
    if isinstance(t, Raised):
        return
    tnames = [o.grad_fn.name() if o.grad_fn else None for o in tensors_of(t, torch)]
    enames = [o.grad_fn.name() if o.grad_fn else None for o in tensors_of(e, ember)]
    assert enames == tnames


def _with_out(row):
    """The row's call made again with ``out=`` zero tensors shaped like its plain result;
    returns the filled ``out`` and whether the call returned those very tensors."""
    def call(lib, *args, **kwargs):
        ref = row.call(lib, *args, **kwargs)
        outs = [lib.zeros_like(r) for r in tensors_of(ref, lib)]
        target = outs[0] if isinstance(ref, lib.Tensor) else tuple(outs)
        got = row.call(lib, *args, out=target, **kwargs)
        return target, all(a is b for a, b in zip(tensors_of(got, lib), outs))
    return call


@pytest.mark.parametrize("row_id,key", per_row("out", lambda r: r.out))
def test_out(row_id, key):
    """``out=`` writes torch's values into the given tensor(s) and returns them (or raises
    as torch does, e.g. without ``dim``)."""
    row = ROWS[row_id]
    for sample in samples_of(row_id)[:2]:
        t, _, e, _ = both(_with_out(row), sample)
        if not isinstance(t, Raised):
            assert e[1], "out= tensors not returned"
            same(e[0], t[0], row, "out")


@pytest.mark.parametrize("row_id,key", per_row("inplace", lambda r: r.inplace))
def test_inplace(row_id, key):
    """``y.<op>_(...)`` on a non-leaf ``y = x * 1``: returns ``y``, torch's values, and the
    gradient of ``x`` through it."""
    row = ROWS[row_id]
    sample = samples_of(row_id)[0]
    got = {}
    for lib in (torch, ember):
        args, kwargs, leaves = materialize(sample, lib, grad=row.grad, device=TEST_DEVICE)
        y = args[0] * 1 if row.grad and args[0].requires_grad else args[0].clone()
        res = getattr(y, row.inplace)(*args[1:], **kwargs)
        assert res is y, "the in-place form does not return its input"
        grads = None
        if y.requires_grad:
            try:
                y.backward(lib.ones_like(y))
            except (RuntimeError, NotImplementedError):
                assert lib is torch, "ember fails to backpropagate through the in-place form"
            else:
                grads = [None if x.grad is None else lib.from_numpy(numpy_of(x.grad).copy())
                         for x in leaves]
        got[lib] = (y.detach(), grads)
    same(got[ember][0], got[torch][0], row, "inplace")
    if got[torch][1] is not None:   # torch defines no derivative for some in-place forms
        same(got[ember][1], got[torch][1], row, "inplace grad")


@pytest.mark.parametrize("row_id,key", params("alias", [(r.id, a) for r in ROWS.values()
                                                         for a in r.aliases]))
def test_alias(row_id, key):
    """Each alias gives torch's result for the same alias on the first sample."""
    row = ROWS[row_id]
    t, _, e, _ = both(alias_call(key), samples_of(row_id)[0])
    same(e, t, row, key)


def _errors(row, lib):
    return row.errors(lib) if row.errors else []


@pytest.mark.parametrize("row_id,key", params("error", [
    (r.id, i) for r in ROWS.values() for i in range(len(_errors(r, torch)))]))
def test_error(row_id, key):
    """Bad input: torch raises the listed type, and so does ember."""
    row = ROWS[row_id]
    tcall, exc = _errors(row, torch)[key]
    ecall, _ = _errors(row, ember)[key]
    with pytest.raises(exc):
        tcall()
    with pytest.raises(exc):
        ecall()
