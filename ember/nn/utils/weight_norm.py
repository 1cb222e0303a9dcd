"""The legacy weight normalization: ``w = g * v / ||v||`` recomputed by a forward pre-hook.

``weight_norm(m)`` replaces the parameter ``weight`` by ``weight_g`` (the norms, size 1
except along ``dim``) and ``weight_v`` (the direction), torch's keys, and sets the plain
attribute ``m.weight`` before each forward.  The hook object is torch's ``WeightNorm``
(same attributes), so whole-model pickles move between ember and torch.
``parametrizations.weight_norm`` is the newer form.

Example:
    >>> from ember.nn.utils import weight_norm
    >>> m = weight_norm(ember.nn.Linear(20, 40), name="weight")
    >>> m.weight_g.size(), m.weight_v.size()
    (ember.Size([40, 1]), ember.Size([40, 20]))
"""
import warnings

from ..parameter import Parameter, UninitializedParameter
from .parametrizations import _weight_norm, _norm_except_dim

__all__ = ["WeightNorm", "weight_norm", "remove_weight_norm"]


class WeightNorm:
    """The forward pre-hook recomputing ``module.<name>`` from ``<name>_g`` and ``<name>_v``.

    Args:
        name (str): the parameter's name.
        dim (int): the dimension keeping its own norms (``None``/-1: one norm for all).

    Example:
        >>> from ember.nn.utils import weight_norm
        >>> m = weight_norm(ember.nn.Linear(3, 2))
        >>> [type(h).__name__ for h in m._forward_pre_hooks.values()]
        ['WeightNorm']
    """

    def __init__(self, name, dim):
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module):
        """``g * v / ||v||`` from the module's current ``<name>_g`` and ``<name>_v``."""
        return _weight_norm(getattr(module, self.name + "_v"), getattr(module, self.name + "_g"),
                            self.dim)

    @staticmethod
    def apply(module, name, dim):
        """Reparametrize ``module.<name>`` and register the hook; returns the hook."""
        warnings.warn("`torch.nn.utils.weight_norm` is deprecated in favor of "
                      "`torch.nn.utils.parametrizations.weight_norm`.", FutureWarning,
                      stacklevel=3)
        for hook in module._forward_pre_hooks.values():
            if isinstance(hook, WeightNorm) and hook.name == name:
                raise RuntimeError(f"Cannot register two weight_norm hooks on the same "
                                   f"parameter {name}")
        fn = WeightNorm(name, dim)
        weight = getattr(module, name)
        if isinstance(weight, UninitializedParameter):
            raise ValueError("The module passed to `WeightNorm` can't have uninitialized "
                             "parameters. Make sure to run the dummy forward before applying "
                             "weight normalization")
        del module._parameters[name]
        module.register_parameter(name + "_g",
                                  Parameter(_norm_except_dim(weight, fn.dim).detach()))
        module.register_parameter(name + "_v", Parameter(weight.detach()))
        setattr(module, name, fn.compute_weight(module))
        module.register_forward_pre_hook(fn)
        return fn

    def remove(self, module):
        """Put back ``<name>`` as one Parameter holding the current weight."""
        weight = self.compute_weight(module)
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight.detach()))

    def __call__(self, module, inputs):
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module, name="weight", dim=0):
    """Split ``module.<name>`` into ``<name>_g`` (magnitude) and ``<name>_v`` (direction).

    Deprecated in torch (a FutureWarning) in favour of ``parametrizations.weight_norm``.

    Args:
        module (nn.Module): the layer.
        name (str): the parameter (default ``"weight"``).
        dim (int, optional): the dimension keeping its own norms; ``None`` takes one norm
            of the whole tensor.  ``<name>_g`` has the weight's size along ``dim``, 1 elsewhere.

    Returns the module.

    Example:
        >>> from ember.nn.utils import weight_norm
        >>> m = weight_norm(ember.nn.Linear(20, 40))
        >>> sorted(m.state_dict())
        ['bias', 'weight_g', 'weight_v']
    """
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module, name="weight"):
    """Undo ``weight_norm`` on ``module.<name>``: one Parameter again, the hook removed.

    Example:
        >>> from ember.nn.utils import remove_weight_norm, weight_norm
        >>> m = remove_weight_norm(weight_norm(ember.nn.Linear(2, 2)))
        >>> sorted(m.state_dict())
        ['bias', 'weight']
    """
    for k, hook in module._forward_pre_hooks.items():
        if isinstance(hook, WeightNorm) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[k]
            return module
    raise ValueError(f"weight_norm of '{name}' not found in {module}")
