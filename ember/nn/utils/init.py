"""``skip_init``: build a module without spending time on initialising its parameters."""
import inspect

from ..modules.module import Module

__all__ = ["skip_init"]


def skip_init(module_cls, *args, **kwargs):
    """Construct ``module_cls(*args, **kwargs)`` with uninitialised parameters and buffers.

    The values are whatever ``empty`` gives (torch's contract: initialise them yourself):
    the module is built on the ``meta`` device (shapes and dtypes only, no initialisation
    work) and then given empty tensors on ``device``.

    Args:
        module_cls: an ``nn.Module`` subclass whose constructor takes ``device``.
        *args: its positional constructor arguments.
        **kwargs: its keyword constructor arguments (``device`` defaults to ``"cpu"``).

    Example:
        >>> from ember.nn.utils import skip_init
        >>> m = skip_init(ember.nn.Linear, 5, 1)
        >>> m.weight.shape
        ember.Size([1, 5])
    """
    if not (isinstance(module_cls, type) and issubclass(module_cls, Module)):
        raise RuntimeError(f"Expected a Module; got {module_cls}")
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    final_device = kwargs.pop("device", "cpu")
    return module_cls(*args, device="meta", **kwargs).to_empty(device=final_device)
