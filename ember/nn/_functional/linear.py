"""Affine maps: ``linear`` (one fused op, x @ W.T + b) and ``bilinear`` (x1^T W_k x2 + b_k)."""
import math

from ..._ops.elementwise.funcs import label
from ..._ops.linalg.funcs import einsum, matmul
from ..._ops.activation.ops import Linear

__all__ = ["linear", "bilinear"]


def linear_shape_error(input, weight):
    """torch's message for mismatched features, naming both shapes (input flattened to 2-D)."""
    rows = math.prod(input.shape[:-1])
    return (f"mat1 and mat2 shapes cannot be multiplied ({rows}x{input.shape[-1]} and "
            f"{weight.shape[-1]}x{weight.shape[0]})")


def linear(input, weight, bias=None):
    """input @ weight.T + bias over the last dim of ``input`` (any leading dims)."""
    if input.dim() == 0 or weight.dim() == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are "
                           f"{input.dim()}D and {weight.dim()}D")
    if weight.dim() > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                           f"{weight.dim()}D")
    if input.dtype != weight.dtype or (bias is not None and bias.dtype != input.dtype):
        other = weight if input.dtype != weight.dtype else bias
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{label(input.dtype).lower()} != {label(other.dtype).lower()} "
                           "(linear needs input, weight and bias of one dtype)")
    if weight.dim() == 1:
        out = matmul(input, weight)
        return out if bias is None else out + bias
    if input.shape[-1] != weight.shape[1]:
        raise RuntimeError(linear_shape_error(input, weight))
    if bias is None or bias.dim() == 0 or tuple(bias.shape) in ((weight.shape[0],), (1,)):
        return Linear()(input, weight, bias)
    return Linear()(input, weight, None) + bias


def bilinear(input1, input2, weight, bias=None):
    """y_k = input1 @ weight[k] @ input2 + bias[k] over matching leading dims."""
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and "
                           f"{input2.dim()}")
    for d, (a, b) in enumerate(zip(input1.shape[:-1], input2.shape[:-1])):
        if a != b:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {d}: got "
                               f"{a} and {b}")
    if weight.dim() != 3:
        raise RuntimeError(f"bilinear(): weight must be 3-dimensional (out, in1, in2), got shape "
                           f"{list(weight.shape)}")
    for i, x in ((1, input1), (2, input2)):
        if x.shape[-1] != weight.shape[i]:
            raise RuntimeError(f"bilinear(): input{i} size does not match weight size: got "
                               f"{x.shape[-1]} but expected {weight.shape[i]}")
    out = einsum("...i,kij,...j->...k", input1, weight, input2)
    return out if bias is None else out + bias
