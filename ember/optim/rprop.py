"""Rprop: per-element step sizes that grow while the gradient keeps its sign and shrink when
it flips."""
from .._backend import get_array_module
from .._tensor import Tensor
from .optimizer import Optimizer, state_tensor, step_tensor, zero_buffers

__all__ = ["Rprop"]


class Rprop(Optimizer):
    """Resilient backpropagation: only the sign of each gradient entry is used.

    Every element keeps its own step size (starting at ``lr``). Where the
    gradient has the same sign as at the previous step the step size is
    multiplied by ``etas[1]``, where the sign flipped it is multiplied by
    ``etas[0]`` and that element does not move this step; step sizes stay in
    ``step_sizes``. The parameter moves by ``-sign(grad) * step_size``.

    Args:
        params: tensors or parameter groups.
        lr (float): initial step size (default 1e-2).
        etas (tuple): (decrease factor < 1, increase factor > 1), default (0.5, 1.2).
        step_sizes (tuple): (smallest, largest) step size, default (1e-6, 50).
        capturable, foreach, differentiable: torch's kernel choices,
            accepted; ``differentiable=True`` raises NotImplementedError.
        maximize (bool): ascend instead of descend.

    State per parameter: ``step`` (0-d float32), ``prev`` (the last gradient
    used) and ``step_size``, shaped like the parameter.

    Example::

        >>> w = ember.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = ember.optim.Rprop([w], lr=0.1)
        >>> (w ** 2).sum().backward(); opt.step(); w
        tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        super().__init__(params, dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach,
                                      maximize=maximize, differentiable=differentiable,
                                      capturable=capturable))

    def _update(self, param, grad, state, group):
        xp = get_array_module(param)
        step_tensor(state)
        if "prev" not in state:
            zero_buffers(state, param, "prev")
            state["step_size"] = state_tensor(xp.full_like(param, float(group["lr"])))
        etaminus, etaplus = group["etas"]
        prev, step_size = state["prev"]._data, state["step_size"]._data
        agreement = grad * prev
        factor = xp.ones_like(param)
        factor[agreement > 0] = etaplus
        flipped = agreement < 0
        factor[flipped] = etaminus
        step_size *= factor
        xp.clip(step_size, *group["step_sizes"], out=step_size)
        grad = xp.where(flipped, 0, grad)
        param -= xp.sign(grad) * step_size
        prev[...] = grad
