"""Flatten parameters into one vector and back (for second-order methods, evolution strategies)."""
from ..._tensor import Tensor
from ..modules.module import _typename
from ... import cat

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _check_param_device(param, old_device):
    """The device index of ``param`` (-1 for CPU); TypeError if it differs from ``old_device``."""
    device = param.get_device() if param.is_cuda else -1
    if old_device is not None and device != old_device:
        raise TypeError("Found two parameters on different devices, this is currently not "
                        "supported.")
    return device


def parameters_to_vector(parameters):
    """Concatenate the flattened parameters into one 1-D tensor (differentiable)."""
    device = None
    flat = []
    for p in parameters:
        device = _check_param_device(p, device)
        flat.append(p.view(-1))
    return cat(flat)


def vector_to_parameters(vec, parameters):
    """Make each parameter's data the matching slice of ``vec`` (they then share memory)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected ember.Tensor, but got: {_typename(vec)}")
    device = None
    pointer = 0
    for p in parameters:
        device = _check_param_device(p, device)
        n = p.numel()
        p.data = vec[pointer:pointer + n].view_as(p).data
        pointer += n
