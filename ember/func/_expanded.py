"""``ExpandedLinear``: a linear layer whose weight is one matrix shared by the batch but
differentiated per example.

Inside ``vmap(grad(...))`` a parameter shared by every example becomes a per-example leaf
``expand``-ed over the batch (``_transforms``), so that its gradient is per example.  Its values
are the same matrix in every row, so the forward is one BLAS product with that matrix; only the
weight's gradient is per example: the outer products ``g_b x_b^T``.
"""
from .._ops.base import Op, get_xp


class ExpandedLinear(Op):
    """``y[b] = x[b] @ w[b].T`` for ``w`` of shape ``(B, out, in)`` whose batch stride is 0.

    ``x`` is ``(B, ..., in)``; the gradient of ``w`` sums ``g ⊗ x`` over the dims between.
    """

    def forward(self, x, w):
        self.x, self.w0 = x, w[0]
        return x @ self.w0.T

    def backward(self, g):
        need_x, need_w = self.needs_input_grad
        gx = g @ self.w0 if need_x else None
        gw = None
        if need_w:
            g3 = g.reshape(g.shape[0], -1, g.shape[-1])
            x3 = self.x.reshape(self.x.shape[0], -1, self.x.shape[-1])
            if g3.shape[1] == 1:  # one row per example: a broadcast outer product
                gw = g3[:, 0, :, None] * x3[:, 0, None, :]
            else:
                gw = get_xp(g).matmul(g3.transpose(0, 2, 1), x3)
        return gx, gw
