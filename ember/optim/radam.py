"""RAdam (rectified Adam)."""
import math

from .optimizer import Optimizer, step_tensor
from .adam import _check, _moments

__all__ = ["RAdam"]


class RAdam(Optimizer):
    """RAdam: Adam whose adaptive step is switched on, and rectified, once its variance is stable.

    While the length of the approximated simple moving average ``rho_t`` is at
    most 5 the step is plain momentum ``lr * m_hat``; afterwards it is Adam's,
    times the rectification factor computed from ``rho_t``.

    Args:
        params (iterable): tensors, ``(name, tensor)`` pairs, or dicts of parameter groups.
        lr (float): learning rate. Default: ``1e-3``.
        betas (tuple of float): decay rates of the two averages. Default: ``(0.9, 0.999)``.
        eps (float): added to the denominator. Default: ``1e-8``.
        weight_decay (float): L2 penalty, or decoupled with ``decoupled_weight_decay``.
            Default: ``0``.
        decoupled_weight_decay (bool): decay the weights directly. Default: ``False``.
        maximize (bool): ascend instead of descend. Default: ``False``.
        foreach, capturable, differentiable: torch's kernel choices,
            accepted; ``differentiable=True`` raises NotImplementedError.

    Example::

        >>> w = ember.tensor([1.0, -1.0], requires_grad=True)
        >>> opt = ember.optim.RAdam([w], lr=0.1)
        >>> (w ** 2).sum().backward(); opt.step(); w  # early steps: plain momentum
        tensor([ 0.8000, -0.8000], requires_grad=True)
    """

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
