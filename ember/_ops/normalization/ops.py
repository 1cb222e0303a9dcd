"""One fused op behind batch, layer, group, instance and RMS normalisation.

``Normalize`` views its input as ``view`` (GroupNorm splits channels into
groups), standardises it over ``axes`` with its own statistics (or with given
ones: BatchNorm in eval mode), then applies a per-element affine map whose
weight and bias broadcast as ``affine_shape``::

    xhat = (x - mean) * invstd,   invstd = 1 / sqrt(var + eps)    (var biased)
    y    = xhat * weight + bias

With its own statistics the input gradient is, with means over ``axes``::

    dx = invstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)),   dxhat = dy * weight

RMS normalisation (``center=False``) uses the mean square for ``var`` and
drops the ``mean(dxhat)`` term.  Only what the requested gradients need is kept.
"""
import math

from ..base import Op, sum_to, get_xp, axes_sum


class Normalize(Op):
    """Standardise over ``axes`` and apply an affine map (weight/bias may be None).

    ``stats``: (mean, var) arrays broadcastable against the viewed input, used
    instead of the batch's own.  After forward, ``mean`` and ``var`` (biased,
    keepdims) hold the statistics used, for running-average updates.  ``label``
    is the grad_fn stem torch shows for the calling function (``NativeLayerNorm``).
    """

    def __init__(self, axes, eps, view=None, affine_shape=None, stats=None, center=True,
                 label="NativeBatchNorm"):
        self.axes, self.eps, self.view = axes, eps, view
        self.affine_shape, self.stats, self.center = affine_shape, stats, center
        self.label = label

    def name(self):
        return self.label + "Backward0"

    def forward(self, x, w, b):
        nx, nw, nb = self.needs_input_grad
        xp = get_xp(x)
        self.shape = x.shape
        self.wshape = w.shape if w is not None else getattr(b, "shape", None)
        mean, var, invstd, xhat = self._standardize(xp, x)
        self.mean, self.var = mean, var
        keep_xhat = nw or (nx and self.stats is None)
        if keep_xhat:
            self.xhat = xhat
        wb = None if w is None else w.reshape(self.affine_shape)
        if nx:
            self.invstd, self.wb = invstd, wb
            self.save_inputs = (1,) if w is not None else ()
        if keep_xhat:  # xhat (and the batch's statistics) depend on x: keep x, as torch
            self.x = x
            self.save_inputs = (0,) + self.save_inputs
        if wb is not None:
            y = xhat * wb
        else:
            y = xhat.copy() if keep_xhat else xhat
        if b is not None:
            y += b.reshape(self.affine_shape)
        return y.reshape(self.shape)

    def _standardize(self, xp, x):
        """``(mean, var, invstd, xhat)`` of ``x`` viewed as ``self.view``."""
        xs = x.reshape(self.view) if self.view is not None else x
        if self.stats is not None:
            mean, var = self.stats
            xhat = xs - mean
        else:
            n = math.prod(xs.shape[i] for i in self.axes)
            if self.center:
                mean = axes_sum(xs, self.axes) / n
                xhat = xs - mean
                var = axes_sum(xhat, self.axes, xhat) / n
            else:
                mean, xhat = None, None
                var = axes_sum(xs, self.axes, xs) / n
        invstd = 1 / xp.sqrt(var + self.eps)
        if xhat is None:
            xhat = xs * invstd
        else:
            xhat *= invstd
        return mean, var, invstd, xhat

    def regraph(self):
        """Under create_graph: ``xhat`` and ``invstd`` again from the swapped input ``x``."""
        if "x" not in self.__dict__:
            return {}
        _, _, invstd, xhat = self._standardize(get_xp(self.x), self.x)
        return {"xhat": xhat, "invstd": invstd}

    def backward(self, g):
        nx, nw, nb = self.needs_input_grad
        gs = g.reshape(self.view) if self.view is not None else g
        gx = gw = gb = None
        axes = self.axes
        # per-channel affine maps (batch norm): the weight and bias gradients are the
        # same sums the input gradient needs
        channel = self.affine_shape is not None and self.affine_shape == tuple(
            1 if i in axes else n for i, n in enumerate(gs.shape))
        gsx = gs_sum = None
        if nw or (nx and channel and self.stats is None):
            gsx = axes_sum(gs, axes, self.xhat) if channel else None
            gw = (gsx if channel else sum_to(gs * self.xhat, self.affine_shape))
        if nb or (nx and channel and self.center and self.stats is None):
            gs_sum = axes_sum(gs, axes) if channel else None
            gb = (gs_sum if channel else sum_to(gs, self.affine_shape))
        if nx:
            wb = self.wb
            if self.stats is not None:
                gx = gs * (self.invstd if wb is None else self.invstd * wb)
            else:
                xhat = self.xhat
                n = math.prod(gs.shape[i] for i in axes)
                gxhat = gs * wb if wb is not None else gs
                if channel:
                    s2 = gsx if wb is None else gsx * wb
                    s1 = None if not self.center else gs_sum if wb is None else gs_sum * wb
                else:
                    s2 = axes_sum(gxhat, axes, xhat)
                    s1 = axes_sum(gxhat, axes) if self.center else None
                gx = xhat * (s2 / -n)
                gx += gxhat
                if s1 is not None:
                    gx -= s1 / n
                gx *= self.invstd
            gx = gx.reshape(self.shape)
        gw = None if not nw else gw.reshape(self.wshape)
        gb = None if not nb else gb.reshape(self.wshape)
        return gx, gw, gb
