"""NAdam (Adam with Nesterov momentum and momentum decay)."""
import numpy as np

from .optimizer import Optimizer, state_tensor, step_tensor
from ._functional import effective_grad, zeros_state, lerp_, ema_sq_

__all__ = ["NAdam"]


class NAdam(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        from .adam import _check
        _check(lr, eps, betas, weight_decay)
        if momentum_decay < 0.0:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay,
                                      decoupled_weight_decay=decoupled_weight_decay,
                                      maximize=maximize, foreach=foreach, capturable=capturable,
                                      differentiable=differentiable))

    def _update(self, p, grad, state, group):
        param = p._data
        grad = effective_grad(param, grad, group, decoupled=group["decoupled_weight_decay"])
        step = step_tensor(state)
        if "exp_avg" not in state:
            state["mu_product"] = state_tensor(np.ones((), np.float32))
            state["exp_avg"] = state_tensor(zeros_state(param))
            state["exp_avg_sq"] = state_tensor(zeros_state(param))
        beta1, beta2 = group["betas"]
        lr, decay = group["lr"], group["momentum_decay"]
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * decay))
        mu_product = state["mu_product"]._data
        mu_product *= np.float32(mu)
        mp = float(mu_product)
        exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
        lerp_(exp_avg, grad, 1 - beta1)
        ema_sq_(exp_avg_sq, grad, beta2)
        denom = (exp_avg_sq / (1 - beta2 ** step)) ** 0.5 + group["eps"]
        param -= lr * (1 - mu) / (1 - mp) * (grad / denom)
        param -= lr * mu_next / (1 - mp * mu_next) * (exp_avg / denom)
