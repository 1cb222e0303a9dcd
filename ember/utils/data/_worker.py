"""What runs inside a DataLoader worker process, and how its results and errors travel back.

Every task a worker receives is ``(generation, sequence number, indices)``;
the generation is the loader's epoch count, so the main process can drop the
results of an abandoned epoch, and the worker skips tasks whose generation is
no longer current (``current_generation`` is a number shared with the main
process). Results go back as ``(generation, sequence number, pickled batch)``:
the worker pickles the batch itself, so a batch that cannot be pickled
becomes an error the main process re-raises instead of a result that silently
never arrives. An idle worker checks every ``PARENT_CHECK_S`` seconds that its
parent is still alive and exits once it is gone.
"""
import os
import pickle
import queue
import random
import sys
import traceback
from dataclasses import dataclass
import ember

__all__ = ["WorkerInfo", "get_worker_info"]

_worker_info = None

#: sent by a worker of an IterableDataset when its stream is exhausted
ITERATION_END = "__ember_iteration_end__"

#: how often (seconds) an idle worker checks that the process that started it is alive
PARENT_CHECK_S = 0.5


@dataclass(frozen=True)
class WorkerInfo:
    """What a DataLoader worker process knows about itself (see ``get_worker_info``).

    Attributes:
        id (int): the worker's number, ``0 .. num_workers - 1``.
        num_workers (int): how many workers the loader has.
        seed (int): the seed of this worker's random generators.
        dataset (Dataset): the worker's own copy of the dataset.

    Example:
        >>> info = ember.utils.data.WorkerInfo(id=0, num_workers=2, seed=7, dataset=None)
        >>> info.id, info.num_workers
        (0, 2)
    """

    id: int
    num_workers: int
    seed: int
    dataset: object


def get_worker_info():
    """The ``WorkerInfo`` of the DataLoader worker process calling it; None in the main process.

    An ``IterableDataset`` uses it to give each worker its own share of the stream, for
    instance ``range(info.id, n, info.num_workers)``.

    Example:
        >>> ember.utils.data.get_worker_info() is None  # not inside a worker
        True
    """
    return _worker_info


class ExceptionWrapper:
    """An exception caught in a worker, carried to the main process with its traceback.

    ``where`` says which worker and which batch (e.g. "in DataLoader worker
    process 0 while fetching dataset indices [4, 5]"). An exception class that
    cannot be pickled (one defined inside a function, say) travels as
    RuntimeError, its name kept in the message.
    """

    def __init__(self, exc_info, where):
        self.exc_type = exc_info[0]
        self.type_name = exc_info[0].__name__
        self.msg = "".join(traceback.format_exception(*exc_info))
        self.where = where
        try:
            pickle.dumps(self.exc_type)
        except Exception:
            self.exc_type = RuntimeError

    def reraise(self):
        """Raise the worker's exception (same type when possible) in the calling process."""
        msg = f"Caught {self.type_name} {self.where}.\nOriginal {self.msg}"
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


def describe(is_iterable, auto_collation, indices):
    """Which samples a task asked for, as the error messages name them."""
    if is_iterable:
        return "while reading its IterableDataset stream"
    if auto_collation:
        return f"while fetching dataset indices {list(indices)}"
    return f"while fetching dataset index {indices!r}"


def send(result_queue, generation, idx, data, where):
    """Put ``(generation, idx, pickled data)`` on the queue; an unpicklable batch sends its error."""
    try:
        payload = pickle.dumps(data, pickle.HIGHEST_PROTOCOL)
    except Exception:
        err = ExceptionWrapper(sys.exc_info(), f"{where}: the batch could not be pickled to send "
                                               "it to the main process (samples, and what "
                                               "collate_fn makes of them, must be picklable)")
        payload = pickle.dumps(err, pickle.HIGHEST_PROTOCOL)
    result_queue.put((generation, idx, payload))


def _next_task(index_queue, parent_pid):
    """The next task, or None once told to stop or once the parent process has died."""
    while True:
        try:
            return index_queue.get(timeout=PARENT_CHECK_S)
        except queue.Empty:
            if os.getppid() != parent_pid:
                return None


def worker_loop(dataset, is_iterable, index_queue, result_queue, current_generation, collate_fn,
                auto_collation, seed, init_fn, worker_id, num_workers):
    """Fetch the batches named on ``index_queue`` and send them back on ``result_queue``."""
    global _worker_info
    parent_pid = os.getppid()
    random.seed(seed)
    ember.manual_seed(seed)
    _worker_info = WorkerInfo(worker_id, num_workers, seed, dataset)
    where = f"in DataLoader worker process {worker_id}"
    try:
        if init_fn is not None:
            init_fn(worker_id)
    except Exception:
        send(result_queue, None, None, ExceptionWrapper(sys.exc_info(), where), where)
        return
    stream, stream_generation = None, None
    while (task := _next_task(index_queue, parent_pid)) is not None:
        generation, idx, indices = task
        if generation != current_generation.value:
            continue
        task_where = f"{where} {describe(is_iterable, auto_collation, indices)}"
        try:
            if is_iterable:
                if generation != stream_generation:
                    stream, stream_generation = iter(dataset), generation
                data = next_from_stream(stream, *indices, auto_collation)
                if data is ITERATION_END:
                    send(result_queue, generation, idx, ITERATION_END, task_where)
                    continue
            else:
                data = [dataset[i] for i in indices] if auto_collation else dataset[indices]
            data = collate_fn(data)
        except Exception:
            data = ExceptionWrapper(sys.exc_info(), task_where)
        send(result_queue, generation, idx, data, task_where)
    # told to stop, or orphaned: results nobody will read must not block this process's exit
    result_queue.cancel_join_thread()


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
