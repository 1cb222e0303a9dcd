"""``ExpandedLinear``: a linear layer whose weight is one matrix shared by the batch but
differentiated per example.

Inside ``vmap(grad(...))`` a parameter shared by every example becomes a per-example leaf
``expand``-ed over the batch (``_transforms``), so that its gradient is per example.  Its values
are the same matrix in every row, so the forward is one product with that matrix; only the
weight's gradient is per example: the outer products ``g_b x_b^T``.  Written as an
``autograd.Function`` over ember's differentiable ops, so it also differentiates again.
"""
from ..autograd.function import Function


class ExpandedLinear(Function):
    """``y[b] = x[b] @ w[b].T`` for ``w`` of shape ``(B, out, in)`` whose batch stride is 0.

    ``x`` is ``(B, ..., in)``; the gradient of ``w`` sums ``g ⊗ x`` over the dims between.

    Example::

        >>> from ember.func._expanded import ExpandedLinear
        >>> w = ember.ones(2, 3).expand(4, 2, 3).requires_grad_()
        >>> ExpandedLinear.apply(ember.ones(4, 3), w).shape
        ember.Size([4, 2])
    """

    @staticmethod
    def forward(ctx, x, w):
        w0 = w[0]
        ctx.save_for_backward(x, w0)
        return x @ w0.T

    @staticmethod
    def backward(ctx, g):
        x, w0 = ctx.saved_tensors
        need_x, need_w = ctx.needs_input_grad
        gx = g @ w0 if need_x else None
        gw = None
        if need_w:
            g3 = g.reshape(g.shape[0], -1, g.shape[-1])
            x3 = x.reshape(x.shape[0], -1, x.shape[-1])
            if g3.shape[1] == 1:  # one row per example: a broadcast outer product
                gw = g3[:, 0, :, None] * x3[:, 0, None, :]
            else:
                gw = g3.transpose(1, 2) @ x3
        return gx, gw
