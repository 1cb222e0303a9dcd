"""utils.data against torch: datasets, samplers, collation, DataLoader (with real workers)."""
import collections
import os
import re
import signal

import numpy as np
import pytest

import ember
from ember.utils.data import (DataLoader, Dataset, IterableDataset, TensorDataset, ConcatDataset,
                              Subset, random_split, BatchSampler, SequentialSampler,
                              RandomSampler, WeightedRandomSampler, SubsetRandomSampler,
                              Sampler, DistributedSampler, default_collate, get_worker_info)
from tests.helpers import assert_close, torch

Point = collections.namedtuple("Point", "x y")


class Squares(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return {"x": np.full(3, i, np.float32), "y": i * i, "name": f"s{i}"}


class Failing(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            raise ValueError("sample 5 is broken")
        return i


class Dying(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return i


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __iter__(self):
        info = get_worker_info()
        wid, nw = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(wid, self.n, nw))


def test_default_collate_matches_torch():
    samples = [
        [ember.ones(2, 3) * i for i in range(4)],
        [np.arange(3) + i for i in range(4)],
        [1.5, 2.5, 3.0],
        [1, 2, 3],
        [True, False],
        ["a", "b"],
        [{"a": 1, "b": np.float32(2.0)}, {"a": 3, "b": np.float32(4.0)}],
        [(1, 2.0), (3, 4.0)],
        [Point(1, 2.0), Point(3, 4.0)],
        [[1, 2], [3, 4]],
    ]
    from torch.utils.data import default_collate as tcollate
    for batch in samples:
        tb = [[torch.tensor(x.numpy()) for x in batch]] if isinstance(batch[0], ember.Tensor) else [batch]
        e, t = default_collate(batch), tcollate(tb[0])
        assert type(e).__name__ == type(t).__name__, (batch, e, t)
        if isinstance(t, dict):
            for k in t:
                assert_close(e[k], t[k])
        elif isinstance(t, (list, tuple)) and t and isinstance(t[0], str):
            assert e == t
        else:
            assert_close(e, t)
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal size"):
        default_collate([[1, 2], [3]])


def test_tensor_dataset_and_loader_order():
    x = ember.arange(10.0).reshape(10, 1)
    y = ember.arange(10)
    dl = DataLoader(TensorDataset(x, y), batch_size=4)
    batches = list(dl)
    assert len(dl) == 3 and [b[1].tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert tuple(batches[0][0].shape) == (4, 1)
    assert len(DataLoader(TensorDataset(x, y), batch_size=4, drop_last=True)) == 2
    with pytest.raises(ValueError, match="Size mismatch between tensors"):
        TensorDataset(x, ember.arange(3))


def test_shuffle_reproducible_with_seeded_generator():
    ds = TensorDataset(ember.arange(20))

    def order(seed):
        g = ember.Generator()
        g.manual_seed(seed)
        return [b[0].tolist() for b in DataLoader(ds, batch_size=5, shuffle=True, generator=g)]
    a, b, c = order(1), order(1), order(2)
    assert a == b and a != c
    assert sorted(sum(a, [])) == list(range(20))
    ember.manual_seed(3)
    first = [b[0].tolist() for b in DataLoader(ds, batch_size=5, shuffle=True)]
    ember.manual_seed(3)
    assert first == [b[0].tolist() for b in DataLoader(ds, batch_size=5, shuffle=True)]


def test_samplers():
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    g = ember.Generator()
    g.manual_seed(0)
    rs = list(RandomSampler(range(10), generator=g))
    assert sorted(rs) == list(range(10))
    r2 = list(RandomSampler(range(5), replacement=True, num_samples=50, generator=g))
    assert len(r2) == 50 and set(r2) <= set(range(5))
    w = list(WeightedRandomSampler([0.0, 0.0, 1.0, 0.0], 20, generator=g))
    assert w == [2] * 20
    s = list(SubsetRandomSampler([5, 7, 9], generator=g))
    assert sorted(s) == [5, 7, 9]
    assert list(BatchSampler(range(7), 3, False)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(BatchSampler(range(7), 3, True)) == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        BatchSampler(range(3), 0, False)


def test_concat_subset_random_split():
    a, b = TensorDataset(ember.arange(3)), TensorDataset(ember.arange(10, 14))
    c = a + b
    assert isinstance(c, ConcatDataset) and len(c) == 7 and c[-1][0].item() == 13 and c[3][0].item() == 10
    s = Subset(c, [6, 0])
    assert [s[i][0].item() for i in range(2)] == [13, 0]
    g = ember.Generator()
    g.manual_seed(0)
    parts = random_split(range(10), [0.5, 0.3, 0.2], generator=g)
    assert [len(p) for p in parts] == [5, 3, 2]
    assert sorted(sum((list(p) for p in parts), [])) == list(range(10))
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(range(10), [3, 3])


@pytest.mark.parametrize("workers", [0, 2])
def test_dict_samples_and_workers_same_batches(workers):
    dl = DataLoader(Squares(10), batch_size=3, num_workers=workers)
    batches = list(dl)
    assert [b["y"].tolist() for b in batches] == [[0, 1, 4], [9, 16, 25], [36, 49, 64], [81]]
    assert batches[1]["name"] == ["s3", "s4", "s5"]
    assert batches[0]["x"].dtype == ember.float32 and tuple(batches[0]["x"].shape) == (3, 3)


def test_worker_init_fn_and_worker_info():
    class Who(Dataset):
        def __len__(self):
            return 6

        def __getitem__(self, i):
            info = get_worker_info()
            return info.id * 100 + i

    dl = DataLoader(Who(), batch_size=2, num_workers=2, worker_init_fn=lambda wid: None)
    got = [b.tolist() for b in dl]
    assert got == [[0, 1], [102, 103], [4, 5]]
    assert get_worker_info() is None


def test_worker_exception_is_reraised_with_traceback():
    dl = DataLoader(Failing(), batch_size=2, num_workers=2)
    with pytest.raises(ValueError, match=r"(?s)Caught ValueError in DataLoader worker process \d.*sample 5 is broken"):
        list(dl)


def test_killed_worker_is_reported_not_hung():
    dl = DataLoader(Dying(), batch_size=1, num_workers=2)
    with pytest.raises(RuntimeError, match="exited unexpectedly"):
        list(dl)


def test_iterable_dataset_with_workers():
    assert [b.tolist() for b in DataLoader(Stream(7), batch_size=3)] == [[0, 1, 2], [3, 4, 5], [6]]
    got = [b.tolist() for b in DataLoader(Stream(8), batch_size=2, num_workers=2)]
    assert sorted(sum(got, [])) == list(range(8))
    with pytest.raises(ValueError, match="expected unspecified shuffle"):
        DataLoader(Stream(3), shuffle=True)


def test_persistent_workers_two_epochs():
    dl = DataLoader(Squares(5), batch_size=2, num_workers=2, persistent_workers=True)
    e1 = [b["y"].tolist() for b in dl]
    e2 = [b["y"].tolist() for b in dl]
    assert e1 == e2 == [[0, 1], [4, 9], [16]]


def test_argument_errors_and_indexing():
    ds = Squares(4)
    with pytest.raises(ValueError, match="mutually exclusive with shuffle"):
        DataLoader(ds, sampler=SequentialSampler(ds), shuffle=True)
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
        DataLoader(ds, batch_sampler=BatchSampler(range(4), 2, False), batch_size=2)
    with pytest.raises(ValueError, match="prefetch_factor"):
        DataLoader(ds, prefetch_factor=2)
    with pytest.raises(ValueError, match="persistent_workers option needs num_workers > 0"):
        DataLoader(ds, persistent_workers=True)
    dl = DataLoader(ds, batch_size=2)
    with pytest.raises(TypeError, match="not subscriptable"):
        dl[0]
    it = iter(dl)
    with pytest.raises(AttributeError, match=r"use next\(iterator\)"):
        it.next()


def test_batch_size_none_converts_without_batching():
    dl = DataLoader([np.ones(2), np.zeros(2)], batch_size=None)
    out = list(dl)
    assert len(out) == 2 and isinstance(out[0], ember.Tensor) and out[0].dtype == ember.float64


_DATA_CLASSES = ["Dataset", "IterableDataset", "TensorDataset", "StackDataset", "ConcatDataset",
                 "ChainDataset", "Subset", "Sampler", "SequentialSampler", "RandomSampler",
                 "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler",
                 "DistributedSampler", "DataLoader"]


@pytest.mark.parametrize("name", _DATA_CLASSES)
def test_data_classes_are_generic_as_torchs(name):
    import typing
    import ember.utils.data as E
    import torch.utils.data as T

    def bases(cls):
        return [repr(b).replace("torch.utils.data.", "").replace("ember.utils.data.", "")
                .replace("torch.Tensor", "Tensor").replace("ember.Tensor", "Tensor")
                for b in cls.__dict__.get("__orig_bases__", ())]
    e, t = getattr(E, name), getattr(T, name)
    assert bases(e) == bases(t)
    assert [p.__name__ for p in e.__parameters__] == [p.__name__ for p in t.__parameters__]
    if e.__parameters__:
        assert typing.get_args(e[int]) == (int,)


def test_generic_annotations_and_abstract_iterable_dataset():
    from typing import List

    class Pairs(Sampler[List[int]]):
        def __iter__(self):
            return iter([[0, 1], [2, 3]])

        def __len__(self):
            return 2
    dl = DataLoader(TensorDataset(ember.arange(4)), batch_sampler=Pairs())
    assert [b[0].tolist() for b in dl] == [[0, 1], [2, 3]]
    for lib in (ember, torch):
        with pytest.raises(TypeError, match="Can't instantiate abstract class IterableDataset"):
            lib.utils.data.IterableDataset()


@pytest.mark.parametrize("n, replicas", [(10, 3), (11, 4), (8, 4), (3, 5)])
@pytest.mark.parametrize("drop_last", [False, True])
def test_distributed_sampler_shards_as_torch(n, replicas, drop_last):
    from torch.utils.data import DistributedSampler as TorchSampler
    for rank in range(replicas):
        kw = dict(num_replicas=replicas, rank=rank, drop_last=drop_last)
        e, t = DistributedSampler(range(n), shuffle=False, **kw), TorchSampler(range(n), shuffle=False, **kw)
        assert list(e) == list(t) and len(e) == len(t)
        assert (e.num_samples, e.total_size) == (t.num_samples, t.total_size)
    shards = [list(DistributedSampler(range(n), seed=7, **dict(kw, rank=r))) for r in range(replicas)]
    assert all(len(s) == len(shards[0]) for s in shards)
    if not drop_last:
        assert set(sum(shards, [])) == set(range(n))
    else:
        assert len(set(sum(shards, []))) == len(sum(shards, []))


def test_distributed_sampler_epochs_and_errors():
    from torch.utils.data import DistributedSampler as TorchSampler
    s = DistributedSampler(range(20), num_replicas=2, rank=0, seed=3)
    first = list(s)
    assert first == list(DistributedSampler(range(20), num_replicas=2, rank=0, seed=3))
    assert sorted(first + list(DistributedSampler(range(20), num_replicas=2, rank=1, seed=3))) \
        == list(range(20))
    s.set_epoch(1)
    assert s.epoch == 1 and list(s) != first and len(s) == 10
    for kwargs in ({}, {"num_replicas": 2}, {"num_replicas": 2, "rank": 2},
                   {"num_replicas": 2, "rank": -1}):
        with pytest.raises(Exception) as t_err:
            TorchSampler(range(4), **kwargs)
        with pytest.raises(t_err.type, match=f"^{re.escape(str(t_err.value))}$"):
            DistributedSampler(range(4), **kwargs)


def test_private_iterator_classes_are_importable_as_in_torch():
    from ember.utils.data.dataloader import (_BaseDataLoaderIter, _SingleProcessDataLoaderIter,
                                             _MultiProcessingDataLoaderIter)
    ds = TensorDataset(ember.arange(4))
    single, multi = iter(DataLoader(ds)), iter(DataLoader(ds, num_workers=1))
    assert type(single) is _SingleProcessDataLoaderIter and type(multi) is _MultiProcessingDataLoaderIter
    assert isinstance(single, _BaseDataLoaderIter) and isinstance(multi, _BaseDataLoaderIter)
    assert len(single) == len(multi) == 4 and next(multi)[0].tolist() == [0]
