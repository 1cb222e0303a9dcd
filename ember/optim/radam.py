"""RAdam (rectified Adam)."""
import math

from .optimizer import Optimizer, step_tensor
from .adam import _check, _moments

__all__ = ["RAdam"]


class RAdam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        _check(lr, eps, betas, weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize, foreach=foreach, capturable=capturable,
                                      decoupled_weight_decay=decoupled_weight_decay,
                                      differentiable=differentiable))

    def _update(self, param, grad, state, group):
        step = step_tensor(state)
        exp_avg, exp_avg_sq = _moments(state, param, grad, group["betas"])
        beta1, beta2 = group["betas"]
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
