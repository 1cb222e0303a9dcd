"""Activation functions (torch.nn.functional's): pointwise nonlinearities, PReLU, GLU, softmax.

Each is one op from ``ember/_ops/activation/ops.py`` (softmax: the fused op of
``ember/_ops/reduction/funcs.py``).  ``inplace=True`` and the ``name_`` forms write
the result into the input (``apply_inplace``), as torch does.  Float-only
kernels refuse integer inputs with torch's NotImplementedError; bad
parameters raise what torch raises.
"""
import warnings

from ..common import float_input
from ..creation import empty_like, zeros_like
from ..elementwise.funcs import label, check_tensor, relu as _relu, relu_ as _relu_
from ..elementwise.funcs import hardshrink  # noqa: F401 (F.hardshrink is the Tensor method's)
from ..elementwise.funcs import sigmoid, tanh  # noqa: F401 (F.sigmoid / F.tanh)
from ..inplace import apply_inplace
from ..reduction.funcs import softmax as _softmax, log_softmax as _log_softmax
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


def threshold(input, threshold, value, inplace=False):
    """``input`` where it is > threshold, else ``value``."""
    return _apply(A.Threshold(threshold, value), input, inplace, name="threshold")


def threshold_(input, threshold, value):
    return _apply(A.Threshold(threshold, value), input, True, name="threshold_")


def relu(input, inplace=False):
    """max(input, 0)."""
    return _relu_(input) if inplace else _relu(input)


def relu_(input):
    return _relu_(input)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """input clamped to [min_val, max_val]; the gradient is 0 outside (and at) the bounds."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if check_tensor(input, "hardtanh")._data.dtype.kind == "b":
        raise RuntimeError("Bool inputs not supported for hardtanh")
    return _apply(A.Hardtanh(min_val, max_val), input, inplace, name="hardtanh")


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, True)


def relu6(input, inplace=False):
    """min(max(input, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def elu(input, alpha=1.0, inplace=False):
    """input for input > 0, else alpha * (exp(input) - 1)."""
    return _apply(A.Elu(alpha), input, inplace, "elu_cpu", "elu")


def elu_(input, alpha=1.0):
    return elu(input, alpha, True)


def selu(input, inplace=False):
    """scale * elu(input, alpha) with the self-normalising constants of Klambauer et al."""
    return _apply(A.Elu(_SELU_ALPHA, _SELU_SCALE), input, inplace, "elu_cpu", "selu")


def selu_(input):
    return selu(input, True)


def celu(input, alpha=1.0, inplace=False):
    """max(0, input) + min(0, alpha * (exp(input / alpha) - 1))."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    op = A.Elu(alpha, 1.0, 1.0 / alpha)
    op.label = "Celu"
    return _apply(op, input, inplace, "elu_cpu", "celu")


def celu_(input, alpha=1.0):
    return celu(input, alpha, True)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """input for input > 0, else negative_slope * input."""
    return _apply(A.LeakyRelu(negative_slope), input, inplace, "leaky_relu_cpu", "leaky_relu")


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, True)


def prelu(input, weight):
    """Leaky ReLU with learned slopes: one per channel (dim 1), or a single one."""
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
    """Leaky ReLU whose negative slopes are drawn from U(lower, upper) in training, and are
    (lower + upper) / 2 otherwise."""
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
    return rrelu(input, lower, upper, training, True)


def glu(input, dim=-1):
    """a * sigmoid(b), where a and b are the halves of ``input`` along ``dim``."""
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
    """input * Phi(input) (or its tanh approximation with ``approximate='tanh'``)."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _apply(A.Gelu(approximate), input, False, "GeluKernelImpl", "gelu")


def logsigmoid(input):
    """log(sigmoid(input)), computed without overflow."""
    return _apply(A.LogSigmoid(), input, False, "log_sigmoid_cpu", "logsigmoid")


def _check_lambda(lambd, input):
    if lambd < 0:
        raise RuntimeError(f"lambda must be in range [0, 3.40282e+38] for input dtype "
                           f"{label(input.dtype)}, but found {lambd:g}")


def softshrink(input, lambd=0.5):
    """input moved toward 0 by lambd, and 0 where |input| <= lambd."""
    check_tensor(input, "softshrink")
    _check_lambda(lambd, input)
    return _apply(A.Shrink(lambd, soft=True), input, False, "softshrink_check", "softshrink")


def tanhshrink(input):
    """input - tanh(input) (integer inputs give the default float dtype)."""
    if check_tensor(input, "tanhshrink").dtype.np.kind == "b":
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return _apply(A.Tanhshrink(), float_input(input), False)


def softsign(input):
    """input / (1 + |input|) (integer inputs give the default float dtype)."""
    if check_tensor(input, "softsign").dtype.np.kind == "b":
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return _apply(A.Softsign(), float_input(input), False)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta * input)) / beta, linear where beta * input > threshold."""
    return _apply(A.Softplus(beta, threshold), input, False, "softplus_cpu", "softplus")


def hardsigmoid(input, inplace=False):
    """clamp(input / 6 + 1/2, 0, 1)."""
    return _apply(A.Hardsigmoid(), input, inplace, "hardsigmoid_cpu", "hardsigmoid")


def silu(input, inplace=False):
    """input * sigmoid(input) (a.k.a. swish)."""
    return _apply(A.Silu(), input, inplace, "silu_cpu", "silu")


def mish(input, inplace=False):
    """input * tanh(softplus(input))."""
    return _apply(A.Mish(), input, inplace, "mish_cpu", "mish")


def hardswish(input, inplace=False):
    """input * relu6(input + 3) / 6."""
    return _apply(A.Hardswish(), input, inplace, "hardswish_cpu", "hardswish")


# -- softmax family ------------------------------------------------------------------
def _softmax_dim(name, ndim, stacklevel):
    """torch's legacy choice when ``dim`` is omitted (0 for 0-, 1- and 3-d inputs, else 1)."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(input) normalised to sum to 1 along ``dim`` (computed in ``dtype`` if given)."""
    if dim is None:
        dim = _softmax_dim("softmax", input.dim(), _stacklevel)
    return _softmax(input, dim, dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-input) along ``dim``."""
    if dim is None:
        dim = _softmax_dim("softmin", input.dim(), _stacklevel)
    return _softmax(-input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(input)) along ``dim``, computed stably in one op."""
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim(), _stacklevel)
    return _log_softmax(input, dim, dtype)


def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """Softmax of (logits + Gumbel noise) / tau; ``hard``: one-hot forward, soft gradient."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    gumbels = -empty_like(logits).exponential_().log()
    y_soft = _softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.argmax(dim, keepdim=True)
    y_hard = zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft

