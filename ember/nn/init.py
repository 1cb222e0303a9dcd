"""Weight initialisation schemes (``torch.nn.init``): fill a tensor in place, without autograd.

Every function takes the tensor first, changes it in place under ``no_grad``
and returns it.  Random draws use ember's generator (``ember.manual_seed``).
"""
import math
import warnings

from ..autograd import grad_mode
from .._ops.creation import eye
from .. import linalg
from .._ops.random import rand

__all__ = ["calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "ones_",
           "zeros_", "eye_", "dirac_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
           "kaiming_normal_", "orthogonal_", "sparse_"]

_LINEAR_FNS = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
               "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity, param=None):
    """The recommended gain for weights feeding ``nonlinearity``, used by the xavier and kaiming
    initialisers.

    Gains: 1 for linear, convolutions and sigmoid; ``5 / 3`` for tanh; ``sqrt(2)`` for relu;
    ``sqrt(2 / (1 + slope ** 2))`` for leaky_relu (slope ``param``, default 0.01); ``3 / 4`` for
    selu.

    Args:
        nonlinearity (str): ``'linear'``, ``'conv1d'`` ... ``'conv_transpose3d'``, ``'sigmoid'``,
          ``'tanh'``, ``'relu'``, ``'leaky_relu'`` or ``'selu'``.
        param (float, optional): the negative slope of ``leaky_relu``. Default: ``None``.

    Returns:
        float: the gain.

    Example:
        >>> ember.nn.init.calculate_gain("relu")
        1.4142135623730951
        >>> ember.nn.init.calculate_gain("tanh")
        1.6666666666666667
    """
    if nonlinearity in _LINEAR_FNS:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _generator_kw(generator):
    return {} if generator is None else {"generator": generator}


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill ``tensor`` in place with draws from the uniform distribution ``U(a, b)``; return it.

    Args:
        tensor (Tensor): the tensor to fill.
        a (float): lower bound. Default: ``0.0``.
        b (float): upper bound. Default: ``1.0``.
        generator (ember.Generator, optional): the random source. Default: the global one.

    Example:
        >>> w = ember.nn.init.uniform_(ember.empty(3, 5), -0.1, 0.1)
        >>> bool(w.abs().max() <= 0.1)
        True
    """
    with grad_mode.no_grad():
        return tensor.uniform_(a, b, **_generator_kw(generator))


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill ``tensor`` in place with draws from the normal distribution ``N(mean, std ** 2)``;
    return it.

    Args:
        tensor (Tensor): the tensor to fill.
        mean (float): the mean. Default: ``0.0``.
        std (float): the standard deviation. Default: ``1.0``.
        generator (ember.Generator, optional): the random source. Default: the global one.

    Example:
        >>> w = ember.nn.init.normal_(ember.empty(1000), mean=5.0, std=0.01)
        >>> bool((w.mean() - 5).abs() < 0.01)
        True
    """
    with grad_mode.no_grad():
        return tensor.normal_(mean, std, **_generator_kw(generator))


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Fill ``tensor`` in place with ``N(mean, std ** 2)`` draws truncated to ``[a, b]``; return it.

    A uniform draw between the normal CDF values of ``a`` and ``b`` is mapped back through the
    inverse CDF, so every value lands in range without rejection.

    Args:
        tensor (Tensor): the tensor to fill.
        mean (float): mean of the untruncated normal. Default: ``0.0``.
        std (float): its standard deviation. Default: ``1.0``.
        a (float): lower cut-off. Default: ``-2.0``.
        b (float): upper cut-off. Default: ``2.0``.
        generator (ember.Generator, optional): the random source. Default: the global one.

    Example:
        >>> w = ember.nn.init.trunc_normal_(ember.empty(1000), std=1.0, a=-0.5, b=0.5)
        >>> bool(w.min() >= -0.5 and w.max() <= 0.5)
        True
    """
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The "
                      "distribution of values may be incorrect.", stacklevel=2)

    def cdf(x):
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0
    lo, hi = cdf((a - mean) / std), cdf((b - mean) / std)
    with grad_mode.no_grad():
        tensor.uniform_(2 * lo - 1, 2 * hi - 1, **_generator_kw(generator))
        tensor.erfinv_()
        tensor.mul_(std * math.sqrt(2.0))
        tensor.add_(mean)
        tensor.clamp_(min=a, max=b)
    return tensor


def constant_(tensor, val):
    """Fill ``tensor`` in place with the value ``val``; return it.

    Args:
        tensor (Tensor): the tensor to fill.
        val (float): the value.

    Example:
        >>> ember.nn.init.constant_(ember.empty(2, 3), 0.3)
        tensor([[0.3000, 0.3000, 0.3000],
                [0.3000, 0.3000, 0.3000]])
    """
    with grad_mode.no_grad():
        return tensor.fill_(val)


def ones_(tensor):
    """Fill ``tensor`` in place with ones; return it.

    Args:
        tensor (Tensor): the tensor to fill.

    Example:
        >>> ember.nn.init.ones_(ember.empty(2))
        tensor([1., 1.])
    """
    return constant_(tensor, 1.0)


def zeros_(tensor):
    """Fill ``tensor`` in place with zeros; return it.

    Args:
        tensor (Tensor): the tensor to fill.

    Example:
        >>> ember.nn.init.zeros_(ember.empty(2))
        tensor([0., 0.])
    """
    with grad_mode.no_grad():
        return tensor.zero_()


def eye_(tensor):
    """Fill a 2-D ``tensor`` in place with the identity matrix (ones on the diagonal); return it.

    Keeps the identity of the input in a ``Linear`` layer.  Non-square shapes get ones on the main
    diagonal only.

    Args:
        tensor (Tensor): a 2-D tensor.

    Example:
        >>> ember.nn.init.eye_(ember.empty(2, 3))
        tensor([[1., 0., 0.],
                [0., 1., 0.]])
    """
    if tensor.ndimension() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    with grad_mode.no_grad():
        return tensor.copy_(eye(*tensor.shape))


def dirac_(tensor, groups=1):
    """Fill a 3-D, 4-D or 5-D convolution weight so that the convolution is the identity; return it.

    The centre tap of the kernel of output channel ``i`` is 1 on input channel ``i`` (within each of
    ``groups`` groups); every other entry is 0.  Extra output channels stay zero.

    Args:
        tensor (Tensor): ``(out_channels, in_channels, *kernel)``.
        groups (int): number of groups; must divide ``out_channels``. Default: ``1``.

    Example:
        >>> w = ember.nn.init.dirac_(ember.empty(2, 2, 3))
        >>> x = ember.tensor([[[1., 2., 3.], [4., 5., 6.]]])
        >>> ember.nn.functional.conv1d(x, w, padding=1)
        tensor([[[1., 2., 3.],
                 [4., 5., 6.]]])
    """
    dims = tensor.dim()
    if dims not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    sizes = tensor.size()
    if sizes[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = sizes[0] // groups
    n = min(per_group, sizes[1])
    outs = [g * per_group + d for g in range(groups) for d in range(n)]
    ins = [d for _ in range(groups) for d in range(n)]
    centers = tuple([s // 2] * len(outs) for s in sizes[2:])
    with grad_mode.no_grad():
        tensor.zero_()
        tensor[(outs, ins) + centers] = 1
    return tensor


def _calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out): input/output feature maps times the receptive field size."""
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 "
                         "dimensions")
    receptive = math.prod(tensor.shape[2:])
    return tensor.size(1) * receptive, tensor.size(0) * receptive


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    valid = ["fan_in", "fan_out"]
    if mode not in valid:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _xavier_std(tensor, gain):
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return gain * math.sqrt(2.0 / float(fan_in + fan_out))


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Glorot (xavier) uniform initialisation in place: ``U(-a, a)`` with
    ``a = gain * sqrt(6 / (fan_in + fan_out))``.

    Keeps the variance of activations and gradients roughly equal across layers of saturating
    units.  ``fan_in``/``fan_out`` are ``size(1)``/``size(0)`` times the receptive field size.

    Args:
        tensor (Tensor): at least 2-D.
        gain (float): scale factor (see ``calculate_gain``). Default: ``1.0``.
        generator (ember.Generator, optional): the random source. Default: the global one.

    Example:
        >>> w = ember.nn.init.xavier_uniform_(ember.empty(3, 5))
        >>> bool(w.abs().max() <= (6 / 8) ** 0.5)
        True
    """
    bound = math.sqrt(3.0) * _xavier_std(tensor, gain)
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Glorot (xavier) normal initialisation in place: ``N(0, std ** 2)`` with
    ``std = gain * sqrt(2 / (fan_in + fan_out))``.

    Args:
        tensor (Tensor): at least 2-D.
        gain (float): scale factor (see ``calculate_gain``). Default: ``1.0``.
        generator (ember.Generator, optional): the random source. Default: the global one.

    Example:
        >>> w = ember.nn.init.xavier_normal_(ember.empty(200, 300))
        >>> round(w.std().item(), 2)
        0.06
    """
    return normal_(tensor, 0.0, _xavier_std(tensor, gain), generator)


def _kaiming_std(tensor, a, mode, nonlinearity):
    """He's std, or None for an empty tensor (which torch leaves alone with a warning)."""
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return None
    return calculate_gain(nonlinearity, a) / math.sqrt(_calculate_correct_fan(tensor, mode))


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He (kaiming) uniform initialisation in place: ``U(-b, b)`` with ``b = gain * sqrt(3 / fan)``.

    ``gain = calculate_gain(nonlinearity, a)`` and ``fan`` is ``fan_in`` (keeps the forward
    variance) or ``fan_out`` (keeps the backward variance).  Suited to ReLU networks.

    Args:
        tensor (Tensor): at least 2-D.
        a (float): negative slope of the following leaky_relu. Default: ``0``.
        mode (str): ``'fan_in'`` or ``'fan_out'``. Default: ``'fan_in'``.
        nonlinearity (str): ``'relu'`` or ``'leaky_relu'`` (others as ``calculate_gain``).
          Default: ``'leaky_relu'``.
        generator (ember.Generator, optional): the random source. Default: the global one.

    Example:
        >>> w = ember.nn.init.kaiming_uniform_(ember.empty(8, 6), nonlinearity="relu")
        >>> bool(w.abs().max() <= (2 * 3 / 6) ** 0.5)
        True
    """
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He (kaiming) normal initialisation in place: ``N(0, std ** 2)`` with
    ``std = gain / sqrt(fan)``.

    ``gain = calculate_gain(nonlinearity, a)``; ``fan`` is ``fan_in`` or ``fan_out`` per ``mode``.

    Args:
        tensor (Tensor): at least 2-D.
        a (float): negative slope of the following leaky_relu. Default: ``0``.
        mode (str): ``'fan_in'`` or ``'fan_out'``. Default: ``'fan_in'``.
        nonlinearity (str): ``'relu'`` or ``'leaky_relu'`` (others as ``calculate_gain``).
          Default: ``'leaky_relu'``.
        generator (ember.Generator, optional): the random source. Default: the global one.

    Example:
        >>> w = ember.nn.init.kaiming_normal_(ember.empty(500, 200), nonlinearity="relu")
        >>> round(w.std().item(), 1)
        0.1
    """
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    return tensor if std is None else normal_(tensor, 0.0, std, generator)


def orthogonal_(tensor, gain=1, generator=None):
    """Fill ``tensor`` in place with a (semi-)orthogonal matrix, scaled by ``gain``; return it.

    The matrix comes from the QR decomposition of a normal draw (signs fixed so the result is
    uniformly distributed).  Tensors with more than two dimensions are treated as
    ``(size(0), numel / size(0))``.

    Args:
        tensor (Tensor): at least 2-D.
        gain (float): scale factor. Default: ``1``.
        generator (ember.Generator, optional): the random source. Default: the global one.

    Example:
        >>> w = ember.nn.init.orthogonal_(ember.empty(3, 5))
        >>> (w @ w.T).allclose(ember.eye(3), atol=1e-6)
        True
    """
    if tensor.ndimension() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.size(0)
    cols = tensor.numel() // rows
    flat = tensor.new_empty((rows, cols)).normal_(0, 1, **_generator_kw(generator))
    if rows < cols:
        flat = flat.t()
    q, r = linalg.qr(flat)
    q = q * r.diagonal().sign()  # make the decomposition unique (R with a positive diagonal)
    if rows < cols:
        q = q.t()
    with grad_mode.no_grad():
        tensor.view_as(q).copy_(q)
        tensor.mul_(gain)
    return tensor


def sparse_(tensor, sparsity, std=0.01, generator=None):
    """Fill a 2-D ``tensor`` in place from ``N(0, std ** 2)``, then zero ``ceil(sparsity * rows)``
    entries of each column.

    Args:
        tensor (Tensor): a 2-D tensor.
        sparsity (float): fraction of each column set to zero.
        std (float): standard deviation of the non-zero entries. Default: ``0.01``.
        generator (ember.Generator, optional): the random source. Default: the global one.

    Example:
        >>> w = ember.nn.init.sparse_(ember.empty(10, 4), sparsity=0.3)
        >>> (w == 0).sum(dim=0)
        tensor([3, 3, 3, 3])
    """
    if tensor.ndimension() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    num_zeros = int(math.ceil(sparsity * rows))
    with grad_mode.no_grad():
        tensor.normal_(0, std, **_generator_kw(generator))
        if num_zeros:
            # a random permutation of each column's rows: argsort of uniform keys
            zero_rows = rand(rows, cols, **_generator_kw(generator)).argsort(dim=0)[:num_zeros]
            tensor.scatter_(0, zero_rows, 0.0)
    return tensor


def _deprecated(new):
    def old(*args, **kwargs):
        warnings.warn(f"`nn.init.{new.__name__[:-1]}` is now deprecated in favor of "
                      f"`nn.init.{new.__name__}`.", FutureWarning, stacklevel=2)
        return new(*args, **kwargs)
    old.__name__ = new.__name__[:-1]
    old.__doc__ = f"Deprecated alias of ``{new.__name__}``."
    return old


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
