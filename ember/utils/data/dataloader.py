"""DataLoader: batches from a dataset, in the main process or in worker processes.

With ``num_workers > 0`` each worker owns an index queue; batches are
requested round-robin, ``prefetch_factor`` per worker ahead, and put back in
order by their sequence number, so the order is the same as with no workers.
A worker's exception is re-raised here with its traceback; a worker that dies
is reported instead of hanging the loop.
"""
import itertools
import multiprocessing
import queue as queue_mod

from .dataset import IterableDataset
from .sampler import SequentialSampler, RandomSampler, BatchSampler
from ._collate import default_collate, default_convert
from . import _worker

__all__ = ["DataLoader"]

_POLL_S = 1.0


class DataLoader:
    """Iterate over ``dataset`` in batches (see torch.utils.data.DataLoader)."""

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

    def _index_source(self):
        if self._is_iterable:
            return itertools.repeat((self.batch_size, self.drop_last))
        return iter(self.batch_sampler if self._auto_collation else self.sampler)

    def __iter__(self):
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        if self.persistent_workers:
            if self._iterator is None:
                self._iterator = _MultiProcessIter(self)
            else:
                self._iterator._reset()
            return self._iterator
        return _MultiProcessIter(self)

    def __len__(self):
        if self._is_iterable:
            n = len(self.dataset)
            if self.batch_size is not None:
                n = n // self.batch_size if self.drop_last else -(-n // self.batch_size)
            return n
        return len(self.batch_sampler if self._auto_collation else self.sampler)

    def __getitem__(self, index):
        raise TypeError("'DataLoader' object is not subscriptable: a DataLoader can only be "
                        "iterated (for batch in loader, or next(iter(loader))); index the "
                        "dataset (loader.dataset[i]) for single samples")

    def check_worker_number_rationality(self):
        pass


class _BaseIter:
    """What ``iter(loader)`` returns; ``next(it)`` gives the next batch."""

    def __init__(self, loader):
        self._loader = loader
        self._num_yielded = 0

    def __iter__(self):
        return self

    def __len__(self):
        return len(self._loader)

    def __getattr__(self, name):
        if name == "next":
            raise AttributeError(f"'{type(self).__name__}' object has no attribute 'next': in "
                                 "Python 3 use next(iterator) instead of iterator.next()")
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


class _SingleProcessIter(_BaseIter):
    def __init__(self, loader):
        super().__init__(loader)
        self._indices = loader._index_source()
        self._stream = iter(loader.dataset) if loader._is_iterable else None

    def __next__(self):
        loader = self._loader
        job = next(self._indices)
        if loader._is_iterable:
            data = _worker.next_from_stream(self._stream, *job, loader._auto_collation)
            if _worker.is_end(data):
                raise StopIteration
        elif loader._auto_collation:
            data = [loader.dataset[i] for i in job]
        else:
            data = loader.dataset[job]
        self._num_yielded += 1
        return loader.collate_fn(data)


class _MultiProcessIter(_BaseIter):
    def __init__(self, loader):
        super().__init__(loader)
        import ember
        ctx = loader.multiprocessing_context
        if ctx is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        elif isinstance(ctx, str):
            ctx = multiprocessing.get_context(ctx)
        base_seed = int(ember.randint(0, 2 ** 62, (1,)).item())
        self._result_queue = ctx.Queue()
        self._index_queues, self._workers = [], []
        n = loader.num_workers
        for wid in range(n):
            iq = ctx.Queue()
            w = ctx.Process(target=_worker.worker_loop, daemon=True,
                            args=(loader.dataset, loader._is_iterable, iq, self._result_queue,
                                  loader.collate_fn, loader._auto_collation, base_seed + wid,
                                  loader.worker_init_fn, wid, n))
            w.start()
            self._index_queues.append(iq)
            self._workers.append(w)
        self._shutdown = False
        self._reset(first=True)

    def _reset(self, first=False):
        self._indices = self._loader._index_source()
        self._send_idx = 0
        self._rcvd_idx = 0
        self._task_worker = {}
        self._reorder = {}
        self._active = [True] * len(self._workers)
        self._worker_cycle = itertools.cycle(range(len(self._workers)))
        self._num_yielded = 0
        if not first and self._loader._is_iterable:
            # a persistent worker's stream restarts at each epoch
            for iq in self._index_queues:
                iq.put(("restart", None))
        for _ in range(self._loader.prefetch_factor * len(self._workers)):
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
        self._index_queues[wid].put((self._send_idx, job))
        self._task_worker[self._send_idx] = wid
        self._send_idx += 1

    def __next__(self):
        while True:
            if self._rcvd_idx >= self._send_idx:
                if not self._loader.persistent_workers:
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
        """One result, watching for dead workers and the loader's timeout."""
        waited = 0.0
        timeout = self._loader.timeout
        while True:
            step = _POLL_S if not timeout else min(_POLL_S, timeout - waited)
            try:
                return self._result_queue.get(timeout=step)
            except queue_mod.Empty:
                waited += step
                dead = [w for w in self._workers if not w.is_alive()]
                if dead:
                    self._shutdown_workers()
                    pids = ", ".join(str(w.pid) for w in dead)
                    codes = ", ".join(str(w.exitcode) for w in dead)
                    raise RuntimeError(f"DataLoader worker (pid(s) {pids}) exited unexpectedly "
                                       f"(exit code {codes}); it may have been killed, e.g. by "
                                       "the out-of-memory killer") from None
                if timeout and waited >= timeout:
                    self._shutdown_workers()
                    raise RuntimeError(f"DataLoader timed out after {timeout} seconds") from None

    def _shutdown_workers(self):
        if self._shutdown:
            return
        self._shutdown = True
        for iq in self._index_queues:
            try:
                iq.put(None)
            except (OSError, ValueError):
                pass
        for w in self._workers:
            w.join(timeout=5)
            if w.is_alive():
                w.terminate()
        for q in self._index_queues + [self._result_queue]:
            q.cancel_join_thread()
            q.close()

    def __del__(self):
        try:
            self._shutdown_workers()
        except Exception:
            pass
