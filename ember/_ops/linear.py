"""Affine maps: ``linear`` (one fused op, x @ W.T + b) and ``bilinear`` (x1^T W_k x2 + b_k)."""
import math

from .base import Op, sum_to, get_xp
from .elementwise.funcs import label
from .linalg.funcs import einsum, matmul

__all__ = ["linear", "bilinear"]


class Linear(Op):
    """x @ W.T + b over any number of leading dims of x, in one BLAS call each way."""

    def name(self):
        # torch's decomposition: addmm / mm for a matrix x, else a view of one
        if len(self.xshape) == 2:
            return "MmBackward0" if self.bshape is None else "AddmmBackward0"
        if self.bshape is not None:
            return "ViewBackward0"
        return "SqueezeBackward4" if len(self.xshape) == 1 else "UnsafeViewBackward0"

    def forward(self, x, w, b):
        nx, nw, nb = self.needs_input_grad
        self.xshape, self.bshape = x.shape, getattr(b, "shape", None)
        self.save_inputs = (1,) * nx + (0,) * nw
        self.x, self.w = (x if nw else None), (w if nx else None)
        x2 = x.reshape(math.prod(x.shape[:-1]), x.shape[-1]) if x.ndim != 2 else x
        y = get_xp(x).matmul(x2, w.T)
        if b is not None:
            y += b
        return y.reshape(x.shape[:-1] + (w.shape[0],))

    def backward(self, g):
        nx, nw, nb = self.needs_input_grad
        rows = math.prod(self.xshape[:-1])
        g2 = g.reshape(rows, g.shape[-1]) if g.ndim != 2 else g
        gx = gw = gb = None
        if nx:
            gx = (g2 @ self.w).reshape(self.xshape)
        if nw:
            gw = g2.T @ self.x.reshape(rows, self.xshape[-1])
        if nb:
            gb = sum_to(g2.sum(axis=0), self.bshape)
        return gx, gw, gb


def linear_shape_error(input, weight):
    """torch's message for mismatched features, naming both shapes (input flattened to 2-D)."""
    rows = math.prod(input.shape[:-1])
    return (f"mat1 and mat2 shapes cannot be multiplied ({rows}x{input.shape[-1]} and "
            f"{weight.shape[-1]}x{weight.shape[0]})")


def linear(input, weight, bias=None):
    """Affine map of the last dimension: ``y = x W^T + b``.

    Args:
        input (Tensor): ``(*, in_features)``.
        weight (Tensor): ``(out_features, in_features)``, or ``(in_features,)`` for a single output
          with that dimension dropped.
        bias (Tensor, optional): ``(out_features,)`` or anything broadcastable to the output.
          Default: ``None``.

    Shape:
        - Input: ``(*, in_features)``.
        - Output: ``(*, out_features)``.

    Example:
        >>> x = ember.tensor([[1., 2.]])
        >>> w = ember.tensor([[1., 0.], [1., 1.], [0., -1.]])
        >>> ember.nn.functional.linear(x, w, ember.tensor([0., 0., 10.]))
        tensor([[1., 3., 8.]])
    """
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
    """Bilinear form of two inputs: ``y_k = x1^T A_k x2 + b_k``.

    Args:
        input1 (Tensor): ``(*, in1_features)``.
        input2 (Tensor): ``(*, in2_features)``, same leading dimensions as ``input1``.
        weight (Tensor): ``(out_features, in1_features, in2_features)``.
        bias (Tensor, optional): ``(out_features,)``. Default: ``None``.

    Shape:
        - Output: ``(*, out_features)``.

    Example:
        >>> x1, x2 = ember.tensor([[1., 2.]]), ember.tensor([[3., 4.]])
        >>> ember.nn.functional.bilinear(x1, x2, ember.ones(1, 2, 2))
        tensor([[21.]])
    """
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
