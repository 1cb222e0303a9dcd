"""Adadelta."""
from .optimizer import Optimizer, check_nonnegative, step_tensor, zero_buffers
from ._functional import ema_sq_

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta: steps sized by the ratio of running RMS of past updates to that of gradients.

    ``square_avg`` and ``acc_delta`` are running averages (rate ``1 - rho``) of
    ``grad**2`` and of the squared update; the update is
    ``sqrt(acc_delta + eps) / sqrt(square_avg + eps) * grad``, scaled by ``lr``.

    Args:
        params (iterable): tensors, ``(name, tensor)`` pairs, or dicts of parameter groups.
        lr (float): scale of the update. Default: ``1.0``.
        rho (float): decay rate of the averages, in ``[0, 1]``. Default: ``0.9``.
        eps (float): added inside the square roots. Default: ``1e-6``.
        weight_decay (float): L2 penalty. Default: ``0``.
        maximize (bool): ascend instead of descend. Default: ``False``.
        foreach, capturable, differentiable: torch's kernel choices,
            accepted; ``differentiable=True`` raises NotImplementedError.

    Example::

        >>> w = ember.tensor([1.0], requires_grad=True)
        >>> opt = ember.optim.Adadelta([w])
        >>> (w ** 2).sum().backward(); opt.step()
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        check_nonnegative(("learning rate", lr))
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_nonnegative(("epsilon value", eps), ("weight_decay value", weight_decay))
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize, capturable=capturable, foreach=foreach,
                                      differentiable=differentiable))

    def _update(self, param, grad, state, group):
        step_tensor(state)
        if "square_avg" not in state:
            zero_buffers(state, param, "square_avg", "acc_delta")
        rho, eps = group["rho"], group["eps"]
        square_avg, acc_delta = state["square_avg"]._data, state["acc_delta"]._data
        ema_sq_(square_avg, grad, rho)
        delta = (acc_delta + eps) ** 0.5 / (square_avg + eps) ** 0.5 * grad
        ema_sq_(acc_delta, delta, rho)
        param -= group["lr"] * delta
