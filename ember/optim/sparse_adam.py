"""SparseAdam: Adam for sparse gradients, which ember does not produce."""
from .._tensor import Tensor
from ..autograd import grad_mode
from .optimizer import Optimizer

__all__ = ["SparseAdam"]


class SparseAdam(Optimizer):
    """Adam that updates only the entries a sparse gradient touches.

    ember has no sparse tensors (``nn.Embedding(sparse=True)`` is refused), so
    every gradient it computes is dense, and ``step`` raises torch's own
    error for a dense gradient: ``RuntimeError: SparseAdam does not support
    dense gradients, please consider Adam instead``. The class exists so
    that code naming it imports, validates its arguments as torch does, and
    fails at the same point with the same message.

    Args:
        params: tensors or parameter groups.
        lr (float): learning rate, > 0 (default 1e-3).
        betas (tuple): moment decay rates in [0, 1) (default (0.9, 0.999)).
        eps (float): > 0 (default 1e-8).
        maximize (bool): ascend instead of descend.

    Example::

        >>> w = ember.zeros(4, 2, requires_grad=True)
        >>> opt = ember.optim.SparseAdam([w])
        >>> opt.step()  # no gradient yet: nothing to do
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        for i, b in enumerate(betas):
            if not 0.0 <= b < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {b}")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, maximize=maximize))
        complex_params = [[i, j] for i, group in enumerate(self.param_groups)
                          for j, p in enumerate(group["params"]) if p.is_complex()]
        if complex_params:
            raise ValueError(f"Complex params at indices {complex_params}: SparseAdam does not "
                             "support complex parameters")

    def step(self, closure=None):
        """Evaluate ``closure`` if given; raise for the (always dense) gradients present."""
        loss = None
        if closure is not None:
            with grad_mode.enable_grad():
                loss = closure()
        if any(p.grad is not None for g in self.param_groups for p in g["params"]):
            raise RuntimeError("SparseAdam does not support dense gradients, please consider "
                               "Adam instead")
        return loss
