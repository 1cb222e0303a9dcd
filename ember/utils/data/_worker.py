"""What runs inside a DataLoader worker process, and how its errors travel back."""
import random
import sys
import traceback
from dataclasses import dataclass

__all__ = ["WorkerInfo", "get_worker_info"]

_worker_info = None

#: sent by a worker of an IterableDataset when its stream is exhausted
ITERATION_END = "__ember_iteration_end__"


@dataclass(frozen=True)
class WorkerInfo:
    """Describes the current worker: ``id``, ``num_workers``, ``seed`` and its ``dataset`` copy."""

    id: int
    num_workers: int
    seed: int
    dataset: object


def get_worker_info():
    """The WorkerInfo inside a worker process; None in the main process."""
    return _worker_info


class ExceptionWrapper:
    """An exception caught in a worker, carried to the main process with its traceback."""

    def __init__(self, exc_info, where):
        self.exc_type = exc_info[0]
        self.msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        msg = (f"Caught {self.exc_type.__name__} {self.where}.\nOriginal Traceback (most recent "
               f"call last):\n{self.msg}")
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        try:
            exc = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        raise exc


class KeyErrorMessage(str):
    """KeyError repr()s its argument; this keeps the traceback readable."""

    def __repr__(self):
        return self


def worker_loop(dataset, is_iterable, index_queue, result_queue, collate_fn, auto_collation,
                seed, init_fn, worker_id, num_workers):
    """Fetch the batches named on ``index_queue`` and put ``(idx, batch)`` on ``result_queue``."""
    global _worker_info
    import ember
    random.seed(seed)
    ember.manual_seed(seed)
    _worker_info = WorkerInfo(worker_id, num_workers, seed, dataset)
    stream = None
    try:
        if init_fn is not None:
            init_fn(worker_id)
        if is_iterable:
            stream = iter(dataset)
    except Exception:
        result_queue.put((None, ExceptionWrapper(sys.exc_info(),
                                                 f"in DataLoader worker process {worker_id}")))
        return
    while True:
        job = index_queue.get()
        if job is None:
            break
        idx, indices = job
        if idx == "restart":
            stream = iter(dataset)
            continue
        try:
            if is_iterable:
                data = next_from_stream(stream, *indices, auto_collation)
                if data is ITERATION_END:
                    result_queue.put((idx, ITERATION_END))
                    continue
            else:
                data = [dataset[i] for i in indices] if auto_collation else dataset[indices]
            result_queue.put((idx, collate_fn(data)))
        except Exception:
            result_queue.put((idx, ExceptionWrapper(sys.exc_info(),
                                                    f"in DataLoader worker process {worker_id}")))


def next_from_stream(stream, batch_size, drop_last, auto_collation):
    """Up to ``batch_size`` samples from the stream (one sample without auto-collation)."""
    if not auto_collation:
        return next(stream, ITERATION_END)
    batch = []
    for _ in range(batch_size):
        item = next(stream, ITERATION_END)
        if item is ITERATION_END:
            break
        batch.append(item)
    if not batch or (drop_last and len(batch) < batch_size):
        return ITERATION_END
    return batch


def is_end(data):
    """True for the end-of-stream marker (compared by value: it crossed a process boundary)."""
    return isinstance(data, str) and data == ITERATION_END
