"""Tensor factories against torch: dtype inference, shapes, values, memory sharing,
legacy constructors, and errors."""
import math

import numpy as np
import pytest

import ember
from tests.helpers import assert_close, check_op, raises_like_torch, torch


def _same(e, t, atol=0.0, rtol=1e-6):
    """Equal dtype, shape and values (complex values compared as complex)."""
    if t.is_complex():
        assert str(e.dtype)[6:] == str(t.dtype)[6:] and tuple(e.shape) == tuple(t.shape)
        np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), atol=atol, rtol=rtol)
    else:
        assert_close(e, t, atol=atol, rtol=rtol)


INFERENCE = [
    1, 1.5, True, 1 + 2j, [], [[]], [1, 2], [1.0, 2], [True, False], [True, 1], [True, 1.5],
    [1, 2j], [[1, 2], [3, 4]], (1, 2), range(3), 2 ** 63 - 1, -2 ** 63,
    np.float32(1.5), np.int32(3), np.float64(2.5), np.bool_(True), np.array(1.5),
    [np.float32(1.5), np.float32(2)], [np.int32(1), np.int32(2)], [np.float64(1.5), 2],
    [np.float16(1), 1.0], [np.int16(1), 2], np.array([1, 2], dtype=np.int32),
    np.array([[1.0]], dtype=np.float64), np.zeros((2, 0)), np.array([True]),
    [np.array([1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)],
]


@pytest.mark.filterwarnings("ignore:Creating a tensor from a list of numpy")
@pytest.mark.parametrize("data", INFERENCE, ids=repr)
def test_tensor_dtype_inference(data):
    _same(ember.tensor(data), torch.tensor(data))


@pytest.mark.parametrize("default", ["float64", "float32"])
def test_inference_follows_default_dtype(default):
    old = ember.get_default_dtype()
    ember.set_default_dtype(getattr(ember, default))
    try:
        assert ember.tensor([1.5]).dtype is getattr(ember, default)
        assert ember.tensor(1j).dtype is (ember.complex128 if default == "float64" else ember.complex64)
        assert ember.zeros(2).dtype is getattr(ember, default)
        assert ember.arange(0, 1, 0.5).dtype is getattr(ember, default)
    finally:
        ember.set_default_dtype(old)


def test_tensor_from_tensors():
    i32 = [ember.tensor(1, dtype=ember.int32), ember.tensor(2, dtype=ember.int32)]
    ti32 = [torch.tensor(1, dtype=torch.int32), torch.tensor(2, dtype=torch.int32)]
    _same(ember.tensor(i32), torch.tensor(ti32))
    _same(ember.tensor([ember.tensor(1.0, dtype=ember.float64), 2]),
          torch.tensor([torch.tensor(1.0, dtype=torch.float64), 2]))
    _same(ember.tensor([ember.tensor(1), 2.5]), torch.tensor([torch.tensor(1), 2.5]))
    src = ember.tensor([1.0, 2.0], requires_grad=True)
    copy = ember.tensor(src.detach())
    copy.add_(1)
    assert src.tolist() == [1.0, 2.0] and not copy.requires_grad


@pytest.mark.parametrize("kwargs", [dict(dtype="float64"), dict(dtype="int64"), dict(dtype="bool"),
                                    dict(dtype="uint8"), dict(dtype="float16")])
def test_tensor_dtype_argument(kwargs):
    data = [1.7, -2.7, 0.0]
    dt = kwargs["dtype"]
    if dt == "uint8":
        data = [1.7, 2.7, 0.0]
    _same(ember.tensor(data, dtype=getattr(ember, dt)), torch.tensor(data, dtype=getattr(torch, dt)))


@pytest.mark.parametrize("data,exc,match", [
    ([[1, 2], [3]], ValueError, r"expected sequence of length 2 at dim 1 \(got 1\)"),
    ([[1, 2], 3], TypeError, "not a sequence"),
    ("a", TypeError, "invalid data type 'str'"),
    (None, RuntimeError, "Could not infer dtype of NoneType"),
    (2 ** 63, ValueError, "Overflow"),
    ([1, 2 ** 64], ValueError, "Overflow"),
])
def test_tensor_errors(data, exc, match):
    with pytest.raises(exc):
        torch.tensor(data)
    with pytest.raises(exc, match=match):
        ember.tensor(data)


def test_requires_grad():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    assert x.requires_grad and x.is_leaf
    with pytest.raises(RuntimeError, match="floating point"):
        ember.tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="floating point"):
        ember.ones(2, dtype=ember.long, requires_grad=True)
    assert ember.zeros(2, 3, requires_grad=True).requires_grad


# -- memory sharing ---------------------------------------------------------------------
def test_from_numpy_shares_memory():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = ember.from_numpy(a)
    a[0, 0] = 100
    assert t.tolist()[0][0] == 100
    t.add_(1)
    assert a[0, 0] == 101
    assert ember.from_numpy(a[:, 1]).tolist() == [2.0, 5.0]
    with pytest.raises(ValueError, match="negative"):
        ember.from_numpy(a[:, ::-1])
    with pytest.raises(ValueError, match="byte order"):
        ember.from_numpy(np.zeros(2, ">f4"))
    with pytest.raises(TypeError, match="np.ndarray"):
        ember.from_numpy([1, 2])
    with pytest.raises(TypeError, match="float128"):
        ember.from_numpy(np.zeros(2, np.longdouble))
    assert ember.from_numpy(np.zeros(2, np.uint16)).dtype is ember.uint16  # as torch 2.13


def test_as_tensor_and_asarray_share_when_possible():
    a = np.ones(3, np.float32)
    for fn in (ember.as_tensor, ember.asarray):
        t = fn(a)
        a[0] = 5
        assert t.tolist()[0] == 5
        a[0] = 1
    c = ember.as_tensor(a, dtype=ember.float64)
    a[1] = 7
    assert c.tolist()[1] == 1 and c.dtype == ember.float64
    x = ember.zeros(3)
    assert ember.as_tensor(x) is x
    assert ember.asarray(x) is x
    assert ember.as_tensor([1, 2]).dtype == ember.int64
    assert ember.asarray(a, copy=True).numpy() is not a
    copied = ember.asarray(a, copy=True)
    a[2] = 9
    assert copied.tolist()[2] == 1
    with pytest.raises(ValueError, match="copy=False"):
        ember.asarray(a, dtype=ember.float64, copy=False)
    g = ember.asarray([1.0, 2.0], requires_grad=True)
    assert g.requires_grad and g.is_leaf


def test_tensor_copies():
    a = np.ones(3, np.float32)
    t = ember.tensor(a)
    a[0] = 5
    assert t.tolist()[0] == 1


# -- sized factories ----------------------------------------------------------------------
FACTORIES = [
    lambda m: m.zeros(2, 3), lambda m: m.zeros((2, 3)), lambda m: m.zeros([2, 3]),
    lambda m: m.zeros(m.Size([2, 3])), lambda m: m.zeros(size=(2, 3)), lambda m: m.zeros(()),
    lambda m: m.zeros([]), lambda m: m.zeros(5, 3, dtype=m.long), lambda m: m.zeros(0, 4),
    lambda m: m.ones(2, dtype=m.bool), lambda m: m.ones(3, 1, dtype=m.float64),
    lambda m: m.ones(np.int64(3)), lambda m: m.zeros(m.tensor(3)),
    lambda m: m.full((2, 3), 1.5), lambda m: m.full([2], 1), lambda m: m.full((2,), True),
    lambda m: m.full((2,), 1 + 2j), lambda m: m.full((2,), np.float64(1.5)),
    lambda m: m.full((2,), m.tensor(1.5)), lambda m: m.full((2,), 1.5, dtype=m.long),
    lambda m: m.full(m.Size([1, 2]), 7), lambda m: m.scalar_tensor(3),
    lambda m: m.eye(3), lambda m: m.eye(2, 3, dtype=m.long), lambda m: m.eye(0),
    lambda m: m.zeros_like(m.ones(2, dtype=m.long)), lambda m: m.ones_like(m.zeros(2, 2)),
    lambda m: m.zeros_like(m.ones(2, dtype=m.long), dtype=m.float32),
    lambda m: m.full_like(m.zeros(2, dtype=m.long), 2.7), lambda m: m.full_like(m.zeros(2), 3),
    lambda m: m.ones(2).new_zeros(2, 3), lambda m: m.ones(2).new_zeros((2, 3)),
    lambda m: m.ones(2, dtype=m.long).new_ones(size=(2, 3)),
    lambda m: m.ones(2).new_full((2, 3), 5), lambda m: m.ones(2, dtype=m.long).new_full((2,), 5.5),
    lambda m: m.ones(2, dtype=m.long).new_tensor([1.5]), lambda m: m.ones(2).new_tensor([1, 2]),
    lambda m: m.ones(2).new_ones(3, dtype=m.float64),
]


@pytest.mark.parametrize("fn", FACTORIES)
def test_factories_as_torch(fn):
    _same(fn(ember), fn(torch))


@pytest.mark.parametrize("fn", [
    lambda m: m.empty(2, 3), lambda m: m.empty((0,)), lambda m: m.empty_like(m.zeros(3, dtype=m.int32)),
    lambda m: m.ones(2).new_empty(2, 3), lambda m: m.ones(2).new_empty((4,), dtype=m.long),
])
def test_empty_shapes_and_dtypes(fn):
    e, t = fn(ember), fn(torch)
    assert tuple(e.shape) == tuple(t.shape) and str(e.dtype)[6:] == str(t.dtype)[6:]


def test_out_argument():
    out = ember.empty(0)
    r = ember.zeros(2, 3, out=out)
    assert r is out and out.shape == (2, 3) and out.tolist() == [[0.0] * 3] * 2
    out = ember.empty(5, dtype=ember.long)
    assert ember.arange(5, out=out) is out and out.tolist() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("fn,exc,match", [
    (lambda m: m.zeros(2.5), TypeError, "must be a tuple of ints"),
    (lambda m: m.zeros(-1), RuntimeError, "negative"),
    (lambda m: m.zeros((2,), (3,)), TypeError, ""),
    (lambda m: m.full(3, 1.0), TypeError, "must be tuple of ints, not int"),
    (lambda m: m.eye(-1), RuntimeError, "n must be greater or equal to 0, got -1"),
    (lambda m: m.arange(1, 0, 0.3), RuntimeError, "upper bound and lower bound inconsistent with step sign"),
    (lambda m: m.arange(0, 5, 0), RuntimeError, "step must be nonzero"),
    (lambda m: m.arange(float("inf")), RuntimeError, "unsupported range"),
    (lambda m: m.linspace(0, 1, -1), RuntimeError, "number of steps must be non-negative"),
    (lambda m: m.complex(m.ones(1), m.ones(1, dtype=m.float64)), RuntimeError, "scalar type Float but got scalar type Double"),
    (lambda m: m.complex(m.ones(1, dtype=m.long), m.ones(1, dtype=m.long)), RuntimeError, "Half, Float or Double"),
])
def test_factory_errors(fn, exc, match):
    raises_like_torch(fn, exc, match or None, torch_message=False)


# -- ranges ----------------------------------------------------------------------------
RANGES = [
    lambda m: m.arange(5), lambda m: m.arange(2, 9, 3), lambda m: m.arange(5, 0, -2),
    lambda m: m.arange(0, 1, 0.1), lambda m: m.arange(0, 1, 0.3), lambda m: m.arange(1, 0, -0.3),
    lambda m: m.arange(-3.3, 11.1, 0.013), lambda m: m.arange(5, dtype=m.float32),
    lambda m: m.arange(0, 10, 2.5, dtype=m.float64), lambda m: m.arange(m.tensor(5)),
    lambda m: m.arange(np.int64(4)), lambda m: m.arange(0.5, 3), lambda m: m.arange(3, 3),
    lambda m: m.linspace(0, 1, 7), lambda m: m.linspace(-3.3, 11.1, 1001),
    lambda m: m.linspace(2.5, -7, 33, dtype=m.float64), lambda m: m.linspace(0, 10, 5, dtype=m.int64),
    lambda m: m.linspace(0, 1, 1), lambda m: m.linspace(0, 1, 0), lambda m: m.linspace(m.tensor(0.0), 1, 3),
    lambda m: m.logspace(0, 2, 3, base=2), lambda m: m.logspace(0, 2, 3, dtype=m.int64),
    lambda m: m.logspace(-3.3, 1.1, 101),
]


@pytest.mark.parametrize("fn", RANGES)
def test_ranges_as_torch(fn):
    # torch's vectorised kernels round the last ulp differently; lengths and dtypes are exact
    _same(fn(ember), fn(torch), atol=1e-6, rtol=1e-6)


def test_deprecated_range_includes_end():
    assert ember.range(0, 1, 0.25).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert ember.range(0, 1, 0.25).dtype == ember.float32


# -- complex -----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_complex_values(dtype):
    re, im = np.array([1.0, -2.0], dtype), np.array([[0.5], [3.0]], dtype)
    _same(ember.complex(ember.from_numpy(re), ember.from_numpy(im)),
          torch.complex(torch.from_numpy(re), torch.from_numpy(im)))


def test_complex_gradient():
    re = ember.tensor([1.0, 2.0], requires_grad=True)
    im = ember.tensor([3.0], requires_grad=True)
    z = ember.complex(re, im)
    z.backward(ember.complex(ember.tensor([1.0, 2.0]), ember.tensor([5.0, 7.0])))
    tre = torch.tensor([1.0, 2.0], requires_grad=True)
    tim = torch.tensor([3.0], requires_grad=True)
    torch.complex(tre, tim).backward(torch.complex(torch.tensor([1.0, 2.0]), torch.tensor([5.0, 7.0])))
    _same(re.grad, tre.grad)
    _same(im.grad, tim.grad)


# -- legacy constructors ------------------------------------------------------------------
LEGACY = ["FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ByteTensor", "BoolTensor",
          "HalfTensor"]


@pytest.mark.parametrize("name", LEGACY)
def test_legacy_constructors(name):
    E, T = getattr(ember, name), getattr(torch, name)
    data = [1, 0, 1] if name in ("ByteTensor", "BoolTensor") else [1.5, 2, -3]
    _same(E(data), T(data))
    _same(E(np.array([1, 0])), T(np.array([1, 0])))
    e, t = E(2, 3), T(2, 3)
    assert tuple(e.shape) == (2, 3) and str(e.dtype)[6:] == str(t.dtype)[6:]
    assert tuple(E(ember.Size([4])).shape) == (4,) and tuple(E().shape) == (0,)
    x = E(data)
    assert isinstance(x, E) and isinstance(x, ember.Tensor)
    assert not isinstance(ember.zeros(1, dtype=ember.complex64), E)
    assert x.type() == "ember." + name and x.type(E) is x
    assert ember.zeros(2).type(E).type() == "ember." + name
    assert E(x) is x
    assert issubclass(E, ember.Tensor) == issubclass(T, torch.Tensor)


def test_legacy_type_mismatch_and_bad_data():
    with pytest.raises(TypeError):
        torch.FloatTensor(torch.tensor([1, 0]))
    with pytest.raises(TypeError, match="dtype"):
        ember.FloatTensor(ember.tensor([1, 0]))
    with pytest.raises(TypeError, match="must be a sequence"):
        ember.Tensor(3.5)
    assert repr(ember.FloatTensor) == "<class 'ember.FloatTensor'>"


def test_tensor_class_constructor():
    _same(ember.Tensor([1, 2]), torch.Tensor([1, 2]))
    _same(ember.Tensor((2, 3)), torch.Tensor((2, 3)))
    assert tuple(ember.Tensor(2, 3).shape) == (2, 3) and ember.Tensor(2, 3).dtype == ember.float32
    assert tuple(ember.Tensor().shape) == (0,)
    t = ember.tensor([1, 2])
    assert ember.Tensor(t) is t
    old = ember.get_default_dtype()
    ember.set_default_dtype(ember.float64)
    try:
        assert ember.Tensor([1]).dtype == ember.float64
    finally:
        ember.set_default_dtype(old)


def test_legacy_new_method():
    x = ember.zeros(2, dtype=ember.long)
    assert x.new(2, 3).dtype == ember.long and tuple(x.new(2, 3).shape) == (2, 3)
    _same(x.new([1, 2]), torch.zeros(2, dtype=torch.long).new([1, 2]))
    assert tuple(x.new().shape) == (0,)


def test_device_argument():
    for fn in (ember.zeros, ember.ones, ember.empty):
        assert fn(2, device="cpu").device == ember.device("cpu")
    assert ember.tensor([1], device=ember.device("cpu")).is_cpu
    assert ember.arange(3, device="cpu").is_cpu and ember.eye(2, device="cpu").is_cpu


def test_factories_are_differentiable_leaves():
    w = ember.full((2,), 3.0, requires_grad=True)
    check_op(lambda m, a: a * m.ones(3), [(3,)])
    assert w.is_leaf and w.grad_fn is None and math.isclose(w.tolist()[0], 3.0)
