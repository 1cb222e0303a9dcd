"""Datasets: map-style and iterable, plus TensorDataset, ConcatDataset, Subset, random_split."""
import bisect
import math
import warnings
from typing import Generic, Iterable, TypeVar

from ..._tensor import Tensor
from ... import randperm

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "ConcatDataset", "ChainDataset",
           "Subset", "StackDataset", "random_split"]


_T_co = TypeVar("_T_co", covariant=True)
_T_stack = TypeVar("_T_stack", tuple[_T_co, ...], dict[str, _T_co])


class Dataset(Generic[_T_co]):
    """A map-style dataset: samples looked up by index.

    Subclasses define ``__getitem__`` (and usually ``__len__``, which samplers need).
    ``a + b`` concatenates two datasets into a ``ConcatDataset``.

    Example:
        >>> class Squares(ember.utils.data.Dataset):
        ...     def __getitem__(self, i): return i * i
        ...     def __len__(self): return 4
        >>> [Squares()[i] for i in range(4)], len(Squares() + Squares())
        ([0, 1, 4, 9], 8)
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__")

    def __add__(self, other):
        return ConcatDataset([self, other])


class IterableDataset(Dataset[_T_co], Iterable[_T_co]):
    """A dataset that is a stream of samples rather than an indexable collection.

    Subclasses define ``__iter__``. A ``DataLoader`` over it takes no sampler or ``shuffle``;
    with worker processes each worker iterates its own copy, so split the stream with
    ``get_worker_info()``. ``a + b`` chains two streams into a ``ChainDataset``.

    Example:
        >>> class Count(ember.utils.data.IterableDataset):
        ...     def __iter__(self): return iter(range(3))
        >>> list(Count() + Count())
        [0, 1, 2, 0, 1, 2]
    """

    def __add__(self, other):
        return ChainDataset([self, other])


class TensorDataset(Dataset[tuple[Tensor, ...]]):
    """A dataset whose i-th sample is the tuple of the i-th rows of the given tensors.

    Args:
        tensors (Tensor): tensors with the same size in dimension 0.

    Example:
        >>> ds = ember.utils.data.TensorDataset(ember.arange(3), ember.tensor([10, 20, 30]))
        >>> len(ds), ds[1]
        (3, (tensor(1), tensor(20)))
    """

    def __init__(self, *tensors):
        sizes = [t.size(0) for t in tensors]
        if any(s != sizes[0] for s in sizes):
            raise ValueError(f"Size mismatch between tensors: first dimensions are {sizes}; "
                             "TensorDataset needs them equal")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].size(0)


class StackDataset(Dataset[_T_stack]):
    """A dataset whose i-th sample gathers the i-th samples of several datasets.

    Given positionally the samples are tuples; given by keyword they are dicts.

    Args:
        args (Dataset): datasets of equal length, for tuple samples.
        kwargs (Dataset): datasets of equal length, for dict samples.

    Example:
        >>> ds = ember.utils.data.StackDataset(x=[1, 2], y=["a", "b"])
        >>> ds[1]
        {'x': 2, 'y': 'b'}
    """

    def __init__(self, *args, **kwargs):
        if args and kwargs:
            raise ValueError("Supported either ``tuple``- (via ``args``) or``dict``- (via "
                             "``kwargs``) like input/output, but both types are given.")
        self._keys = list(kwargs) if kwargs else None
        self.datasets = kwargs if kwargs else args
        parts = list(self.datasets.values()) if kwargs else list(args)
        self._length = len(parts[0])
        if any(len(d) != self._length for d in parts):
            raise ValueError("Size mismatch between datasets")

    def __getitem__(self, index):
        if self._keys is not None:
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __len__(self):
        return self._length


class ConcatDataset(Dataset[_T_co]):
    """Several map-style datasets seen as one, one after another.

    Args:
        datasets (iterable of Dataset): the parts; iterable-style datasets are refused.

    Attributes:
        cumulative_sizes (list of int): the running total of the parts' lengths.

    Example:
        >>> ds = ember.utils.data.ConcatDataset([[1, 2], [3, 4, 5]])
        >>> len(ds), ds[2], ds[-1], ds.cumulative_sizes
        (5, 3, 5, [2, 5])
    """

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:
            raise AssertionError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = []
        total = 0
        for d in self.datasets:
            total += len(d)
            self.cumulative_sizes.append(total)

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        d = bisect.bisect_right(self.cumulative_sizes, idx)
        start = self.cumulative_sizes[d - 1] if d else 0
        return self.datasets[d][idx - start]


class ChainDataset(IterableDataset):
    """Several iterable datasets streamed one after another.

    Args:
        datasets (iterable of IterableDataset): the streams, iterated lazily in order.

    Example:
        >>> list(ember.utils.data.ChainDataset([range(2), range(3)]))
        [0, 1, 0, 1, 2]
    """

    def __init__(self, datasets):
        self.datasets = datasets

    def __iter__(self):
        for d in self.datasets:
            yield from d

    def __len__(self):
        return sum(len(d) for d in self.datasets)


class Subset(Dataset[_T_co]):
    """The part of ``dataset`` at the given indices, in their order.

    Args:
        dataset (Dataset): the full dataset.
        indices (sequence of int): which of its samples to keep.

    Example:
        >>> ds = ember.utils.data.Subset(["a", "b", "c", "d"], [3, 0])
        >>> len(ds), ds[0], ds[1]
        (2, 'd', 'a')
    """

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __len__(self):
        return len(self.indices)


def random_split(dataset, lengths, generator=None):
    """Split a dataset at random into non-overlapping ``Subset`` objects.

    Args:
        dataset (Dataset): the dataset to split.
        lengths (sequence of int or float): the parts' lengths, summing to ``len(dataset)``, or
            fractions summing to 1 (the remainder of the rounding goes round-robin to the
            first parts).
        generator (Generator, optional): the source of the permutation. Default: the global one.

    Returns:
        list of Subset: one per entry of ``lengths``.

    Example:
        >>> train, val = ember.utils.data.random_split(range(10), [0.8, 0.2])
        >>> len(train), len(val), sorted(list(train) + list(val)) == list(range(10))
        (8, 2, True)
    """
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        counts = [int(math.floor(n * frac)) for frac in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        for i, c in enumerate(counts):
            if c == 0:
                warnings.warn(f"Length of split at index {i} is 0. This might result in an empty "
                              "dataset.", stacklevel=2)
        lengths = counts
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    kwargs = {} if generator is None else {"generator": generator}
    perm = randperm(n, **kwargs).tolist()
    out, offset = [], 0
    for length in lengths:
        out.append(Subset(dataset, perm[offset:offset + length]))
        offset += length
    return out
