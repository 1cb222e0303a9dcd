"""Lookup tables: ``embedding`` (rows of a weight matrix by index, one ``Embedding`` op),
``embedding_bag`` (reduced bags of rows) and ``one_hot``.

Indices are checked before the lookup: a non-integer tensor or an index
outside ``[0, num_embeddings)`` raises naming the index and the table size
(torch only says "index out of range in self").  ``max_norm`` renormalises
the looked-up rows of the weight in place, without autograd, as torch does.
"""
import numpy as np

from .._tensor import Tensor, _wrap
from .creation import zeros, arange
from .elementwise.funcs import label
from .base import Op, get_xp, relabel
from ..autograd import grad_mode

__all__ = ["embedding", "embedding_bag", "one_hot"]


class Embedding(Op):
    """Rows ``weight[indices]``; the weight gradient sums the rows' gradients per index.

    ``padding_idx`` gets no gradient; ``scale_grad_by_freq`` divides each
    row's gradient by how often its index occurs in the batch.
    """

    def __init__(self, padding_idx=None, scale_grad_by_freq=False):
        self.padding_idx, self.scale_grad_by_freq = padding_idx, scale_grad_by_freq

    def forward(self, w, idx):
        self.idx, self.wshape = idx, w.shape
        return w[idx]

    def backward(self, g):
        xp = get_xp(g)
        flat = self.idx.reshape(-1)
        g2 = g.reshape(flat.shape[0], self.wshape[1])
        if self.scale_grad_by_freq:
            counts = xp.bincount(flat, minlength=self.wshape[0])
            g2 = g2 / counts[flat][:, None].astype(g.dtype)
        gw = xp.zeros(self.wshape, g.dtype)
        xp.add.at(gw, flat, g2)
        if self.padding_idx is not None:
            gw[self.padding_idx] = 0
        return gw, None


def _padding_index(padding_idx, num):
    """padding_idx normalised to [0, num) (None stays None); AssertionError as torch's."""
    if padding_idx is None:
        return None
    if not -num <= padding_idx < num:
        raise AssertionError("Padding_idx must be within num_embeddings")
    return padding_idx + num if padding_idx < 0 else padding_idx


def check_indices(input, num, what="embedding"):
    """The index array, after torch's checks: integer dtype, values in [0, num)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{what}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if input._data.dtype.kind not in "iu" or input._data.dtype.itemsize not in (4, 8):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got ember."
                           f"{label(input.dtype)}Tensor instead (while checking arguments for "
                           f"{what})")
    idx = input._data
    if idx.size:
        lo, hi = idx.min().item(), idx.max().item()
        if lo < 0 or hi >= num:
            bad = lo if lo < 0 else hi
            raise IndexError(f"index {bad} is out of range for an embedding table with "
                             f"num_embeddings={num} (valid indices are 0 to {num - 1}); torch: "
                             "index out of range in self")
    return idx


def _renorm_rows(weight, idx, max_norm, norm_type):
    """Scale the rows ``idx`` of ``weight`` whose ``norm_type``-norm exceeds ``max_norm``."""
    xp = get_xp(weight._data)
    rows = xp.unique(idx.reshape(-1))
    w = weight._data
    sub = w[rows]
    if norm_type == float("inf"):
        norms = xp.abs(sub).max(axis=1)
    else:
        norms = (xp.abs(sub) ** norm_type).sum(axis=1) ** (1.0 / norm_type)
    over = norms > max_norm
    if over.any():
        scale = (max_norm / (norms[over] + 1e-7)).astype(w.dtype, copy=False)
        w[rows[over]] = sub[over] * scale[:, None]
        weight._vc[0] += 1


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Look up rows of ``weight`` at the integer indices in ``input``.

    Args:
        input (Tensor): integer indices, any shape.
        weight (Tensor): ``(num_embeddings, embedding_dim)`` table.
        padding_idx (int, optional): this row gets no gradient. Default: ``None``.
        max_norm (float, optional): rows looked up whose norm exceeds this are rescaled in place.
          Default: ``None``.
        norm_type (float): the norm used with ``max_norm``. Default: ``2.0``.
        scale_grad_by_freq (bool): divide each row's gradient by its count in ``input``.
          Default: ``False``.
        sparse (bool): must be ``False``: ember has no sparse gradients (``True`` raises
          ``NotImplementedError``). Default: ``False``.

    Shape:
        - Input: ``(*)``.
        - Output: ``(*, embedding_dim)``.

    Example:
        >>> table = ember.tensor([[0., 0.], [1., 1.], [2., 4.]])
        >>> ember.nn.functional.embedding(ember.tensor([2, 0, 2]), table)
        tensor([[2., 4.],
                [0., 0.],
                [2., 4.]])
    """
    if sparse:
        raise NotImplementedError("ember has no sparse gradients: use sparse=False (the "
                                  "embedding gradient is then a dense tensor)")
    if weight.dim() != 2:
        raise RuntimeError(f"'weight' must be 2-D, got a {weight.dim()}-D tensor of shape "
                           f"{list(weight.shape)}")
    num = weight.shape[0]
    padding_idx = _padding_index(padding_idx, num)
    idx = check_indices(input, num)
    if max_norm is not None:
        with grad_mode.no_grad():
            _renorm_rows(weight, idx, max_norm, norm_type)
    return Embedding(padding_idx, scale_grad_by_freq)(weight, idx)


_BAG_MODES = {"sum": "sum", "mean": "mean", "max": "amax"}


def _bags(input, offsets, include_last_offset):
    """(flat indices, bag id of each, number of bags) for 2-D input or 1-D input + offsets."""
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated "
                             "is a mini-batch of fixed length sequences. However, found offsets "
                             f"of type {type(offsets).__name__}")
        b, n = input.shape
        return input.reshape(-1), arange(b, device=input.device).repeat_interleave(n), b
    if input.dim() != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         f"{input.dim()}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    if offsets.dim() != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    starts = offsets._data.astype(np.int64, copy=False)
    if starts.size and int(starts[0]) != 0:
        raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
                           f"has to start from position 0. However, got {int(starts[0])}")
    if include_last_offset:
        starts = starts[:-1]
    n_bags = starts.shape[0]
    xp = get_xp(starts)
    bag = xp.searchsorted(starts, xp.arange(input.shape[0]), side="right") - 1
    return input, _wrap(bag.astype(np.int64, copy=False)), n_bags


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2,
                  scale_grad_by_freq=False, mode="mean", sparse=False, per_sample_weights=None,
                  include_last_offset=False, padding_idx=None):
    """Sum, mean or max of the embedding rows of each bag of indices; see ``ember.nn.EmbeddingBag``.

    Args:
        input (Tensor): ``(B, N)`` bags, or ``(L,)`` indices split by ``offsets``.
        weight (Tensor): ``(num_embeddings, embedding_dim)`` table.
        offsets (Tensor, optional): start of each bag in a 1-D ``input``. Default: ``None``.
        max_norm (float, optional): renormalise looked-up rows above this norm. Default: ``None``.
        norm_type (float): the norm used with ``max_norm``. Default: ``2``.
        scale_grad_by_freq (bool): scale gradients by inverse frequency. Default: ``False``.
        mode (str): ``'sum'``, ``'mean'`` or ``'max'``. Default: ``'mean'``.
        sparse (bool): must be ``False``: ember has no sparse gradients (``True`` raises
          ``NotImplementedError``). Default: ``False``.
        per_sample_weights (Tensor, optional): a weight per index, ``mode='sum'`` only.
          Default: ``None``.
        include_last_offset (bool): ``offsets`` ends with the end of the last bag. Default:
          ``False``.
        padding_idx (int, optional): index left out of every bag. Default: ``None``.

    Shape:
        - Output: ``(B, embedding_dim)``.

    Example:
        >>> table = ember.tensor([[0., 0.], [1., 1.], [2., 4.]])
        >>> x, offsets = ember.tensor([0, 2, 1]), ember.tensor([0, 2])
        >>> ember.nn.functional.embedding_bag(x, table, offsets, mode="sum")
        tensor([[2., 4.],
                [1., 1.]])
    """
    if mode not in _BAG_MODES:
        raise ValueError(f"mode has to be one of sum, mean or max, got {mode!r}")
    if per_sample_weights is not None:
        if tuple(input.shape) != tuple(per_sample_weights.shape):
            raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) "
                             f"is not None, then it must have the same shape as the input "
                             f"({input.shape})")
        if mode != "sum":
            raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. "
                                      f"per_sample_weights is only supported for mode='sum' "
                                      f"(got mode='{mode}'). Please open a feature request on "
                                      "GitHub.")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension "
                         f"{weight.dim()}")
    if weight._data.dtype.kind != "f":
        raise RuntimeError("Expected tensor for argument #1 'weight' to have one of the following "
                           "scalar types: Half, BFloat16, Float, Double; but got "
                           f"{weight.type()} instead (while checking arguments for embedding_bag)")
    flat, bag, n_bags = _bags(input, offsets, include_last_offset)
    num = weight.shape[0]
    pad = _padding_index(padding_idx, num)
    rows = embedding(flat, weight, None, max_norm, norm_type, scale_grad_by_freq)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.reshape(-1, 1)
    if pad is not None:
        keep = flat != pad
        rows, bag = rows[keep], bag[keep]
    index = bag.reshape(-1, 1).expand(-1, weight.shape[1])
    out = zeros(n_bags, weight.shape[1], dtype=weight.dtype, device=weight.device)
    bags = out.scatter_reduce(0, index, rows, reduce=_BAG_MODES[mode], include_self=False)
    return relabel(bags, "EmbeddingBagBackward0")


def one_hot(tensor, num_classes=-1):
    """One-hot encode integer class labels along a new last dimension (int64 result).

    Args:
        tensor (Tensor): int64 class indices, any shape.
        num_classes (int): size of the new dimension; ``-1`` uses the largest index plus one.
          Default: ``-1``.

    Shape:
        - Input: ``(*)``.
        - Output: ``(*, num_classes)``.

    Example:
        >>> ember.nn.functional.one_hot(ember.tensor([0, 2, 1]))
        tensor([[1, 0, 0],
                [0, 0, 1],
                [0, 1, 0]])
    """
    if tensor._data.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    idx = tensor._data
    if num_classes == -1:
        if idx.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(idx.max()) + 1
    if idx.size:
        if idx.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if idx.max() >= num_classes:
            raise RuntimeError(f"Class values must be smaller than num_classes. (got class "
                               f"{int(idx.max())} with num_classes={num_classes})")
    xp = get_xp(idx)
    return _wrap((idx[..., None] == xp.arange(num_classes)).astype(np.int64))
