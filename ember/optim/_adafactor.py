"""Adafactor: Adam-like steps whose second moment of a matrix is kept as row and column
averages (memory linear in the sizes instead of their product)."""
import math

import numpy as np

from .._backend import get_array_module
from .._tensor import Tensor
from .optimizer import Optimizer, _RealState, state_tensor, step_tensor, zero_buffers
from ._functional import lerp_

__all__ = ["Adafactor"]


class Adafactor(Optimizer):
    """Adafactor (torch's variant: no first moment, relative step size, update clipping).

    For a parameter of two or more dims, the squared gradient's means over the
    last dim (``row_var``) and the second-to-last (``col_var``) are tracked;
    their outer product over the mean row variance estimates the full second
    moment. Vectors and scalars keep a full ``variance``. The running averages
    use weight ``step ** beta2_decay``; the step is ``alpha = max(eps[1],
    rms(param)) * min(lr, 1 / sqrt(step))``, and the update ``grad /
    sqrt(estimate)`` is scaled down when its RMS exceeds ``d``. Weight decay
    is decoupled (``param *= 1 - lr * weight_decay``).

    Args:
        params: tensors or parameter groups.
        lr (float): upper bound of the relative step (default 1e-2).
        beta2_decay (float): <= 0, exponent of the averaging weight (default -0.8).
        eps (tuple): (floor of the variance estimate, None for the dtype's eps;
            floor of the parameter RMS), default (None, 1e-3).
        d (float): >= 1, clipping threshold of the update RMS (default 1.0).
        weight_decay (float): decoupled decay (default 0).
        foreach: accepted as in torch.
        maximize (bool): ascend instead of descend.

    Example::

        >>> w = ember.ones(3, 2, requires_grad=True)
        >>> opt = ember.optim.Adafactor([w], lr=0.01)
        >>> (w ** 2).sum().backward(); opt.step()
        >>> sorted(opt.state[w])
        ['col_var', 'row_var', 'step']
    """

    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0,
                 weight_decay=0.0, *, foreach=None, maximize=False):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        super().__init__(params, dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d,
                                      weight_decay=weight_decay, foreach=foreach,
                                      maximize=maximize))

    @staticmethod
    def _prepare_grad(param, grad, group):
        """Only ``maximize``: the weight decay is applied inside the update, after alpha."""
        return -grad if group["maximize"] else grad

    def _update(self, param, grad, state, group):
        if isinstance(state, _RealState):
            raise RuntimeError("Adafactor does not support complex parameters")
        xp = get_array_module(param)
        step = step_tensor(state)
        if "row_var" not in state and "variance" not in state:
            if grad.ndim > 1:
                state["row_var"] = state_tensor(xp.zeros(grad.shape[:-1] + (1,), grad.dtype))
                state["col_var"] = state_tensor(
                    xp.zeros(grad.shape[:-2] + (1,) + grad.shape[-1:], grad.dtype))
            else:
                zero_buffers(state, grad, "variance")
        lr = float(group["lr"])
        eps1, eps2 = group["eps"]
        if eps1 is None:
            eps1 = float(np.finfo(param.dtype).eps)
        weight = step ** group["beta2_decay"]
        rho = min(lr, 1 / step ** 0.5)
        alpha = max(eps2, float(xp.linalg.norm(param)) / math.sqrt(param.size)) * rho
        if group["weight_decay"]:
            param *= 1 - lr * group["weight_decay"]
        if grad.ndim > 1:
            row_var, col_var = state["row_var"]._data, state["col_var"]._data
            sq = grad * grad
            lerp_(row_var, sq.sum(-1, keepdims=True) / grad.shape[-1], weight)
            lerp_(col_var, sq.sum(-2, keepdims=True) / grad.shape[-2], weight)
            estimate = row_var @ col_var
            estimate /= xp.maximum(row_var.mean(-2, keepdims=True), eps1)
        else:
            variance = state["variance"]._data
            lerp_(variance, grad * grad, weight)
            estimate = variance.copy()
        update = grad / xp.maximum(estimate, eps1 * eps1) ** 0.5
        denom = max(1.0, float(xp.linalg.norm(update)) / (math.sqrt(update.size) * group["d"]))
        param -= (alpha / denom) * update
