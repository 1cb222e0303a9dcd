"""Adamax (Adam with the infinity norm)."""
from .._backend import get_array_module
from .optimizer import Optimizer, state_tensor, step_tensor
from ._functional import effective_grad, zeros_state, lerp_

__all__ = ["Adamax"]


class Adamax(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        from .adam import _check
        _check(lr, eps, betas, weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize,
                                      differentiable=differentiable, capturable=capturable))

    def _update(self, p, grad, state, group):
        param = p._data
        grad = effective_grad(param, grad, group)
        step = step_tensor(state)
        if "exp_avg" not in state:
            state["exp_avg"] = state_tensor(zeros_state(param))
            state["exp_inf"] = state_tensor(zeros_state(param))
        beta1, beta2 = group["betas"]
        exp_avg, exp_inf = state["exp_avg"]._data, state["exp_inf"]._data
        lerp_(exp_avg, grad, 1 - beta1)
        exp_inf *= beta2
        xp = get_array_module(param)
        xp.maximum(exp_inf, xp.abs(grad) + group["eps"], out=exp_inf)
        clr = group["lr"] / (1 - beta1 ** step)
        param -= clr * (exp_avg / exp_inf)
