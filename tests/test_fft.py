"""ember.fft, stft/istft, the window functions and the complex views they need, against torch."""
import warnings

import numpy as np
import pytest

import ember
from tests.helpers import check_op, assert_close, errors_like_torch, torch

ONE_D = ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft")
MULTI = ("fft2", "ifft2", "rfft2", "irfft2", "hfft2", "ihfft2",
         "fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn")
REAL_ONLY = {"rfft", "rfft2", "rfftn", "ihfft", "ihfft2", "ihfftn"}
NORMS = (None, "ortho", "forward")


def _real_view(lib, y):
    """A real tensor holding ``y``'s values (complex -> (..., 2)), so that every output
    component gets its own cotangent."""
    return lib.view_as_real(y.resolve_conj()) if y.is_complex() else y


def _sizes(name, norm):
    """No resizing, then (at the default norm) truncation and zero padding of the transformed
    dims."""
    if norm is not None:
        return [{}]
    if name in ONE_D:
        return [{}, {"n": 4}, {"n": 9}]
    return [{}, {"s": (3, 4)}, {"s": (5, 9)}]


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("name", ONE_D + MULTI)
def test_real_input_values_and_gradients(name, norm):
    for kw in _sizes(name, norm):
        check_op(lambda lib, x: _real_view(lib, getattr(lib.fft, name)(x, norm=norm, **kw)),
                 [(4, 6)], atol=1e-4)


def _complex_grads(lib, arr, fn):
    x = lib.from_numpy(arr.copy()).requires_grad_(True)
    y = _real_view(lib, fn(lib, x))
    weights = np.cos(np.arange(y.numel())).reshape(tuple(y.shape))
    w = lib.from_numpy(weights.astype(y.detach().numpy().dtype))
    (y * w).sum().backward()
    return y, _real_view(lib, x.grad)


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("name", [n for n in ONE_D + MULTI if n not in REAL_ONLY])
def test_complex_input_values_and_gradients(name, norm):
    rng = np.random.default_rng(1)
    for dtype in (np.complex64, np.complex128) if norm is None else (np.complex64,):
        arr = (rng.standard_normal((4, 6)) + 1j * rng.standard_normal((4, 6))).astype(dtype)
        for kw in _sizes(name, norm):
            def fn(lib, x):
                return getattr(lib.fft, name)(x, norm=norm, **kw)
            ty, tg = _complex_grads(torch, arr, fn)
            ey, eg = _complex_grads(ember, arr, fn)
            assert_close(ey, ty, 1e-4, 1e-4)
            assert_close(eg, tg, 1e-4, 1e-4, "grad")


@pytest.mark.parametrize("kw", [{"dim": 0}, {"dim": -2, "n": 3}])
def test_one_d_along_other_dims(kw):
    check_op(lambda lib, x: _real_view(lib, lib.fft.fft(x, **kw)), [(5, 3)])
    check_op(lambda lib, x: lib.fft.irfft(lib.fft.rfft(x, **kw), **kw), [(5, 3)])


@pytest.mark.parametrize("kw", [{"dim": (0,)}, {"dim": (2, 0)}, {"s": (3, -1), "dim": (0, 2)},
                                {"s": (4,)}, {"dim": ()}])
def test_fftn_dims_and_sizes(kw):
    check_op(lambda lib, x: _real_view(lib, lib.fft.fftn(x, **kw)), [(3, 2, 4)])
    if kw.get("dim") != ():
        check_op(lambda lib, x: _real_view(lib, lib.fft.rfftn(x, **kw)), [(3, 2, 4)])


def test_filtering_in_the_frequency_domain():
    """A complex factor's gradient is taken with its conjugate, as torch does."""
    rng = np.random.default_rng(2)
    h = (rng.standard_normal(5) + 1j * rng.standard_normal(5)).astype(np.complex64)
    check_op(lambda lib, x: lib.fft.irfft(lib.fft.rfft(x) * lib.tensor(h), n=8), [(3, 8)])
    check_op(lambda lib, x: _real_view(lib, lib.fft.fft(x) * (2 - 1j)), [(6,)])
    _, tg = _complex_grads(torch, h, lambda lib, z: z * lib.from_numpy(h[::-1].copy()))
    _, eg = _complex_grads(ember, h, lambda lib, z: z * lib.from_numpy(h[::-1].copy()))
    assert_close(eg, tg, what="grad")


def test_losses_on_magnitude_and_real_part():
    check_op(lambda lib, x: lib.fft.fft(x).abs().sum(), [(8,)])
    check_op(lambda lib, x: lib.fft.fft2(x).real.sum() + lib.fft.rfft(x).imag.pow(2).sum(),
             [(3, 4)])


@pytest.mark.parametrize("dtype, want", [("float32", "complex64"), ("float64", "complex128"),
                                         ("int64", "complex64"), ("bool", "complex64")])
def test_dtypes(dtype, want):
    arr = np.arange(6).reshape(2, 3).astype(dtype)
    for name in ("fft", "rfft", "fft2", "ihfft"):
        got = getattr(ember.fft, name)(ember.from_numpy(arr.copy()))
        assert got.dtype.name == want
        assert_close(_real_view(ember, got),
                     _real_view(torch, getattr(torch.fft, name)(torch.from_numpy(arr.copy()))))
    real = ember.fft.irfft(ember.fft.rfft(ember.from_numpy(arr.astype(np.float64))))
    assert real.dtype is ember.float64


def test_empty_and_nonfinite():
    empty = ember.fft.fft(ember.zeros(0, 4))  # torch's MKL backend raises here; ours is empty
    assert tuple(empty.shape) == (0, 4) and empty.dtype is ember.complex64
    assert tuple(ember.fft.rfft(ember.zeros(3, 0), dim=0).shape) == (2, 0)
    arr = np.array([1.0, np.nan, 2.0, 3.0], np.float32)
    check_op(lambda lib, x: _real_view(lib, lib.fft.fft(x)), arrays=[arr], grad=False)
    arr = np.array([1.0, np.inf, 2.0, 3.0], np.float32)
    check_op(lambda lib, x: _real_view(lib, lib.fft.rfft(x)), arrays=[arr], grad=False)
    check_op(lambda lib, x: _real_view(lib, lib.fft.fftn(x)), arrays=[np.array(2.5)])


def test_out_argument():
    x = np.arange(4.0, dtype=np.float32)
    out = ember.empty(0, dtype=ember.complex64)
    got = ember.fft.fft(ember.from_numpy(x), out=out)
    assert got is out and out.dtype is ember.complex64
    assert_close(_real_view(ember, out), _real_view(torch, torch.fft.fft(torch.from_numpy(x))))


def test_errors_like_torch():
    def cases(lib):
        x = lib.ones(4)
        c = lib.ones(4, dtype=lib.complex64)
        return [
            (lambda: lib.fft.fft(x, dim=3), IndexError, "Dimension out of range"),
            (lambda: lib.fft.fft(lib.tensor(1.0)), IndexError, "Dimension specified as -1"),
            (lambda: lib.fft.fft(x, n=0), RuntimeError, r"Invalid number of data points \(0\)"),
            (lambda: lib.fft.fft(lib.ones(3, 0)), RuntimeError,
             r"Invalid number of data points \(0\)"),
            (lambda: lib.fft.fft(x, norm="bad"), RuntimeError, 'Invalid normalization mode: "bad"'),
            (lambda: lib.fft.fftn(x, s=(2, 3)), RuntimeError, "Got shape with 2 values"),
            (lambda: lib.fft.fftn(x, s=(2, 3), dim=(0,)), RuntimeError,
             "must have the same length"),
            (lambda: lib.fft.fftn(x, dim=(0, 0)), RuntimeError, "FFT dims must be unique"),
            (lambda: lib.fft.rfft(c), RuntimeError, "rfft expects a real input tensor, but got "
                                                    "ComplexFloat"),
            (lambda: lib.fft.ihfft(c), RuntimeError, "ihfft expects a real input tensor"),
            (lambda: lib.fft.rfftn(lib.ones(2, 2), dim=()), RuntimeError,
             "rfftn must transform at least one axis"),
            (lambda: lib.fft.irfft(lib.ones(1, dtype=lib.complex64)), RuntimeError,
             r"Invalid number of data points \(0\)"),
            (lambda: lib.fft.fft(x.half()), RuntimeError, "Unsupported dtype Half"),
            (lambda: lib.fft.fftfreq(4, dtype=lib.int64), RuntimeError,
             "fftfreq requires a floating point or complex dtype"),
        ]
    errors_like_torch(cases)


@pytest.mark.parametrize("n", [1, 4, 5])
def test_frequencies_and_shifts(n):
    for kw in ({}, {"d": 0.5}, {"dtype": torch.float64}):
        ekw = {k: (ember.float64 if k == "dtype" else v) for k, v in kw.items()}
        assert_close(ember.fft.fftfreq(n, **ekw), torch.fft.fftfreq(n, **kw))
        assert_close(ember.fft.rfftfreq(n, **ekw), torch.fft.rfftfreq(n, **kw))
    assert ember.fft.fftfreq(n, requires_grad=True).requires_grad
    for dim in (None, 0, 1, (0, 1), -1):
        check_op(lambda lib, x: lib.fft.fftshift(x, dim) * 2, [(n, 3)])
        check_op(lambda lib, x: lib.fft.ifftshift(x, dim=dim), [(n, 3)])


def test_namespace_matches_torch():
    public = {n for n in dir(torch.fft) if not n.startswith("_")}
    assert public - {"Tensor", "torch", "common_args", "factory_common_args"} == \
        set(ember.fft.__all__)


# -- windows --------------------------------------------------------------------------------
WINDOWS = ("hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window")


@pytest.mark.parametrize("name", WINDOWS)
def test_windows(name):
    for n in (0, 1, 2, 5, 8):
        for periodic in (True, False):
            assert_close(getattr(ember, name)(n, periodic), getattr(torch, name)(n, periodic), 1e-6)
    assert_close(getattr(ember, name)(7, dtype=ember.float64),
                 getattr(torch, name)(7, dtype=torch.float64), 1e-12)
    assert getattr(ember, name)(3, requires_grad=True).requires_grad
    errors_like_torch(lambda lib: [
        (lambda: getattr(lib, name)(4, dtype=lib.int64), RuntimeError,
         f"{name} expects floating point dtypes"),
        (lambda: getattr(lib, name)(-1), RuntimeError,
         f"{name} requires non-negative window_length, got window_length=-1")])


def test_window_parameters():
    assert_close(ember.hamming_window(6, False, 0.5, 0.4), torch.hamming_window(6, False, 0.5, 0.4))
    assert_close(ember.kaiser_window(6, True, 3.0), torch.kaiser_window(6, True, 3.0))


# -- stft / istft ---------------------------------------------------------------------------
def _stft_roundtrip(lib, x, n_fft=16, win=12, length=40, **kw):
    w = lib.hann_window(win, dtype=x.dtype) if win else None
    common = dict(hop_length=kw.pop("hop_length", None), win_length=win or None, window=w)
    s = lib.stft(x, n_fft, return_complex=True, **common, **kw)
    kw.pop("pad_mode", None)
    y = lib.istft(s, n_fft, length=length, **common, **kw)
    return lib.view_as_real(s), y


@pytest.mark.parametrize("kw", [{}, {"hop_length": 3}, {"normalized": True}, {"onesided": False},
                                {"win": None}, {"pad_mode": "constant"}, {"length": None},
                                {"length": 30}, {"win": None, "length": 50},
                                {"center": False, "win": None}, {"win": 16, "hop_length": 8}])
def test_stft_istft_values_and_gradients(kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the no-window warnings of both libraries
        check_op(lambda lib, x: _stft_roundtrip(lib, x, **dict(kw)), [(2, 40)], atol=1e-4,
                 gradcheck=kw in ({}, {"onesided": False}))
        check_op(lambda lib, x: _stft_roundtrip(lib, x, **dict(kw)), [(40,)], dtype="float64",
                 gradcheck=False)


@pytest.mark.parametrize("win", [8, 5, 16])
def test_stft_align_to_window(win):
    def fn(lib, x):
        w = lib.hann_window(win, dtype=x.dtype)
        return lib.view_as_real(lib.stft(x, 16, hop_length=4, win_length=win, window=w,
                                         center=False, align_to_window=True,
                                         return_complex=True))
    check_op(fn, [(2, 30)], dtype="float64", gradcheck=False)


def test_stft_istft_roundtrip_and_real_output():
    rng = np.random.default_rng(3)
    sig = ember.from_numpy(rng.standard_normal(64))
    w = ember.hann_window(16, dtype=ember.float64)
    spec = ember.stft(sig, 16, window=w, return_complex=True)
    back = ember.istft(spec, 16, window=w, length=64)
    np.testing.assert_allclose(back.numpy(), sig.numpy(), atol=1e-12)
    pairs = sig.stft(16, window=w, return_complex=False)
    assert tuple(pairs.shape) == (9, 17, 2)
    assert_close(pairs, torch.stft(torch.from_numpy(sig.numpy()), 16,
                                   window=torch.hann_window(16, dtype=torch.float64),
                                   return_complex=False))


def test_stft_istft_of_a_complex_signal():
    rng = np.random.default_rng(4)
    z = rng.standard_normal(40) + 1j * rng.standard_normal(40)

    def run(lib, z):
        w = lib.hann_window(16, dtype=lib.float64)
        s = lib.stft(z, 16, window=w)  # complex input: two-sided and complex by default
        y = lib.istft(s, 16, window=w, return_complex=True, length=40)
        return lib.view_as_real(s), lib.view_as_real(y)
    def loss(lib, x):
        return sum(o.sin().sum() for o in run(lib, x))
    t_loss, t_grad = _complex_grads(torch, z, loss)
    e_loss, e_grad = _complex_grads(ember, z, loss)
    assert_close(e_loss, t_loss)
    assert_close(e_grad, t_grad, what="grad")


def test_stft_warns_without_window():
    with pytest.warns(UserWarning, match="rectangular window"):
        ember.stft(ember.ones(32), 8, return_complex=True)


def test_stft_errors_like_torch():
    def cases(lib):
        x = lib.ones(20)
        w = lib.hann_window(8)
        s = lib.stft(x, 8, window=w, return_complex=True)
        return [
            (lambda: lib.stft(x, 8, window=w), RuntimeError,
             "stft requires the return_complex parameter"),
            (lambda: lib.stft(x, 8, window=lib.ones(5), return_complex=True), RuntimeError,
             "expected a 1D window tensor of size equal to win_length=8"),
            (lambda: lib.stft(x, 8, hop_length=0, window=w, return_complex=True), RuntimeError,
             "expected hop_length > 0, but got hop_length=0"),
            (lambda: lib.stft(lib.ones(2, 2, 20), 8, window=w, return_complex=True), RuntimeError,
             "expected a 1D or 2D tensor"),
            (lambda: lib.stft(x, 30, window=lib.ones(30), center=False, return_complex=True),
             RuntimeError, "expected 0 < n_fft < 20, but got n_fft=30"),
            (lambda: lib.stft(x.to(lib.complex64), 8, window=w, onesided=True,
                              return_complex=True),
             RuntimeError, "Cannot have onesided output if window or input is complex"),
            (lambda: lib.stft(x, 8, window=w, align_to_window=True, return_complex=True),
             RuntimeError, "stft align_to_window should only be set when center = false"),
            (lambda: lib.istft(s.real, 8, window=w), RuntimeError,
             "istft requires a complex-valued input tensor"),
            (lambda: lib.istft(s, 8, window=w, center=False), RuntimeError,
             "window overlap add min"),
            (lambda: lib.istft(s, 8, window=w, onesided=False), RuntimeError,
             "expected the frequency dimension"),
        ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        errors_like_torch(cases)


# -- the complex views the fft family uses ---------------------------------------------------
def test_real_imag_view_as_real_values_and_gradients():
    rng = np.random.default_rng(5)
    arr = (rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2))).astype(np.complex64)
    for fn in (lambda lib, z: lib.real(z) * 2 + z.imag ** 2,
               lambda lib, z: lib.view_as_real(z.conj().resolve_conj()).sin(),
               lambda lib, z: lib.view_as_real(lib.view_as_complex(lib.view_as_real(z)) * 3),
               lambda lib, z: z.abs()):
        ty, tg = _complex_grads(torch, arr, fn)
        ey, eg = _complex_grads(ember, arr, fn)
        assert_close(ey, ty)
        assert_close(eg, tg, what="grad")
    check_op(lambda lib, x: lib.view_as_complex(x).real * 2, [(3, 2)], gradcheck=False)


def test_complex_views_share_memory():
    z = ember.tensor([1 + 2j, 3 - 1j])
    z.real[0] = 7.0
    z.imag[1] = 5.0
    lib_view = ember.view_as_real(z)
    lib_view[1, 0] = -1.0
    assert z.tolist() == [7 + 2j, -1 + 5j]
    x = ember.ones(3)
    assert ember.real(x) is x and x.conj() is x
    pairs = ember.zeros(2, 2)
    ember.view_as_complex(pairs)[1] = 1 + 1j
    assert pairs.tolist() == [[0, 0], [1, 1]]
    for lib in (torch, ember):  # assigning to .real / .imag writes into the tensor
        z = lib.tensor([1 + 2j, 3 - 1j])
        z.real = lib.tensor([5.0, 6.0])
        z.imag = 7.0
        x = lib.ones(2)
        x.real = lib.tensor([2.0, 3.0])
        assert z.tolist() == [5 + 7j, 6 + 7j] and x.tolist() == [2.0, 3.0]


def test_complex_view_errors_like_torch():
    errors_like_torch(lambda lib: [
        (lambda: lib.view_as_real(lib.ones(2)), RuntimeError,
         "view_as_real is only supported for complex tensors"),
        (lambda: lib.view_as_complex(lib.ones(3, 3)), RuntimeError,
         "Tensor must have a last dimension of size 2"),
        (lambda: lib.view_as_complex(lib.ones(2, 3).t()), RuntimeError,
         "Tensor must have a last dimension with stride 1"),
        (lambda: lib.ones(2).imag, RuntimeError,
         "imag is not implemented for tensors with non-complex dtypes"),
    ])
