"""RAdam (rectified Adam)."""
import math

from .optimizer import Optimizer, state_tensor, step_tensor
from ._functional import effective_grad, zeros_state, lerp_, ema_sq_

__all__ = ["RAdam"]


class RAdam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        from .adam import _check
        _check(lr, eps, betas, weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize, foreach=foreach, capturable=capturable,
                                      decoupled_weight_decay=decoupled_weight_decay,
                                      differentiable=differentiable))

    def _update(self, p, grad, state, group):
        param = p._data
        grad = effective_grad(param, grad, group, decoupled=group["decoupled_weight_decay"])
        step = step_tensor(state)
        if "exp_avg" not in state:
            state["exp_avg"] = state_tensor(zeros_state(param))
            state["exp_avg_sq"] = state_tensor(zeros_state(param))
        beta1, beta2 = group["betas"]
        exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
        lerp_(exp_avg, grad, 1 - beta1)
        ema_sq_(exp_avg_sq, grad, beta2)
        bc1, bc2 = 1 - beta1 ** step, 1 - beta2 ** step
        corrected = exp_avg / bc1
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2 ** step) / bc2
        if rho_t > 5.0:
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                             / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            adaptive = math.sqrt(bc2) / (exp_avg_sq ** 0.5 + group["eps"])
            param -= corrected * group["lr"] * adaptive * rect
        else:
            param -= corrected * group["lr"]
