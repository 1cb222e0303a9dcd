"""RMSprop (optionally centered, with momentum)."""
from .optimizer import Optimizer, state_tensor, step_tensor
from ._functional import effective_grad, zeros_state, lerp_, ema_sq_

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        for name, v in (("learning rate", lr), ("epsilon value", eps), ("momentum value", momentum),
                        ("weight_decay value", weight_decay), ("alpha value", alpha)):
            if v < 0.0:
                raise ValueError(f"Invalid {name}: {v}")
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps,
                                      centered=centered, weight_decay=weight_decay,
                                      capturable=capturable, foreach=foreach, maximize=maximize,
                                      differentiable=differentiable))

    def _update(self, p, grad, state, group):
        param = p._data
        grad = effective_grad(param, grad, group)
        step_tensor(state)
        if "square_avg" not in state:
            state["square_avg"] = state_tensor(zeros_state(param))
            if group["momentum"] > 0:
                state["momentum_buffer"] = state_tensor(zeros_state(param))
            if group["centered"]:
                state["grad_avg"] = state_tensor(zeros_state(param))
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
