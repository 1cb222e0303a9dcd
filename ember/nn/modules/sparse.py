"""Lookup-table layers: ``Embedding`` and ``EmbeddingBag``.

The weight (num_embeddings, embedding_dim) starts N(0, 1) with the
``padding_idx`` row zeroed; ``from_pretrained`` wraps a given matrix
(frozen by default).  Bad indices raise IndexError naming the layer, the
index and ``num_embeddings``.  Only dense gradients exist (``sparse=False``).
"""
from ..._ops.creation import empty
from ...autograd import grad_mode
from .. import init
from ..._ops import sparse as F
from ..parameter import Parameter
from .module import Module

__all__ = ["Embedding", "EmbeddingBag"]


class _Table(Module):
    """The weight, its init and the options shared by Embedding and EmbeddingBag."""

    def __init__(self, num_embeddings, embedding_dim, padding_idx, max_norm, norm_type,
                 scale_grad_by_freq, sparse, _weight, _freeze, device, dtype):
        super().__init__()
        if sparse:
            raise NotImplementedError("ember has no sparse gradients: use sparse=False (the "
                                      "embedding gradient is then a dense tensor)")
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = F._padding_index(padding_idx, num_embeddings)
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = Parameter(empty(num_embeddings, embedding_dim, device=device,
                                          dtype=dtype), requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError("Shape of weight does not match num_embeddings and "
                                     "embedding_dim")
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self):
        """Draw ``weight`` again from the standard normal and zero the ``padding_idx`` row."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with grad_mode.no_grad():
                self.weight[self.padding_idx].fill_(0)

    @classmethod
    def _pretrained(cls, embeddings, freeze, **kwargs):
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        table = cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, **kwargs)
        table.weight.requires_grad = not freeze
        return table

    def _options_repr(self):
        s = ""
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        return s


class Embedding(_Table):
    """A lookup table: row ``i`` of ``weight`` for every integer index ``i`` in the input.

    ``weight`` has shape ``(num_embeddings, embedding_dim)`` and starts standard normal (the
    ``padding_idx`` row zero).

    Args:
        num_embeddings (int): size of the table (indices must be in ``[0, num_embeddings)``).
        embedding_dim (int): length of each row.
        padding_idx (int, optional): this row gets no gradient and starts at zero; use it for
          padding tokens. Default: ``None``.
        max_norm (float, optional): rows looked up whose ``norm_type``-norm exceeds this are scaled
          down to it, in place. Default: ``None``.
        norm_type (float): the norm used with ``max_norm``. Default: ``2.0``.
        scale_grad_by_freq (bool): divide each row's gradient by the number of times it occurs in
          the batch. Default: ``False``.
        sparse (bool): must stay ``False``: ember has no sparse gradients, and ``True`` raises
          ``NotImplementedError`` when called. Default: ``False``.
        device (ember.device, optional): where the weight lives.
        dtype (ember.dtype, optional): weight dtype.

    Shape:
        - Input: ``(*)``, integer indices of any shape.
        - Output: ``(*, embedding_dim)``.

    Attributes:
        weight (Parameter): ``(num_embeddings, embedding_dim)``.

    Example:
        >>> emb = ember.nn.Embedding(10, 3)
        >>> emb(ember.tensor([[1, 2, 4], [4, 3, 9]])).shape
        ember.Size([2, 3, 3])
    """

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
                 norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None,
                 _freeze=False, device=None, dtype=None):
        super().__init__(num_embeddings, embedding_dim, padding_idx, max_norm, norm_type,
                         scale_grad_by_freq, sparse, _weight, _freeze, device, dtype)

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None,
                        norm_type=2.0, scale_grad_by_freq=False, sparse=False):
        """Make an ``Embedding`` whose weight is the given 2-D tensor (shared, not copied).

        Args:
            embeddings (Tensor): ``(num_embeddings, embedding_dim)``.
            freeze (bool): do not train the weight (``requires_grad=False``). Default: ``True``.
            padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse: as in ``Embedding``.

        Example:
            >>> table = ember.tensor([[0., 0.], [1., 1.], [2., 4.]])
            >>> ember.nn.Embedding.from_pretrained(table)(ember.tensor([2, 0]))
            tensor([[2., 4.],
                    [0., 0.]])
        """
        return cls._pretrained(embeddings, freeze, padding_idx=padding_idx, max_norm=max_norm,
                               norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq,
                               sparse=sparse)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s + self._options_repr()


class EmbeddingBag(_Table):
    """Sum, mean or max of the embeddings of each bag of indices, in one layer.

    A 2-D input is a batch of equal-sized bags, one per row.  A 1-D input is a concatenation of bags
    that start at the positions in ``offsets``.  ``per_sample_weights`` (with ``mode='sum'``)
    weighs each looked-up row.  Entries equal to ``padding_idx`` are left out, and an empty bag
    gives zeros.

    Args:
        num_embeddings (int): size of the table.
        embedding_dim (int): length of each row.
        max_norm (float, optional): renormalise looked-up rows whose norm exceeds this, in place.
          Default: ``None``.
        norm_type (float): the norm used with ``max_norm``. Default: ``2.0``.
        scale_grad_by_freq (bool): scale gradients by inverse batch frequency. Default: ``False``.
        mode (str): ``'sum'``, ``'mean'`` or ``'max'``. Default: ``'mean'``.
        sparse (bool): must stay ``False``: ember has no sparse gradients, and ``True`` raises
          ``NotImplementedError`` when called. Default: ``False``.
        include_last_offset (bool): ``offsets`` has one more entry, the end of the last bag.
          Default: ``False``.
        padding_idx (int, optional): index excluded from every bag. Default: ``None``.
        device (ember.device, optional): where the weight lives.
        dtype (ember.dtype, optional): weight dtype.

    Shape:
        - Input: ``(B, N)`` (B bags of N indices) with ``offsets`` ``None``, or ``(L,)`` with
          ``offsets`` of shape ``(B,)`` (``(B + 1,)`` with ``include_last_offset``).
        - per_sample_weights: the input's shape.
        - Output: ``(B, embedding_dim)``.

    Example:
        >>> bag = ember.nn.EmbeddingBag(10, 3, mode="sum")
        >>> bag(ember.tensor([1, 2, 4, 5, 4]), ember.tensor([0, 2])).shape
        ember.Size([2, 3])
    """

    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, mode="mean", sparse=False, _weight=None,
                 include_last_offset=False, padding_idx=None, device=None, dtype=None):
        super().__init__(num_embeddings, embedding_dim, padding_idx, max_norm, norm_type,
                         scale_grad_by_freq, sparse, _weight, False, device, dtype)
        self.mode, self.include_last_offset = mode, include_last_offset

    def forward(self, input, offsets=None, per_sample_weights=None):
        return F.embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type,
                               self.scale_grad_by_freq, self.mode, self.sparse,
                               per_sample_weights, self.include_last_offset, self.padding_idx)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, mode="mean", sparse=False,
                        include_last_offset=False, padding_idx=None):
        """Make an ``EmbeddingBag`` whose weight is the given 2-D tensor (shared, not copied).

        Args:
            embeddings (Tensor): ``(num_embeddings, embedding_dim)``.
            freeze (bool): do not train the weight. Default: ``True``.
            max_norm, norm_type, scale_grad_by_freq, mode, sparse, include_last_offset, padding_idx:
            as in ``EmbeddingBag``.

        Example:
            >>> table = ember.tensor([[0., 0.], [1., 1.], [2., 4.]])
            >>> bag = ember.nn.EmbeddingBag.from_pretrained(table, mode="max")
            >>> bag(ember.tensor([[0, 2], [1, 1]]))
            tensor([[2., 4.],
                    [1., 1.]])
        """
        return cls._pretrained(embeddings, freeze, max_norm=max_norm, norm_type=norm_type,
                               scale_grad_by_freq=scale_grad_by_freq, mode=mode, sparse=sparse,
                               include_last_offset=include_last_offset, padding_idx=padding_idx)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}" + self._options_repr()
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s
