"""Pieces shared by the update functions (on raw arrays)."""


def effective_grad(param, grad, group):
    """The gradient after ``maximize`` and L2 weight decay (or, where the group asks for
    ``decoupled_weight_decay``, that decay applied to ``param`` in place)."""
    if group.get("maximize"):
        grad = -grad
    wd = group.get("weight_decay", 0)
    if wd:
        if group.get("decoupled_weight_decay"):
            param *= 1 - group["lr"] * wd
        else:
            grad = grad + wd * param
    return grad


def lerp_(avg, grad, weight):
    """avg += weight * (grad - avg), in place, rounded as torch's lerp: from ``avg`` for
    weight < 0.5, from ``grad`` otherwise."""
    if weight < 0.5:
        avg += weight * (grad - avg)
    else:
        avg[...] = grad - (grad - avg) * (1 - weight)


def ema_sq_(avg, grad, beta):
    """avg = beta * avg + (1 - beta) * grad**2, in place."""
    avg *= beta
    avg += (1 - beta) * (grad * grad)
