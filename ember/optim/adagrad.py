"""Adagrad (state is created at construction, as in torch)."""
import numpy as np

from .._backend import get_array_module
from .optimizer import Optimizer, check_nonnegative, state_tensor, step_tensor

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad: each entry's step divided by the root of its summed squared gradients.

    ``sum += grad**2``; the step is ``clr * grad / (sqrt(sum) + eps)`` with
    ``clr = lr / (1 + (step - 1) * lr_decay)``. The state exists from
    construction (``sum`` starts at ``initial_accumulator_value``).

    Args:
        params (iterable): tensors, ``(name, tensor)`` pairs, or dicts of parameter groups.
        lr (float): learning rate. Default: ``1e-2``.
        lr_decay (float): the lr is ``lr / (1 + (step - 1) * lr_decay)``. Default: ``0``.
        weight_decay (float): L2 penalty. Default: ``0``.
        initial_accumulator_value (float): start of the sum of squares. Default: ``0``.
        eps (float): added to the denominator. Default: ``1e-10``.
        maximize (bool): ascend instead of descend. Default: ``False``.
        foreach, differentiable, fused: torch's kernel choices,
            accepted; ``differentiable=True`` raises NotImplementedError.

    Example::

        >>> w = ember.tensor([1.0, -1.0], requires_grad=True)
        >>> opt = ember.optim.Adagrad([w], lr=0.1)
        >>> (w ** 2).sum().backward(); opt.step(); w
        tensor([ 0.9000, -0.9000], requires_grad=True)
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_nonnegative(("learning rate", lr), ("lr_decay value", lr_decay),
                          ("weight_decay value", weight_decay),
                          ("initial_accumulator_value value", initial_accumulator_value),
                          ("epsilon value", eps))
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      foreach=foreach, maximize=maximize,
                                      differentiable=differentiable, fused=fused))
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = state_tensor(np.zeros((), np.float32))
                init = group["initial_accumulator_value"]
                if p.is_complex():  # real and imaginary parts each start at the value
                    init = complex(init, init)
                state["sum"] = state_tensor(get_array_module(p._data).full_like(p._data, init))

    def _update(self, param, grad, state, group):
        step = step_tensor(state)
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        acc = state["sum"]._data
        acc += grad * grad
        param -= clr * (grad / (acc ** 0.5 + group["eps"]))
