"""Tensor collectives and point-to-point messages on MPI.

Each call hands the tensors' own NumPy arrays to mpi4py's buffer (upper-case)
API, so data moves without pickling; results land in the output tensors in
place. ``async_op=True`` returns a ``Work`` whose ``wait()`` finishes the call;
otherwise the call waits itself, bounded by the group's timeout. Ranks named
by ``src``/``dst`` are world ranks, as in torch.
"""
import enum

import numpy as np

from .._dtype import FROM_NP
from . import _mpi
from ._group import default_group, get_group_rank

__all__ = ["ReduceOp", "Work", "all_gather", "all_gather_into_tensor", "all_reduce", "all_to_all",
           "all_to_all_single", "barrier", "broadcast", "gather", "irecv", "isend", "recv",
           "reduce", "reduce_scatter", "reduce_scatter_tensor", "scatter", "send"]


class RedOpType(enum.Enum):
    """The reduction kinds themselves (torch's ``ReduceOp.RedOpType``); scripts name them
    through ``ReduceOp``: ``ReduceOp.SUM is ReduceOp.RedOpType.SUM``."""

    SUM = 0
    AVG = 1
    PRODUCT = 2
    MIN = 3
    MAX = 4
    BAND = 5
    BOR = 6
    BXOR = 7

    def __repr__(self):
        return f"<RedOpType.{self.name}: {self.value}>"


class ReduceOp:
    """How a reduction combines the processes' values: ``SUM``, ``AVG`` (floating point
    only), ``PRODUCT``, ``MIN``, ``MAX``, ``BAND``, ``BOR``, ``BXOR``. Each is a member of
    the enum ``ReduceOp.RedOpType``, as in torch.

    Example::

        >>> ember.distributed.ReduceOp.MAX
        <RedOpType.MAX: 4>
        >>> dist.all_reduce(t, op=dist.ReduceOp.MAX)  # doctest: +SKIP
    """

    RedOpType = RedOpType
    SUM = RedOpType.SUM
    AVG = RedOpType.AVG
    PRODUCT = RedOpType.PRODUCT
    MIN = RedOpType.MIN
    MAX = RedOpType.MAX
    BAND = RedOpType.BAND
    BOR = RedOpType.BOR
    BXOR = RedOpType.BXOR


_MPI_OPS = {ReduceOp.SUM: "SUM", ReduceOp.AVG: "SUM", ReduceOp.PRODUCT: "PROD",
            ReduceOp.MIN: "MIN", ReduceOp.MAX: "MAX", ReduceOp.BAND: "BAND",
            ReduceOp.BOR: "BOR", ReduceOp.BXOR: "BXOR"}


class Work:
    """A collective in flight (what ``async_op=True`` returns).

    ``wait()`` blocks until it is done (raising after the group's timeout, or
    after ``timeout`` when given) and returns True; ``is_completed()`` asks
    without blocking; ``result()`` is the list of output tensors.
    """

    def __init__(self, requests, timeout, finish=None, outputs=()):
        self._requests = requests
        self._timeout = timeout
        self._finish = finish
        self._outputs = list(outputs)
        self._done = False

    def wait(self, timeout=None):
        if not self._done:
            seconds = self._timeout if timeout is None else timeout.total_seconds()
            _mpi.wait(self._requests, seconds)
            self._done = True
            if self._finish is not None:
                self._finish()
        return True

    def is_completed(self):
        if not self._done and _mpi.mpi().Request.Testall(self._requests):
            self.wait()
        return self._done

    def is_success(self):
        return self.is_completed()

    def result(self):
        self.wait()
        return self._outputs


def _run(pg, requests, async_op, finish=None, outputs=()):
    work = Work(requests, pg.timeout, finish, outputs)
    if async_op:
        return work
    work.wait()
    return None


def _target(tensor):
    """The array MPI writes ``tensor``'s result into, and what copies it back (or None).

    A C-contiguous tensor is its own buffer; any other gets a contiguous copy
    that is written back when the call finishes.
    """
    arr = tensor._data
    if arr.flags.c_contiguous:
        return arr, None
    tmp = np.ascontiguousarray(arr)

    def write_back():
        arr[...] = tmp
    return tmp, write_back


def _then(*steps):
    """One callable running the non-None ``steps`` in order (None when there are none)."""
    steps = [s for s in steps if s is not None]
    if len(steps) < 2:
        return steps[0] if steps else None

    def run():
        for step in steps:
            step()
    return run


def _op(op, arr):
    if op is ReduceOp.AVG and arr.dtype.kind not in "fc":
        kind = FROM_NP[arr.dtype]._tensor_type[:-len("Tensor")]
        raise RuntimeError(f"result type Float can't be cast to the desired output type {kind}")
    if not isinstance(op, RedOpType):
        raise TypeError(f"op must be a ReduceOp, got {op!r}")
    return getattr(_mpi.mpi(), _MPI_OPS[op])


def _averager(op, arr, pg):
    if op is not ReduceOp.AVG:
        return None

    def finish():
        np.divide(arr, pg.size(), out=arr)
    return finish


def _root(pg, rank, name):
    try:
        return get_group_rank(pg, rank)
    except ValueError:
        raise ValueError(f"{name} rank {rank} is not part of the group") from None


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduce ``tensor`` over every process of ``group``, leaving the result in ``tensor`` on all.

    Example: with 2 processes holding ``[1., 2.]`` and ``[3., 4.]``,
    ``all_reduce(t)`` leaves ``[4., 6.]`` in ``t`` on both.
    """
    pg = default_group(group)
    arr, write_back = _target(tensor)
    mpi_op = _op(op, arr)
    req = pg.comm.Iallreduce(_mpi.mpi().IN_PLACE, _mpi.buffer(arr), op=mpi_op)
    return _run(pg, req, async_op, _then(_averager(op, arr, pg), write_back), [tensor])


def reduce(tensor, dst=0, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduce ``tensor`` over ``group`` into ``tensor`` on rank ``dst`` only; others keep theirs."""
    pg = default_group(group)
    root = _root(pg, dst, "dst")
    arr, write_back = _target(tensor)
    mpi_op = _op(op, arr)
    if pg.rank() == root:
        req = pg.comm.Ireduce(_mpi.mpi().IN_PLACE, _mpi.buffer(arr), op=mpi_op, root=root)
        finish = _then(_averager(op, arr, pg), write_back)
    else:
        req = pg.comm.Ireduce(_mpi.buffer(arr), None, op=mpi_op, root=root)
        finish = None
    return _run(pg, req, async_op, finish, [tensor])


def broadcast(tensor, src=0, group=None, async_op=False):
    """Copy ``tensor`` from rank ``src`` into ``tensor`` on every process of ``group``."""
    pg = default_group(group)
    arr, write_back = _target(tensor)
    req = pg.comm.Ibcast(_mpi.buffer(arr), root=_root(pg, src, "src"))
    return _run(pg, req, async_op, write_back, [tensor])


def _stacked(tensors):
    return np.ascontiguousarray(np.stack([t._data for t in tensors]))


def _unstack(flat, tensors):
    def finish():
        for t, part in zip(tensors, flat):
            t._data[...] = part.reshape(t._data.shape)
    return finish


def _check_list(tensors, pg, what):
    if len(tensors) != pg.size():
        raise ValueError(f"{what} must have {pg.size()} tensors (the group size), "
                         f"got {len(tensors)}")


def all_gather(tensor_list, tensor, group=None, async_op=False):
    """Every process's ``tensor``, rank ``i``'s into ``tensor_list[i]``, on all processes."""
    pg = default_group(group)
    _check_list(tensor_list, pg, "tensor_list")
    arr = np.ascontiguousarray(tensor._data)
    flat = np.empty((pg.size(),) + arr.shape, arr.dtype)
    req = pg.comm.Iallgather(_mpi.buffer(arr), _mpi.buffer(flat))
    return _run(pg, req, async_op, _unstack(flat, tensor_list), tensor_list)


def all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False):
    """Every process's ``input_tensor`` concatenated (or stacked) in rank order into
    ``output_tensor``, whose size is the group size times the input's."""
    pg = default_group(group)
    out, write_back = _target(output_tensor)
    if out.size != input_tensor._data.size * pg.size():
        raise ValueError("output tensor size must be equal to world_size times input tensor size")
    req = pg.comm.Iallgather(_mpi.buffer(np.ascontiguousarray(input_tensor._data)),
                             _mpi.buffer(out))
    return _run(pg, req, async_op, write_back, [output_tensor])


def gather(tensor, gather_list=None, dst=0, group=None, async_op=False):
    """Every process's ``tensor`` into ``gather_list`` (rank order) on rank ``dst`` only."""
    pg = default_group(group)
    root = _root(pg, dst, "dst")
    arr = np.ascontiguousarray(tensor._data)
    if pg.rank() == root:
        if gather_list is None:
            raise ValueError("Argument ``gather_list`` must be specified on destination rank.")
        _check_list(gather_list, pg, "gather_list")
        flat = np.empty((pg.size(),) + arr.shape, arr.dtype)
        req = pg.comm.Igather(_mpi.buffer(arr), _mpi.buffer(flat), root=root)
        return _run(pg, req, async_op, _unstack(flat, gather_list), gather_list)
    if gather_list:
        raise ValueError("Argument ``gather_list`` must NOT be specified on non-destination ranks.")
    return _run(pg, pg.comm.Igather(_mpi.buffer(arr), None, root=root), async_op)


def scatter(tensor, scatter_list=None, src=0, group=None, async_op=False):
    """``scatter_list[i]`` from rank ``src`` into ``tensor`` on rank ``i``."""
    pg = default_group(group)
    root = _root(pg, src, "src")
    arr, write_back = _target(tensor)
    if pg.rank() == root:
        if scatter_list is None:
            raise ValueError("Argument ``scatter_list`` must be specified on source rank.")
        _check_list(scatter_list, pg, "scatter_list")
        send = _mpi.buffer(_stacked(scatter_list))
    elif scatter_list:
        raise ValueError("Argument ``scatter_list`` must NOT be specified on non-source ranks.")
    else:
        send = None
    req = pg.comm.Iscatter(send, _mpi.buffer(arr), root=root)
    return _run(pg, req, async_op, write_back, [tensor])


def reduce_scatter_tensor(output, input, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduce ``input`` over ``group`` and leave block ``i`` of the result (its size is
    ``output``'s) in ``output`` on rank ``i``."""
    pg = default_group(group)
    out, write_back = _target(output)
    if input._data.size != out.size * pg.size():
        raise ValueError("input tensor must be the same size as output size times world size")
    mpi_op = _op(op, out)
    req = pg.comm.Ireduce_scatter_block(_mpi.buffer(np.ascontiguousarray(input._data)),
                                        _mpi.buffer(out), op=mpi_op)
    return _run(pg, req, async_op, _then(_averager(op, out, pg), write_back), [output])


def reduce_scatter(output, input_list, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduce ``input_list[i]`` over ``group`` into ``output`` on rank ``i``."""
    pg = default_group(group)
    _check_list(input_list, pg, "input_list")
    out, write_back = _target(output)
    mpi_op = _op(op, out)
    req = pg.comm.Ireduce_scatter_block(_mpi.buffer(_stacked(input_list)), _mpi.buffer(out),
                                        op=mpi_op)
    return _run(pg, req, async_op, _then(_averager(op, out, pg), write_back), [output])


def _alltoallv(pg, send, send_counts, recv, recv_counts, async_op, finish, outputs):
    displs = lambda counts: np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(int).tolist()
    sbuf, stype = _mpi.buffer(send)
    rbuf, rtype = _mpi.buffer(recv)
    req = pg.comm.Ialltoallv([sbuf, (list(send_counts), displs(send_counts)), stype],
                             [rbuf, (list(recv_counts), displs(recv_counts)), rtype])
    return _run(pg, req, async_op, finish, outputs)


def all_to_all_single(output, input, output_split_sizes=None, input_split_sizes=None, group=None,
                      async_op=False):
    """Split ``input`` along dim 0 (evenly, or by ``input_split_sizes``), send piece ``i`` to
    rank ``i``, and concatenate what arrives, in rank order, into ``output``."""
    pg = default_group(group)
    n = pg.size()
    src = np.ascontiguousarray(input._data)
    out, write_back = _target(output)
    row_in = src[0].size if src.ndim and len(src) else 1
    row_out = out[0].size if out.ndim and len(out) else 1
    ins = input_split_sizes or [len(src) // n] * n
    outs = output_split_sizes or [len(out) // n] * n
    return _alltoallv(pg, src, [c * row_in for c in ins], out, [c * row_out for c in outs],
                      async_op, write_back, [output])


def all_to_all(output_tensor_list, input_tensor_list, group=None, async_op=False):
    """Send ``input_tensor_list[i]`` to rank ``i``; what rank ``j`` sent lands in
    ``output_tensor_list[j]``."""
    pg = default_group(group)
    _check_list(input_tensor_list, pg, "input_tensor_list")
    _check_list(output_tensor_list, pg, "output_tensor_list")
    send = np.concatenate([t._data.ravel() for t in input_tensor_list])
    recv_counts = [t._data.size for t in output_tensor_list]
    recv = np.empty(sum(recv_counts), output_tensor_list[0]._data.dtype)

    def finish():
        start = 0
        for t, c in zip(output_tensor_list, recv_counts):
            t._data[...] = recv[start:start + c].reshape(t._data.shape)
            start += c
    return _alltoallv(pg, send, [t._data.size for t in input_tensor_list], recv, recv_counts,
                      async_op, finish, output_tensor_list)


def barrier(group=None, async_op=False, device_ids=None):
    """Wait until every process of ``group`` has reached this call."""
    pg = default_group(group)
    return _run(pg, pg.comm.Ibarrier(), async_op)


def isend(tensor, dst, group=None, tag=0):
    """Start sending ``tensor`` to rank ``dst``; returns a ``Work``."""
    pg = default_group(group)
    req = pg.comm.Isend(_mpi.buffer(np.ascontiguousarray(tensor._data)),
                        dest=_root(pg, dst, "dst"), tag=tag)
    return Work(req, pg.timeout)


def irecv(tensor, src=None, group=None, tag=0):
    """Start receiving into ``tensor`` from rank ``src`` (any when None); returns a ``Work``."""
    pg = default_group(group)
    MPI = _mpi.mpi()
    source = MPI.ANY_SOURCE if src is None else _root(pg, src, "src")
    arr, write_back = _target(tensor)
    req = pg.comm.Irecv(_mpi.buffer(arr), source=source, tag=tag)
    return Work(req, pg.timeout, write_back, [tensor])


def send(tensor, dst, group=None, tag=0):
    """Send ``tensor`` to rank ``dst`` and wait until it has left."""
    isend(tensor, dst, group, tag).wait()


def recv(tensor, src=None, group=None, tag=0):
    """Receive into ``tensor`` from rank ``src`` (any when None); returns the sender's rank."""
    pg = default_group(group)
    MPI = _mpi.mpi()
    status = MPI.Status()
    source = MPI.ANY_SOURCE if src is None else _root(pg, src, "src")
    arr, write_back = _target(tensor)
    req = pg.comm.Irecv(_mpi.buffer(arr), source=source, tag=tag)
    _mpi.wait([req], pg.timeout, [status])
    if write_back is not None:
        write_back()
    return pg.ranks[status.Get_source()]
