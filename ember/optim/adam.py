"""Adam and AdamW (Adam with decoupled weight decay), with amsgrad and maximize.

``_check`` and ``_moments`` are shared with the Adam variants (Adamax, NAdam, RAdam).
"""
import math

from .._backend import get_array_module
from .optimizer import Optimizer, check_nonnegative, step_tensor, zero_buffers
from ._functional import lerp_, ema_sq_

__all__ = ["Adam", "AdamW"]


def _check(lr, eps, betas, weight_decay):
    """torch's ValueError for an Adam-family hyper-parameter out of range."""
    check_nonnegative(("learning rate", lr), ("epsilon value", eps))
    for i, b in enumerate(betas):
        if not 0.0 <= b < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {b}")
    check_nonnegative(("weight_decay value", weight_decay))


def _moments(state, param, grad, betas):
    """exp_avg and exp_avg_sq (zeros on the first step) moved towards ``grad`` and ``grad**2``."""
    if "exp_avg" not in state:
        zero_buffers(state, param, "exp_avg", "exp_avg_sq")
    exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
    lerp_(exp_avg, grad, 1 - betas[0])
    ema_sq_(exp_avg_sq, grad, betas[1])
    return exp_avg, exp_avg_sq


class Adam(Optimizer):
    """Adam: steps scaled by running averages of the gradient and of its square.

    ``exp_avg`` and ``exp_avg_sq`` move towards ``grad`` and ``grad**2`` with
    rates ``1 - betas[0]`` and ``1 - betas[1]``; after bias correction the
    step is ``lr * m_hat / (sqrt(v_hat) + eps)``. ``amsgrad`` uses the largest
    ``v`` seen so far. ``weight_decay`` is L2 (added to the gradient) unless
    ``decoupled_weight_decay`` (then ``param *= 1 - lr * wd``, as AdamW).

    Args:
        params (iterable): tensors, ``(name, tensor)`` pairs, or dicts of parameter groups.
        lr (float): learning rate. Default: ``1e-3``.
        betas (tuple of float): decay rates of the two averages. Default: ``(0.9, 0.999)``.
        eps (float): added to the denominator. Default: ``1e-8``.
        weight_decay (float): L2 penalty (decoupled with ``decoupled_weight_decay``).
            Default: ``0``.
        amsgrad (bool): use the largest second moment seen. Default: ``False``.
        maximize (bool): ascend instead of descend. Default: ``False``.
        decoupled_weight_decay (bool): decay the weights directly, as AdamW.
            Default: ``False``.
        foreach, capturable, differentiable, fused: torch's kernel choices,
            accepted; ``differentiable=True`` raises NotImplementedError.

    State per parameter: ``step`` (0-d float32), ``exp_avg``, ``exp_avg_sq``
    and, with amsgrad, ``max_exp_avg_sq``.

    Example::

        >>> w = ember.tensor([1.0, -1.0], requires_grad=True)
        >>> opt = ember.optim.Adam([w], lr=0.1)
        >>> (w ** 2).sum().backward(); opt.step(); w
        tensor([ 0.9000, -0.9000], requires_grad=True)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        _check(lr, eps, betas, weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize, foreach=foreach,
                                      capturable=capturable, differentiable=differentiable,
                                      fused=fused, decoupled_weight_decay=decoupled_weight_decay))

    def _update(self, param, grad, state, group):
        step = step_tensor(state)
        exp_avg, exp_avg_sq = _moments(state, param, grad, group["betas"])
        beta1, beta2 = group["betas"]
        step_size = group["lr"] / (1 - beta1 ** step)
        bc2_sqrt = math.sqrt(1 - beta2 ** step)
        if group["amsgrad"]:
            if "max_exp_avg_sq" not in state:
                zero_buffers(state, param, "max_exp_avg_sq")
            m = state["max_exp_avg_sq"]._data
            get_array_module(m).maximum(m, exp_avg_sq, out=m)
            denom = (m ** 0.5) / bc2_sqrt + group["eps"]
        else:
            denom = (exp_avg_sq ** 0.5) / bc2_sqrt + group["eps"]
        param -= step_size * (exp_avg / denom)


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay (``param *= 1 - lr * weight_decay``, default 1e-2).

    The same as ``Adam(..., decoupled_weight_decay=True)``; see ``Adam``.

    Args:
        params (iterable): tensors, ``(name, tensor)`` pairs, or dicts of parameter groups.
        lr (float): learning rate. Default: ``1e-3``.
        betas (tuple of float): Default: ``(0.9, 0.999)``.
        eps (float): Default: ``1e-8``.
        weight_decay (float): the decoupled decay rate. Default: ``1e-2``.
        amsgrad, maximize (bool): as in ``Adam``. Default: ``False``.
        foreach, capturable, differentiable, fused: as in ``Adam``.

    Example::

        >>> w = ember.tensor([1.0, -1.0], requires_grad=True)
        >>> opt = ember.optim.AdamW([w], lr=0.1, weight_decay=0.0)
        >>> (w ** 2).sum().backward(); opt.step(); w
        tensor([ 0.9000, -0.9000], requires_grad=True)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable, differentiable=differentiable,
                         fused=fused, decoupled_weight_decay=True)
