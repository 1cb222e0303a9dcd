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
from ..._ops.shape.copies import cat
from ..._ops.rnn import PadRows
from ..._tensor import Tensor

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence",
           "pad_sequence", "unpad_sequence", "pack_sequence", "unpack_sequence"]

_SORT_MSG = ("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
             "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to "
             "sidestep this requirement if you do not need ONNX exportability.")


class PackedSequence(namedtuple("PackedSequence",
                                ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """A batch of variable-length sequences packed time step by time step, for the recurrent layers.

    A named tuple ``(data, batch_sizes, sorted_indices, unsorted_indices)``: ``data`` holds, for
    each time step, the entries of the sequences still running (longest first), and
    ``batch_sizes[t]`` how many there are.  Build it with ``pack_padded_sequence`` or
    ``pack_sequence`` rather than by hand; ``RNN``, ``LSTM`` and ``GRU`` take and return it.
    ``unsorted_indices`` defaults to the inverse of ``sorted_indices``.

    Args:
        data (Tensor): ``(sum of lengths, *)``.
        batch_sizes (Tensor): int64 ``(max length,)``, on the CPU.
        sorted_indices (Tensor, optional): the order of the sequences by decreasing length.
        unsorted_indices (Tensor, optional): its inverse.

    Example:
        >>> seqs = [ember.tensor([1., 2., 3.]), ember.tensor([4., 5.])]
        >>> p = ember.nn.utils.rnn.pack_sequence(seqs)
        >>> p.data, p.batch_sizes
        (tensor([1., 4., 2., 5., 3.]), tensor([2, 2, 1]))
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
        """The same sequence with ``data`` on a CUDA device."""
        return self.to(self.data.cuda(*args, **kwargs).device)

    def cpu(self, *args, **kwargs):
        """The same sequence with ``data`` on the CPU."""
        return self.to("cpu")

    def pin_memory(self):
        """Return the sequence itself: ember has no pinned memory."""
        return self

    def is_pinned(self):
        """Always ``False``: ember has no pinned memory."""
        return False

    @property
    def is_cuda(self):
        """Whether ``data`` lives on a CUDA device."""
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
    """The inverse of a 1-D permutation tensor (``None`` stays ``None``).

    Args:
        permutation (Tensor or None): a permutation of ``0 .. n - 1``.

    Example:
        >>> ember.nn.utils.rnn.invert_permutation(ember.tensor([2, 0, 1]))
        tensor([1, 2, 0])
    """
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
    """Pack a padded batch of sequences with the given lengths into a ``PackedSequence``.

    With ``enforce_sorted=True`` the sequences must come longest first; otherwise they are sorted
    here and the permutation kept, so ``pad_packed_sequence`` restores the original order.

    Args:
        input (Tensor): ``(T, B, *)``, or ``(B, T, *)`` with ``batch_first``.
        lengths (Tensor or list of int): the length of each sequence (on the CPU).
        batch_first (bool): the batch dimension comes first. Default: ``False``.
        enforce_sorted (bool): require decreasing lengths. Default: ``True``.

    Shape:
        - Input: ``(T, B, *)`` or ``(B, T, *)``.
        - Output: a ``PackedSequence`` with ``data`` of shape ``(sum(lengths), *)``.

    Example:
        >>> x = ember.tensor([[1., 2., 3.], [4., 5., 0.]])
        >>> p = ember.nn.utils.rnn.pack_padded_sequence(x, [3, 2], batch_first=True)
        >>> p.data
        tensor([1., 4., 2., 5., 3.])
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
    """Unpack a ``PackedSequence`` into a padded tensor and the lengths, in the original batch
    order.

    Args:
        sequence (PackedSequence): the packed batch.
        batch_first (bool): return ``(B, T, *)`` instead of ``(T, B, *)``. Default: ``False``.
        padding_value (float): value of the padded positions. Default: ``0.0``.
        total_length (int, optional): pad the time dimension to this size (at least the longest
          length). Default: ``None``.

    Returns:
        tuple: the padded tensor and an int64 tensor of lengths.

    Shape:
        - Output: ``(T, B, *)`` or ``(B, T, *)``.

    Example:
        >>> seqs = [ember.tensor([1., 2., 3.]), ember.tensor([4., 5.])]
        >>> p = ember.nn.utils.rnn.pack_sequence(seqs)
        >>> ember.nn.utils.rnn.pad_packed_sequence(p, batch_first=True)
        (tensor([[1., 2., 3.],
                [4., 5., 0.]]), tensor([3, 2]))
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
    """Stack sequences of different lengths into one tensor, padding the shorter ones.

    Args:
        sequences (list of Tensor): shapes ``(L_i, *)`` with the same trailing dimensions.
        batch_first (bool): return ``(B, T, *)`` instead of ``(T, B, *)``. Default: ``False``.
        padding_value (float): value of the padded positions. Default: ``0.0``.
        padding_side (str): pad on the ``'right'`` or ``'left'``. Default: ``'right'``.

    Shape:
        - Output: ``(T, B, *)`` or ``(B, T, *)`` with ``T = max(L_i)``.

    Example:
        >>> seqs = [ember.tensor([1., 2., 3.]), ember.tensor([4., 5.])]
        >>> ember.nn.utils.rnn.pad_sequence(seqs, batch_first=True)
        tensor([[1., 2., 3.],
                [4., 5., 0.]])
    """
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
    """Split a padded batch back into the list of its unpadded sequences (the inverse of
    ``pad_sequence``).

    Args:
        padded_sequences (Tensor): ``(T, B, *)`` or ``(B, T, *)``.
        lengths (Tensor): the length of each sequence.
        batch_first (bool): the batch dimension comes first. Default: ``False``.

    Example:
        >>> x = ember.tensor([[1., 2., 3.], [4., 5., 0.]])
        >>> ember.nn.utils.rnn.unpad_sequence(x, ember.tensor([3, 2]), batch_first=True)
        [tensor([1., 2., 3.]), tensor([4., 5.])]
    """
    seqs = padded_sequences if batch_first else padded_sequences.transpose(0, 1)
    return [seqs[i, :n] for i, n in enumerate(_lengths_array(lengths).tolist())]


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of sequences of shapes ``(L_i, *)`` into a ``PackedSequence``.

    Args:
        sequences (list of Tensor): the sequences, longest first unless ``enforce_sorted=False``.
        enforce_sorted (bool): require decreasing lengths. Default: ``True``.

    Example:
        >>> seqs = [ember.tensor([4., 5.]), ember.tensor([1., 2., 3.])]
        >>> p = ember.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=False)
        >>> p.data, p.sorted_indices
        (tensor([1., 4., 2., 5., 3.]), tensor([1, 0]))
    """
    sequences = list(sequences)
    lengths = np.array([s.shape[0] for s in sequences], dtype=np.int64)
    batch_sizes, steps, pos, order = _packing(lengths, enforce_sorted)
    starts = np.cumsum(lengths) - lengths
    rows = starts[pos if order is None else order[pos]] + steps
    data = cat(sequences, 0)
    return _packed(data.index_select(0, as_tensor(rows, device=data.device)), batch_sizes, order)


def unpack_sequence(packed_sequences):
    """Split a ``PackedSequence`` into the list of its sequences (the inverse of ``pack_sequence``).

    Args:
        packed_sequences (PackedSequence): the packed batch.

    Example:
        >>> seqs = [ember.tensor([1., 2., 3.]), ember.tensor([4., 5.])]
        >>> p = ember.nn.utils.rnn.pack_sequence(seqs)
        >>> ember.nn.utils.rnn.unpack_sequence(p)
        [tensor([1., 2., 3.]), tensor([4., 5.])]
    """
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
