"""DistributedSampler: each of ``num_replicas`` processes visits its own share of a dataset."""
import math

from .sampler import Sampler, _T_co
from ... import distributed
import ember

__all__ = ["DistributedSampler"]


class DistributedSampler(Sampler[_T_co]):
    """The indices that belong to replica ``rank`` of ``num_replicas``.

    The (optionally shuffled) index list is padded by repeating its start
    (``drop_last=False``) or cut (``drop_last=True``) to a multiple of
    ``num_replicas``; replica ``rank`` takes every ``num_replicas``-th index
    from position ``rank``. Shuffling is seeded with ``seed + epoch``, so all
    replicas agree on the permutation; call ``set_epoch`` before each epoch
    to get a new one. Without ``num_replicas``/``rank`` they come from
    ``ember.distributed``, which raises when no process group is initialized.

    Params: ``dataset`` (sized), ``num_replicas``, ``rank``, ``shuffle=True``,
    ``seed=0``, ``drop_last=False``. ``len(sampler)`` is the share of one replica.

    Args:
        dataset (Dataset): the dataset, for its length.
        num_replicas (int, optional): the number of processes. Default: the world size.
        rank (int, optional): this process's rank. Default: the current rank.
        shuffle (bool): Default: ``True``.
        seed (int): the shuffle's seed, the same on every replica. Default: ``0``.
        drop_last (bool): cut instead of pad. Default: ``False``.

    Example::

        >>> from ember.utils.data import DistributedSampler
        >>> s = DistributedSampler(range(10), num_replicas=3, rank=1, shuffle=False)
        >>> list(s)
        [1, 4, 7, 0]
    """

    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0,
                 drop_last=False):
        if num_replicas is None:
            num_replicas = distributed.get_world_size()
        if rank is None:
            rank = distributed.get_rank()
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval "
                             f"[0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            g = ember.Generator()
            g.manual_seed(self.seed + self.epoch)
            indices = ember.randperm(n, generator=g).tolist()
        else:
            indices = list(range(n))
        if self.drop_last:
            indices = indices[:self.total_size]
        else:
            padding = self.total_size - n
            indices += (indices * math.ceil(padding / n))[:padding] if padding else []
        return iter(indices[self.rank:self.total_size:self.num_replicas])

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """Use ``seed + epoch`` for the next shuffle (call it at the start of each epoch)."""
        self.epoch = epoch
