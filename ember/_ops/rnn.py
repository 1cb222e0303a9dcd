"""Recurrent layers on raw arrays: one op runs one layer in one direction over a whole sequence.

Layout
------
A sequence is a 2-D array of time-major rows ("packed"): step ``t`` owns rows
``off[t]:off[t] + bs[t]`` and its active sequences are the first ``bs[t]`` batch
rows (``bs`` non-increasing).  That covers a dense ``(T, B, F)`` input
(``bs = [B] * T``, a free reshape) and a ``PackedSequence``'s data alike.

Forward: one matmul projects the input for every step; each step adds one
matmul of the previous hidden state with ``W_hh`` and runs the gate arithmetic
in place.  ``h_run``/``c_run`` hold every sequence's latest state, so after the
loop they are ``h_n``/``c_n`` even for sequences of different lengths.  The
reverse direction takes the steps last to first; a sequence joins (from its
``h0`` row) when its last step comes up.

Backward walks the steps in the opposite order keeping only the per-step gate
gradients; input, weight and bias gradients are then single matmuls/sums over
all steps.  Derivatives of the activations are formed for the whole sequence
at once before the loop.

Gates: sigmoid(x) = 0.5 * tanh(0.5 x) + 0.5, so an LSTM's four gates activate
with one tanh over the ``(b, 4, H)`` block: scale by ``s``, tanh, scale by
``s``, add ``shift`` (s = shift = 1/2 for sigmoid gates, s = 1, shift = 0 for
tanh ones).  The derivative of every gate is then ``s**2 - (a - shift)**2``.

All ops take ``(x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr)`` (``c0``/``w_hr``
None where the cell has none) and return ``(output, h_n)`` (+ ``c_n`` for LSTM).
"""
import itertools

from .base import Op, get_xp, rerun_forward


class _Recurrence(Op):
    """Shared step schedule, input projection and parameter-gradient tail."""

    def __init__(self, batch_sizes, reverse=False):
        sizes = [int(b) for b in batch_sizes]
        steps = list(zip(itertools.accumulate([0] + sizes[:-1]), sizes))
        self.steps = steps[::-1] if reverse else steps

    def _setup(self, x, h0, w_ih, w_hh, bias):
        """Project the input for all steps and make the running state and saved arrays."""
        xp = get_xp(x)
        nx, _, _, nwih, nwhh = self.needs_input_grad[:5]
        if nwih:
            self.x = x
        if nx:
            self.w_ih = w_ih
        self.w_hh = w_hh
        # every input, as torch keeps them: under create_graph ``regraph`` runs forward again
        self.save_inputs = tuple(range(8))
        gates = xp.matmul(x, w_ih.T)
        if bias is not None:
            gates += bias
        self.batch = h0.shape[0]
        hprev = xp.empty((x.shape[0], h0.shape[1]), x.dtype)
        self.hprev = hprev if nwhh else None
        return xp, gates, hprev, h0.copy()

    def _param_grads(self, dgi, dgh):
        """Gradients of x, w_ih, w_hh, b_ih, b_hh from the input-side and hidden-side gates."""
        nx, _, _, nwih, nwhh, nbih, nbhh = self.needs_input_grad[:7]
        return (dgi @ self.w_ih if nx else None,
                dgi.T @ self.x if nwih else None,
                dgh.T @ self.hprev if nwhh else None,
                dgi.sum(axis=0) if nbih else None,
                dgh.sum(axis=0) if nbhh else None)

    def _forward(self, arrays):
        self.args = list(arrays)
        return super()._forward(arrays)

    def regraph(self):
        """Under create_graph: the values the step loop kept, from forward run again on the
        swapped inputs (``args``), whose writes through views ArrayTensors follow."""
        return rerun_forward(self, *self.args)

    @staticmethod
    def _start(xp, grad, shape, dtype):
        """The running gradient of a final state: a copy of ``grad``, zeros when None."""
        return xp.zeros(shape, dtype) if grad is None else grad.copy()


def _bias_sum(b_ih, b_hh):
    if b_ih is None:
        return b_hh
    return b_ih if b_hh is None else b_ih + b_hh


class LSTMLayer(_Recurrence):
    """i, f, g, o gates; c' = f c + i g; h' = o tanh(c') (then h' W_hr^T with a projection)."""

    def forward(self, x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr):
        xp, gates, hprev, h_run = self._setup(x, h0, w_ih, w_hh, _bias_sum(b_ih, b_hh))
        n, hid = x.shape[0], c0.shape[1]
        s, shift = _lstm_constants(xp, x.dtype)
        a4 = gates.reshape(n, 4, hid)
        c_run = c0.copy()
        cprev = xp.empty((n, hid), x.dtype)
        tc = xp.empty((n, hid), x.dtype)
        out = xp.empty((n, h0.shape[1]), x.dtype)
        hraw = out if w_hr is None else xp.empty((n, hid), x.dtype)
        whh_t = w_hh.T
        for o, b in self.steps:
            rows = slice(o, o + b)
            hp, cp, g = hprev[rows], cprev[rows], a4[rows]
            hp[...] = h_run[:b]
            cp[...] = c_run[:b]
            g += (hp @ whh_t).reshape(b, 4, hid)
            g *= s
            xp.tanh(g, out=g)
            g *= s
            g += shift
            c = c_run[:b]
            xp.multiply(g[:, 1], cp, out=c)
            c += g[:, 0] * g[:, 2]
            xp.tanh(c, out=tc[rows])
            xp.multiply(g[:, 3], tc[rows], out=hraw[rows])
            if w_hr is not None:
                xp.matmul(hraw[rows], w_hr.T, out=out[rows])
            h_run[:b] = out[rows]
        if any(self.needs_input_grad):
            self.a4, self.cprev, self.tc = a4, cprev, tc
            if w_hr is not None:
                self.w_hr, self.hraw = w_hr, hraw
        return out, h_run, c_run

    def backward(self, gy, ghn, gcn):
        a4, tc, w_hh = self.a4, self.tc, self.w_hh
        xp = get_xp(next(g for g in (gy, ghn, gcn) if g is not None))
        n, _, hid = a4.shape
        s, shift = _lstm_constants(xp, a4.dtype)
        deriv = a4 - shift
        deriv *= deriv
        xp.subtract(s * s, deriv, out=deriv)
        # what each gate's gradient multiplies: dc for i (by g), f (by c_prev), g (by i); dh for o
        mult = xp.stack((a4[:, 2], self.cprev, a4[:, 0], tc), axis=1)
        k = 1 - tc * tc
        k *= a4[:, 3]
        fgate = a4[:, 1]
        proj = getattr(self, "w_hr", None)
        hout = w_hh.shape[1]
        dh_run = self._start(xp, ghn, (self.batch, hout), a4.dtype)
        dc_run = self._start(xp, gcn, (self.batch, hid), a4.dtype)
        dgates = xp.empty_like(a4)
        dproj = xp.empty((n, hout), a4.dtype) if proj is not None else None
        for o, b in reversed(self.steps):
            rows = slice(o, o + b)
            dh = dh_run[:b] if gy is None else dh_run[:b] + gy[rows]
            if proj is not None:
                dproj[rows] = dh
                dh = dh @ proj
            dc = dc_run[:b]
            dc += dh * k[rows]
            dg = dgates[rows]
            xp.multiply(mult[rows, :3], dc[:, None], out=dg[:, :3])
            xp.multiply(mult[rows, 3], dh, out=dg[:, 3])
            dg *= deriv[rows]
            dc *= fgate[rows]
            xp.matmul(dg.reshape(b, 4 * hid), w_hh, out=dh_run[:b])
        dg2 = dgates.reshape(n, 4 * hid)
        dx, dwih, dwhh, dbih, dbhh = self._param_grads(dg2, dg2)
        nh, nc = self.needs_input_grad[1:3]
        dwhr = dproj.T @ self.hraw if proj is not None and self.needs_input_grad[7] else None
        return (dx, dh_run if nh else None, dc_run if nc else None, dwih, dwhh, dbih, dbhh, dwhr)


def _lstm_constants(xp, dtype):
    """Per-gate (4, 1) scale and shift turning one tanh into sigmoid, sigmoid, tanh, sigmoid."""
    s = xp.asarray([[0.5], [0.5], [1.0], [0.5]], dtype)
    shift = xp.asarray([[0.5], [0.5], [0.0], [0.5]], dtype)
    return s, shift


class GRULayer(_Recurrence):
    """r, z, n gates; n = tanh(W_in x + b_in + r (W_hn h + b_hn)); h' = (1 - z) n + z h."""

    def forward(self, x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr):
        xp, gates, hprev, h_run = self._setup(x, h0, w_ih, w_hh, b_ih)
        n, hid = x.shape[0], h0.shape[1]
        a3 = gates.reshape(n, 3, hid)
        ghn = xp.empty((n, hid), x.dtype)
        out = xp.empty((n, hid), x.dtype)
        whh_t = w_hh.T
        for o, b in self.steps:
            rows = slice(o, o + b)
            hp, g = hprev[rows], a3[rows]
            hp[...] = h_run[:b]
            gh = hp @ whh_t
            if b_hh is not None:
                gh += b_hh
            gh = gh.reshape(b, 3, hid)
            rz = g[:, :2]
            rz += gh[:, :2]
            rz *= 0.5
            xp.tanh(rz, out=rz)
            rz *= 0.5
            rz += 0.5
            ghn[rows] = gh[:, 2]
            ng = g[:, 2]
            ng += g[:, 0] * gh[:, 2]
            xp.tanh(ng, out=ng)
            h = out[rows]
            xp.subtract(hp, ng, out=h)
            h *= g[:, 1]
            h += ng
            h_run[:b] = h
        if any(self.needs_input_grad):
            self.a3, self.ghn = a3, ghn
            self.hprev = hprev
        return out, h_run

    def backward(self, gy, ghn_out):
        a3, w_hh = self.a3, self.w_hh
        xp = get_xp(gy if gy is not None else ghn_out)
        n, _, hid = a3.shape
        r, z, ng = a3[:, 0], a3[:, 1], a3[:, 2]
        drz = a3[:, :2] * (1 - a3[:, :2])
        dn_scale = 1 - ng * ng
        dn_scale *= 1 - z
        h_minus_n = self.hprev - ng
        dh_run = self._start(xp, ghn_out, (self.batch, hid), a3.dtype)
        dgi = xp.empty_like(a3)
        dgh = xp.empty_like(a3)
        for o, b in reversed(self.steps):
            rows = slice(o, o + b)
            dh = dh_run[:b] if gy is None else dh_run[:b] + gy[rows]
            di, dhh = dgi[rows], dgh[rows]
            xp.multiply(dh, dn_scale[rows], out=di[:, 2])
            xp.multiply(di[:, 2], self.ghn[rows], out=di[:, 0])
            xp.multiply(dh, h_minus_n[rows], out=di[:, 1])
            di[:, :2] *= drz[rows]
            dhh[:, :2] = di[:, :2]
            xp.multiply(di[:, 2], r[rows], out=dhh[:, 2])
            prev = dhh.reshape(b, 3 * hid) @ w_hh
            prev += dh * z[rows]
            dh_run[:b] = prev
        dx, dwih, dwhh, dbih, dbhh = self._param_grads(dgi.reshape(n, 3 * hid),
                                                       dgh.reshape(n, 3 * hid))
        return dx, dh_run if self.needs_input_grad[1] else None, None, dwih, dwhh, dbih, dbhh, None


class RNNLayer(_Recurrence):
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh), or relu in place of tanh."""

    def __init__(self, batch_sizes, reverse=False, relu=False):
        super().__init__(batch_sizes, reverse)
        self.relu = relu

    def forward(self, x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr):
        xp, out, hprev, h_run = self._setup(x, h0, w_ih, w_hh, _bias_sum(b_ih, b_hh))
        whh_t = w_hh.T
        for o, b in self.steps:
            rows = slice(o, o + b)
            hp, a = hprev[rows], out[rows]
            hp[...] = h_run[:b]
            a += hp @ whh_t
            if self.relu:
                xp.maximum(a, 0, out=a)
            else:
                xp.tanh(a, out=a)
            h_run[:b] = a
        if any(self.needs_input_grad):
            self.deriv = (out > 0).astype(out.dtype) if self.relu else 1 - out * out
        return out, h_run

    def backward(self, gy, ghn):
        deriv, w_hh = self.deriv, self.w_hh
        xp = get_xp(gy if gy is not None else ghn)
        dh_run = self._start(xp, ghn, (self.batch, deriv.shape[1]), deriv.dtype)
        dgates = xp.empty_like(deriv)
        for o, b in reversed(self.steps):
            rows = slice(o, o + b)
            dh = dh_run[:b] if gy is None else dh_run[:b] + gy[rows]
            dg = dgates[rows]
            xp.multiply(dh, deriv[rows], out=dg)
            xp.matmul(dg, w_hh, out=dh_run[:b])
        dx, dwih, dwhh, dbih, dbhh = self._param_grads(dgates, dgates)
        return dx, dh_run if self.needs_input_grad[1] else None, None, dwih, dwhh, dbih, dbhh, None


class PadRows(Op):
    """Rows of ``x`` placed at rows ``dest`` of a new ``(n_rows, *)`` array filled with ``value``.

    The padding step of ``pad_packed_sequence``/``pad_sequence``: ``dest`` is
    one distinct row per input row, so the gradient is a plain gather.
    """

    def __init__(self, dest, n_rows, value):
        self.dest, self.n_rows, self.value = dest, n_rows, value

    def forward(self, x):
        xp = get_xp(x)
        self.dest = xp.asarray(self.dest)
        out = xp.full((self.n_rows,) + x.shape[1:], self.value, x.dtype)
        out[self.dest] = x
        return out

    def backward(self, g):
        return g[self.dest]
