"""The ``*_object`` collectives: any picklable Python objects, through mpi4py's pickling API."""
from ._collectives import _root
from ._group import default_group
from ._mpi import mpi

__all__ = ["all_gather_object", "broadcast_object_list", "gather_object", "recv_object_list",
           "scatter_object_list", "send_object_list"]


def all_gather_object(object_list, obj, group=None):
    """Every process's ``obj`` into ``object_list`` (rank order, one slot per process)."""
    pg = default_group(group)
    object_list[:] = pg.comm.allgather(obj)


def broadcast_object_list(object_list, src=0, group=None, device=None):
    """Replace ``object_list``'s items on every process by those of rank ``src``."""
    pg = default_group(group)
    object_list[:] = pg.comm.bcast(list(object_list), root=_root(pg, src, "src"))


def gather_object(obj, object_gather_list=None, dst=0, group=None):
    """Every process's ``obj`` into ``object_gather_list`` on rank ``dst`` only."""
    pg = default_group(group)
    gathered = pg.comm.gather(obj, root=_root(pg, dst, "dst"))
    if gathered is not None:
        object_gather_list[:] = gathered


def scatter_object_list(scatter_object_output_list, scatter_object_input_list=None, src=0,
                        group=None):
    """Item ``i`` of rank ``src``'s input list into ``scatter_object_output_list[0]`` on
    rank ``i``."""
    pg = default_group(group)
    root = _root(pg, src, "src")
    items = scatter_object_input_list if pg.rank() == root else None
    scatter_object_output_list[0] = pg.comm.scatter(items, root=root)


def send_object_list(object_list, dst, group=None, device=None):
    """Send the objects of ``object_list`` to rank ``dst``."""
    pg = default_group(group)
    pg.comm.send(list(object_list), dest=_root(pg, dst, "dst"))


def recv_object_list(object_list, src=None, group=None, device=None):
    """Receive objects sent with ``send_object_list`` into ``object_list``; returns the sender."""
    pg = default_group(group)
    status = mpi().Status()
    source = mpi().ANY_SOURCE if src is None else _root(pg, src, "src")
    object_list[:] = pg.comm.recv(source=source, status=status)
    return pg.ranks[status.Get_source()]
