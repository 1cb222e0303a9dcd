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
    """Concatenate the flattened parameters into one 1-D tensor (differentiable).

    Args:
        parameters (iterable of Tensor): the parameters, all on one device.

    Returns:
        Tensor: ``(sum of numel,)``.

    Example:
        >>> ember.nn.utils.parameters_to_vector(ember.nn.Linear(3, 2).parameters()).shape
        ember.Size([8])
    """
    device = None
    flat = []
    for p in parameters:
        device = _check_param_device(p, device)
        flat.append(p.view(-1))
    return cat(flat)


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of the 1-D ``vec`` into the parameters (each then views ``vec``'s
    memory).

    Args:
        vec (Tensor): ``(sum of numel,)``, e.g. from ``parameters_to_vector``.
        parameters (iterable of Tensor): the parameters to overwrite, in order.

    Example:
        >>> m = ember.nn.Linear(2, 1)
        >>> ember.nn.utils.vector_to_parameters(ember.tensor([1., 2., 3.]), m.parameters())
        >>> m.weight.data, m.bias.data
        (tensor([[1., 2.]]), tensor([3.]))
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected ember.Tensor, but got: {_typename(vec)}")
    device = None
    pointer = 0
    for p in parameters:
        device = _check_param_device(p, device)
        n = p.numel()
        p.data = vec[pointer:pointer + n].view_as(p).data
        pointer += n
