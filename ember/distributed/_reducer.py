"""Gradient averaging for DistributedDataParallel: buckets all-reduced during backward.

Parameters are packed (in reverse registration order, which is roughly the
order backward reaches them) into flat per-dtype buckets. A gradient hook on
each parameter copies its accumulated gradient, divided by the world size,
into its bucket slot and hands autograd a zero to add; when a bucket has all
its gradients it starts a non-blocking MPI all-reduce, buckets always in
index order so every process issues the same sequence. When the last bucket
has started, the reducer waits for them all and writes the averages back into
``.grad`` (or makes ``.grad`` a view of the bucket).
"""
import numpy as np

from . import _mpi
from .._tensor import _wrap

__all__ = ["Reducer"]

_FIRST_BUCKET_BYTES = 1024 * 1024


class _Bucket:
    def __init__(self, params, dtype):
        self.params = params
        sizes = [p._data.size for p in params]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        self.flat = np.zeros(int(self.offsets[-1]), dtype)
        self.pending = len(params)
        self.views = [self.flat[self.offsets[i]:self.offsets[i + 1]].reshape(p._data.shape)
                      for i, p in enumerate(params)]


def _buckets(params, cap_bytes):
    """Group ``params`` into buckets of one dtype and at most ``cap_bytes`` (the first 1 MB)."""
    buckets, open_, cap = [], {}, min(cap_bytes, _FIRST_BUCKET_BYTES)
    for p in reversed(params):
        key = p._data.dtype
        members, size = open_.get(key, ([], 0))
        members.append(p)
        size += p._data.nbytes
        if size >= cap:
            buckets.append(_Bucket(members, key))
            members, size, cap = [], 0, cap_bytes
        open_[key] = (members, size)
    buckets += [_Bucket(members, key) for key, (members, _) in open_.items() if members]
    return buckets


class Reducer:
    """Averages the gradients of ``params`` over process group ``pg`` as backward produces them.

    ``prepare(used)`` arms it before each synchronised backward (``used``: the
    ids of parameters the forward reached, or None when all are expected).
    """

    def __init__(self, params, pg, cap_bytes, grad_as_view):
        self.pg = pg
        self.grad_as_view = grad_as_view
        self.buckets = _buckets(params, cap_bytes)
        self.slot = {}
        for b, bucket in enumerate(self.buckets):
            for i, p in enumerate(bucket.params):
                self.slot[id(p)] = (b, i)
                p.register_hook(self._hook(p))
        self.armed = False
        self.used = None

    def in_progress(self):
        """True when a backward left buckets that never completed."""
        return self.armed and any(bucket.pending < len(bucket.params) for bucket in self.buckets)

    def prepare(self, used):
        self.armed = True
        self.used = used
        self.next = 0
        self.requests = []
        for bucket in self.buckets:
            bucket.pending = len(bucket.params)
        if used is not None:  # what the forward did not reach is ready now, with no gradient
            for p in self._params():
                if id(p) not in used:
                    self._ready(p, None)

    def _params(self):
        return [p for bucket in self.buckets for p in bucket.params]

    def _hook(self, param):
        def hook(grad):
            if not self.armed:
                return None
            self._ready(param, grad._data)
            zero = np.broadcast_to(np.zeros((), param._data.dtype), param._data.shape)
            return _wrap(zero)
        return hook

    def _ready(self, param, grad):
        b, i = self.slot[id(param)]
        bucket = self.buckets[b]
        slot = bucket.views[i]
        local = param.grad._data if param.grad is not None else None
        if grad is None:
            slot[...] = 0 if local is None else local
        elif local is None:
            slot[...] = grad
        else:
            slot[...] = local + grad
        slot /= self.pg.size()
        bucket.pending -= 1
        while self.next < len(self.buckets) and self.buckets[self.next].pending == 0:
            flat = self.buckets[self.next].flat
            self.requests.append(self.pg.comm.Iallreduce(_mpi.mpi().IN_PLACE, _mpi.buffer(flat),
                                                         op=_mpi.mpi().SUM))
            self.next += 1
        if self.next == len(self.buckets):
            self._finish()

    def _globally_used(self):
        """Per parameter, whether any process's forward reached it."""
        flags = np.array([id(p) in self.used for p in self._params()], np.uint8)
        self.requests.append(self.pg.comm.Iallreduce(_mpi.mpi().IN_PLACE, _mpi.buffer(flags),
                                                     op=_mpi.mpi().MAX))
        return flags

    def _finish(self):
        flags = self._globally_used() if self.used is not None else None
        _mpi.wait(self.requests, self.pg.timeout)
        self.armed = False
        k = 0
        for bucket in self.buckets:
            for i, p in enumerate(bucket.params):
                k += 1
                if flags is not None and not flags[k - 1]:
                    continue  # no process produced a gradient: leave .grad as it is
                avg = bucket.views[i]
                if self.grad_as_view:
                    if p.grad is None or p.grad._data is not avg:
                        p.grad = _wrap(avg)
                elif p.grad is None:
                    p.grad = _wrap(avg.copy())
                else:
                    p.grad._data[...] = avg
