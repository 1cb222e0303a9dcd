"""Rows of complex numbers and spectra: real/imag/conj and the complex views, ``fft.*``,
``stft``/``istft`` and the window functions.  Complex outputs and gradients are compared
whole (real and imaginary parts)."""
import numpy as np

from .core import Arg, D, FLOATS, OpRow, Sample, lookup

FFT_TOL = {"atol": 1e-4, "rtol": 1e-4}


def _complex_unary(make):
    """Complex inputs (2-D, non-contiguous, 0-dim, empty) and a real one."""
    return [Sample("complex", (make.complex((3, 4)),)),
            Sample("noncontig", (make.complex((3, 4), noncontig=True),)),
            Sample("0d", (make.complex(()),)), Sample("empty", (make.complex((0, 2)),)),
            Sample("real", (make((2, 3)),))]


def _complex_only(make):
    return [s for s in _complex_unary(make) if s.tag != "real"]


def _pairs(make):
    """Real tensors with a last dimension of 2 (real and imaginary parts)."""
    return [Sample("2d", (make((3, 2)),)), Sample("3d", (make((2, 3, 2)),)),
            Sample("1d", (make((2,)),))]


def _c2c(make):
    """One-dimensional transforms: real and complex input, ``n`` cropping or padding, ``dim``,
    each ``norm``."""
    return [Sample("real", (make((5,)),)),
            Sample("complex_dim0", (make.complex((4, 3)),), {"dim": 0}),
            Sample("crop_ortho", (make.complex((6,)),), {"n": 4, "norm": "ortho"}),
            Sample("pad_forward", (make((2, 3)),), {"n": 5, "norm": "forward"}),
            Sample("noncontig", (make.complex((3, 4), noncontig=True),))]


def _c2c_nd(make):
    return [Sample("complex", (make.complex((3, 4)),)),
            Sample("real_s_ortho", (make((2, 3, 4)),), {"s": (2, 5), "norm": "ortho"}),
            Sample("dims", (make.complex((2, 3, 4)),), {"dim": (0, 2), "norm": "forward"})]


def _r2c(make):
    return [Sample("1d", (make((6,)),)), Sample("odd", (make((2, 5)),)),
            Sample("n_ortho_dim0", (make((5, 2)),), {"n": 4, "norm": "ortho", "dim": 0})]


def _r2c_nd(make):
    return [Sample("2d", (make((3, 4)),)), Sample("s_forward", (make((2, 3, 5)),),
                                                  {"s": (4, 4), "norm": "forward"})]


def _c2r(make):
    """Half spectra: the default even length, an odd ``n``, a ``norm``."""
    return [Sample("1d", (make.complex((4,)),)),
            Sample("odd_n", (make.complex((2, 3)),), {"n": 5}),
            Sample("ortho_dim0", (make.complex((4, 2)),), {"dim": 0, "norm": "ortho"})]


def _c2r_nd(make):
    return [Sample("2d", (make.complex((3, 3)),)),
            Sample("s_forward", (make.complex((2, 3, 3)),), {"s": (3, 5), "norm": "forward"})]


def _freq(make):
    return [Sample("n", (5,)), Sample("d", (4, 0.5)), Sample("n1", (1,)),
            Sample("dtype", (6,), {"dtype": D("float64")})]


def _shift(make):
    return [Sample("2d", (make((3, 4)),)), Sample("dim", (make((3, 5)),), {"dim": 1}),
            Sample("complex", (make.complex((4, 3)),), {"dim": (0, 1)})]


def _hann(n):
    """A periodic Hann window of length ``n`` as an argument (no gradient)."""
    return Arg(0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n), grad=False)


def _stft(make):
    return [Sample("hann", (make((24,)), 8), {"hop_length": 2, "window": _hann(8),
                                             "return_complex": True}),
            Sample("batch_no_center", (make((2, 20)), 8),
                   {"hop_length": 4, "window": _hann(8), "center": False, "return_complex": True}),
            Sample("twosided_normalized", (make((16,)), 6),
                   {"onesided": False, "normalized": True, "return_complex": True})]


def _istft(make):
    return [Sample("hann", (make.complex((5, 9)), 8), {"hop_length": 2, "window": _hann(8)}),
            Sample("length", (make.complex((2, 5, 7)), 8),
                   {"hop_length": 2, "window": _hann(8), "length": 14})]


def _window(make):
    return [Sample("periodic", (8,)), Sample("symmetric", (7, False)), Sample("one", (1,)),
            Sample("empty", (0,)), Sample("dtype", (5,), {"dtype": D("float64")})]


def _kaiser(make):
    return _window(make) + [Sample("beta", (6, True, 5.0))]


def _fft_errors(name):
    """A bad ``norm``, no data points, a dimension out of range."""
    return lambda lib: [(lambda: lookup(lib, "fft." + name)(lib.ones(4), norm="bad"), RuntimeError),
                        (lambda: lookup(lib, "fft." + name)(lib.ones(4), n=0), RuntimeError),
                        (lambda: lookup(lib, "fft." + name)(lib.ones(4), dim=2), IndexError)]


def _real_only(name):
    """A transform of real input given a complex one."""
    return lambda lib: [(lambda: lookup(lib, "fft." + name)(lib.ones(4, dtype=lib.complex64)),
                         RuntimeError)]


def _raises(build, exc=RuntimeError):
    """``errors`` of one bad call ``build(lib)``."""
    return lambda lib: [(lambda: build(lib), exc)]


def fft(name, samples, **kw):
    """A row for ``fft.<name>`` (``out=`` too)."""
    return OpRow("fft." + name, samples, out=True, **FFT_TOL, **kw)


ROWS = [
    OpRow("real", _complex_unary),
    OpRow("Tensor.real", _complex_unary, call=lambda lib, x: x.real),
    OpRow("imag", _complex_only, errors=_raises(lambda lib: lib.imag(lib.ones(3)))),
    OpRow("Tensor.imag", _complex_only, call=lambda lib, x: x.imag),
    OpRow("conj", _complex_unary, method=True),
    OpRow("conj_physical", _complex_unary, method=True, out=True, inplace="conj_physical_"),
    OpRow("resolve_conj", _complex_unary, method=True),
    # no empty sample: torch's backward rejects the zero-stride cotangent of an empty view
    OpRow("view_as_real", lambda make: [s for s in _complex_only(make) if s.tag != "empty"],
          errors=_raises(lambda lib: lib.view_as_real(lib.ones(3)))),
    OpRow("view_as_complex", _pairs,
          errors=_raises(lambda lib: lib.view_as_complex(lib.ones(3, 3)))),
    *[fft(n, _c2c, errors=_fft_errors(n)) for n in ("fft", "ifft")],
    *[fft(n, _c2c_nd) for n in ("fft2", "ifft2", "fftn", "ifftn")],
    *[fft(n, _r2c, errors=_real_only(n)) for n in ("rfft", "ihfft")],
    *[fft(n, _r2c_nd) for n in ("rfft2", "rfftn", "ihfft2", "ihfftn")],
    *[fft(n, _c2r) for n in ("irfft", "hfft")],
    *[fft(n, _c2r_nd) for n in ("irfft2", "irfftn", "hfft2", "hfftn")],
    OpRow("fft.fftfreq", _freq, grad=False, out=True,
          errors=_raises(lambda lib: lib.fft.fftfreq(-1))),
    OpRow("fft.rfftfreq", _freq, grad=False, out=True),
    *[OpRow("fft." + n, _shift) for n in ("fftshift", "ifftshift")],
    OpRow("stft", _stft, method=True, **FFT_TOL, errors=lambda lib: [
        (lambda: lib.stft(lib.ones(16), 8), RuntimeError),
        (lambda: lib.stft(lib.ones(4), 8, return_complex=True), RuntimeError)]),
    OpRow("istft", _istft, method=True, **FFT_TOL, errors=_raises(
        lambda lib: lib.istft(lib.ones(5, 4, dtype=lib.complex64), 8, window=lib.ones(3)))),
    *[OpRow(n, _kaiser if n == "kaiser_window" else _window, grad=False, dtypes=FLOATS,
            errors=_raises(lambda lib, n=n: lookup(lib, n)(-1)))
      for n in ("hann_window", "hamming_window", "blackman_window", "bartlett_window",
                "kaiser_window")],
]
