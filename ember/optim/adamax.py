"""Adamax (Adam with the infinity norm)."""
from .._backend import get_array_module
from .optimizer import Optimizer, step_tensor, zero_buffers
from ._functional import lerp_
from .adam import _check

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """Adamax: Adam with the second moment replaced by a decaying maximum of ``|grad|``.

    ``exp_inf = max(beta2 * exp_inf, |grad| + eps)``; the step is
    ``lr / (1 - beta1**step) * exp_avg / exp_inf``.

    Args:
        params (iterable): tensors, ``(name, tensor)`` pairs, or dicts of parameter groups.
        lr (float): learning rate. Default: ``2e-3``.
        betas (tuple of float): decay rates of the average and the infinity norm.
            Default: ``(0.9, 0.999)``.
        eps (float): added to the denominator. Default: ``1e-8``.
        weight_decay (float): L2 penalty. Default: ``0``.
        maximize (bool): ascend instead of descend. Default: ``False``.
        foreach, differentiable, capturable: torch's kernel choices,
            accepted; ``differentiable=True`` raises NotImplementedError.

    Example::

        >>> w = ember.tensor([1.0, -1.0], requires_grad=True)
        >>> opt = ember.optim.Adamax([w], lr=0.1)
        >>> (w ** 2).sum().backward(); opt.step(); w
        tensor([ 0.9000, -0.9000], requires_grad=True)
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        _check(lr, eps, betas, weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize,
                                      differentiable=differentiable, capturable=capturable))

    def _update(self, param, grad, state, group):
        step = step_tensor(state)
        if "exp_avg" not in state:
            zero_buffers(state, param, "exp_avg", "exp_inf")
        beta1, beta2 = group["betas"]
        exp_avg, exp_inf = state["exp_avg"]._data, state["exp_inf"]._data
        lerp_(exp_avg, grad, 1 - beta1)
        exp_inf *= beta2
        xp = get_array_module(param)
        xp.maximum(exp_inf, xp.abs(grad) + group["eps"], out=exp_inf)
        clr = group["lr"] / (1 - beta1 ** step)
        param -= clr * (exp_avg / exp_inf)
