"""One helper to check an op against PyTorch: forward values and gradients, plus a float64 gradcheck.

``check_op(fn, shapes)`` calls ``fn(lib, *inputs)`` once with ``lib=torch`` and
once with ``lib=ember`` on the same random inputs, compares the outputs, then
backpropagates the same random cotangent through both and compares gradients.
"""
import contextlib

import numpy as np
import pytest

import ember

from .conftest import TEST_DEVICE

torch = pytest.importorskip("torch")

_NP = {"float16": np.float16, "float32": np.float32, "float64": np.float64, "int64": np.int64,
       "int32": np.int32, "int16": np.int16, "int8": np.int8, "uint8": np.uint8, "bool": np.bool_}


def make_arrays(shapes, dtype="float32", low=-2.0, high=2.0, seed=0, positive=False):
    """Random NumPy inputs; ints in [low, high), floats uniform (optionally > 0)."""
    rng = np.random.default_rng(seed)
    out = []
    for s in shapes:
        if isinstance(s, np.ndarray):
            out.append(s)
            continue
        if dtype == "bool":
            a = rng.random(s) > 0.5
        elif np.issubdtype(_NP[dtype], np.integer):
            a = rng.integers(int(low), int(high), size=s).astype(_NP[dtype])
        else:
            a = rng.uniform(low, high, size=s)
            if positive:
                a = np.abs(a) + 0.1
            a = a.astype(_NP[dtype])
        out.append(np.asarray(a))
    return out


def _to_np(x):
    if isinstance(x, ember.Tensor):
        return np.asarray(x.detach().cpu().numpy())
    if isinstance(x, torch.Tensor):
        return x.detach().resolve_conj().resolve_neg().numpy()
    return np.asarray(x)


def random_cotangent(rng, shape, dtype):
    """Standard normal values of ``shape`` in NumPy ``dtype``; complex dtypes get a random
    imaginary part too, so both halves of a complex output's gradient are exercised."""
    dtype = np.dtype(dtype)
    c = rng.standard_normal(shape)
    if dtype.kind == "c":
        c = c + 1j * rng.standard_normal(shape)
    return np.asarray(c).astype(dtype)


def assert_close(e, t, atol=1e-5, rtol=1e-4, what="output"):
    """Values and dtype of an ember result equal to torch's (dtype compared by name)."""
    if isinstance(t, (tuple, list)):
        assert isinstance(e, (tuple, list)) and len(e) == len(t), f"{what}: {e!r} vs {t!r}"
        for i, (a, b) in enumerate(zip(e, t)):
            assert_close(a, b, atol, rtol, f"{what}[{i}]")
        return
    if isinstance(t, torch.Tensor):
        assert isinstance(e, ember.Tensor), f"{what}: expected a Tensor, got {type(e).__name__}"
        assert str(e.dtype).split(".")[-1] == str(t.dtype).split(".")[-1], \
            f"{what}: dtype {e.dtype} != torch {t.dtype}"
        assert tuple(e.shape) == tuple(t.shape), f"{what}: shape {tuple(e.shape)} != torch {tuple(t.shape)}"
    ea, ta = _to_np(e), _to_np(t)
    if ta.dtype.kind in "biu":
        np.testing.assert_array_equal(ea, ta, err_msg=what)
    else:
        # complex values are compared whole (real and imaginary parts), never cast to float
        wide = np.complex128 if "c" in (ea.dtype.kind, ta.dtype.kind) else np.float64
        np.testing.assert_allclose(ea.astype(wide), ta.astype(wide), atol=atol, rtol=rtol,
                                   equal_nan=True, err_msg=what)


def check_op(fn, shapes=None, *, arrays=None, dtype="float32", grad=True, atol=1e-5, rtol=1e-4,
             grad_atol=None, low=-2.0, high=2.0, positive=False, noncontiguous=False, seed=0,
             gradcheck=True):
    """Compare ``fn(lib, *inputs)`` between torch and ember, forward and backward.

    ``noncontiguous=True`` feeds transposed views (inputs of >= 2 dims).
    ``gradcheck`` also runs a float64 finite-difference check on ember alone (on the CPU).
    ember's inputs live on ``EMBER_TEST_DEVICE`` (tests/conftest.py), and so must its outputs;
    tensors ``fn`` makes itself (weights, targets) are made there too (``on_test_device``).
    """
    arrays = arrays if arrays is not None else make_arrays(shapes, dtype, low, high, seed, positive)
    is_float = np.issubdtype(arrays[0].dtype, np.floating) if arrays else False
    grad = grad and is_float

    def build(lib, as_tensor):
        ts = []
        for a in arrays:
            src = np.ascontiguousarray(np.swapaxes(a, -1, -2)) if noncontiguous and a.ndim >= 2 else a
            t = as_tensor(src.copy())
            if noncontiguous and a.ndim >= 2:
                t = t.transpose(-1, -2)
            if grad and np.issubdtype(a.dtype, np.floating):
                t = t.detach().requires_grad_(True)
            ts.append(t)
        return ts

    tin = build(torch, torch.from_numpy)
    ein = build(ember, lambda a: ember.from_numpy(a).to(TEST_DEVICE))
    tout = fn(torch, *tin)
    with on_test_device():
        eout = fn(ember, *ein)
    assert_close(eout, tout, atol, rtol)
    if TEST_DEVICE != "cpu" and arrays:
        for o in (eout if isinstance(eout, (tuple, list)) else (eout,)):
            assert not isinstance(o, ember.Tensor) or o.device.type == TEST_DEVICE, \
                f"an output left {TEST_DEVICE} for {o.device}"
    if not grad:
        return
    touts = [o for o in (tout if isinstance(tout, (tuple, list)) else (tout,))
             if isinstance(o, torch.Tensor) and o.requires_grad]
    eouts = [o for o in (eout if isinstance(eout, (tuple, list)) else (eout,))
             if isinstance(o, ember.Tensor) and o.requires_grad]
    assert len(touts) == len(eouts), "ember and torch disagree on which outputs require grad"
    if not touts:
        return
    rng = np.random.default_rng(seed + 1)
    cots = [random_cotangent(rng, tuple(o.shape), _to_np(o).dtype) for o in touts]
    torch.autograd.backward(touts, [torch.from_numpy(c.copy()) for c in cots])
    ember.autograd.backward(eouts, [ember.from_numpy(c.copy()).to(TEST_DEVICE) for c in cots])
    ga = grad_atol if grad_atol is not None else atol * 10
    for i, (te, ee) in enumerate(zip(tin, ein)):
        if not te.requires_grad:
            continue
        if te.grad is None:
            assert ee.grad is None or not np.any(_to_np(ee.grad)), f"grad of input {i}: torch None"
            continue
        assert ee.grad is not None, f"grad of input {i} is None in ember"
        assert_close(ee.grad, te.grad, ga, rtol * 10, f"grad of input {i}")
    if gradcheck and arrays and np.issubdtype(arrays[0].dtype, np.floating):
        gradcheck64(fn, arrays)


def on_test_device():
    """A context making ``EMBER_TEST_DEVICE`` the default device of ember's factories (nothing
    on the CPU), so a test's own constants land next to its inputs, as torch's
    ``set_default_device`` would place them."""
    return ember.device(TEST_DEVICE) if TEST_DEVICE != "cpu" else contextlib.nullcontext()


def gradcheck64(fn, arrays):
    """float64 finite-difference check of ember's backward for ``fn(ember, *inputs)``."""
    ins = [ember.from_numpy(a.astype(np.float64)).requires_grad_(True) if
           np.issubdtype(a.dtype, np.floating) else ember.from_numpy(a.copy()) for a in arrays]
    # keep the check cheap: only inputs with few elements
    if sum(a.size for a in arrays) > 400:
        return
    assert ember.autograd.gradcheck(lambda *xs: fn(ember, *xs), tuple(ins), eps=1e-6, atol=1e-5,
                                    rtol=1e-3)


def grads_like_torch(fn, *arrays, cotangent=0.75, atol=1e-6):
    """Outputs and ``autograd.grad`` of ``fn(lib, *inputs)`` in torch and ember agree: values
    (NaN where torch's are), dtypes and shapes, for float inputs given as NumPy arrays (0-d
    allowed) and a constant ``cotangent`` (inf and NaN allowed).  Unlike ``check_op`` no leaf
    accumulation casts the result, so a gradient in the wrong dtype shows."""
    grads, results = {}, {}
    for lib in (torch, ember):
        ins = [lib.tensor(np.array(a), requires_grad=True) for a in arrays]
        out = results[lib] = fn(lib, *ins)
        outs = [o for o in (out if isinstance(out, (tuple, list)) else (out,)) if o.requires_grad]
        cots = [lib.full(tuple(o.shape), cotangent, dtype=o.dtype) for o in outs]
        grads[lib] = lib.autograd.grad(outs, ins, cots, allow_unused=True)
    assert_close(results[ember], results[torch], atol, 1e-5)
    for i, (e, t) in enumerate(zip(grads[ember], grads[torch])):
        if t is None:
            assert e is None or not np.any(_to_np(e)), f"grad of input {i}: torch None"
        else:
            assert_close(e, t, atol, 1e-5, f"grad of input {i}")


def check_raises(fn, exc, match=None):
    """ember raises ``exc`` (the type torch raises) with a message matching ``match``."""
    with pytest.raises(exc, match=match):
        fn(ember)


def raises_like_torch(call, exc, match=None, *, torch_message=True):
    """``call(torch)`` and ``call(ember)`` raise the same exception type ``exc``, both messages
    matching ``match`` (ember's alone with ``torch_message=False``, where ours says more)."""
    with pytest.raises(exc, match=match if torch_message else None):
        call(torch)
    with pytest.raises(exc, match=match):
        call(ember)


def errors_like_torch(cases):
    """``raises_like_torch`` for each row (call, exc, match) of ``cases(lib)``: a table, built
    once per library, of calls without arguments on inputs made with ``lib``."""
    tables = {lib: cases(lib) for lib in (torch, ember)}
    assert len(tables[torch]) == len(tables[ember])
    for i, (_, exc, match) in enumerate(tables[ember]):
        raises_like_torch(lambda lib: tables[lib][i][0](), exc, match)
