"""Activation functions (torch.nn.functional's): pointwise nonlinearities, PReLU, GLU, softmax.

Each is one op from ``ember/_ops/activation/ops.py`` (softmax: the fused op of
``ember/_ops/reduction/funcs.py``).  ``inplace=True`` and the ``name_`` forms write
the result into the input (``apply_inplace``), as torch does.  Float-only
kernels refuse integer inputs with torch's NotImplementedError; bad
parameters raise what torch raises.
"""
import warnings

from ..common import float_input, check_scalar_fits
from ..creation import empty_like, zeros_like
from ..elementwise.funcs import label, check_tensor, relu as _relu, relu_ as _relu_
from ..elementwise.funcs import hardshrink  # noqa: F401 (F.hardshrink is the Tensor method's)
from ..elementwise.funcs import sigmoid, tanh  # noqa: F401 (F.sigmoid / F.tanh)
from ..inplace import apply_inplace
from .softmax import softmax as _softmax, log_softmax as _log_softmax
from ..random import rand
from . import ops as A
from ..base import get_xp

__all__ = ["threshold", "threshold_", "relu", "relu_", "hardtanh", "hardtanh_", "relu6", "elu",
           "elu_", "selu", "selu_", "celu", "celu_", "leaky_relu", "leaky_relu_", "prelu",
           "rrelu", "rrelu_", "glu", "gelu", "logsigmoid", "hardshrink", "softshrink", "tanhshrink",
           "softsign", "softplus", "softmin", "softmax", "log_softmax", "gumbel_softmax",
           "tanh", "sigmoid", "hardsigmoid", "silu", "mish", "hardswish"]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _apply(op, input, inplace, kernel=None, name="activation"):
    """Run ``op`` on ``input`` (into it when ``inplace``); ``kernel``: float inputs only."""
    check_tensor(input, name)
    if kernel is not None and input._data.dtype.kind != "f":
        raise NotImplementedError(f'"{kernel}" not implemented for \'{label(input.dtype)}\'')
    return apply_inplace(input, op) if inplace else op(input)


def _threshold(input, threshold, value, inplace, name):
    check_tensor(input, name)
    for s in (threshold, value):
        check_scalar_fits(s, input._data.dtype)
    return _apply(A.Threshold(threshold, value), input, inplace, name=name)


def threshold(input, threshold, value, inplace=False):
    """Replace values at or below a threshold: ``y = x if x > threshold else value``; on an
    integer input both numbers must fit its dtype (RuntimeError otherwise, as torch).

    Args:
        input (Tensor): the input.
        threshold (float): values ``<= threshold`` are replaced.
        value (float): the replacement.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.threshold(ember.tensor([-2., 0., 1.5]), 0.1, 20.)
        tensor([20.0000, 20.0000,  1.5000])
    """
    return _threshold(input, threshold, value, inplace, "threshold")


def threshold_(input, threshold, value):
    """In-place ``threshold``: overwrite ``input`` with ``threshold(input, ...)`` and return it.

    Takes ``threshold``'s arguments except ``inplace``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> x = ember.tensor([-2., 0., 1.5])
        >>> ember.nn.functional.threshold_(x, 0.1, 20.)
        tensor([20.0000, 20.0000,  1.5000])
        >>> x
        tensor([20.0000, 20.0000,  1.5000])
    """
    return _threshold(input, threshold, value, True, "threshold_")


def relu(input, inplace=False):
    """Rectified linear unit: ``y = max(x, 0)``.

    Args:
        input (Tensor): the input.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.relu(ember.tensor([-2., 0., 1.5]))
        tensor([0.0000, 0.0000, 1.5000])
    """
    return _relu_(input) if inplace else _relu(input)


def relu_(input):
    """In-place ``relu``: overwrite ``input`` with ``relu(input, ...)`` and return it.

    Takes ``relu``'s arguments except ``inplace``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> x = ember.tensor([-2., 0., 1.5])
        >>> ember.nn.functional.relu_(x)
        tensor([0.0000, 0.0000, 1.5000])
        >>> x
        tensor([0.0000, 0.0000, 1.5000])
    """
    return _relu_(input)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """Clamp to ``[min_val, max_val]``: ``y = min(max(x, min_val), max_val)``.

    The gradient is zero outside the interval.  ``min_value``/``max_value`` are the deprecated
    spellings of the bounds.

    Args:
        input (Tensor): the input.
        min_val (float): lower bound. Default: ``-1.0``.
        max_val (float): upper bound. Default: ``1.0``.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.hardtanh(ember.tensor([-2., 0., 1.5]))
        tensor([-1.,  0.,  1.])
    """
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if check_tensor(input, "hardtanh")._data.dtype.kind == "b":
        raise RuntimeError("Bool inputs not supported for hardtanh")
    return _apply(A.Hardtanh(min_val, max_val), input, inplace, name="hardtanh")


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """In-place ``hardtanh``: overwrite ``input`` with ``hardtanh(input, ...)`` and return it.

    Takes ``hardtanh``'s arguments except ``inplace``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> x = ember.tensor([-2., 0., 1.5])
        >>> ember.nn.functional.hardtanh_(x)
        tensor([-1.,  0.,  1.])
        >>> x
        tensor([-1.,  0.,  1.])
    """
    return hardtanh(input, min_val, max_val, True)


def relu6(input, inplace=False):
    """ReLU capped at six: ``y = min(max(x, 0), 6)``.

    Args:
        input (Tensor): the input.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.relu6(ember.tensor([-2., 0., 1.5]))
        tensor([0.0000, 0.0000, 1.5000])
    """
    return hardtanh(input, 0.0, 6.0, inplace)


def elu(input, alpha=1.0, inplace=False):
    """Exponential linear unit: ``y = x`` for ``x > 0``, else ``alpha * (exp(x) - 1)``.

    Args:
        input (Tensor): the input.
        alpha (float): the negative saturation value. Default: ``1.0``.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.elu(ember.tensor([-2., 0., 1.5]))
        tensor([-0.8647,  0.0000,  1.5000])
    """
    return _apply(A.Elu(alpha), input, inplace, "elu_cpu", "elu")


def elu_(input, alpha=1.0):
    """In-place ``elu``: overwrite ``input`` with ``elu(input, ...)`` and return it.

    Takes ``elu``'s arguments except ``inplace``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> x = ember.tensor([-2., 0., 1.5])
        >>> ember.nn.functional.elu_(x)
        tensor([-0.8647,  0.0000,  1.5000])
        >>> x
        tensor([-0.8647,  0.0000,  1.5000])
    """
    return elu(input, alpha, True)


def selu(input, inplace=False):
    """Scaled ELU: ``y = scale * (max(0, x) + min(0, alpha * (exp(x) - 1)))``.

    ``alpha = 1.6732632423543772`` and ``scale = 1.0507009873554805``, the self-normalising
    constants: with suitable initialisation activations keep zero mean and unit variance.

    Args:
        input (Tensor): the input.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.selu(ember.tensor([-2., 0., 1.5]))
        tensor([-1.5202,  0.0000,  1.5761])
    """
    return _apply(A.Elu(_SELU_ALPHA, _SELU_SCALE), input, inplace, "elu_cpu", "selu")


def selu_(input):
    """In-place ``selu``: overwrite ``input`` with ``selu(input, ...)`` and return it.

    Takes ``selu``'s arguments except ``inplace``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> x = ember.tensor([-2., 0., 1.5])
        >>> ember.nn.functional.selu_(x)
        tensor([-1.5202,  0.0000,  1.5761])
        >>> x
        tensor([-1.5202,  0.0000,  1.5761])
    """
    return selu(input, True)


def celu(input, alpha=1.0, inplace=False):
    """Continuously differentiable ELU: ``y = max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``.

    Args:
        input (Tensor): the input.
        alpha (float): scale of the negative part; must be non-zero. Default: ``1.0``.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.celu(ember.tensor([-2., 0., 1.5]))
        tensor([-0.8647,  0.0000,  1.5000])
    """
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    op = A.Elu(alpha, 1.0, 1.0 / alpha)
    op.label = "Celu"
    return _apply(op, input, inplace, "elu_cpu", "celu")


def celu_(input, alpha=1.0):
    """In-place ``celu``: overwrite ``input`` with ``celu(input, ...)`` and return it.

    Takes ``celu``'s arguments except ``inplace``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> x = ember.tensor([-2., 0., 1.5])
        >>> ember.nn.functional.celu_(x)
        tensor([-0.8647,  0.0000,  1.5000])
        >>> x
        tensor([-0.8647,  0.0000,  1.5000])
    """
    return celu(input, alpha, True)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """Leaky ReLU: ``y = x`` for ``x >= 0``, else ``negative_slope * x``.

    Args:
        input (Tensor): the input.
        negative_slope (float): slope for negative inputs. Default: ``0.01``.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.leaky_relu(ember.tensor([-2., 0., 1.5]), 0.1)
        tensor([-0.2000,  0.0000,  1.5000])
    """
    return _apply(A.LeakyRelu(negative_slope), input, inplace, "leaky_relu_cpu", "leaky_relu")


def leaky_relu_(input, negative_slope=0.01):
    """In-place ``leaky_relu``: overwrite ``input`` with ``leaky_relu(input, ...)`` and return it.

    Takes ``leaky_relu``'s arguments except ``inplace``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> x = ember.tensor([-2., 0., 1.5])
        >>> ember.nn.functional.leaky_relu_(x, 0.1)
        tensor([-0.2000,  0.0000,  1.5000])
        >>> x
        tensor([-0.2000,  0.0000,  1.5000])
    """
    return leaky_relu(input, negative_slope, True)


def prelu(input, weight):
    """Leaky ReLU with learned slopes: ``y = x`` for ``x >= 0``, else ``weight * x``.

    Args:
        input (Tensor): the input; with several slopes dimension 1 holds the channels.
        weight (Tensor): one slope, or one per channel; same dtype as ``input``.

    Shape:
        - Input: ``(*)``; weight: ``(1,)`` or ``(C,)``.
        - Output: ``(*)``, the same shape.

    Example:
        >>> x = ember.tensor([[-2., 1.], [-4., 3.]])
        >>> ember.nn.functional.prelu(x, ember.tensor([0.5, 0.25]))
        tensor([[-1.,  1.],
                [-2.,  3.]])
    """
    check_tensor(input, "prelu")
    if input.dtype != weight.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got {label(input.dtype)} and "
                           f"{label(weight.dtype)}")
    n = weight.numel()
    if n != 1:
        if input.dim() == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.dim() >= 2 else 1
        if channels != n:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {n} and channel size = {channels}.")
    return A.PRelu()(input, weight)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU: ``y = x`` for ``x >= 0``, else ``a * x``.

    In training ``a`` is drawn uniformly from ``[lower, upper]`` for every element; in eval mode
    ``a = (lower + upper) / 2``.

    Args:
        input (Tensor): the input.
        lower (float): lower bound of the slope. Default: ``1/8``.
        upper (float): upper bound of the slope. Default: ``1/3``.
        training (bool): draw random slopes (training mode). Default: ``False``.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.rrelu(ember.tensor([-2., 0., 1.5]), 0.1, 0.3)
        tensor([-0.4000,  0.0000,  1.5000])
    """
    check_tensor(input, "rrelu")
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if not training:
        op = A.LeakyRelu((lower + upper) / 2)
        op.label = "RreluWithNoise"
        return _apply(op, input, inplace, "leaky_relu_cpu")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f'"leaky_relu_cpu" not implemented for \'{label(input.dtype)}\'')
    slopes = rand(*input.shape, dtype=input.dtype, device=input.device)._data
    slopes *= upper - lower
    slopes += lower
    xp = get_xp(slopes)
    op = A.ScaleShift(xp.where(input._data > 0, 1, slopes).astype(slopes.dtype, copy=False))
    op.label = "RreluWithNoiseBackward0"
    return apply_inplace(input, op) if inplace else op(input)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """In-place ``rrelu``: overwrite ``input`` with ``rrelu(input, ...)`` and return it.

    Takes ``rrelu``'s arguments except ``inplace``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> x = ember.tensor([-2., 0., 1.5])
        >>> ember.nn.functional.rrelu_(x)
        tensor([-0.4583,  0.0000,  1.5000])
        >>> x
        tensor([-0.4583,  0.0000,  1.5000])
    """
    return rrelu(input, lower, upper, training, True)


def glu(input, dim=-1):
    """Gated linear unit: ``y = a * sigmoid(b)``, with ``a``, ``b`` the input's halves along
    ``dim``.

    Args:
        input (Tensor): the input.
        dim (int): the dimension split in two; its size must be even. Default: ``-1``.

    Shape:
        - Input: ``(*1, M, *2)`` where ``M`` (the size of ``dim``) is even.
        - Output: ``(*1, M / 2, *2)``.

    Example:
        >>> ember.nn.functional.glu(ember.tensor([1., -2., 0., 2.]))
        tensor([ 0.5000, -1.7616])
    """
    check_tensor(input, "glu")
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f'"glu_cpu" not implemented for \'{label(input.dtype)}\'')
    axis = dim + input.dim() if dim < 0 else dim
    if not 0 <= axis < input.dim():
        raise IndexError(f"Dimension out of range (expected to be in range of [{-input.dim()}, "
                         f"{input.dim() - 1}], but got {dim})")
    if input.shape[axis] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {axis} is size "
                           f"{input.shape[axis]}")
    return A.Glu(axis)(input)


def gelu(input, approximate="none"):
    """Gaussian error linear unit: ``y = x * Phi(x)`` with ``Phi`` the standard normal CDF.

    With ``approximate='tanh'``, ``Phi(x)`` is replaced by
    ``0.5 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3)))``.

    Args:
        input (Tensor): the input.
        approximate (str): ``'none'`` (exact, with ``erf``) or ``'tanh'``. Default: ``'none'``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.gelu(ember.tensor([-2., 0., 1.5]))
        tensor([-0.0455,  0.0000,  1.3998])
    """
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _apply(A.Gelu(approximate), input, False, "GeluKernelImpl", "gelu")


def logsigmoid(input):
    """Log of the sigmoid: ``y = log(1 / (1 + exp(-x)))``, computed without overflow.

    Takes no arguments.

    Args:
        input (Tensor): the input.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.logsigmoid(ember.tensor([-2., 0., 1.5]))
        tensor([-2.1269, -0.6931, -0.2014])
    """
    return _apply(A.LogSigmoid(), input, False, "log_sigmoid_cpu", "logsigmoid")


def _check_lambda(lambd, input):
    if lambd < 0:
        raise RuntimeError(f"lambda must be in range [0, 3.40282e+38] for input dtype "
                           f"{label(input.dtype)}, but found {lambd:g}")


def softshrink(input, lambd=0.5):
    """Soft shrinkage: move ``x`` toward zero by ``lambd``; ``y = 0`` where ``|x| <= lambd``.

    ``y = x - lambd`` for ``x > lambd``, ``x + lambd`` for ``x < -lambd``.

    Args:
        input (Tensor): the input.
        lambd (float): the threshold, at least 0. Default: ``0.5``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.softshrink(ember.tensor([-2., 0., 1.5]))
        tensor([-1.5000,  0.0000,  1.0000])
    """
    check_tensor(input, "softshrink")
    _check_lambda(lambd, input)
    return _apply(A.Shrink(lambd, soft=True), input, False, "softshrink_check", "softshrink")


def tanhshrink(input):
    """``y = x - tanh(x)``.

    Takes no arguments.

    Args:
        input (Tensor): the input.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.tanhshrink(ember.tensor([-2., 0., 1.5]))
        tensor([-1.0360,  0.0000,  0.5949])
    """
    if check_tensor(input, "tanhshrink").dtype.np.kind == "b":
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return _apply(A.Tanhshrink(), float_input(input), False)


def softsign(input):
    """Softsign: ``y = x / (1 + |x|)``.

    Takes no arguments.

    Args:
        input (Tensor): the input.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.softsign(ember.tensor([-2., 0., 1.5]))
        tensor([-0.6667,  0.0000,  0.6000])
    """
    if check_tensor(input, "softsign").dtype.np.kind == "b":
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return _apply(A.Softsign(), float_input(input), False)


def softplus(input, beta=1.0, threshold=20.0):
    """Smooth ReLU: ``y = log(1 + exp(beta * x)) / beta``.

    Where ``beta * x > threshold`` the result is ``x`` itself, for numerical stability.

    Args:
        input (Tensor): the input.
        beta (float): sharpness. Default: ``1.0``.
        threshold (float): above this ``beta * x`` the layer is linear. Default: ``20.0``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.softplus(ember.tensor([-2., 0., 1.5]))
        tensor([0.1269, 0.6931, 1.7014])
    """
    return _apply(A.Softplus(beta, threshold), input, False, "softplus_cpu", "softplus")


def hardsigmoid(input, inplace=False):
    """Piecewise-linear sigmoid: ``y = clamp(x / 6 + 1/2, 0, 1)``.

    Args:
        input (Tensor): the input.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.hardsigmoid(ember.tensor([-2., 0., 1.5]))
        tensor([0.1667, 0.5000, 0.7500])
    """
    return _apply(A.Hardsigmoid(), input, inplace, "hardsigmoid_cpu", "hardsigmoid")


def silu(input, inplace=False):
    """Sigmoid-weighted linear unit (swish): ``y = x * sigmoid(x)``.

    Args:
        input (Tensor): the input.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.silu(ember.tensor([-2., 0., 1.5]))
        tensor([-0.2384,  0.0000,  1.2264])
    """
    return _apply(A.Silu(), input, inplace, "silu_cpu", "silu")


def mish(input, inplace=False):
    """Mish: ``y = x * tanh(softplus(x))``.

    Args:
        input (Tensor): the input.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.mish(ember.tensor([-2., 0., 1.5]))
        tensor([-0.2525,  0.0000,  1.4034])
    """
    return _apply(A.Mish(), input, inplace, "mish_cpu", "mish")


def hardswish(input, inplace=False):
    """Piecewise swish: ``y = x * relu6(x + 3) / 6``.

    Args:
        input (Tensor): the input.
        inplace (bool): overwrite the input with the result. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.hardswish(ember.tensor([-2., 0., 1.5]))
        tensor([-0.3333,  0.0000,  1.1250])
    """
    return _apply(A.Hardswish(), input, inplace, "hardswish_cpu", "hardswish")


# -- softmax family ------------------------------------------------------------------
def _softmax_dim(name, ndim, stacklevel):
    """torch's legacy choice when ``dim`` is omitted (0 for 0-, 1- and 3-d inputs, else 1)."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """Softmax along ``dim``: ``y_i = exp(x_i) / sum_j exp(x_j)``.

    Args:
        input (Tensor): the input.
        dim (int): the dimension that sums to 1.  ``None`` picks torch's legacy choice and warns.
        dtype (ember.dtype, optional): cast the input to this dtype first (to compute a float16
          input in float32, say). Default: ``None``.

    Shape:
        - Input: ``(*)``.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.softmax(ember.tensor([[1., 2., 3.], [0., 0., 0.]]), dim=1)
        tensor([[0.0900, 0.2447, 0.6652],
                [0.3333, 0.3333, 0.3333]])
    """
    if dim is None:
        dim = _softmax_dim("softmax", input.dim(), _stacklevel)
    return _softmax(input, dim, dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """Softmin along ``dim``: ``softmax(-input, dim)``.

    Args:
        input (Tensor): the input.
        dim (int): the dimension that sums to 1.  ``None`` picks torch's legacy choice and warns.
        dtype (ember.dtype, optional): cast the input to this dtype first. Default: ``None``.

    Shape:
        - Input: ``(*)``.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.softmin(ember.tensor([1., 2., 3.]), dim=0)
        tensor([0.6652, 0.2447, 0.0900])
    """
    if dim is None:
        dim = _softmax_dim("softmin", input.dim(), _stacklevel)
    return _softmax(-input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """Log-softmax along ``dim``: ``y_i = x_i - log(sum_j exp(x_j))``, in one stable step.

    Args:
        input (Tensor): the input.
        dim (int): the dimension normalised.  ``None`` picks torch's legacy choice and warns.
        dtype (ember.dtype, optional): cast the input to this dtype first. Default: ``None``.

    Shape:
        - Input: ``(*)``.
        - Output: ``(*)``, the same shape.

    Example:
        >>> ember.nn.functional.log_softmax(ember.tensor([0., 0.]), dim=0)
        tensor([-0.6931, -0.6931])
    """
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim(), _stacklevel)
    return _log_softmax(input, dim, dtype)


def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """Sample from the Gumbel-softmax (concrete) distribution: ``softmax((logits + g) / tau)``.

    ``g`` is i.i.d. Gumbel noise, ``-log(Exponential(1))``.  With ``hard=True`` the forward value is
    the one-hot vector of the largest entry while the gradient is that of the soft sample
    (straight-through estimator).

    Args:
        logits (Tensor): unnormalised log-probabilities.
        tau (float): temperature; small values give nearly one-hot samples. Default: ``1``.
        hard (bool): return one-hot samples with soft gradients. Default: ``False``.
        eps (float): deprecated, has no effect. Default: ``1e-10``.
        dim (int): the dimension of the categories. Default: ``-1``.

    Shape:
        - Input: ``(*, num_classes)`` (or the categories along ``dim``).
        - Output: the same shape.

    Example:
        >>> y = ember.nn.functional.gumbel_softmax(ember.zeros(2, 5), hard=True)
        >>> y.sum(dim=-1)
        tensor([1., 1.])
    """
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    gumbels = -empty_like(logits).exponential_().log()
    y_soft = _softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.argmax(dim, keepdim=True)
    y_hard = zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft

