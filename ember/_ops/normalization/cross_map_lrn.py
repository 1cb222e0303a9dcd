"""CrossMapLRN2d: the legacy (Lua torch) local response normalisation across channels.

``out = x * scale ** -beta`` with ``scale = k + alpha / size * S`` and ``S`` a running
sum of squares over neighbouring channels, built by torch's recurrence (which, as in
torch, never drops channel 0 from the sum once it is in).  The backward is torch's
own formula for this layer, reproduced so gradients equal torch's.
"""
from ..._dtype import FROM_NP
from ..base import Op, get_xp


class CrossMapLRN(Op):
    """forward(x) on (N, C, H, W); returns the normalised tensor."""

    save_inputs = (0,)

    def __init__(self, size, alpha, beta, k):
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def name(self):
        return "CrossMapLRN2dBackward"

    def forward(self, x):
        if x.dtype.kind not in "fc":   # torch scales in place by a float (bool: long) factor
            result = "Long" if x.dtype.kind == "b" else "Float"
            raise RuntimeError(f"CrossMapLRN2d: result type {result} can't be cast to the "
                               f"desired output type {FROM_NP[x.dtype]._tensor_type[:-6]}")
        xp = get_xp(x)
        channels = x.shape[1]
        sq = x * x
        pre_pad = int((self.size - 1) / 2 + 1)
        scale = xp.empty_like(x)
        scale[:, 0] = sq[:, :min(pre_pad, channels)].sum(1)
        for c in range(1, channels):
            scale[:, c] = scale[:, c - 1]
            if c < channels - pre_pad + 1:
                scale[:, c] += sq[:, c + pre_pad - 1]
            if c > pre_pad:
                scale[:, c] -= sq[:, c - pre_pad]
        scale *= self.alpha / self.size
        scale += self.k
        out = scale ** -self.beta * x
        if self.needs_input_grad[0]:
            self.x, self.scale, self.out = x, scale, out
        return out

    def backward(self, g):
        xp = get_xp(g)
        x, scale, channels = self.x, self.scale, self.x.shape[1]
        front = int(self.size - (self.size - 1) / 2)
        padded = xp.zeros((x.shape[0], channels + self.size - 1) + x.shape[2:], dtype=x.dtype)
        padded[:, front:front + channels] = g * self.out / scale
        sums = xp.cumsum(padded, axis=1)
        sums = xp.concatenate([xp.zeros_like(sums[:, :1]), sums], axis=1)
        window = sums[:, self.size:self.size + channels] - sums[:, :channels]
        grad = scale ** -self.beta * g
        grad -= (2 * self.alpha * self.beta / self.size) * x * window
        return grad
