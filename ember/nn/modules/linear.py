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
from .._functional import linear as F
from ...autograd import grad_mode
from ..parameter import Parameter, UninitializedParameter
from .lazy import LazyModuleMixin
from .module import Module, layer_error

__all__ = ["Identity", "Linear", "Bilinear", "LazyLinear"]


class Identity(Module):
    """Returns its input unchanged; accepts and ignores any constructor arguments."""

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
    """y = x @ weight.T + bias, for inputs (*, in_features).

    weight: (out_features, in_features) ~ kaiming_uniform(a=sqrt(5)), i.e.
    U(-1/sqrt(in_features), 1/sqrt(in_features)); bias the same bound.
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        _params(self, (out_features, in_features), bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self):
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
    """y_k = x1 @ weight[k] @ x2 + bias[k]; weight (out, in1, in2) ~ U(-1/sqrt(in1), +)."""

    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None,
                 dtype=None):
        super().__init__()
        self.in1_features, self.in2_features = in1_features, in2_features
        self.out_features = out_features
        _params(self, (out_features, in1_features, in2_features), bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self):
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
    """A ``Linear`` whose ``in_features`` is the last dim of its first input.

    ``LazyLinear(out_features, bias=True)``: ``LazyLinear(3)(x)`` with ``x`` of shape (N, 5)
    initializes a (3, 5) weight as ``Linear(5, 3)`` would and turns the layer into that Linear.
    """

    cls_to_become = Linear

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        super().__init__(0, 0, False)
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
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
