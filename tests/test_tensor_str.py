"""ember._tensor_str against the repr of real PyTorch tensors holding the same values."""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402


def _load_tensor_str():
    """Import ember._tensor_str, or load it from its file while the package is unusable.

    The rest of ember is written alongside this module and may not import yet; this
    module depends on nothing else in it.
    """
    try:
        from ember import _tensor_str
    except Exception:
        path = Path(__file__).resolve().parents[1] / "ember" / "_tensor_str.py"
        spec = importlib.util.spec_from_file_location("_ember_tensor_str", path)
        _tensor_str = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_tensor_str)
    return _tensor_str


tensor_str = _load_tensor_str()


def ember_repr(t, *, prefix="tensor("):
    """format_tensor on the values and metadata of torch tensor ``t``."""
    return tensor_str.format_tensor(
        t.detach().numpy(),
        dtype_name=str(t.dtype).removeprefix("torch."),
        default_dtype_name=str(torch.get_default_dtype()).removeprefix("torch."),
        is_floating=t.is_floating_point(),
        requires_grad=t.requires_grad,
        grad_fn_name=type(t.grad_fn).__name__ if t.grad_fn is not None else None,
        prefix=prefix,
    )


def torch_repr(t):
    return repr(t).replace("torch.", "ember.")


def check(t):
    assert ember_repr(t) == torch_repr(t)


@pytest.fixture
def restore_printoptions():
    """Put both libraries back on their default print options after the test."""
    yield
    torch.set_printoptions(profile="default")
    tensor_str.set_printoptions(profile="default")


def rand(*shape, scale=1.0, seed=0, dtype=torch.float32):
    rng = np.random.default_rng(seed)
    return torch.tensor(rng.standard_normal(shape) * scale, dtype=dtype)


T = torch.tensor
nan, inf = math.nan, math.inf

CASES = {
    # 0-d
    "scalar_float": lambda: T(3.0),
    "scalar_frac": lambda: T(1.5),
    "scalar_neg_zero": lambda: T(-0.0),
    "scalar_zero": lambda: T(0.0),
    "scalar_tiny": lambda: T(1e-5),
    "scalar_huge": lambda: T(1e10),
    "scalar_nan": lambda: T(nan),
    "scalar_ninf": lambda: T(-inf),
    "scalar_int": lambda: T(5),
    "scalar_neg_int": lambda: T(-123),
    "scalar_bool": lambda: T(True),
    "scalar_f64": lambda: T(2.5, dtype=torch.float64),
    "scalar_f16": lambda: T(0.1, dtype=torch.float16),
    "scalar_int8": lambda: T(-7, dtype=torch.int8),
    # empty
    "empty_1d": lambda: torch.zeros(0),
    "empty_2d": lambda: torch.zeros(0, 3),
    "empty_3d": lambda: torch.zeros(2, 0, 3),
    "empty_int64": lambda: torch.zeros(0, dtype=torch.int64),
    "empty_int32_2d": lambda: torch.zeros(3, 0, dtype=torch.int32),
    "empty_bool": lambda: torch.zeros(0, dtype=torch.bool),
    "empty_f64": lambda: torch.zeros(0, 2, dtype=torch.float64),
    "empty_f16": lambda: torch.zeros(0, dtype=torch.float16),
    # floats, 1-d
    "ints_as_float": lambda: T([1.0, 2.0, 3.0]),
    "ints_as_float_neg": lambda: T([-1.0, 20.0, -300.0]),
    "ints_as_float_wide": lambda: T([1.0, 2000.0]),
    "ints_as_float_1e8": lambda: T([1e8, 1.0]),
    "ints_as_float_over_1e8": lambda: T([123456789.0, 2.0]),
    "fractions": lambda: T([1.5, 2.25, -3.125]),
    "round_up": lambda: T([9.99995, 0.5]),
    "small_ratio": lambda: T([0.1, 100.0]),
    "ratio_over_1000": lambda: T([0.1, 100.5]),
    "below_1e-4": lambda: T([1e-5, 0.5]),
    "exactly_1e-4": lambda: T([1e-4, 0.5]),
    "tiny_only": lambda: T([1e-10, 3e-10]),
    "huge_only": lambda: T([1e10, 3e10]),
    "tiny_and_huge": lambda: T([1e-10, 1e10]),
    "neg_zero": lambda: T([-0.0, 0.0, 1.0]),
    "neg_zero_frac": lambda: T([-0.0, 0.5]),
    "zeros": lambda: torch.zeros(4),
    "nan_inf_ints": lambda: T([nan, 1.0, inf, -inf]),
    "nan_inf_frac": lambda: T([nan, 1.5, inf, -inf]),
    "nan_inf_sci": lambda: T([nan, 1e-8, inf, -inf]),
    "only_nan": lambda: T([nan, nan]),
    "only_inf": lambda: T([inf, -inf]),
    "mixed_signs": lambda: T([-1.25, 3.5, -0.001, 42.0]),
    "subnormal": lambda: T([1e-45, 1.0]),
    # magnitudes
    **{f"randn_1e{e}": (lambda e=e: rand(5, scale=10.0**e, seed=e + 20)) for e in range(-10, 11)},
    # shapes
    "randn_2x3": lambda: rand(2, 3),
    "randn_2x3x4": lambda: rand(2, 3, 4),
    "randn_2x1x3x2": lambda: rand(2, 1, 3, 2),
    "randn_1x1x1": lambda: rand(1, 1, 1),
    "randn_3x1": lambda: rand(3, 1),
    "randn_5d": lambda: rand(2, 2, 1, 2, 2),
    # line wrapping
    "long_row": lambda: torch.arange(30) * 1.123,
    "long_row_ints": lambda: torch.arange(40),
    "randn_100": lambda: rand(100),
    "randn_3x40": lambda: rand(3, 40),
    "randn_2x2x30": lambda: rand(2, 2, 30, scale=1e3),
    "wide_sci_row": lambda: rand(30, scale=1e9),
    "long_big_ints": lambda: torch.arange(50, dtype=torch.int64) * 10**15,
    # summarization
    "arange_1000": lambda: torch.arange(1000.0),
    "arange_1001": lambda: torch.arange(1001.0),
    "randn_2000": lambda: rand(2000),
    "randn_40x40": lambda: rand(40, 40),
    "randn_11x11x11": lambda: rand(11, 11, 11),
    "randn_1001x1": lambda: rand(1001, 1),
    "randn_1x1001": lambda: rand(1, 1001),
    "randn_4x300": lambda: rand(4, 300),
    "middle_outlier": lambda: torch.cat([torch.ones(600), T([1e-9]), torch.ones(600)]),
    "ints_2000": lambda: torch.arange(-1000, 1000).reshape(40, 50),
    "bool_2000": lambda: torch.arange(2000) % 3 == 0,
    "f64_summarized": lambda: rand(50, 50, dtype=torch.float64),
    # integer and bool dtypes
    **{f"ints_{d}": (lambda d=d: T([[-5, 17, 0], [100, -1, 3]], dtype=getattr(torch, d)))
       for d in ("int8", "int16", "int32", "int64")},
    "uint8": lambda: T([0, 7, 255], dtype=torch.uint8),
    "int64_extremes": lambda: T([-(2**63), 2**63 - 1]),
    "int32_extremes": lambda: T([-(2**31), 2**31 - 1], dtype=torch.int32),
    "bools": lambda: T([True, False, True]),
    "bools_true": lambda: T([[True, True]]),
    # float dtypes
    "f64": lambda: T([1.0, 2.5, -3.0], dtype=torch.float64),
    "f64_tiny": lambda: T([1e-300, 1.0], dtype=torch.float64),
    "f64_ratio_overflows": lambda: T([1e308, 5e-324], dtype=torch.float64),
    "f64_ints": lambda: T([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64),
    "f16": lambda: T([0.1, 65504.0, -2.0], dtype=torch.float16),
    "f16_ints": lambda: T([1.0, 2.0], dtype=torch.float16),
    "f16_tiny": lambda: T([6e-8, 1.0, nan], dtype=torch.float16),
    "f16_randn": lambda: rand(3, 5, dtype=torch.float16),
    # complex dtypes
    "complex_scalar": lambda: T(1 - 0j),
    "complex_scalar_nan": lambda: T(complex(nan, -inf)),
    "complex_mixed": lambda: T([1 + 2j, -3.5 - 0.25j, complex(nan, inf), -0.0 - 0.0j]),
    "complex_ints": lambda: T([1 + 1j, 2 - 3j]),
    "complex128": lambda: T([1j, 1e-8 + 5j], dtype=torch.complex128),
    "complex_empty": lambda: torch.zeros(0, 2, dtype=torch.complex64),
    "complex_wrap": lambda: torch.complex(rand(3, 20), rand(3, 20, scale=1e-3, seed=1)),
    "complex_summarized": lambda: torch.complex(rand(40, 40), rand(40, 40, seed=1)),
}


@pytest.mark.parametrize("name", CASES)
def test_matches_torch(name):
    check(CASES[name]())


# (tensor builder, grad_fn) pairs: leaf tensors and results of differentiable ops.
GRAD_CASES = {
    "leaf": lambda: torch.ones(3, requires_grad=True),
    "leaf_scalar": lambda: T(2.5, requires_grad=True),
    "leaf_f64": lambda: T([1.0, 2.0], dtype=torch.float64, requires_grad=True),
    "leaf_empty": lambda: torch.zeros(0, 2, requires_grad=True),
    "mul": lambda: rand(3).requires_grad_() * 2,
    "sum": lambda: rand(2, 3).requires_grad_().sum(),
    "matmul_f64": lambda: rand(2, 3, dtype=torch.float64).requires_grad_() @ rand(3, 2, dtype=torch.float64),
    "wrapping_suffix": lambda: (rand(4, 9, scale=100).requires_grad_() + 1),
    "big": lambda: rand(50, 50).requires_grad_().exp(),
}


@pytest.mark.parametrize("name", GRAD_CASES)
def test_autograd_suffix(name):
    check(GRAD_CASES[name]())


@pytest.mark.parametrize("n", range(1, 16))
@pytest.mark.parametrize("dtype", [torch.float64, torch.int32, torch.float16])
def test_suffix_wraps_at_linewidth(n, dtype):
    """Rows of growing length push the dtype suffix past the line width at some point."""
    check((torch.arange(n) * 1234 + 1).to(dtype))
    check((torch.arange(2 * n).reshape(2, n) * 1234 + 1).to(dtype).requires_grad_(dtype.is_floating_point))


class ALongTensorSubclassName(torch.Tensor):
    """A subclass whose repr starts with its own name, indenting by its length."""


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 2, 40), (1200,)])
def test_custom_prefix_sets_indent(shape):
    t = rand(*shape).as_subclass(ALongTensorSubclassName)
    prefix = "ALongTensorSubclassName("
    assert ember_repr(t, prefix=prefix) == torch_repr(t)


@pytest.mark.usefixtures("restore_printoptions")
@pytest.mark.parametrize("default", [torch.float64, torch.float16])
def test_other_default_dtype(default):
    previous = torch.get_default_dtype()
    torch.set_default_dtype(default)
    try:
        for build in (lambda: T([1.5, 2.0]), lambda: T([1.5, 2.0], dtype=torch.float32),
                      lambda: torch.zeros(0), lambda: torch.zeros(0, dtype=torch.float32),
                      lambda: torch.zeros(0, dtype=torch.int64), lambda: T([1, 2]),
                      lambda: T([1j], dtype=torch.complex64),
                      lambda: T([1j], dtype=torch.complex128)):
            check(build())
    finally:
        torch.set_default_dtype(previous)


def test_device_suffix():
    fmt = tensor_str.format_tensor
    kwargs = dict(dtype_name="float32", default_dtype_name="float32", is_floating=True)
    values = np.array([1.0, 2.0], dtype=np.float32)
    assert fmt(values, device="cuda:0", **kwargs) == "tensor([1., 2.], device='cuda:0')"
    assert fmt(values, device="cpu", **kwargs) == "tensor([1., 2.])"
    assert (fmt(values, device="cuda:1", requires_grad=True, **kwargs)
            == "tensor([1., 2.], device='cuda:1', requires_grad=True)")
    assert (fmt(values.astype(np.float64), device="cuda:0", dtype_name="float64",
                default_dtype_name="float32", is_floating=True, grad_fn_name="MulBackward0")
            == "tensor([1., 2.], device='cuda:0', dtype=ember.float64, grad_fn=<MulBackward0>)")
    assert (fmt(np.zeros((0, 3), np.int64), device="cuda:0", dtype_name="int64",
                default_dtype_name="float32", is_floating=False)
            == "tensor([], device='cuda:0', size=(0, 3), dtype=ember.int64)")


PRINT_OPTION_SETS = [
    dict(precision=2),
    dict(precision=0),
    dict(precision=8),
    dict(threshold=5),
    dict(threshold=0),
    dict(threshold=5, edgeitems=1),
    dict(threshold=5, edgeitems=0),
    dict(edgeitems=0),
    dict(linewidth=40),
    dict(linewidth=10),
    dict(linewidth=120),
    dict(profile="short"),
    dict(profile="full"),
    dict(profile="short", precision=6),
    dict(sci_mode=True),
    dict(sci_mode=False),
    dict(sci_mode=True, precision=2),
    dict(profile="bogus"),
]

OPTION_SAMPLES = [
    lambda: T(3.25), lambda: T(7), lambda: torch.zeros(0, 3), lambda: T([1.0, 2.0]),
    lambda: T([1e-8, 2e10, nan]), lambda: T([0.0, 0.0]), lambda: T([0.123456789, -5.5]),
    lambda: torch.arange(10), lambda: rand(4, 5), lambda: rand(3, 4, 5, scale=1e5),
    lambda: rand(2000), lambda: rand(12, 30), lambda: T([True, False] * 4),
    lambda: rand(3, 2, dtype=torch.float64).requires_grad_(),
]


@pytest.mark.usefixtures("restore_printoptions")
@pytest.mark.parametrize("options", PRINT_OPTION_SETS, ids=str)
def test_printoptions_match_torch(options):
    torch.set_printoptions(**options)
    tensor_str.set_printoptions(**options)
    assert tensor_str.get_printoptions() == torch._tensor_str.get_printoptions()
    for build in OPTION_SAMPLES:
        check(build())


@pytest.mark.usefixtures("restore_printoptions")
def test_printoptions_accumulate_and_reset():
    """Options persist across calls, except sci_mode, which every call replaces."""
    for options in (dict(precision=3, sci_mode=True), dict(linewidth=50), dict(profile="short"),
                    dict(edgeitems=5), dict(profile="default")):
        torch.set_printoptions(**options)
        tensor_str.set_printoptions(**options)
        assert tensor_str.get_printoptions() == torch._tensor_str.get_printoptions()
    assert tensor_str.get_printoptions() == dict(
        precision=4, threshold=1000, edgeitems=3, linewidth=80, sci_mode=None)


def test_get_printoptions_returns_copy():
    tensor_str.get_printoptions()["precision"] = 99
    assert tensor_str.get_printoptions()["precision"] == 4


FLOAT_DTYPES = {np.float16: 16, np.float32: 32, np.float64: 64}


@st.composite
def float_arrays(draw):
    """Float arrays of any small shape with values spread over many magnitudes."""
    dtype = draw(st.sampled_from(list(FLOAT_DTYPES)))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=7))
    elements = st.floats(width=FLOAT_DTYPES[dtype], allow_nan=True, allow_infinity=True)
    arr = draw(hnp.arrays(dtype, shape, elements=elements))
    if draw(st.booleans()):
        arr = np.asarray(np.round(arr))
    return arr


@settings(max_examples=300, deadline=None)
@given(float_arrays())
def test_random_floats_match_torch(arr):
    check(torch.from_numpy(arr))


@st.composite
def complex_arrays(draw):
    """Complex arrays whose two parts are drawn independently, nan and inf included."""
    dtype = draw(st.sampled_from([np.complex64, np.complex128]))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6))
    width = 32 if dtype is np.complex64 else 64
    arr = np.empty(shape, dtype)
    arr.real, arr.imag = (draw(hnp.arrays(np.float64, shape, elements=st.floats(width=width)))
                          for _ in range(2))
    return arr


@settings(max_examples=150, deadline=None)
@given(complex_arrays())
def test_random_complex_match_torch(arr):
    check(torch.from_numpy(arr))


@settings(max_examples=100, deadline=None)
@given(hnp.arrays(st.sampled_from([np.int8, np.int16, np.int32, np.int64, np.uint8, np.bool_]),
                  hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=8)))
def test_random_ints_match_torch(arr):
    check(torch.from_numpy(arr))


@pytest.mark.usefixtures("restore_printoptions")
@settings(max_examples=100, deadline=None)
@given(float_arrays(), st.integers(0, 6), st.integers(0, 40), st.integers(0, 3),
       st.integers(8, 120), st.sampled_from([None, True, False]))
def test_random_printoptions_match_torch(arr, precision, threshold, edgeitems, linewidth, sci):
    options = dict(precision=precision, threshold=threshold, edgeitems=edgeitems,
                   linewidth=linewidth, sci_mode=sci)
    torch.set_printoptions(**options)
    tensor_str.set_printoptions(**options)
    try:
        check(torch.from_numpy(arr))
    finally:
        torch.set_printoptions(profile="default")
        tensor_str.set_printoptions(profile="default")
