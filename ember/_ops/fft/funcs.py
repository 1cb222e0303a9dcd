"""``ember.fft``: torch.fft's discrete Fourier transforms, with gradients.

Every transform takes torch's ``n``/``s`` (resize the input along the transformed
dims first: truncate or zero-pad), ``dim`` and ``norm``: "backward" (the default:
no scaling forward, 1/n on the inverse), "ortho" (1/sqrt(n) both ways) or
"forward" (1/n forward, none on the inverse).  Real and integer inputs become
complex (float32 and integers give complex64, float64 gives complex128); the
real-to-half-spectrum family (``rfft*``, ``ihfft*``) requires a real input.
"""
from ..._tensor import Tensor
from ... import _dtype
from . import ops as F
from ..base import relabel
from ..common import float_input, handle_out
from ..complex.funcs import conj
from ..creation import arange

__all__ = ["fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2",
           "rfftn", "irfftn", "hfft", "ihfft", "hfft2", "ihfft2", "hfftn", "ihfftn", "fftfreq",
           "rfftfreq", "fftshift", "ifftshift"]

_FLIP = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


# -- argument checks ----------------------------------------------------------------
def _input(x, name, real=False):
    """``x`` as a float or complex tensor torch's ``name`` accepts (integers become float)."""
    if not isinstance(x, Tensor):
        raise TypeError(f"fft_{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")
    x = float_input(x)
    if x.dtype is _dtype.float16 or x.dtype is _dtype.bfloat16:
        raise RuntimeError(f"Unsupported dtype {x.dtype._tensor_type[:-6]}")
    if real and x.is_complex():
        raise RuntimeError(f"{name} expects a real input tensor, but got "
                           f"{x.dtype._tensor_type[:-6]}")
    return x


def _norm(norm):
    if norm is None:
        return "backward"
    if norm not in _FLIP:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return norm


def _points(n):
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")
    return n


def _dim(dim, ndim):
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    if not -ndim <= dim < ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, "
                         f"{ndim - 1}], but got {dim})")
    return dim % ndim


def _dims_and_sizes(x, s, dim, default_dims=None):
    """torch's rules for (s, dim): normalised dims and the size each dim is resized to."""
    ndim = x.ndim
    if isinstance(dim, int):
        dim = (dim,)
    if dim is None and default_dims is not None:
        dim = default_dims
    if s is not None:
        s = tuple(s)
        if dim is None:
            if len(s) > ndim:
                raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has "
                                   f"{ndim} dimensions.")
            dim = tuple(range(ndim - len(s), ndim))
        elif len(s) != len(dim):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
    dims = tuple(range(ndim)) if dim is None else tuple(_dim(d, ndim) for d in dim)
    if len(set(dims)) != len(dims):
        raise RuntimeError("FFT dims must be unique")
    s = (-1,) * len(dims) if s is None else s
    return dims, tuple(_points(x.shape[d] if n == -1 else n) for d, n in zip(dims, s))


def _complex(x):
    """``x`` as its complex dtype, with the cast in the graph."""
    return x if x.is_complex() else x.to(_dtype.complex128 if x.dtype is _dtype.float64
                                         else _dtype.complex64)


# -- complex-to-complex -----------------------------------------------------------------
def _c2c(x, s, dim, norm, inverse, name, default_dims=None):
    x = _input(x, name)
    dims, sizes = _dims_and_sizes(x, s, dim, default_dims)
    if not dims:
        return _complex(x).clone()
    return F.FFT(sizes, dims, _norm(norm), inverse)(x)


def fft(input, n=None, dim=-1, norm=None, *, out=None):
    """The 1-D discrete Fourier transform of ``input`` along ``dim``.

    ``n`` resizes that dim first (truncate or zero-pad).  Returns a complex
    tensor.  Example: ``ember.fft.fft(ember.tensor([1., 0., 0., 0.]))`` is all ones.
    """
    res = _c2c(input, _one(n), dim, norm, False, "fft")
    return _out(res if _complex_input(input) else relabel(res, "FftR2CBackward0"), out)


def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    """The 1-D inverse DFT along ``dim`` (``fft``'s inverse at the same ``norm``).

    Example: ``ifft(tensor([4., 0., 0., 0.]))`` is all ones (complex).
    """
    res = _c2c(input, _one(n), dim, norm, True, "ifft")   # torch: a real input's is a conj
    return _out(res if _complex_input(input) else relabel(res, "ConjBackward0"), out)


def fft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The 2-D DFT over ``dim`` (default: the last two dims), each resized to ``s``.

    Example: ``fft2(ember.ones(2, 2))`` is [[4, 0], [0, 0]].
    """
    return _out(_c2c(input, s, dim, norm, False, "fft2"), out)


def ifft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The 2-D inverse DFT over ``dim`` (default: the last two dims).

    Example: ``ifft2(fft2(x))`` equals ``x`` (as complex).
    """
    return _out(_c2c(input, s, dim, norm, True, "ifft2"), out)


def fftn(input, s=None, dim=None, norm=None, *, out=None):
    """The N-D DFT over ``dim`` (default: the last len(s) dims, or all dims).

    Example: ``fftn(x, s=(8, 8))`` zero-pads the last two dims of ``x`` to 8 first.
    """
    return _out(_c2c(input, s, dim, norm, False, "fftn"), out)


def ifftn(input, s=None, dim=None, norm=None, *, out=None):
    """The N-D inverse DFT over ``dim`` (default: the last len(s) dims, or all dims).

    Example: ``ifftn(fftn(x))`` equals ``x`` (as complex).
    """
    return _out(_c2c(input, s, dim, norm, True, "ifftn"), out)


def _one(n):
    return None if n is None else (n,)


def _complex_input(x):
    return isinstance(x, Tensor) and x.is_complex()


# -- real <-> half spectrum ------------------------------------------------------------
def _r2c(x, s, dim, norm, name, default_dims=None):
    """rfftn: a real-to-half-spectrum DFT on the last dim, then full DFTs on the others."""
    x = _input(x, name, real=True)
    dims, sizes = _dims_and_sizes(x, s, dim, default_dims)
    if not dims:
        raise RuntimeError(f"{name} must transform at least one axis")
    norm = _norm(norm)
    y = F.RFFT(sizes[-1], dims[-1], norm)(x)
    if len(dims) == 1:
        return y
    return relabel(F.FFT(sizes[:-1], dims[:-1], norm, False)(y), "FftR2CBackward0")  # torch: one


def _c2r(x, s, dim, norm, name, default_dims=None):
    """irfftn: full inverse DFTs on all but the last dim, then half-spectrum-to-real on it."""
    x = _input(x, name)
    dims, sizes = _dims_and_sizes(x, s, dim, default_dims)
    if not dims:
        raise RuntimeError(f"{name} must transform at least one axis")
    last = _points(2 * (x.shape[dims[-1]] - 1)) if s is None or s[-1] == -1 else sizes[-1]
    norm = _norm(norm)
    if len(dims) > 1:
        x = F.FFT(sizes[:-1], dims[:-1], norm, True)(x)
    return F.IRFFT(last, dims[-1], norm)(x)


def rfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The DFT of a real signal along ``dim``: only the n // 2 + 1 non-negative frequencies
    (the rest are their conjugates).  Example: ``rfft(ember.ones(4))`` is [4, 0, 0]."""
    return _out(_r2c(input, _one(n), dim, norm, "rfft"), out)


def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The real signal of length ``n`` (default 2 * (input.size(dim) - 1)) whose one-sided
    spectrum is ``input``; the inverse of ``rfft``.  Example: ``irfft(tensor([4., 0., 0.]))``
    is [1, 1, 1, 1]; pass ``n`` to get an odd length back.
    """
    return _out(_c2r(input, _one(n), dim, norm, "irfft"), out)


def rfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The 2-D DFT of a real input, halved along the last of ``dim``.

    Example: ``rfft2(ember.ones(2, 3))`` has shape (2, 2).
    """
    return _out(_r2c(input, s, dim, norm, "rfft2"), out)


def irfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The inverse of ``rfft2``: a real output, ``s[-1]`` long along the last of ``dim``.

    Example: ``irfft2(rfft2(x), s=x.shape[-2:])`` equals ``x``.
    """
    return _out(_c2r(input, s, dim, norm, "irfft2"), out)


def rfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The N-D DFT of a real input, halved along the last transformed dim.

    Example: ``rfftn(ember.ones(2, 3, 4))`` has shape (2, 3, 3).
    """
    return _out(_r2c(input, s, dim, norm, "rfftn"), out)


def irfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The inverse of ``rfftn``: a real output, ``s[-1]`` (default 2 * (m - 1)) long along the
    last transformed dim.  Example: ``irfftn(rfftn(x), s=x.shape)`` equals ``x``.
    """
    return _out(_c2r(input, s, dim, norm, "irfftn"), out)


# -- Hermitian input (the transforms above, conjugated, with the scaling swapped) ------------
def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The DFT of a signal with Hermitian symmetry, given its first half: a real output of
    length ``n`` (default 2 * (input.size(dim) - 1)).  Example: ``hfft(tensor([1., 0., 0.]))``
    is [1, 1, 1, 1].
    """
    return _out(_c2r(_conj_input(input, "hfft"), _one(n), dim, _FLIP[_norm(norm)], "hfft"), out)


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The inverse of ``hfft``: the first n // 2 + 1 bins of the inverse DFT of a real signal.

    Example: ``ihfft(tensor([1., 0., 0., 0.]))`` is [0.25, 0.25, 0.25] (complex).
    """
    return _out(conj(_r2c(input, _one(n), dim, _FLIP[_norm(norm)], "ihfft")), out)


def hfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The 2-D ``hfft``: a real output from a half Hermitian spectrum over ``dim``.

    Example: ``hfft2(ihfft2(x), s=x.shape[-2:])`` equals ``x``.
    """
    return _out(_c2r(_conj_input(input, "hfft2"), s, dim, _FLIP[_norm(norm)], "hfft2"), out)


def ihfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The 2-D ``ihfft`` of a real input, halved along the last of ``dim``.

    Example: ``ihfft2(ember.ones(2, 4))`` has shape (2, 3).
    """
    return _out(_ihfft_n(input, s, dim, norm, "ihfft2"), out)


def hfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The N-D ``hfft``: a real output from a half Hermitian spectrum over ``dim``.

    Example: ``hfftn(ihfftn(x), s=x.shape)`` equals ``x``.
    """
    return _out(_c2r(_conj_input(input, "hfftn"), s, dim, _FLIP[_norm(norm)], "hfftn"), out)


def ihfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The N-D ``ihfft`` of a real input, halved along the last transformed dim.

    Example: ``ihfftn(ember.ones(2, 3, 4))`` has shape (2, 3, 3).
    """
    return _out(_ihfft_n(input, s, dim, norm, "ihfftn"), out)


def _ihfft_n(input, s, dim, norm, name):
    """ihfft2/ihfftn: the conjugated half spectrum, named as torch's c2c node when more than
    one dim is transformed."""
    y = _r2c(input, s, dim, _FLIP[_norm(norm)], name)
    res = conj(y)
    return relabel(res, "FftC2CBackward0") if isinstance(y.grad_fn, F.FFT) else res


def _conj_input(x, name):
    return conj(_input(x, name))


# -- frequencies and shifts ---------------------------------------------------------------
def fftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The sample frequencies of an ``n``-point DFT with sample spacing ``d``:
    [0, 1, ..., (n - 1) // 2, -(n // 2), ..., -1] / (d * n).  Example: ``fftfreq(4)`` is
    [0, 0.25, -0.5, -0.25]."""
    k = _freq_range(n, dtype, device, "fftfreq")
    k._data[(n + 1) // 2:] -= n
    return handle_out(_scaled(k, d * n, requires_grad), out, "fftfreq")


def rfftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The n // 2 + 1 non-negative sample frequencies of ``rfft``: [0, 1, ..., n // 2] / (d * n).

    Example: ``rfftfreq(4)`` is [0, 0.25, 0.5].
    """
    k = _freq_range(n // 2 + 1, dtype, device, "rfftfreq")
    return handle_out(_scaled(k, d * n, requires_grad), out, "rfftfreq")


def _freq_range(count, dtype, device, name):
    dtype = _dtype.get_default_dtype() if dtype is None else _dtype.as_dtype(dtype)
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(f"{name} requires a floating point or complex dtype")
    return arange(count, dtype=dtype, device=device)


def _scaled(k, scale, requires_grad):
    k._data /= scale
    return k.requires_grad_(True) if requires_grad else k


def fftshift(input, dim=None):
    """Roll the zero frequency to the middle of each dim in ``dim`` (default: all dims), as a
    DFT's output is usually plotted.  Example: ``fftshift(fftfreq(4))`` is
    [-0.5, -0.25, 0, 0.25]."""
    return _shift(input, dim, 1)


def ifftshift(input, dim=None):
    """The inverse of ``fftshift``: the zero frequency back to index 0.

    Example: ``ifftshift(fftshift(x))`` equals ``x``.
    """
    return _shift(input, dim, -1)


def _shift(x, dim, sign):
    dims = tuple(range(x.ndim)) if dim is None else ((dim,) if isinstance(dim, int) else tuple(dim))
    if not dims:
        return x.clone()
    shifts = [sign * (x.shape[d] // 2) for d in dims]
    return x.roll(shifts, dims)


def _out(result, out):
    """Write ``result`` into ``out`` (out= has no autograd, as in torch)."""
    if out is None:
        return result
    return handle_out(result, out, "fft")

