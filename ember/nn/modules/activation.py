"""Activation layers: thin classes over ``ember.nn.functional``'s activations.

Constructor arguments, attribute names and printed forms are torch's
(``LeakyReLU(negative_slope=0.2, inplace=True)``); ``inplace=True`` layers
overwrite their input.  ``MultiheadAttention`` is here too, as in torch (its maths is in
``_ops/attention.py``).
"""
import warnings

from ..._ops.creation import empty
from .. import init
from ..._ops.activation import funcs as F
from ..._ops.attention import multi_head_attention_forward
from ..parameter import Parameter
from .linear import NonDynamicallyQuantizableLinear
from .module import Module

__all__ = ["Threshold", "ReLU", "RReLU", "Hardtanh", "ReLU6", "Sigmoid", "Tanh", "Hardsigmoid",
           "SiLU", "Mish", "Hardswish", "ELU", "CELU", "SELU", "GLU", "GELU", "Hardshrink",
           "LeakyReLU", "LogSigmoid", "Softplus", "Softshrink", "PReLU", "Softsign",
           "Tanhshrink", "Softmin", "Softmax", "Softmax2d", "LogSoftmax", "MultiheadAttention"]


def _inplace_suffix(inplace, lead=", "):
    return f"{lead}inplace=True" if inplace else ""


class _Stateless(Module):
    """An activation without arguments: ``forward`` applies ``_fn``."""

    _fn = None

    def forward(self, input):
        return type(self)._fn(input)


class _InplaceOnly(Module):
    """An activation whose only argument is ``inplace``."""

    _fn = None

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return type(self)._fn(input, inplace=self.inplace)

    def extra_repr(self):
        return _inplace_suffix(self.inplace, "")


class ReLU(_InplaceOnly):
    """Rectified linear unit: ``y = max(x, 0)``.

    Args:
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.ReLU()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([0.0000, 0.0000, 1.5000])
    """
    _fn = F.relu


class SELU(_InplaceOnly):
    """Scaled ELU: ``y = scale * (max(0, x) + min(0, alpha * (exp(x) - 1)))``.

    ``alpha = 1.6732632423543772`` and ``scale = 1.0507009873554805``, the self-normalising
    constants: with suitable initialisation activations keep zero mean and unit variance.

    Args:
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.SELU()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-1.5202,  0.0000,  1.5761])
    """
    _fn = F.selu


class SiLU(_InplaceOnly):
    """Sigmoid-weighted linear unit (swish): ``y = x * sigmoid(x)``.

    Args:
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.SiLU()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-0.2384,  0.0000,  1.2264])
    """
    _fn = F.silu


class Mish(_InplaceOnly):
    """Mish: ``y = x * tanh(softplus(x))``.

    Args:
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.Mish()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-0.2525,  0.0000,  1.4034])
    """
    _fn = F.mish


class Hardsigmoid(_InplaceOnly):
    """Piecewise-linear sigmoid: ``y = clamp(x / 6 + 1/2, 0, 1)``.

    Args:
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.Hardsigmoid()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([0.1667, 0.5000, 0.7500])
    """
    _fn = F.hardsigmoid

    def extra_repr(self):
        return ""


class Hardswish(Hardsigmoid):
    """Piecewise swish: ``y = x * relu6(x + 3) / 6``.

    Args:
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.Hardswish()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-0.3333,  0.0000,  1.1250])
    """
    _fn = F.hardswish


class Sigmoid(_Stateless):
    """Logistic sigmoid: ``y = 1 / (1 + exp(-x))``.

    Takes no arguments.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.Sigmoid()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([0.1192, 0.5000, 0.8176])
    """
    _fn = F.sigmoid


class Tanh(_Stateless):
    """Hyperbolic tangent: ``y = (exp(x) - exp(-x)) / (exp(x) + exp(-x))``.

    Takes no arguments.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.Tanh()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-0.9640,  0.0000,  0.9051])
    """
    _fn = F.tanh


class LogSigmoid(_Stateless):
    """Log of the sigmoid: ``y = log(1 / (1 + exp(-x)))``, computed without overflow.

    Takes no arguments.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.LogSigmoid()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-2.1269, -0.6931, -0.2014])
    """
    _fn = F.logsigmoid


class Softsign(_Stateless):
    """Softsign: ``y = x / (1 + |x|)``.

    Takes no arguments.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.Softsign()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-0.6667,  0.0000,  0.6000])
    """
    _fn = F.softsign


class Tanhshrink(_Stateless):
    """``y = x - tanh(x)``.

    Takes no arguments.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.Tanhshrink()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-1.0360,  0.0000,  0.5949])
    """
    _fn = F.tanhshrink


class Threshold(Module):
    """Replace values at or below a threshold: ``y = x if x > threshold else value``.

    Args:
        threshold (float): values ``<= threshold`` are replaced.
        value (float): the replacement.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.Threshold(0.1, 20.)
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([20.0000, 20.0000,  1.5000])
    """

    def __init__(self, threshold, value, inplace=False):
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input):
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self):
        return f"threshold={self.threshold}, value={self.value}" + _inplace_suffix(self.inplace)


class RReLU(Module):
    """Randomized leaky ReLU: ``y = x`` for ``x >= 0``, else ``a * x``.

    In training ``a`` is drawn uniformly from ``[lower, upper]`` for every element; in eval mode
    ``a = (lower + upper) / 2``.

    Args:
        lower (float): lower bound of the slope. Default: ``1/8``.
        upper (float): upper bound of the slope. Default: ``1/3``.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.RReLU(0.1, 0.3).eval()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-0.4000,  0.0000,  1.5000])
    """

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input):
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}" + _inplace_suffix(self.inplace)


class Hardtanh(Module):
    """Clamp to ``[min_val, max_val]``: ``y = min(max(x, min_val), max_val)``.

    The gradient is zero outside the interval.  ``min_value``/``max_value`` are the deprecated
    spellings of the bounds.

    Args:
        min_val (float): lower bound. Default: ``-1.0``.
        max_val (float): upper bound. Default: ``1.0``.
        inplace (bool): overwrite the input with the result. Default: ``False``.
        min_value (float, optional): deprecated name of ``min_val``.
        max_value (float, optional): deprecated name of ``max_val``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.Hardtanh()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-1.,  0.,  1.])
    """

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None):
        super().__init__()
        if min_value is not None:
            warnings.warn("keyword argument `min_value` is deprecated and renamed to `min_val`",
                          FutureWarning, stacklevel=2)
            min_val = min_value
        if max_value is not None:
            warnings.warn("keyword argument `max_value` is deprecated and renamed to `max_val`",
                          FutureWarning, stacklevel=2)
            max_val = max_value
        if max_val <= min_val:
            raise AssertionError(f"max_val ({max_val}) must be greater than min_val ({min_val})")
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self):
        return f"min_val={self.min_val}, max_val={self.max_val}" + _inplace_suffix(self.inplace)


class ReLU6(Hardtanh):
    """ReLU capped at six: ``y = min(max(x, 0), 6)``.

    Args:
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.ReLU6()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([0.0000, 0.0000, 1.5000])
    """

    def __init__(self, inplace=False):
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self):
        return _inplace_suffix(self.inplace, "")


class _Alpha(Module):
    """ELU and CELU: an ``alpha`` and ``inplace``."""

    _fn = None

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input):
        return type(self)._fn(input, self.alpha, self.inplace)

    def extra_repr(self):
        return f"alpha={self.alpha}" + _inplace_suffix(self.inplace)


class ELU(_Alpha):
    """Exponential linear unit: ``y = x`` for ``x > 0``, else ``alpha * (exp(x) - 1)``.

    Args:
        alpha (float): the negative saturation value. Default: ``1.0``.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.ELU()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-0.8647,  0.0000,  1.5000])
    """
    _fn = F.elu


class CELU(_Alpha):
    """Continuously differentiable ELU: ``y = max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``.

    Args:
        alpha (float): scale of the negative part; must be non-zero. Default: ``1.0``.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.CELU()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-0.8647,  0.0000,  1.5000])
    """
    _fn = F.celu


class LeakyReLU(Module):
    """Leaky ReLU: ``y = x`` for ``x >= 0``, else ``negative_slope * x``.

    Args:
        negative_slope (float): slope for negative inputs. Default: ``0.01``.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.LeakyReLU(0.1)
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-0.2000,  0.0000,  1.5000])
    """

    def __init__(self, negative_slope=1e-2, inplace=False):
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + _inplace_suffix(self.inplace)


class GLU(Module):
    """Gated linear unit: ``y = a * sigmoid(b)``, with ``a``, ``b`` the input's halves along
    ``dim``.

    Args:
        dim (int): the dimension split in two; its size must be even. Default: ``-1``.

    Shape:
        - Input: ``(*1, M, *2)`` where ``M`` (the size of ``dim``) is even.
        - Output: ``(*1, M / 2, *2)``.

    Example:
        >>> m = ember.nn.GLU()
        >>> m(ember.tensor([1., -2., 0., 2.]))
        tensor([ 0.5000, -1.7616])
    """

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.glu(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class GELU(Module):
    """Gaussian error linear unit: ``y = x * Phi(x)`` with ``Phi`` the standard normal CDF.

    With ``approximate='tanh'``, ``Phi(x)`` is replaced by
    ``0.5 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3)))``.

    Args:
        approximate (str): ``'none'`` (exact, with ``erf``) or ``'tanh'``. Default: ``'none'``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.GELU()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-0.0455,  0.0000,  1.3998])
    """

    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class _Shrink(Module):
    _fn = None

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return type(self)._fn(input, self.lambd)

    def extra_repr(self):
        return str(self.lambd)


class Hardshrink(_Shrink):
    """Hard shrinkage: ``y = x`` where ``|x| > lambd``, else ``0``.

    Args:
        lambd (float): the threshold. Default: ``0.5``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.Hardshrink()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-2.0000,  0.0000,  1.5000])
    """
    _fn = F.hardshrink


class Softshrink(_Shrink):
    """Soft shrinkage: move ``x`` toward zero by ``lambd``; ``y = 0`` where ``|x| <= lambd``.

    ``y = x - lambd`` for ``x > lambd``, ``x + lambd`` for ``x < -lambd``.

    Args:
        lambd (float): the threshold, at least 0. Default: ``0.5``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.Softshrink()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-1.5000,  0.0000,  1.0000])
    """
    _fn = F.softshrink


class Softplus(Module):
    """Smooth ReLU: ``y = log(1 + exp(beta * x)) / beta``.

    Where ``beta * x > threshold`` the result is ``x`` itself, for numerical stability.

    Args:
        beta (float): sharpness. Default: ``1.0``.
        threshold (float): above this ``beta * x`` the layer is linear. Default: ``20.0``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> m = ember.nn.Softplus()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([0.1269, 0.6931, 1.7014])
    """

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class PReLU(Module):
    """Leaky ReLU with a learned slope: ``y = x`` for ``x >= 0``, else ``a * x``.

    ``a`` is a parameter, either one value shared by all channels or one per channel (the input's
    dimension 1).  Weight decay on ``a`` is usually not wanted.

    Args:
        num_parameters (int): ``1`` for one shared slope, or the channel count. Default: ``1``.
        init (float): starting value of the slopes. Default: ``0.25``.
        device (ember.device, optional): where the parameter lives.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(*)``; with ``num_parameters > 1`` dimension 1 (or 0 for a 1-D input) holds the
          channels.
        - Output: ``(*)``, the same shape.

    Attributes:
        weight (Parameter): the slopes, shape ``(num_parameters,)``.

    Example:
        >>> m = ember.nn.PReLU()
        >>> m(ember.tensor([-2., 0., 1.5]))
        tensor([-0.5000,  0.0000,  1.5000], grad_fn=<PreluKernelBackward0>)
    """

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        """Set every slope back to ``init``."""
        init.constant_(self.weight, self.init)

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class _SoftmaxNd(Module):
    """Softmin, Softmax, LogSoftmax along ``dim`` (None: torch's legacy choice, with a warning)."""

    _fn = None

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def __setstate__(self, state):
        super().__setstate__(state)
        if not hasattr(self, "dim"):
            self.dim = None

    def forward(self, input):
        return type(self)._fn(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmin(_SoftmaxNd):
    """Softmin along ``dim``: ``y_i = exp(-x_i) / sum_j exp(-x_j)``; the smallest input gets the
    most mass.

    Args:
        dim (int): the dimension that sums to 1.  ``None`` picks torch's legacy choice (dimension
          0 for 0-, 1- and 3-D inputs, else 1) and warns. Default: ``None``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape, values in ``[0, 1]``.

    Example:
        >>> ember.nn.Softmin(dim=0)(ember.tensor([1., 2., 3.]))
        tensor([0.6652, 0.2447, 0.0900])
    """
    _fn = F.softmin


class Softmax(_SoftmaxNd):
    """Softmax along ``dim``: ``y_i = exp(x_i) / sum_j exp(x_j)``, values that are positive and sum
    to 1.

    Computed with the maximum subtracted first, so large inputs do not overflow.

    Args:
        dim (int): the dimension that sums to 1.  ``None`` picks torch's legacy choice (dimension
          0 for 0-, 1- and 3-D inputs, else 1) and warns. Default: ``None``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape, values in ``[0, 1]``.

    Example:
        >>> m = ember.nn.Softmax(dim=1)
        >>> m(ember.tensor([[1., 2., 3.], [0., 0., 0.]]))
        tensor([[0.0900, 0.2447, 0.6652],
                [0.3333, 0.3333, 0.3333]])
    """
    _fn = F.softmax


class LogSoftmax(_SoftmaxNd):
    """Log of the softmax along ``dim``: ``y_i = x_i - log(sum_j exp(x_j))``, computed stably.

    Pair it with ``NLLLoss`` for classification (together they are ``CrossEntropyLoss``).

    Args:
        dim (int): the dimension normalised.  ``None`` picks torch's legacy choice and warns.
          Default: ``None``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape, values in ``(-inf, 0]``.

    Example:
        >>> ember.nn.LogSoftmax(dim=0)(ember.tensor([0., 0.]))
        tensor([-0.6931, -0.6931])
    """
    _fn = F.log_softmax


class Softmax2d(Module):
    """Softmax over the channels at every spatial position of an image batch.

    Equivalent to ``Softmax(dim=-3)``; takes no arguments.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: the same shape; each ``[..., :, h, w]`` sums to 1.

    Example:
        >>> y = ember.nn.Softmax2d()(ember.zeros(1, 4, 2, 2))
        >>> y[0, :, 0, 0]
        tensor([0.2500, 0.2500, 0.2500, 0.2500])
    """

    def forward(self, input):
        if input.dim() not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D "
                             "instead")
        return F.softmax(input, -3)


class MultiheadAttention(Module):
    """Multi-head attention: ``concat(head_1, ..., head_h) W_O`` with
    ``head_i = attention(Q W_i^Q, K W_i^K, V W_i^V)``.

    Each head runs scaled dot-product attention, ``softmax(q k^T / sqrt(d) + mask) v``, on its own
    ``embed_dim // num_heads`` slice of the projected query, key and value.  ``forward(query, key,
    value, key_padding_mask=None, need_weights=True, attn_mask=None, average_attn_weights=True,
    is_causal=False)`` returns ``(output, weights)``; ``weights`` is ``None`` unless
    ``need_weights`` (then averaged over heads unless ``average_attn_weights=False``).  A boolean
    mask entry ``True`` means "may not attend"; a float mask is added to the scores.

    Args:
        embed_dim (int): model width ``E``; must be divisible by ``num_heads``.
        num_heads (int): number of parallel heads.
        dropout (float): dropout probability on the attention weights. Default: ``0.0``.
        bias (bool): add biases to the input and output projections. Default: ``True``.
        add_bias_kv (bool): append a learned bias row to the key and value sequences.
          Default: ``False``.
        add_zero_attn (bool): append a zero row to the key and value sequences. Default: ``False``.
        kdim (int, optional): key width. Default: ``embed_dim``.
        vdim (int, optional): value width. Default: ``embed_dim``.
        batch_first (bool): inputs are ``(N, L, E)`` rather than ``(L, N, E)``. Default: ``False``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - query: ``(L, N, E)``, ``(N, L, E)`` with ``batch_first``, or unbatched ``(L, E)``.
        - key: ``(S, N, kdim)`` (batch-first or unbatched likewise); value: ``(S, N, vdim)``.
        - key_padding_mask: ``(N, S)`` or ``(S,)``; attn_mask: ``(L, S)`` or
          ``(N * num_heads, L, S)``.
        - Output: ``(L, N, E)`` (or as the query is laid out); weights ``(N, L, S)``, or
          ``(N, num_heads, L, S)`` without averaging.

    Example:
        >>> mha = ember.nn.MultiheadAttention(8, 2, batch_first=True)
        >>> q = ember.zeros(3, 5, 8)
        >>> out, w = mha(q, ember.zeros(3, 7, 8), ember.zeros(3, 7, 8))
        >>> out.shape, w.shape
        (ember.Size([3, 5, 8]), ember.Size([3, 5, 7]))
    """

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None,
                 dtype=None):
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got "
                             f"embed_dim={embed_dim} and num_heads={num_heads} instead")
        super().__init__()
        kw = {"device": device, "dtype": dtype}
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads, self.dropout, self.batch_first = num_heads, dropout, batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(empty(3 * embed_dim, embed_dim, **kw))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = Parameter(empty(embed_dim, embed_dim, **kw))
            self.k_proj_weight = Parameter(empty(embed_dim, self.kdim, **kw))
            self.v_proj_weight = Parameter(empty(embed_dim, self.vdim, **kw))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(empty(3 * embed_dim, **kw))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, **kw)
        if add_bias_kv:
            self.bias_k = Parameter(empty(1, 1, embed_dim, **kw))
            self.bias_v = Parameter(empty(1, 1, embed_dim, **kw))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self):
        """torch's init: xavier-uniform projections, zero biases, xavier-normal bias_k/bias_v."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for w in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(w)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
            init.xavier_normal_(self.bias_v)

    def __setstate__(self, state):
        state.setdefault("_qkv_same_embed_dim", True)
        super().__setstate__(state)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        batched = query.dim() == 3
        if self.batch_first and batched:
            same = {}
            query, key, value = (same.setdefault(id(x), x.transpose(0, 1))
                                 for x in (query, key, value))
        separate = not self._qkv_same_embed_dim
        out, weights = multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight,
            self.in_proj_bias, self.bias_k, self.bias_v, self.add_zero_attn, self.dropout,
            self.out_proj.weight, self.out_proj.bias, training=self.training,
            key_padding_mask=key_padding_mask, need_weights=need_weights, attn_mask=attn_mask,
            use_separate_proj_weight=separate, q_proj_weight=self.q_proj_weight,
            k_proj_weight=self.k_proj_weight, v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights, is_causal=is_causal)
        if self.batch_first and batched:
            out = out.transpose(0, 1)
        return out, weights
