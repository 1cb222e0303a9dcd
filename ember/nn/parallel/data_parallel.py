"""``DataParallel``: torch's single-process multi-GPU wrapper, running on one device here.

ember runs the wrapped module on one device (the first of ``device_ids``, or the
CPU when there is no GPU), so scripts written for ``nn.DataParallel`` run
unchanged and their checkpoints keep the ``module.`` key prefix.
"""
import itertools
import warnings

from ..._tensor import Tensor
from ..modules.module import Module
from ... import cuda
from ..._device import device as device_cls

__all__ = ["DataParallel", "data_parallel"]


def _to_device(obj, device):
    """``obj`` with every tensor inside tuples, lists and dicts moved to ``device``."""
    if isinstance(obj, Tensor):
        return obj.to(device)
    if isinstance(obj, (list, tuple)):
        moved = [_to_device(o, device) for o in obj]
        return type(obj)(*moved) if hasattr(obj, "_fields") else type(obj)(moved)
    if isinstance(obj, dict):
        return type(obj)((k, _to_device(v, device)) for k, v in obj.items())
    return obj


class DataParallel(Module):
    """Wrap ``module`` for torch's single-process multi-GPU data parallelism; ember runs it on one
    device.

    Calling the wrapper calls ``module`` on ``device_ids[0]`` (the CPU when CUDA is unavailable)
    with the inputs moved there.  torch would split the batch along ``dim`` across the devices;
    ember does not split, and warns when more than one device is given.  Parameters are reached as
    ``wrapper.module.<name>``, and state-dict keys get the ``module.`` prefix, as in torch.

    Args:
        module (Module): the model to run.
        device_ids (list of int or ember.device, optional): CUDA devices; only the first is used.
          Default: all devices.
        output_device (int or ember.device, optional): device of the output. Default:
          ``device_ids[0]``.
        dim (int): the batch dimension torch would split. Default: ``0``.

    Shape:
        - Input and output: those of ``module``.

    Example:
        >>> model = ember.nn.DataParallel(ember.nn.Linear(4, 2))
        >>> model(ember.zeros(3, 4)).shape
        ember.Size([3, 2])
        >>> list(model.state_dict())
        ['module.weight', 'module.bias']
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self.module = module
        self.dim = dim
        if not cuda.is_available():
            self.device_ids = []
            self.output_device = None
            self.src_device_obj = None
            return
        if device_ids is None:
            device_ids = list(range(cuda.device_count()))
        self.device_ids = [d.index if isinstance(d, device_cls) else int(d) for d in device_ids]
        if len(self.device_ids) > 1:
            warnings.warn(f"ember's DataParallel runs on one device (cuda:{self.device_ids[0]}); "
                          f"the other device_ids {self.device_ids[1:]} are not used.", stacklevel=2)
        if output_device is None:
            output_device = self.device_ids[0]
        self.output_device = output_device.index if isinstance(output_device, device_cls) \
            else int(output_device)
        self.src_device_obj = device_cls("cuda", self.device_ids[0])
        module.to(self.src_device_obj)

    def forward(self, *inputs, **kwargs):
        if not self.device_ids:
            return self.module(*inputs, **kwargs)
        src = self.src_device_obj
        for t in itertools.chain(self.module.parameters(), self.module.buffers()):
            if t.device != src:
                raise RuntimeError("module must have its parameters and buffers on device "
                                   f"{src} (device_ids[0]) but found one of them on device: "
                                   f"{t.device}")
        out = self.module(*_to_device(inputs, src), **_to_device(kwargs, src))
        return _to_device(out, f"cuda:{self.output_device}")


def data_parallel(module, inputs, device_ids=None, output_device=None, dim=0,
                  module_kwargs=None):
    """Evaluate ``module(*inputs)`` as a ``DataParallel`` wrapper would (on one device in ember).

    Args:
        module (Module): the model.
        inputs (Tensor or tuple): its positional inputs.
        device_ids (list, optional): CUDA devices; only the first is used. Default: ``None``.
        output_device (int or ember.device, optional): device of the output. Default: ``None``.
        dim (int): the batch dimension torch would split. Default: ``0``.
        module_kwargs (dict, optional): keyword arguments of the call. Default: ``None``.

    Example:
        >>> out = ember.nn.parallel.data_parallel(ember.nn.Linear(4, 2), ember.zeros(3, 4))
        >>> out.shape
        ember.Size([3, 2])
    """
    if not isinstance(inputs, tuple):
        inputs = (inputs,)
    return DataParallel(module, device_ids, output_device, dim)(*inputs, **(module_kwargs or {}))
