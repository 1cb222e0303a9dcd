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

    ``X[k] = sum_t x[t] * exp(-2j * pi * k * t / n)``; the result is complex (a real input is made complex first).

    Args:
        input (Tensor): the signal (real or complex).
        n (int, optional): resize ``dim`` to this length first (truncate or zero-pad). Default:
            keep.
        dim (int): the dim to transform. Default: ``-1``.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.fft(ember.tensor([1.0, 0.0, 0.0, 0.0]))
        tensor([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
    """
    res = _c2c(input, _one(n), dim, norm, False, "fft")
    return _out(res if _complex_input(input) else relabel(res, "FftR2CBackward0"), out)


def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    """The 1-D inverse discrete Fourier transform of ``input`` along ``dim``.

    ``x[t] = (1/n) sum_k X[k] * exp(2j * pi * k * t / n)`` with the default ``norm``; it undoes
    :func:`ember.fft.fft` at the same ``norm``.

    Args:
        input (Tensor): the signal (real or complex).
        n (int, optional): resize ``dim`` to this length first (truncate or zero-pad). Default:
            keep.
        dim (int): the dim to transform. Default: ``-1``.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.ifft(ember.tensor([4.0, 0.0, 0.0, 0.0]))
        tensor([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
    """
    res = _c2c(input, _one(n), dim, norm, True, "ifft")   # torch: a real input's is a conj
    return _out(res if _complex_input(input) else relabel(res, "ConjBackward0"), out)


def fft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The 2-D discrete Fourier transform over the dims ``dim``.

    The 1-D transform applied along each of the two dims.

    Args:
        input (Tensor): the signal (real or complex).
        s (tuple of int, optional): resize each transformed dim to these lengths first. Default:
            keep.
        dim (tuple of int): the dims to transform. Default: ``(-2, -1)``.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.fft2(ember.ones(2, 2))
        tensor([[4.+0.j, 0.+0.j],
                [0.+0.j, 0.+0.j]])
    """
    return _out(_c2c(input, s, dim, norm, False, "fft2"), out)


def ifft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The 2-D inverse discrete Fourier transform over the dims ``dim``.

    It undoes :func:`ember.fft.fft2` at the same ``norm``.

    Args:
        input (Tensor): the signal (real or complex).
        s (tuple of int, optional): resize each transformed dim to these lengths first. Default:
            keep.
        dim (tuple of int): the dims to transform. Default: ``(-2, -1)``.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.ifft2(ember.tensor([[4.0, 0.0], [0.0, 0.0]]))
        tensor([[1.+0.j, 1.+0.j],
                [1.+0.j, 1.+0.j]])
    """
    return _out(_c2c(input, s, dim, norm, True, "ifft2"), out)


def fftn(input, s=None, dim=None, norm=None, *, out=None):
    """The N-D discrete Fourier transform over the dims ``dim``.

    The 1-D transform applied along each dim in turn.

    Args:
        input (Tensor): the signal (real or complex).
        s (tuple of int, optional): resize each transformed dim to these lengths first. Default:
            keep.
        dim (tuple of int, optional): the dims to transform. Default: the last ``len(s)`` dims, or
            all.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.fftn(ember.ones(2, 3), s=(4, 4)).shape  # zero-padded to 4 x 4 first
        ember.Size([4, 4])
    """
    return _out(_c2c(input, s, dim, norm, False, "fftn"), out)


def ifftn(input, s=None, dim=None, norm=None, *, out=None):
    """The N-D inverse discrete Fourier transform over the dims ``dim``.

    It undoes :func:`ember.fft.fftn` at the same ``norm``.

    Args:
        input (Tensor): the signal (real or complex).
        s (tuple of int, optional): resize each transformed dim to these lengths first. Default:
            keep.
        dim (tuple of int, optional): the dims to transform. Default: the last ``len(s)`` dims, or
            all.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.ifftn(ember.ones(1, 1, 2)).shape
        ember.Size([1, 1, 2])
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
    """The discrete Fourier transform of a real signal, non-negative frequencies only.

    The spectrum of a real signal is Hermitian (``X[n - k] = conj(X[k])``), so only the first
    ``n // 2 + 1`` entries of :func:`ember.fft.fft` are returned.

    Args:
        input (Tensor): a real signal.
        n (int, optional): resize ``dim`` to this length first (truncate or zero-pad). Default:
            keep.
        dim (int): the dim to transform. Default: ``-1``.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Shape:
        - Output: ``input``'s shape with ``dim`` of size ``n // 2 + 1``.

    Example:
        >>> ember.fft.rfft(ember.ones(4))
        tensor([4.+0.j, 0.+0.j, 0.+0.j])
    """
    return _out(_r2c(input, _one(n), dim, norm, "rfft"), out)


def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The real signal whose one-sided spectrum is ``input``: the inverse of :func:`ember.fft.rfft`.

    The output has ``n`` points along ``dim``, by default ``2 * (input.size(dim) - 1)`` (always
    even: pass ``n`` to get an odd length back).

    Args:
        input (Tensor): a one-sided spectrum.
        n (int, optional): the output length. Default: ``2 * (m - 1)``.
        dim (int): the dim to transform. Default: ``-1``.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.irfft(ember.tensor([4.0, 0.0, 0.0]))
        tensor([1., 1., 1., 1.])
        >>> ember.fft.irfft(ember.tensor([3.0, 0.0]), n=3)
        tensor([1., 1., 1.])
    """
    return _out(_c2r(input, _one(n), dim, norm, "irfft"), out)


def rfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The 2-D discrete Fourier transform of a real input, halved along the last of ``dim``.

    As :func:`ember.fft.fft2`, keeping the ``n // 2 + 1`` non-negative frequencies of the last
    transformed dim.

    Args:
        input (Tensor): a real input.
        s (tuple of int, optional): resize each transformed dim to these lengths first. Default:
            keep.
        dim (tuple of int): the dims to transform. Default: ``(-2, -1)``.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.rfft2(ember.ones(2, 4)).shape
        ember.Size([2, 3])
    """
    return _out(_r2c(input, s, dim, norm, "rfft2"), out)


def irfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The inverse of :func:`ember.fft.rfft2`: a real output from a half spectrum.

    The last transformed dim grows to ``s[-1]``, by default ``2 * (m - 1)``.

    Args:
        input (Tensor): a half spectrum.
        s (tuple of int, optional): resize each transformed dim to these lengths first. Default:
            keep.
        dim (tuple of int): the dims to transform. Default: ``(-2, -1)``.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.irfft2(ember.zeros(2, 3)).shape
        ember.Size([2, 4])
    """
    return _out(_c2r(input, s, dim, norm, "irfft2"), out)


def rfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The N-D discrete Fourier transform of a real input, halved along the last transformed dim.

    Args:
        input (Tensor): a real input.
        s (tuple of int, optional): resize each transformed dim to these lengths first. Default:
            keep.
        dim (tuple of int, optional): the dims to transform. Default: the last ``len(s)`` dims, or
            all.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.rfftn(ember.ones(2, 2, 6)).shape
        ember.Size([2, 2, 4])
    """
    return _out(_r2c(input, s, dim, norm, "rfftn"), out)


def irfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The inverse of :func:`ember.fft.rfftn`: a real output from a half spectrum.

    The last transformed dim grows to ``s[-1]``, by default ``2 * (m - 1)``.

    Args:
        input (Tensor): a half spectrum.
        s (tuple of int, optional): resize each transformed dim to these lengths first. Default:
            keep.
        dim (tuple of int, optional): the dims to transform. Default: the last ``len(s)`` dims, or
            all.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.irfftn(ember.zeros(2, 2, 4)).shape
        ember.Size([2, 2, 6])
    """
    return _out(_c2r(input, s, dim, norm, "irfftn"), out)


# -- Hermitian input (the transforms above, conjugated, with the scaling swapped) ------------
def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The discrete Fourier transform of a signal with Hermitian symmetry, given its first half.

    The full signal is ``input`` extended by its conjugate mirror; its spectrum is real, of length
    ``n`` (default ``2 * (input.size(dim) - 1)``).

    Args:
        input (Tensor): the first half of a Hermitian signal.
        n (int, optional): the output length. Default: ``2 * (m - 1)``.
        dim (int): the dim to transform. Default: ``-1``.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.hfft(ember.tensor([1.0, 0.0, 0.0]))
        tensor([1., 1., 1., 1.])
    """
    return _out(_c2r(_conj_input(input, "hfft"), _one(n), dim, _FLIP[_norm(norm)], "hfft"), out)


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The inverse of :func:`ember.fft.hfft`: the first ``n // 2 + 1`` bins of the inverse DFT of a real signal.

    Args:
        input (Tensor): a real signal.
        n (int, optional): resize ``dim`` to this length first (truncate or zero-pad). Default:
            keep.
        dim (int): the dim to transform. Default: ``-1``.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.ihfft(ember.ones(4))
        tensor([1.-0.j, 0.-0.j, 0.-0.j])
    """
    return _out(conj(_r2c(input, _one(n), dim, _FLIP[_norm(norm)], "ihfft")), out)


def hfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The 2-D :func:`ember.fft.hfft`: a real output from a half Hermitian spectrum over ``dim``.

    Args:
        input (Tensor): the half spectrum.
        s (tuple of int, optional): resize each transformed dim to these lengths first. Default:
            keep.
        dim (tuple of int): the dims to transform. Default: ``(-2, -1)``.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.hfft2(ember.zeros(2, 3)).shape
        ember.Size([2, 4])
    """
    return _out(_c2r(_conj_input(input, "hfft2"), s, dim, _FLIP[_norm(norm)], "hfft2"), out)


def ihfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The 2-D :func:`ember.fft.ihfft` of a real input, halved along the last of ``dim``.

    Args:
        input (Tensor): a real input.
        s (tuple of int, optional): resize each transformed dim to these lengths first. Default:
            keep.
        dim (tuple of int): the dims to transform. Default: ``(-2, -1)``.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.ihfft2(ember.ones(2, 4)).shape
        ember.Size([2, 3])
    """
    return _out(_ihfft_n(input, s, dim, norm, "ihfft2"), out)


def hfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The N-D :func:`ember.fft.hfft`: a real output from a half Hermitian spectrum over ``dim``.

    Args:
        input (Tensor): the half spectrum.
        s (tuple of int, optional): resize each transformed dim to these lengths first. Default:
            keep.
        dim (tuple of int, optional): the dims to transform. Default: the last ``len(s)`` dims, or
            all.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.hfftn(ember.zeros(2, 2, 3)).shape
        ember.Size([2, 2, 4])
    """
    return _out(_c2r(_conj_input(input, "hfftn"), s, dim, _FLIP[_norm(norm)], "hfftn"), out)


def ihfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The N-D :func:`ember.fft.ihfft` of a real input, halved along the last transformed dim.

    Args:
        input (Tensor): a real input.
        s (tuple of int, optional): resize each transformed dim to these lengths first. Default:
            keep.
        dim (tuple of int, optional): the dims to transform. Default: the last ``len(s)`` dims, or
            all.
        norm (str, optional): ``"backward"`` (no scaling forward, ``1/n`` inverse), ``"ortho"``
            (``1/sqrt(n)`` both ways) or ``"forward"`` (``1/n`` forward). Default: ``"backward"``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.fft.ihfftn(ember.ones(2, 2, 4)).shape
        ember.Size([2, 2, 3])
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
    """The frequency of each bin of an ``n``-point discrete Fourier transform.

    ``[0, 1, ..., (n - 1) // 2, -(n // 2), ..., -1] / (d * n)``, in the order
    :func:`ember.fft.fft` returns its bins.

    Args:
        n (int): the number of points of the transform.
        d (float): the sample spacing. Default: ``1.0``.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): a float dtype. Default: the default float dtype.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> ember.fft.fftfreq(4)
        tensor([ 0.0000,  0.2500, -0.5000, -0.2500])
    """
    k = _freq_range(n, dtype, device, "fftfreq")
    k._data[(n + 1) // 2:] -= n
    return handle_out(_scaled(k, d * n, requires_grad), out, "fftfreq")


def rfftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The frequency of each bin of :func:`ember.fft.rfft` on ``n`` points.

    ``[0, 1, ..., n // 2] / (d * n)``.

    Args:
        n (int): the number of points of the transform.
        d (float): the sample spacing. Default: ``1.0``.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): a float dtype. Default: the default float dtype.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> ember.fft.rfftfreq(4)
        tensor([0.0000, 0.2500, 0.5000])
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
    """``input`` rolled so the zero frequency is in the middle of each dim in ``dim``.

    Each dim of size ``n`` is rolled by ``n // 2``, the usual order for plotting a spectrum.

    Args:
        input (Tensor): a spectrum in DFT order.
        dim (int or tuple of int, optional): the dims to roll. Default: all.

    Example:
        >>> ember.fft.fftshift(ember.fft.fftfreq(4))
        tensor([-0.5000, -0.2500,  0.0000,  0.2500])
    """
    return _shift(input, dim, 1)


def ifftshift(input, dim=None):
    """The inverse of :func:`ember.fft.fftshift`: the zero frequency back to index 0.

    Args:
        input (Tensor): a centred spectrum.
        dim (int or tuple of int, optional): the dims to roll. Default: all.

    Example:
        >>> ember.fft.ifftshift(ember.tensor([-0.5, -0.25, 0.0, 0.25]))
        tensor([ 0.0000,  0.2500, -0.5000, -0.2500])
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

