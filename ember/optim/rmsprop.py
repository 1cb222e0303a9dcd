"""RMSprop (optionally centered, with momentum)."""
from .optimizer import Optimizer, check_nonnegative, step_tensor, zero_buffers
from ._functional import lerp_, ema_sq_

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop: steps divided by the root of a running average of squared gradients.

    ``square_avg = alpha * square_avg + (1 - alpha) * grad**2``; the step is
    ``lr * grad / (sqrt(square_avg) + eps)``. ``centered`` subtracts the
    square of the running mean gradient first; ``momentum`` accumulates the
    scaled steps in a buffer.

    Args:
        params (iterable): tensors, ``(name, tensor)`` pairs, or dicts of parameter groups.
        lr (float): learning rate. Default: ``1e-2``.
        alpha (float): decay rate of the average of squares. Default: ``0.99``.
        eps (float): added to the denominator. Default: ``1e-8``.
        weight_decay (float): L2 penalty. Default: ``0``.
        momentum (float): momentum factor. Default: ``0``.
        centered (bool): divide by the variance estimate instead. Default: ``False``.
        maximize (bool): ascend instead of descend. Default: ``False``.
        capturable, foreach, differentiable: torch's kernel choices,
            accepted; ``differentiable=True`` raises NotImplementedError.

    State per parameter: ``step``, ``square_avg`` (+ ``momentum_buffer``, ``grad_avg``).

    Example::

        >>> w = ember.tensor([1.0], requires_grad=True)
        >>> opt = ember.optim.RMSprop([w], lr=0.01)
        >>> (w ** 2).sum().backward(); opt.step()
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        check_nonnegative(("learning rate", lr), ("epsilon value", eps),
                          ("momentum value", momentum), ("weight_decay value", weight_decay),
                          ("alpha value", alpha))
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps,
                                      centered=centered, weight_decay=weight_decay,
                                      capturable=capturable, foreach=foreach, maximize=maximize,
                                      differentiable=differentiable))

    def _update(self, param, grad, state, group):
        step_tensor(state)
        if "square_avg" not in state:
            zero_buffers(state, param, "square_avg")
            if group["momentum"] > 0:
                zero_buffers(state, param, "momentum_buffer")
            if group["centered"]:
                zero_buffers(state, param, "grad_avg")
        alpha = group["alpha"]
        square_avg = state["square_avg"]._data
        ema_sq_(square_avg, grad, alpha)
        if group["centered"]:
            grad_avg = state["grad_avg"]._data
            lerp_(grad_avg, grad, 1 - alpha)
            avg = (square_avg - grad_avg * grad_avg) ** 0.5
        else:
            avg = square_avg ** 0.5
        avg += group["eps"]
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]._data
            buf *= group["momentum"]
            buf += grad / avg
            param -= group["lr"] * buf
        else:
            param -= group["lr"] * (grad / avg)
