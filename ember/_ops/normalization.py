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

from .base import Op, sum_to, get_xp


class Normalize(Op):
    """Standardise over ``axes`` and apply an affine map (weight/bias may be None).

    ``stats``: (mean, var) arrays broadcastable against the viewed input, used
    instead of the batch's own.  After forward, ``mean`` and ``var`` (biased,
    keepdims) hold the statistics used, for running-average updates.
    """

    def __init__(self, axes, eps, view=None, affine_shape=None, stats=None, center=True):
        self.axes, self.eps, self.view = axes, eps, view
        self.affine_shape, self.stats, self.center = affine_shape, stats, center

    def forward(self, x, w, b):
        nx, nw, nb = self.needs_input_grad
        xp = get_xp(x)
        self.shape = x.shape
        self.wshape = w.shape if w is not None else getattr(b, "shape", None)
        xs = x.reshape(self.view) if self.view is not None else x
        if self.stats is not None:
            mean, var = self.stats
            xhat = xs - mean
        elif self.center:
            mean = xs.mean(axis=self.axes, keepdims=True)
            xhat = xs - mean
            var = (xhat * xhat).mean(axis=self.axes, keepdims=True)
        else:
            mean, xhat = None, None
            var = (xs * xs).mean(axis=self.axes, keepdims=True)
        self.mean, self.var = mean, var
        invstd = 1 / xp.sqrt(var + self.eps)
        if xhat is None:
            xhat = xs * invstd
        else:
            xhat *= invstd
        keep_xhat = nw or (nx and self.stats is None)
        if keep_xhat:
            self.xhat = xhat
        wb = None if w is None else w.reshape(self.affine_shape)
        if nx:
            self.invstd, self.wb = invstd, wb
            self.save_inputs = (1,) if w is not None else ()
        if wb is not None:
            y = xhat * wb
        else:
            y = xhat.copy() if keep_xhat else xhat
        if b is not None:
            y += b.reshape(self.affine_shape)
        return y.reshape(self.shape)

    def backward(self, g):
        nx, nw, nb = self.needs_input_grad
        gs = g.reshape(self.view) if self.view is not None else g
        gx = gw = gb = None
        if nw:
            gw = sum_to(gs * self.xhat, self.affine_shape).reshape(self.wshape)
        if nb:
            gb = sum_to(gs, self.affine_shape).reshape(self.wshape)
        if nx:
            gxhat = gs * self.wb if self.wb is not None else gs
            if self.stats is not None:
                gx = gxhat * self.invstd
            else:
                axes, xhat = self.axes, self.xhat
                n = math.prod(gs.shape[i] for i in axes)
                gx = gxhat - xhat * ((gxhat * xhat).sum(axis=axes, keepdims=True) / n)
                if self.center:
                    gx -= gxhat.sum(axis=axes, keepdims=True) / n
                gx *= self.invstd
            gx = gx.reshape(self.shape)
        return gx, gw, gb
