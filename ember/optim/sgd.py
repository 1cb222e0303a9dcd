"""SGD with momentum, dampening, Nesterov, weight decay and maximize."""
from .optimizer import Optimizer, required, state_tensor

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum, Nesterov momentum and weight decay.

    With ``momentum`` m the step uses ``buf = m * buf + (1 - dampening) * grad``
    (the first buffer is the gradient itself); ``nesterov`` steps along
    ``grad + m * buf`` instead of ``buf``. ``weight_decay`` adds ``wd * param``
    to the gradient; ``maximize`` ascends.

    Args:
        params (iterable): tensors, ``(name, tensor)`` pairs, or dicts of parameter groups.
        lr (float): learning rate. Default: ``1e-3``.
        momentum (float): momentum factor. Default: ``0``.
        dampening (float): dampening of the momentum. Default: ``0``.
        weight_decay (float): L2 penalty. Default: ``0``.
        nesterov (bool): Nesterov momentum; needs momentum > 0 and dampening 0.
            Default: ``False``.
        maximize (bool): ascend instead of descend. Default: ``False``.
        foreach, differentiable, fused: torch's kernel choices,
            accepted; ``differentiable=True`` raises NotImplementedError.

    State per parameter: ``momentum_buffer`` (with momentum).

    Example::

        >>> w = ember.tensor([1.0, 2.0], requires_grad=True)
        >>> opt = ember.optim.SGD([w], lr=0.1, momentum=0.9)
        >>> (w ** 2).sum().backward(); opt.step(); w
        tensor([0.8000, 1.6000], requires_grad=True)
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
        if lr is not required and lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize, foreach=foreach,
                                      differentiable=differentiable, fused=fused))

    def _update(self, param, d_p, state, group):
        momentum = group["momentum"]
        if momentum:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = state_tensor(d_p.copy())
            else:
                b = buf._data
                b *= momentum
                b += (1 - group["dampening"]) * d_p
            d_p = d_p + momentum * buf._data if group["nesterov"] else buf._data
        param -= group["lr"] * d_p
