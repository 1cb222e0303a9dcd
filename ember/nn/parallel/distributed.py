"""``DistributedDataParallel``: one model replica per process, gradients averaged over MPI."""
import contextlib

from ... import distributed as dist
from ...autograd.grad_mode import is_grad_enabled
from ...distributed._reducer import Reducer
from ..modules.module import Module
from ..._tensor import Tensor
from ...autograd.graph import Node

__all__ = ["DistributedDataParallel"]


def _tensors(obj):
    """The tensors inside a (nested) forward output."""
    if isinstance(obj, Tensor):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _tensors(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _tensors(item)


def _reached(outputs):
    """Ids of the leaf tensors the autograd graph of ``outputs`` leads to."""
    seen, used = set(), set()
    stack = [t.grad_fn for t in _tensors(outputs) if t.grad_fn is not None]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for edge in node.next_edges:
            if edge is None:
                continue
            if isinstance(edge[0], Node):
                stack.append(edge[0])
            else:
                used.add(id(edge[0]))
    return used


class DistributedDataParallel(Module):
    """Data-parallel training across processes: each runs ``module`` on its own batch, and backward
    leaves every replica with the gradients averaged over the process group.

    At construction rank 0's parameters and buffers are broadcast to all.  During backward,
    gradients are packed into buckets of ``bucket_cap_mb`` MB (the first 1 MB) whose all-reduces
    start as soon as each bucket is complete, overlapping the rest of backward.  With
    ``DistributedSampler`` splitting the data, N processes train like one process on the
    concatenated batch (the loss being a mean over the batch).  ``no_sync()`` skips averaging, for
    gradient accumulation; ``state_dict`` keys carry the ``module.`` prefix, as torch's.  torch's
    further options (``check_reduction``, ``static_graph``, ``mixed_precision``, ``device_mesh``
    and the like) are accepted and not used.

    Args:
        module (Module): the model to replicate.
        device_ids, output_device, dim: accepted for CPU use, as in torch.
        broadcast_buffers (bool): copy rank 0's buffers to all before each forward.
          Default: ``True``.
        process_group (optional): the group to average over. Default: the world.
        bucket_cap_mb (float, optional): bucket size in MB. Default: ``None`` (25).
        find_unused_parameters (bool): set when some parameters may get no gradient in an
          iteration. Default: ``False``.
        gradient_as_bucket_view (bool): ``.grad`` becomes a view into its bucket, saving a copy.
          Default: ``False``.
        init_sync (bool): broadcast rank 0's parameters and buffers at construction.
          Default: ``True``.

    Shape:
        - Input and output: those of ``module``.

    Example:
        A script run under ``ember run --nproc-per-node 2`` (not a doctest: it needs two
        processes)::

            dist.init_process_group("gloo")
            model = DistributedDataParallel(nn.Linear(4, 2))
            model(torch.randn(8, 4)).sum().backward()   # grads averaged over both processes
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0, broadcast_buffers=True,
                 init_sync=True, process_group=None, bucket_cap_mb=None,
                 find_unused_parameters=False, check_reduction=False,
                 gradient_as_bucket_view=False, static_graph=False,
                 delay_all_reduce_named_params=None, param_to_hook_all_reduce=None,
                 mixed_precision=None, device_mesh=None, skip_all_reduce_unused_params=False):
        super().__init__()
        if not any(p.requires_grad for p in module.parameters()):
            raise RuntimeError("DistributedDataParallel is not needed when a module doesn't have "
                               "any parameter that requires a gradient.")
        self.module = module
        self.process_group = dist._group.default_group(process_group)
        self.device_ids = device_ids
        self.dim = dim
        self.broadcast_buffers = broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        self.gradient_as_bucket_view = gradient_as_bucket_view
        self.require_backward_grad_sync = True
        self.require_forward_param_sync = True
        self.bucket_bytes_cap = int((25 if bucket_cap_mb is None else bucket_cap_mb) * 1024 * 1024)
        if init_sync:
            self._broadcast(list(module.parameters()) + list(module.buffers()))
        params = [p for p in dict.fromkeys(module.parameters()) if p.requires_grad]
        self.reducer = Reducer(params, self.process_group, self.bucket_bytes_cap,
                               gradient_as_bucket_view)

    def _broadcast(self, tensors):
        src = self.process_group.ranks[0]
        for t in tensors:
            dist.broadcast(t.detach() if t.requires_grad else t, src, self.process_group)

    def forward(self, *inputs, **kwargs):
        if self.reducer.in_progress():
            raise RuntimeError(
                "Expected to have finished reduction in the prior iteration before starting a new "
                "one. This error indicates that your module has parameters that were not used in "
                "producing loss. You can enable unused parameter detection by passing the keyword "
                "argument `find_unused_parameters=True` to "
                "`torch.nn.parallel.DistributedDataParallel`, and by making sure all `forward` "
                "function outputs participate in calculating loss.")
        if self.broadcast_buffers and self.require_forward_param_sync:
            self._broadcast(list(self.module.buffers()))
        outputs = self.module(*inputs, **kwargs)
        if self.require_backward_grad_sync and is_grad_enabled():
            self.reducer.prepare(_reached(outputs) if self.find_unused_parameters else None)
        return outputs

    @contextlib.contextmanager
    def no_sync(self):
        """Inside this block backward accumulates local gradients without averaging them; the
        first backward after it averages the accumulated sums."""
        previous, self.require_backward_grad_sync = self.require_backward_grad_sync, False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous
