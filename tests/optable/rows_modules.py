"""Rows for ops that only ``nn`` layers and utilities run: the recurrent layers (with the same
seeded weights in both libraries) and sequence padding."""
import numpy as np

from .core import OpRow, Sample, grad_fn_differs


def _recurrent(kind):
    """``nn.<kind>(3, 4, **kwargs)`` with seeded weights, applied to ``x`` (and ``h0``)."""
    def call(lib, x, *state, **kwargs):
        layer = getattr(lib.nn, kind)(3, 4, **kwargs).to(x.device, x.dtype)
        rng = np.random.default_rng(0)
        with lib.no_grad():
            for p in layer.parameters():
                values = rng.uniform(-0.5, 0.5, tuple(p.shape)).astype(
                    p.detach().cpu().numpy().dtype)
                p.copy_(lib.from_numpy(values))
        return layer(x, *state)
    return call


def _recurrent_samples(kind):
    def gen(make):
        state = (make((2, 2, 4)), make((2, 2, 4))) if kind == "LSTM" else make((2, 2, 4))
        return [Sample("seq", (make((5, 2, 3)),)),
                Sample("batch_first", (make((2, 4, 3)),), {"batch_first": True}),
                Sample("two_layers_state", (make((3, 2, 3)), state), {"num_layers": 2}),
                Sample("bidirectional", (make((3, 2, 3)),), {"bidirectional": True}),
                Sample("unbatched", (make((4, 3)),)),
                Sample("small", (make((2, 1, 3)),), {"hidden_size": 4})]
    return gen


def _pad_sequence(make):
    seqs = [make((3, 2)), make((1, 2)), make((2, 2))]
    return [Sample("time_first", (seqs,)), Sample("batch_first", (seqs,), {"batch_first": True}),
            Sample("value", (seqs,), {"padding_value": -1.0})]


RECURRENT_NAMES = {"LSTM": ("ViewBackward0", "MkldnnRnnLayerBackward0"),
                   "GRU": ("ViewBackward0", "StackBackward0"),
                   "RNN": ("ViewBackward0", "StackBackward0")}

ROWS = [OpRow(f"nn.{kind}", _recurrent_samples(kind), call=_recurrent(kind), atol=1e-4,
              xfail=grad_fn_differs(*RECURRENT_NAMES[kind]))
        for kind in ("LSTM", "GRU", "RNN")]
ROWS.append(OpRow("nn.utils.rnn.pad_sequence", _pad_sequence,
                  xfail=grad_fn_differs("ViewBackward0", "CopySlices")))
