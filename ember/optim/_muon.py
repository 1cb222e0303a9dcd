"""Muon: momentum SGD whose update of each weight matrix is orthogonalised by a Newton-Schulz
iteration, for the 2-D weights of hidden layers."""
import math

import numpy as np

from .._backend import get_array_module
from .._tensor import Tensor
from .optimizer import Optimizer, _RealState, zero_buffers
from ._functional import lerp_

__all__ = ["Muon"]

_NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)


def _bf16(x):
    """``x`` rounded to bfloat16 precision (nearest, ties to even), kept as float32.

    torch runs the Newton-Schulz iteration in bfloat16; NumPy has no such
    dtype, so each result torch would store in bfloat16 is rounded here
    after float32 arithmetic, which reproduces torch's CPU values.
    """
    xp = get_array_module(x)
    bits = xp.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    bits = (bits + np.uint32(0x7FFF) + ((bits >> 16) & np.uint32(1))) & np.uint32(0xFFFF0000)
    return bits.view(np.float32)


def _orthogonalize(grad, coefficients, steps, eps):
    """Approximately U V^T of ``grad`` = U S V^T: ``steps`` quintic Newton-Schulz iterations."""
    if steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    if grad.ndim != 2:
        raise ValueError("Input tensor gradient must be a 2D matrix")
    if len(coefficients) != 3:
        raise ValueError("Coefficients must be a tuple of exactly 3 values")
    a, b, c = coefficients
    x = _bf16(grad)
    tall = x.shape[0] > x.shape[1]
    if tall:
        x = x.T
    norm = _bf16(((x.astype(np.float64) ** 2).sum()) ** 0.5)
    x = _bf16(x / max(norm, _bf16(np.float32(eps))))
    for _ in range(steps):
        gram = _bf16(x @ x.T)
        poly = _bf16(b * gram + c * (gram @ gram))
        x = _bf16(a * x + poly @ x)
    return x.T if tall else x


class Muon(Optimizer):
    """Momentum with an orthogonalised update, for 2-D parameters only.

    Each step: ``buf = momentum * buf + (1 - momentum) * grad``; the update
    is ``buf`` (or, with ``nesterov``, ``grad`` moved towards ``buf`` by
    ``momentum``) orthogonalised by ``ns_steps`` Newton-Schulz iterations in
    bfloat16 precision; then ``param *= 1 - lr * weight_decay`` and
    ``param -= adjusted_lr * update``, where ``adjust_lr_fn`` scales lr by
    the shape (A, B): ``'original'``/None ``sqrt(max(1, A / B))``,
    ``'match_rms_adamw'`` ``0.2 * sqrt(max(A, B))``. Biases, embeddings and
    other non-matrix parameters belong in another optimizer (e.g. AdamW).

    Args:
        params (iterable): 2-D tensors or parameter groups.
        lr (float): learning rate. Default: ``1e-3``.
        weight_decay (float): decoupled weight decay. Default: ``0.1``.
        momentum (float): momentum factor. Default: ``0.95``.
        nesterov (bool): Nesterov momentum. Default: ``True``.
        ns_coefficients (tuple of float): the quintic's ``(a, b, c)``.
        eps (float): keeps the normalisation finite. Default: ``1e-7``.
        ns_steps (int): Newton-Schulz iterations, below 100. Default: ``5``.
        adjust_lr_fn (str, optional): how the lr is scaled by the matrix shape (see above).

    Example::

        >>> w = ember.randn(4, 3, requires_grad=True)
        >>> opt = ember.optim.Muon([w], lr=0.02)
        >>> (w ** 2).sum().backward(); opt.step()
    """

    def __init__(self, params, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=_NS_COEFFICIENTS, eps=1e-7, ns_steps=5, adjust_lr_fn=None):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ("original", "match_rms_adamw"):
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        super().__init__(params, dict(lr=lr, weight_decay=weight_decay, momentum=momentum,
                                      nesterov=nesterov, ns_coefficients=ns_coefficients, eps=eps,
                                      ns_steps=ns_steps, adjust_lr_fn=adjust_lr_fn))
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError("Muon only supports 2D parameters whereas we found a "
                                     f"parameter with size: {p.size()}")

    @staticmethod
    def _prepare_grad(param, grad, group):
        """The gradient as is: Muon's weight decay is decoupled and applied in the update."""
        return grad

    def _update(self, param, grad, state, group):
        if isinstance(state, _RealState):
            raise RuntimeError("Muon does not support complex parameters")
        if "momentum_buffer" not in state:
            zero_buffers(state, grad, "momentum_buffer")
        buf = state["momentum_buffer"]._data
        momentum = group["momentum"]
        lerp_(buf, grad, 1 - momentum)
        if group["nesterov"]:
            update = grad.copy()
            lerp_(update, buf, momentum)
        else:
            update = buf
        update = _orthogonalize(update, group["ns_coefficients"], group["ns_steps"],
                                group["eps"])
        lr = float(group["lr"])
        rows, cols = param.shape[:2]
        if group["adjust_lr_fn"] in (None, "original"):
            ratio = math.sqrt(max(1, rows / cols))
        else:
            ratio = 0.2 * math.sqrt(max(rows, cols))
        param *= 1 - lr * group["weight_decay"]
        param -= (lr * ratio) * update
