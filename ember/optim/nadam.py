"""NAdam (Adam with Nesterov momentum and momentum decay)."""
import numpy as np

from .optimizer import Optimizer, check_nonnegative, state_tensor, step_tensor
from .adam import _check, _moments

__all__ = ["NAdam"]


class NAdam(Optimizer):
    """NAdam: Adam with Nesterov momentum whose coefficient warms up with ``momentum_decay``.

    The momentum at step t is ``mu_t = beta1 * (1 - 0.5 * 0.96 ** (t *
    momentum_decay))``; the step mixes the current gradient and ``exp_avg``
    with weights built from ``mu_t``, ``mu_{t+1}`` and their running product.

    Args:
        params (iterable): tensors, ``(name, tensor)`` pairs, or dicts of parameter groups.
        lr (float): learning rate. Default: ``2e-3``.
        betas (tuple of float): decay rates of the two averages. Default: ``(0.9, 0.999)``.
        eps (float): added to the denominator. Default: ``1e-8``.
        weight_decay (float): L2 penalty, or decoupled with ``decoupled_weight_decay``.
            Default: ``0``.
        momentum_decay (float): Default: ``4e-3``.
        decoupled_weight_decay (bool): decay the weights directly. Default: ``False``.
        maximize (bool): ascend instead of descend. Default: ``False``.
        foreach, capturable, differentiable: torch's kernel choices,
            accepted; ``differentiable=True`` raises NotImplementedError.

    State per parameter: ``step``, ``mu_product``, ``exp_avg``, ``exp_avg_sq``.

    Example::

        >>> w = ember.tensor([1.0], requires_grad=True)
        >>> opt = ember.optim.NAdam([w], lr=0.01)
        >>> (w ** 2).sum().backward(); opt.step()
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        _check(lr, eps, betas, weight_decay)
        check_nonnegative(("momentum_decay value", momentum_decay))
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay,
                                      decoupled_weight_decay=decoupled_weight_decay,
                                      maximize=maximize, foreach=foreach, capturable=capturable,
                                      differentiable=differentiable))

    def _update(self, param, grad, state, group):
        step = step_tensor(state)
        if "mu_product" not in state:
            state["mu_product"] = state_tensor(np.ones((), np.float32))
        exp_avg, exp_avg_sq = _moments(state, param, grad, group["betas"])
        beta1, beta2 = group["betas"]
        lr, decay = group["lr"], group["momentum_decay"]
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * decay))
        mu_product = state["mu_product"]._data
        mu_product *= np.float32(mu)
        mp = float(mu_product)
        denom = (exp_avg_sq / (1 - beta2 ** step)) ** 0.5 + group["eps"]
        param -= lr * (1 - mu) / (1 - mp) * (grad / denom)
        param -= lr * mu_next / (1 - mp * mu_next) * (exp_avg / denom)
