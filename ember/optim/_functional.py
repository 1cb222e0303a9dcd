"""Pieces shared by the update functions (on raw arrays)."""


def effective_grad(param, grad, group, decoupled=False):
    """The gradient after ``maximize`` and L2 weight decay (or decoupled decay applied to param)."""
    if group.get("maximize"):
        grad = -grad
    wd = group.get("weight_decay", 0)
    if wd:
        if decoupled:
            param *= 1 - group["lr"] * wd
        else:
            grad = grad + wd * param
    return grad


def zeros_state(param):
    """A zero buffer shaped and typed like ``param``'s array."""
    from .._backend import get_array_module
    return get_array_module(param).zeros_like(param)


def lerp_(avg, grad, weight):
    """avg += weight * (grad - avg), in place (torch's lerp for weight < 0.5)."""
    avg += weight * (grad - avg)


def ema_sq_(avg, grad, beta):
    """avg = beta * avg + (1 - beta) * grad**2, in place."""
    avg *= beta
    avg += (1 - beta) * (grad * grad)
