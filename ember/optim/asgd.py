"""ASGD: SGD whose parameters are also averaged (Polyak-Ruppert) once averaging starts."""
import numpy as np

from .._backend import get_array_module
from .._tensor import Tensor
from .optimizer import Optimizer, check_nonnegative, state_tensor, step_tensor, zero_buffers

__all__ = ["ASGD"]


class ASGD(Optimizer):
    """Averaged stochastic gradient descent.

    Each step shrinks the parameter by ``1 - lambd * eta``, moves it by
    ``-eta * grad``, and updates the running average ``ax`` of the parameter
    (a plain copy until step ``t0``, then a mean with weight ``mu``). The
    step length decays as ``eta = lr / (1 + lambd * lr * step) ** alpha``.
    The averaged weights are in ``optimizer.state[p]['ax']``.

    Args:
        params: tensors or parameter groups.
        lr (float): learning rate (default 1e-2).
        lambd (float): decay term (default 1e-4).
        alpha (float): power of the ``eta`` decay (default 0.75).
        t0 (float): step at which averaging starts (default 1e6).
        weight_decay (float): L2 penalty (default 0).
        foreach, differentiable, capturable: torch's kernel choices,
            accepted; ``differentiable=True`` raises NotImplementedError.
        maximize (bool): ascend instead of descend.

    State per parameter: ``step``, ``eta``, ``mu`` (0-d float32) and ``ax``.

    Example::

        >>> w = ember.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = ember.optim.ASGD([w], lr=0.1, t0=0)
        >>> (w ** 2).sum().backward(); opt.step(); opt.state[w]["ax"]
        tensor([ 0.8000, -1.6000])
    """

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        check_nonnegative(("learning rate", lr), ("weight_decay value", weight_decay))
        super().__init__(params, dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0,
                                      weight_decay=weight_decay, foreach=foreach,
                                      maximize=maximize, differentiable=differentiable,
                                      capturable=capturable))

    def _update(self, param, grad, state, group):
        step = step_tensor(state)
        lr = float(group["lr"])
        if "eta" not in state:     # on the parameter's device, as torch keeps them
            xp = get_array_module(param)
            state["eta"] = state_tensor(xp.full((), lr, np.float32))
            state["mu"] = state_tensor(xp.ones((), np.float32))
            zero_buffers(state, param, "ax")
        eta, mu, ax = state["eta"]._data, state["mu"]._data, state["ax"]._data
        lambd = group["lambd"]
        param *= 1 - lambd * float(eta)
        param -= float(eta) * grad
        if float(mu) != 1:
            ax += (param - ax) * float(mu)
        else:
            ax[...] = param
        eta[...] = lr / ((1 + lambd * lr * step) ** group["alpha"])
        mu[...] = 1 / max(1, step - group["t0"])
