"""DataLoader: batches from a dataset, in the main process or in worker processes.

With ``num_workers > 0`` each worker owns an index queue; batches are
requested round-robin, ``prefetch_factor`` per worker ahead, and put back in
order by their sequence number, so the order is the same as with no workers.
Each epoch of an iterator is a generation: tasks and results carry its number,
so a persistent iterator restarted after an early ``break`` drops whatever the
abandoned epoch left in flight. A worker's exception is re-raised here with
its traceback and the batch's dataset indices; a worker that dies is reported
with the signal that killed it instead of hanging the loop.
"""
import itertools
import multiprocessing
import pickle
import queue as queue_mod
import signal
import time
from typing import Generic

from .dataset import IterableDataset, _T_co
from .sampler import SequentialSampler, RandomSampler, BatchSampler
from ._collate import default_collate, default_convert
from . import _worker
import ember

__all__ = ["DataLoader"]

_POLL_S = 1.0
_JOIN_S = 0.5  # how long shutdown waits for workers to exit before terminating them


class DataLoader(Generic[_T_co]):
    """Iterate over a dataset in batches, optionally shuffled and loaded by worker processes.

    Each batch is ``collate_fn`` applied to ``batch_size`` samples chosen by the sampler.

    Args:
        dataset (Dataset or IterableDataset): where the samples come from.
        batch_size (int, optional): samples per batch; ``None`` turns batching off (each
            sample goes through ``default_convert``). Default: ``1``.
        shuffle (bool): a new random order every epoch (map-style datasets only).
            Default: ``False``.
        sampler (Sampler or iterable, optional): the order of the indices, instead of
            ``shuffle``.
        batch_sampler (Sampler or iterable, optional): yields whole lists of indices; excludes
            ``batch_size``, ``shuffle``, ``sampler`` and ``drop_last``.
        num_workers (int): worker processes that load batches; 0 loads in the main
            process. Default: ``0``.
        collate_fn (callable, optional): turns a list of samples into a batch.
            Default: ``default_collate``.
        pin_memory (bool): accepted for compatibility (there is no pinned memory on the CPU).
        drop_last (bool): drop the final batch when it is short. Default: ``False``.
        timeout (float): seconds to wait for a worker's batch; 0 waits forever.
        worker_init_fn (callable, optional): called with the worker id in each worker.
        multiprocessing_context (str or context, optional): how workers are started.
        generator (Generator, optional): the source of the shuffling and worker seeds.
        prefetch_factor (int, optional): batches each worker loads ahead. Default: 2 with
            workers.
        persistent_workers (bool): keep the workers between epochs. Default: ``False``.
        pin_memory_device (str): accepted for compatibility.
        in_order (bool): yield batches in sampler order even when workers finish out of order.
            Default: ``True``.

    Example:
        >>> ds = ember.utils.data.TensorDataset(ember.arange(5.0), ember.arange(5))
        >>> for x, y in ember.utils.data.DataLoader(ds, batch_size=2):
        ...     print(x.shape, y.tolist())
        ember.Size([2]) [0, 1]
        ember.Size([2]) [2, 3]
        ember.Size([1]) [4]
    """

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing."
                             "let num_workers > 0 to enable multiprocessing, otherwise set "
                             "prefetch_factor to None.")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = 2 if prefetch_factor is None and num_workers > 0 else prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.persistent_workers = persistent_workers
        self.generator = generator
        self.in_order = in_order
        self._is_iterable = isinstance(dataset, IterableDataset)
        if self._is_iterable:
            if shuffle not in (None, False):
                raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle "
                                 f"option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler "
                                 f"option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is None and not self._is_iterable:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else \
                SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None and not self._is_iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self._iterator = None

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None or (self._is_iterable and self.batch_size is not None)

    @property
    def _index_sampler(self):
        """What each task names: index lists (auto-collation), single indices, or stream jobs."""
        if self._is_iterable:
            return _StreamJobs(self.dataset, self.batch_size, self.drop_last)
        return self.batch_sampler if self._auto_collation else self.sampler

    def __iter__(self):
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        if self.persistent_workers:
            if self._iterator is None or self._iterator._shutdown:
                self._iterator = _MultiProcessingDataLoaderIter(self)
            else:
                self._iterator._reset()
            return self._iterator
        return _MultiProcessingDataLoaderIter(self)

    def __len__(self):
        return len(self._index_sampler)

    def __getitem__(self, index):
        raise TypeError("'DataLoader' object is not subscriptable: a DataLoader can only be "
                        "iterated (for batch in loader, or next(iter(loader))); index the "
                        "dataset (loader.dataset[i]) for single samples")

    def check_worker_number_rationality(self):
        pass


class _StreamJobs:
    """The tasks of an IterableDataset: "the next batch" ``(batch_size, drop_last)``, forever.

    Its length is the loader's: ``len(dataset)`` samples in batches of ``batch_size``.
    """

    def __init__(self, dataset, batch_size, drop_last):
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        return itertools.repeat((self.batch_size, self.drop_last))

    def __len__(self):
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


class _BaseDataLoaderIter:
    """What ``iter(loader)`` returns; ``next(it)`` gives the next batch.

    It copies the loader's settings instead of keeping the loader, so a
    persistent iterator held by its loader makes no reference cycle and
    deleting the loader shuts its workers down at once.
    """

    def __init__(self, loader):
        self._dataset = loader.dataset
        self._is_iterable = loader._is_iterable
        self._auto_collation = loader._auto_collation
        self._index_sampler = loader._index_sampler
        self._collate_fn = loader.collate_fn
        self._num_yielded = 0

    def __iter__(self):
        return self

    def __len__(self):
        return len(self._index_sampler)

    def __getattr__(self, name):
        if name == "next":
            raise AttributeError(f"'{type(self).__name__}' object has no attribute 'next': in "
                                 "Python 3 use next(iterator) instead of iterator.next()")
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader):
        super().__init__(loader)
        self._indices = iter(self._index_sampler)
        self._stream = iter(self._dataset) if self._is_iterable else None

    def __next__(self):
        job = next(self._indices)
        if self._is_iterable:
            data = _worker.next_from_stream(self._stream, *job, self._auto_collation)
            if _worker.is_end(data):
                raise StopIteration
        elif self._auto_collation:
            data = [self._dataset[i] for i in job]
        else:
            data = self._dataset[job]
        self._num_yielded += 1
        return self._collate_fn(data)


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    """Batches from worker processes, in the sampler's order.

    Each ``_reset`` starts a new generation (epoch): tasks and results carry
    it, so what an abandoned epoch left in flight is skipped by the workers
    and dropped here, never handed out.
    """

    def __init__(self, loader):
        super().__init__(loader)
        self._persistent_workers = loader.persistent_workers
        self._timeout = loader.timeout
        self._prefetch_factor = loader.prefetch_factor
        ctx = loader.multiprocessing_context
        if ctx is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        elif isinstance(ctx, str):
            ctx = multiprocessing.get_context(ctx)
        base_seed = int(ember.randint(0, 2 ** 62, (1,)).item())
        self._result_queue = ctx.Queue()
        self._generation = ctx.RawValue("q", -1)
        self._index_queues, self._workers = [], []
        n = loader.num_workers
        for wid in range(n):
            iq = ctx.Queue()
            w = ctx.Process(target=_worker.worker_loop, daemon=True,
                            args=(loader.dataset, loader._is_iterable, iq, self._result_queue,
                                  self._generation, loader.collate_fn, loader._auto_collation,
                                  base_seed + wid, loader.worker_init_fn, wid, n))
            w.start()
            self._index_queues.append(iq)
            self._workers.append(w)
        self._shutdown = False
        self._reset()

    def _reset(self):
        self._generation.value += 1
        self._indices = iter(self._index_sampler)
        self._send_idx = 0
        self._rcvd_idx = 0
        self._task_worker = {}
        self._reorder = {}
        self._active = [True] * len(self._workers)
        self._worker_cycle = itertools.cycle(range(len(self._workers)))
        self._num_yielded = 0
        for _ in range(self._prefetch_factor * len(self._workers)):
            self._put_next()

    def _put_next(self):
        if not any(self._active):
            return
        try:
            job = next(self._indices)
        except StopIteration:
            return
        for _ in range(len(self._workers)):
            wid = next(self._worker_cycle)
            if self._active[wid]:
                break
        self._index_queues[wid].put((self._generation.value, self._send_idx, job))
        self._task_worker[self._send_idx] = wid
        self._send_idx += 1

    def __next__(self):
        while True:
            if self._rcvd_idx >= self._send_idx:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            if self._rcvd_idx in self._reorder:
                data = self._reorder.pop(self._rcvd_idx)
            else:
                idx, data = self._get()
                if idx is None:
                    self._shutdown_workers()
                    data.reraise()
                if idx != self._rcvd_idx:
                    self._reorder[idx] = data
                    continue
            wid = self._task_worker.pop(self._rcvd_idx)
            self._rcvd_idx += 1
            if _worker.is_end(data):
                self._active[wid] = False
                continue
            self._put_next()
            if isinstance(data, _worker.ExceptionWrapper):
                self._shutdown_workers()
                data.reraise()
            self._num_yielded += 1
            return data

    def _get(self):
        """``(idx, data)`` of one result of this generation, watching workers and the timeout."""
        waited = 0.0
        timeout = self._timeout
        while True:
            step = _POLL_S if not timeout else min(_POLL_S, timeout - waited)
            try:
                generation, idx, payload = self._result_queue.get(timeout=step)
            except queue_mod.Empty:
                waited += step
                self._check_workers()
                if timeout and waited >= timeout:
                    self._shutdown_workers()
                    raise RuntimeError(f"DataLoader timed out after {timeout} seconds") from None
                continue
            if generation is None or generation == self._generation.value:
                return idx, self._unpickle(idx, payload)

    def _unpickle(self, idx, payload):
        try:
            return pickle.loads(payload)
        except Exception as exc:
            self._shutdown_workers()
            who = "a DataLoader worker" if idx is None else \
                f"DataLoader worker process {self._task_worker[idx]}"
            raise RuntimeError(f"the batch sent by {who} could not be unpickled in the main "
                               f"process: {type(exc).__name__}: {exc}") from exc

    def _check_workers(self):
        dead = [w for w in self._workers if not w.is_alive()]
        if dead:
            self._shutdown_workers()
            raise RuntimeError("\n".join(_death_message(w) for w in dead)) from None

    def _shutdown_workers(self):
        if self._shutdown:
            return
        self._shutdown = True
        self._generation.value = -1
        for iq in self._index_queues:
            try:
                iq.put(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + _JOIN_S
        for w in self._workers:
            w.join(timeout=max(0.0, deadline - time.monotonic()))
            if w.is_alive():
                w.terminate()
                w.join()
        for q in self._index_queues + [self._result_queue]:
            q.cancel_join_thread()
            q.close()

    def __del__(self):
        try:
            self._shutdown_workers()
        except Exception:
            pass


def _death_message(worker):
    """Why a worker process ended, naming the signal that killed it."""
    code = worker.exitcode
    msg = f"DataLoader worker (pid {worker.pid}) exited unexpectedly"
    if code is None or code >= 0:
        return f"{msg} with exit code {code}."
    try:
        sig = signal.Signals(-code)
    except ValueError:
        return f"{msg}: killed by signal {-code}."
    msg = f"{msg}: killed by signal {sig.name} ({signal.strsignal(sig)})."
    if sig == signal.SIGKILL:
        msg += (" SIGKILL is what the out-of-memory killer sends: if memory ran out (see "
                "dmesg), lower num_workers, batch_size or prefetch_factor.")
    return msg
