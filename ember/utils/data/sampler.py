"""Samplers: which indices a DataLoader visits, and in what order."""
from typing import Generic, TypeVar
import ember

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
           "WeightedRandomSampler", "BatchSampler"]

_T_co = TypeVar("_T_co", covariant=True)


def _seeded_generator(generator):
    """The given generator, or a fresh one seeded from ember's global RNG (so manual_seed rules)."""
    if generator is not None:
        return generator
    g = ember.Generator()
    g.manual_seed(int(ember.randint(0, 2 ** 62, (1,)).item()))
    return g


class Sampler(Generic[_T_co]):
    """Base class of samplers: iterables of dataset indices (or of index lists).

    Subclasses define ``__iter__`` and, where it is known, ``__len__``. The class is generic in
    what it yields, as torch's: ``Sampler[int]``, ``Sampler[list[int]]`` for batch samplers.

    Args:
        data_source (Sized, optional): accepted for compatibility; subclasses keep what they
            need.

    Example:
        >>> class Reverse(ember.utils.data.Sampler):
        ...     def __init__(self, n): self.n = n
        ...     def __iter__(self): return iter(range(self.n - 1, -1, -1))
        ...     def __len__(self): return self.n
        >>> list(ember.utils.data.DataLoader([10, 20, 30], sampler=Reverse(3)))
        [tensor([30]), tensor([20]), tensor([10])]
    """

    def __init__(self, data_source=None):
        pass

    def __iter__(self):
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """The indices ``0 .. len(data_source) - 1`` in order (what ``shuffle=False`` uses).

    Args:
        data_source (Sized): the dataset, for its length.

    Example:
        >>> list(ember.utils.data.SequentialSampler("abc"))
        [0, 1, 2]
    """

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """Indices in random order: a permutation, or with replacement independent draws.

    Args:
        data_source (Sized): the dataset, for its length.
        replacement (bool): draw with replacement. Default: ``False``.
        num_samples (int, optional): how many indices an epoch yields. Default: the length.
        generator (Generator, optional): the source of randomness. Default: a generator seeded
            from ember's global one, so ``ember.manual_seed`` makes the order repeat.

    Example:
        >>> sampler = ember.utils.data.RandomSampler(range(5))
        >>> sorted(sampler), len(sampler)
        ([0, 1, 2, 3, 4], 5)
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got "
                            f"replacement={replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got "
                             f"num_samples={self.num_samples}")

    @property
    def num_samples(self):
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        n = len(self.data_source)
        g = _seeded_generator(self.generator)
        if self.replacement:
            for _ in range(self.num_samples // 32):
                yield from ember.randint(0, n, (32,), generator=g).tolist()
            yield from ember.randint(0, n, (self.num_samples % 32,), generator=g).tolist()
            return
        for _ in range(self.num_samples // n):
            yield from ember.randperm(n, generator=g).tolist()
        yield from ember.randperm(n, generator=g).tolist()[:self.num_samples % n]

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices, in a new random order every epoch.

    Args:
        indices (sequence of int): the indices to visit.
        generator (Generator, optional): the source of randomness.

    Example:
        >>> sorted(ember.utils.data.SubsetRandomSampler([7, 3, 5]))
        [3, 5, 7]
    """

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        for i in ember.randperm(len(self.indices), generator=_seeded_generator(self.generator)).tolist():
            yield self.indices[i]

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices drawn with probability proportional to ``weights``.

    Args:
        weights (sequence of float): one non-negative weight per index (need not sum to 1).
        num_samples (int): how many indices an epoch yields.
        replacement (bool): draw with replacement; without it, ``num_samples`` must not exceed
            the number of non-zero weights. Default: ``True``.
        generator (Generator, optional): the source of randomness.

    Example:
        >>> list(ember.utils.data.WeightedRandomSampler([0.0, 1.0, 0.0], 3))
        [1, 1, 1]
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got "
                             f"num_samples={num_samples}")
        weights = ember.as_tensor(weights, dtype=ember.double)
        if weights.dim() != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape "
                             f"{tuple(weights.shape)}")
        self.weights = weights
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self):
        draws = ember.multinomial(self.weights, self.num_samples, self.replacement,
                                  generator=_seeded_generator(self.generator))
        yield from draws.tolist()

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Group another sampler's indices into lists of ``batch_size``.

    Args:
        sampler (Sampler or iterable): the indices to group.
        batch_size (int): the size of each list.
        drop_last (bool): drop a final list shorter than ``batch_size``.

    Example:
        >>> list(ember.utils.data.BatchSampler(range(5), batch_size=2, drop_last=False))
        [[0, 1], [2, 3], [4]]
    """

    def __init__(self, sampler, batch_size, drop_last):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        batch = []
        for idx in self.sampler:
            batch.append(idx)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
