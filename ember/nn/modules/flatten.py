"""``Flatten`` and ``Unflatten``: reshape layers (views where the input allows)."""
from ..._ops.shape.funcs import flatten, unflatten
from .module import Module

__all__ = ["Flatten", "Unflatten"]


class Flatten(Module):
    """Merge dimensions ``start_dim`` to ``end_dim`` into one; by default all but the batch
    dimension.

    Args:
        start_dim (int): first dimension merged. Default: ``1``.
        end_dim (int): last dimension merged. Default: ``-1``.

    Shape:
        - Input: ``(*, S_start, ..., S_end, *)``.
        - Output: ``(*, S_start * ... * S_end, *)``.

    Example:
        >>> ember.nn.Flatten()(ember.zeros(2, 3, 4, 5)).shape
        ember.Size([2, 60])
        >>> ember.nn.Flatten(0, 1)(ember.zeros(2, 3, 4)).shape
        ember.Size([6, 4])
    """

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input):
        return flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dimension ``dim`` into the shape ``unflattened_size``, the inverse of ``Flatten``.

    Args:
        dim (int): dimension to split.
        unflattened_size (tuple or list of int): the new sizes; their product must equal the size of
          ``dim`` (one entry may be ``-1``, inferred).

    Shape:
        - Input: ``(*, S_dim, *)``.
        - Output: ``(*, U_1, ..., U_n, *)`` where ``unflattened_size = (U_1, ..., U_n)``.

    Example:
        >>> ember.nn.Unflatten(1, (2, 5))(ember.zeros(3, 10)).shape
        ember.Size([3, 2, 5])
    """

    def __init__(self, dim, unflattened_size):
        super().__init__()
        if isinstance(dim, str):
            raise TypeError("ember has no named tensors: Unflatten's dim must be an int")
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(f"unflattened_size must be a tuple of ints, but found type "
                            f"{type(unflattened_size).__name__}")
        for pos, s in enumerate(unflattened_size):
            if not isinstance(s, int):
                raise TypeError(f"unflattened_size must be tuple of ints, but found element of "
                                f"type {type(s).__name__} at pos {pos}")
        self.dim, self.unflattened_size = dim, unflattened_size

    def forward(self, input):
        return unflatten(input, self.dim, self.unflattened_size)

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
