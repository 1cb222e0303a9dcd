"""Variable-length sequences for the recurrent layers: ``PackedSequence`` and its helpers.

A packed sequence stores only the real steps of a batch of sequences, sorted
by decreasing length, time-major: ``data`` rows ``[off[t], off[t] + bs[t])``
are step ``t`` of the ``bs[t]`` sequences still running (``batch_sizes``).
``sorted_indices[p]`` is the original batch position of the ``p``-th longest
sequence and ``unsorted_indices`` its inverse.  The index bookkeeping is done
on NumPy; the data moves in one differentiable gather (packing) or one
scatter into a padded array (padding).
"""
from collections import namedtuple

import numpy as np

from ..._ops.creation import as_tensor
from ..._ops.shape.funcs import cat
from ..._ops.rnn import PadRows
from ..._tensor import Tensor

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence",
           "pad_sequence", "unpad_sequence", "pack_sequence", "unpack_sequence"]

_SORT_MSG = ("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
             "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to "
             "sidestep this requirement if you do not need ONNX exportability.")


class PackedSequence(namedtuple("PackedSequence",
                                ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """(data, batch_sizes, sorted_indices, unsorted_indices) of a packed batch of sequences.

    Build it with ``pack_padded_sequence`` or ``pack_sequence``; the recurrent
    layers take and return it.  ``unsorted_indices`` defaults to the inverse
    of ``sorted_indices``.
    """

    __slots__ = ()

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise AssertionError("Expected data to be a list or tuple of length 2")
            data, batch_sizes = data
        elif batch_sizes.device.type != "cpu":
            raise ValueError("batch_sizes should always be on CPU; build a PackedSequence with "
                             "pack_sequence or pack_padded_sequence")
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs):
        """The same sequence with ``data`` converted (indices follow its device)."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        move = (lambda t: None if t is None else t.to(data.device))
        return type(self)(data, self.batch_sizes, move(self.sorted_indices),
                          move(self.unsorted_indices))

    def cuda(self, *args, **kwargs):
        return self.to(self.data.cuda(*args, **kwargs).device)

    def cpu(self, *args, **kwargs):
        return self.to("cpu")

    def pin_memory(self):
        return self

    def is_pinned(self):
        return False

    @property
    def is_cuda(self):
        return self.data.is_cuda


def _caster(name):
    def cast(self):
        return self.to(dtype=getattr(self.data, name)().dtype)
    cast.__name__ = name
    cast.__doc__ = f"The same sequence with ``data.{name}()``."
    return cast


for _name in ("double", "float", "half", "long", "int", "short", "char", "byte"):
    setattr(PackedSequence, _name, _caster(_name))
del _name


def invert_permutation(permutation):
    """The inverse of a 1-D permutation tensor (None stays None)."""
    if permutation is None:
        return None
    perm = _numpy(permutation)
    inv = np.empty_like(perm)
    inv[perm] = np.arange(perm.size, dtype=perm.dtype)
    return as_tensor(inv, device=permutation.device)


def _numpy(t):
    return t.cpu().numpy() if isinstance(t, Tensor) else np.asarray(t)


def _lengths_array(lengths):
    """``lengths`` (list or tensor) as a 1-D int64 NumPy array, as torch accepts it."""
    arr = np.asarray(_numpy(lengths))
    if arr.ndim != 1:
        raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got "
                           f"{arr.ndim}D tensor")
    return arr.astype(np.int64)


def _packing(lengths, enforce_sorted):
    """(batch_sizes, step and sorted-position of every packed row, sort order or None)."""
    order = None
    if enforce_sorted:
        if np.any(np.diff(lengths) > 0):
            raise RuntimeError(_SORT_MSG)
    else:
        order = np.argsort(-lengths, kind="stable")
        lengths = lengths[order]
    if lengths.size and lengths[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element "
                           "in 'lengths' that is <= 0")
    steps, pos = np.nonzero(np.arange(lengths[0] if lengths.size else 0)[:, None] < lengths)
    batch_sizes = np.bincount(steps, minlength=lengths[0] if lengths.size else 0)
    return batch_sizes, steps, pos, order


def _packed(data, batch_sizes, order):
    order_t = None if order is None else as_tensor(order, device=data.device)
    return PackedSequence(data, as_tensor(batch_sizes.astype(np.int64)), order_t)


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded ``(T, B, *)`` (or ``(B, T, *)``) batch whose sequences have ``lengths``.

    With ``enforce_sorted=False`` the sequences are sorted by length here and
    the permutation kept in the result.
    """
    lengths = _lengths_array(lengths)
    batch_sizes, steps, pos, order = _packing(lengths, enforce_sorted)
    batch, time = (input.shape[0], input.shape[1]) if batch_first else \
        (input.shape[1], input.shape[0])
    if lengths.size != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                           f"{lengths.size} (batch_size={batch})")
    if lengths.max() > time:
        raise RuntimeError(f"a length in 'lengths' ({lengths.max()}) exceeds the sequence "
                           f"dimension of the input of shape {tuple(input.shape)}")
    col = pos if order is None else order[pos]
    rows = col * time + steps if batch_first else steps * batch + col
    flat = input.reshape((time * batch,) + tuple(input.shape[2:]))
    return _packed(flat.index_select(0, as_tensor(rows, device=input.device)), batch_sizes, order)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Unpack to a padded tensor and the lengths (in the original batch order).

    ``total_length`` pads the time dimension to that size (at least the
    longest length).
    """
    data, batch_sizes, sorted_indices, unsorted_indices = sequence
    bs = _numpy(batch_sizes).astype(np.int64)
    time, batch = bs.size, int(bs[0])
    if total_length is not None:
        if total_length < time:
            raise ValueError(f"Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {time}")
        time = total_length
    steps, pos = np.nonzero(np.arange(batch) < bs[:, None])
    col = pos if sorted_indices is None else _numpy(sorted_indices)[pos]
    dest = col * time + steps if batch_first else steps * batch + col
    rest = tuple(data.shape[1:])
    padded = PadRows(dest, time * batch, padding_value)(data)
    padded = padded.reshape(((batch, time) if batch_first else (time, batch)) + rest)
    lengths = (bs[None, :] > np.arange(batch)[:, None]).sum(axis=1)
    if unsorted_indices is not None:
        lengths = lengths[_numpy(unsorted_indices)]
    return padded, as_tensor(lengths.astype(np.int64))


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack sequences of shapes ``(L_i, *)`` into ``(T, B, *)`` (``(B, T, *)``), padding each."""
    if padding_side not in ("left", "right"):
        raise ValueError(f"Expected padding_side to be one of left or right, but got "
                         f"{padding_side}.")
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    rest = tuple(sequences[0].shape[1:])
    for i, s in enumerate(sequences):
        if tuple(s.shape[1:]) != rest:
            raise RuntimeError(f"pad_sequence: sequence {i} has shape {tuple(s.shape)}, but the "
                               f"trailing dims of sequence 0 are {rest}; all must match")
    lengths = np.array([s.shape[0] for s in sequences], dtype=np.int64)
    batch, time = lengths.size, int(lengths.max())
    seq = np.repeat(np.arange(batch), lengths)
    steps = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    if padding_side == "left":
        steps += time - lengths[seq]
    dest = seq * time + steps if batch_first else steps * batch + seq
    padded = PadRows(dest, time * batch, padding_value)(cat(sequences, 0))
    return padded.reshape(((batch, time) if batch_first else (time, batch)) + rest)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """The list of unpadded sequences of a padded batch (inverse of ``pad_sequence``)."""
    seqs = padded_sequences if batch_first else padded_sequences.transpose(0, 1)
    return [seqs[i, :n] for i, n in enumerate(_lengths_array(lengths).tolist())]


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of sequences of shapes ``(L_i, *)`` (sorted by decreasing length unless
    ``enforce_sorted=False``)."""
    sequences = list(sequences)
    lengths = np.array([s.shape[0] for s in sequences], dtype=np.int64)
    batch_sizes, steps, pos, order = _packing(lengths, enforce_sorted)
    starts = np.cumsum(lengths) - lengths
    rows = starts[pos if order is None else order[pos]] + steps
    data = cat(sequences, 0)
    return _packed(data.index_select(0, as_tensor(rows, device=data.device)), batch_sizes, order)


def unpack_sequence(packed_sequences):
    """The list of sequences in a ``PackedSequence`` (inverse of ``pack_sequence``)."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
