"""ember.utils.data: datasets, samplers, collation and the DataLoader."""
from .dataset import (Dataset, IterableDataset, TensorDataset, ConcatDataset,  # noqa: F401
                      ChainDataset, Subset, StackDataset, random_split)
from .sampler import (Sampler, SequentialSampler, RandomSampler,  # noqa: F401
                      SubsetRandomSampler, WeightedRandomSampler, BatchSampler)
from ._collate import default_collate, default_convert  # noqa: F401
from ._worker import get_worker_info, WorkerInfo  # noqa: F401
from .distributed import DistributedSampler  # noqa: F401
from .dataloader import DataLoader  # noqa: F401
