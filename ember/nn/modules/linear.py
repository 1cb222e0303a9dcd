"""Affine layers: ``Identity``, ``Linear``, ``Bilinear``, ``LazyLinear`` and
``NonDynamicallyQuantizableLinear``.

Parameter shapes, default initialisation and printed form are torch's, so
state dicts load either way.  ``Linear`` checks its input's feature count
itself and names the layer when it does not match, e.g.::

    fc1 (Linear(in_features=9216, out_features=128, bias=True)): expected input with 9216
    features (last dimension), got input of shape (64, 1600): mat1 and mat2 shapes cannot be
    multiplied (64x1600 and 9216x128)
"""
import math

from ..._ops.creation import empty
from .. import init
from ..._ops import linear as F
from ...autograd import grad_mode
from ..parameter import Parameter, UninitializedParameter
from .lazy import LazyModuleMixin
from .module import Module, layer_error

__all__ = ["Identity", "Linear", "Bilinear", "LazyLinear"]


class Identity(Module):
    """Return the input unchanged.

    A placeholder layer: any constructor arguments are accepted and ignored, so it can stand in
    for another layer (for example to drop a classifier head) without changing call sites.

    Args:
        args: any positional arguments; ignored.
        kwargs: any keyword arguments; ignored.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same tensor.

    Example:
        >>> m = ember.nn.Identity(54, unused="anything")
        >>> x = ember.ones(2, 3)
        >>> m(x) is x
        True
    """

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


def _params(module, weight_shape, bias, device, dtype):
    """Register an uninitialised ``weight`` and, if ``bias``, a ``bias`` of weight_shape[0]."""
    module.weight = Parameter(empty(*weight_shape, device=device, dtype=dtype))
    if bias:
        module.bias = Parameter(empty(weight_shape[0], device=device, dtype=dtype))
    else:
        module.register_parameter("bias", None)


def _uniform_bias(bias, fan_in):
    """torch's default bias init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (0 bound for fan_in 0)."""
    bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
    init.uniform_(bias, -bound, bound)


class Linear(Module):
    """Affine map of the last dimension: ``y = x W^T + b``.

    ``weight`` has shape ``(out_features, in_features)`` and ``bias`` shape ``(out_features,)``.
    Both start uniform in ``[-k, k]`` with ``k = 1 / sqrt(in_features)`` (torch's default, so
    seeded initialisations agree).  An input whose last dimension is not ``in_features`` raises a
    ``RuntimeError`` that names the layer.

    Args:
        in_features (int): size of each input sample (the last dimension).
        out_features (int): size of each output sample.
        bias (bool): learn an additive bias. Default: ``True``.
        device (ember.device, optional): where the parameters live. Default: the default device.
        dtype (ember.dtype, optional): parameter dtype. Default: the default float dtype.

    Shape:
        - Input: ``(*, H_in)`` where ``*`` is any number of leading dimensions (possibly none)
          and ``H_in = in_features``.
        - Output: ``(*, H_out)`` with ``H_out = out_features``.

    Attributes:
        weight (Parameter): ``(out_features, in_features)``.
        bias (Parameter or None): ``(out_features,)``.

    Example:
        >>> m = ember.nn.Linear(4, 2)
        >>> m(ember.zeros(3, 4)).shape
        ember.Size([3, 2])
        >>> m.weight.shape, m.bias.shape
        (ember.Size([2, 4]), ember.Size([2]))
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        _params(self, (out_features, in_features), bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw ``weight`` and ``bias`` again from the default uniform initialisation (in place)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            _uniform_bias(self.bias, init._calculate_fan_in_and_fan_out(self.weight)[0])

    def forward(self, input):
        if input.dim() and input.shape[-1] != self.weight.shape[-1]:
            raise layer_error(self, f"expected input with {self.weight.shape[-1]} features (last "
                                    f"dimension), got input of shape {tuple(input.shape)}: "
                                    f"{F.linear_shape_error(input, self.weight)}", RuntimeError)
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Bilinear(Module):
    """Bilinear form of two inputs: ``y_k = x1^T A_k x2 + b_k`` for each output feature ``k``.

    ``weight`` (the stack of matrices ``A_k``) has shape
    ``(out_features, in1_features, in2_features)``; weight and bias start uniform in ``[-k, k]``
    with ``k = 1 / sqrt(in1_features)``.

    Args:
        in1_features (int): size of each sample of the first input.
        in2_features (int): size of each sample of the second input.
        out_features (int): size of each output sample.
        bias (bool): learn an additive bias. Default: ``True``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input1: ``(*, H_in1)`` with ``H_in1 = in1_features``.
        - Input2: ``(*, H_in2)`` with ``H_in2 = in2_features``; the same leading dimensions.
        - Output: ``(*, H_out)`` with ``H_out = out_features``.

    Example:
        >>> m = ember.nn.Bilinear(3, 5, 2)
        >>> m(ember.ones(4, 3), ember.ones(4, 5)).shape
        ember.Size([4, 2])
    """

    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None,
                 dtype=None):
        super().__init__()
        self.in1_features, self.in2_features = in1_features, in2_features
        self.out_features = out_features
        _params(self, (out_features, in1_features, in2_features), bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw ``weight`` and ``bias`` again uniform in
        ``[-1/sqrt(in1_features), 1/sqrt(in1_features)]``.
        """
        bound = 1 / math.sqrt(self.weight.size(1))
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1, input2):
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self):
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")


class LazyLinear(LazyModuleMixin, Linear):
    """A ``Linear`` whose ``in_features`` is read from the first input.

    The parameters stay uninitialised until the first call; that call sets ``in_features`` to the
    input's last dimension, initialises the weights as ``Linear`` would, and turns the layer into
    a plain ``Linear``.

    Args:
        out_features (int): size of each output sample.
        bias (bool): learn an additive bias. Default: ``True``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(*, H_in)``; ``H_in`` becomes ``in_features`` on the first call.
        - Output: ``(*, H_out)`` with ``H_out = out_features``.

    Example:
        >>> m = ember.nn.LazyLinear(3)
        >>> m(ember.zeros(2, 5)).shape
        ember.Size([2, 3])
        >>> m
        Linear(in_features=5, out_features=3, bias=True)
    """

    cls_to_become = Linear

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        super().__init__(0, 0, False)
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)

    def reset_parameters(self):
        """Initialise as ``Linear`` does, once the parameters are materialised (a no-op before)."""
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
        """Materialise ``weight`` (and ``bias``) from the shape of ``input``; called by the first
        forward.
        """
        if self.has_uninitialized_params():
            with grad_mode.no_grad():
                self.in_features = input.shape[-1]
                self.weight.materialize((self.out_features, self.in_features))
                if self.bias is not None:
                    self.bias.materialize((self.out_features,))
                self.reset_parameters()
        if self.in_features == 0:       # shapes came from load_state_dict
            if input.shape[-1] != self.weight.shape[-1]:
                raise AssertionError(f"The in_features inferred from input: {input.shape[-1]} "
                                     "is not equal to in_features from self.weight: "
                                     f"{self.weight.shape[-1]}")
            self.in_features = input.shape[-1]


class NonDynamicallyQuantizableLinear(Linear):
    """A ``Linear`` under another name: MultiheadAttention's output projection, as in torch.

    torch gives the projection this class so its printed form and pickled global name it;
    ember keeps the name so both match.  ``NonDynamicallyQuantizableLinear(8, 8)`` acts as
    ``Linear(8, 8)``.
    """
