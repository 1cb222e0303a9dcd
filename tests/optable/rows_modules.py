"""Rows for ops that only ``nn`` layers and utilities run: the recurrent layers (with the same
seeded weights in both libraries) and sequence padding."""
import numpy as np

from .core import OpRow, Sample


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


# torch's output node depends on its kernel: a float32 LSTM runs oneDNN
# (MkldnnRnnLayerBackward0), the others stack per-step outputs (StackBackward0), batch-first
# ones end in a transpose; ember's whole-sequence op is viewed into shape in nn/modules/rnn.py
RECURRENT = ("grad_fn ViewBackward0, torch {}: torch's last node follows its kernel choice "
             "(oneDNN layer, per-step stack, batch-first transpose) (issue 9 item 13)")
RECURRENT_NAMES = {"LSTM": "MkldnnRnnLayerBackward0", "GRU": "StackBackward0",
                   "RNN": "StackBackward0"}

ROWS = [OpRow(f"nn.{kind}", _recurrent_samples(kind), call=_recurrent(kind), atol=1e-4,
              xfail={"grad_fn": RECURRENT.format(RECURRENT_NAMES[kind])})
        for kind in ("LSTM", "GRU", "RNN")]
ROWS.append(OpRow("nn.utils.rnn.pad_sequence", _pad_sequence, xfail={"grad_fn": (
    "grad_fn ViewBackward0, torch CopySlices: torch copies each sequence into a padded buffer "
    "in place; ember builds it with one op in nn/utils/rnn.py (issue 9 item 13)")}))
