"""Pruning: zero parts of a module's tensor through a mask applied before every forward.

Pruning ``module.weight`` moves the parameter to ``weight_orig``, adds the buffer
``weight_mask`` (torch's keys) and makes ``module.weight = weight_orig * weight_mask`` a
plain attribute that a forward pre-hook (the pruning method object) recomputes.  Pruning
the same tensor again combines the masks in a ``PruningContainer``, the new method acting
only on what is still unpruned; ``remove`` makes the pruning permanent.

Example::

    >>> m = l1_unstructured(nn.Linear(4, 3), "weight", amount=0.5)
    >>> sorted(m.state_dict()), int(m.weight_mask.sum())
    (['bias', 'weight_mask', 'weight_orig'], 6)
"""
import numbers
from abc import ABC, abstractmethod
from collections.abc import Iterable

from ..._ops.creation import ones_like, zeros_like
from ..._ops.random import rand, rand_like
from ..._ops.reduction.funcs import kthvalue, topk
from .convert_parameters import parameters_to_vector

__all__ = ["BasePruningMethod", "PruningContainer", "Identity", "RandomUnstructured",
           "L1Unstructured", "RandomStructured", "LnStructured", "CustomFromMask", "identity",
           "random_unstructured", "l1_unstructured", "random_structured", "ln_structured",
           "global_unstructured", "custom_from_mask", "remove", "is_pruned"]


class BasePruningMethod(ABC):
    """The base of pruning methods: ``compute_mask`` decides, the rest is shared.

    A subclass sets ``PRUNING_TYPE`` (``"unstructured"``, ``"structured"`` with a ``dim``,
    or ``"global"``) and implements ``compute_mask(t, default_mask)``, returning a mask of
    ``t``'s shape that keeps ``default_mask``'s zeros.  An instance is the forward
    pre-hook of the module it prunes.

    Example::

        >>> class EveryOther(BasePruningMethod):
        ...     PRUNING_TYPE = "unstructured"
        ...     def compute_mask(self, t, default_mask):
        ...         mask = default_mask.clone()
        ...         mask.view(-1)[::2] = 0
        ...         return mask
        >>> EveryOther.apply(nn.Linear(2, 2), "weight").PRUNING_TYPE
        'unstructured'
    """

    _tensor_name = None

    def __call__(self, module, inputs):
        setattr(module, self._tensor_name, self.apply_mask(module))

    @abstractmethod
    def compute_mask(self, t, default_mask):
        """The mask for tensor ``t`` (shape of ``t``), starting from ``default_mask``."""

    def apply_mask(self, module):
        """``<name>_orig * <name>_mask`` of ``module``."""
        assert self._tensor_name is not None, f"Module {module} has to be pruned"
        return getattr(module, self._tensor_name + "_orig") * \
            getattr(module, self._tensor_name + "_mask")

    @classmethod
    def apply(cls, module, name, *args, importance_scores=None, **kwargs):
        """Prune ``module.<name>`` with ``cls(*args, **kwargs)``; returns the method (hook).

        ``importance_scores`` (a tensor of the parameter's shape) replaces the parameter's
        values when the mask is computed.
        """
        method = _composite_method(cls, module, name, *args, **kwargs)
        orig = getattr(module, name)
        if importance_scores is not None:
            assert importance_scores.shape == orig.shape, \
                f"importance_scores should have the same shape as parameter {name} of {module}"
        else:
            importance_scores = orig
        first = not isinstance(method, PruningContainer)
        if first:
            module.register_parameter(name + "_orig", orig)
            del module._parameters[name]
            default_mask = ones_like(orig)
        else:
            default_mask = getattr(module, name + "_mask").detach().clone()
        try:
            mask = method.compute_mask(importance_scores, default_mask=default_mask)
            module.register_buffer(name + "_mask", mask)
            setattr(module, name, method.apply_mask(module))
            module.register_forward_pre_hook(method)
        except Exception:
            if first:
                module.register_parameter(name, module._parameters.pop(name + "_orig"))
            raise
        return method

    def prune(self, t, default_mask=None, importance_scores=None):
        """``t`` times this method's mask (computed from ``importance_scores`` if given)."""
        if importance_scores is not None:
            assert importance_scores.shape == t.shape, \
                "importance_scores should have the same shape as tensor t"
        else:
            importance_scores = t
        default_mask = default_mask if default_mask is not None else ones_like(t)
        return t * self.compute_mask(importance_scores, default_mask=default_mask)

    def remove(self, module):
        """Make the pruning permanent: ``<name>`` becomes a Parameter holding the masked values."""
        assert self._tensor_name is not None, \
            f"Module {module} has to be pruned before pruning can be removed"
        weight = self.apply_mask(module)
        if hasattr(module, self._tensor_name):
            delattr(module, self._tensor_name)
        orig = module._parameters.pop(self._tensor_name + "_orig")
        orig.data = weight.data
        del module._buffers[self._tensor_name + "_mask"]
        setattr(module, self._tensor_name, orig)


def _composite_method(cls, module, name, *args, **kwargs):
    """The new method, or a PruningContainer chaining it after the tensor's existing one."""
    old = [k for k, hook in module._forward_pre_hooks.items()
           if isinstance(hook, BasePruningMethod) and hook._tensor_name == name]
    assert len(old) <= 1, (f"Avoid adding multiple pruning hooks to the same tensor {name} of "
                           f"module {module}. Use a PruningContainer.")
    old_method = module._forward_pre_hooks.pop(old[0]) if old else None
    method = cls(*args, **kwargs)
    method._tensor_name = name
    if isinstance(old_method, PruningContainer):
        old_method.add_pruning_method(method)
        method = old_method
    elif old_method is not None:
        container = PruningContainer(old_method)
        container.add_pruning_method(method)
        method = container
    return method


class PruningContainer(BasePruningMethod):
    """A sequence of pruning methods on one tensor; the last computes the combined mask.

    The newest method sees only the still-unpruned part: the unpruned entries
    (unstructured), the unpruned channels along its ``dim`` (structured), or everything
    (global).

    Example::

        >>> m = l1_unstructured(nn.Linear(4, 4), "weight", amount=0.25)
        >>> m = ln_structured(m, "weight", amount=1, n=2, dim=0)
        >>> [type(p).__name__ for p in m._forward_pre_hooks[next(iter(m._forward_pre_hooks))]]
        ['L1Unstructured', 'LnStructured']
    """

    def __init__(self, *args):
        self._pruning_methods = ()
        if len(args) == 1:
            self._tensor_name = args[0]._tensor_name
            self.add_pruning_method(args[0])
        else:
            for method in args:
                self.add_pruning_method(method)

    def add_pruning_method(self, method):
        """Append ``method`` (acting on the same tensor name)."""
        if not isinstance(method, BasePruningMethod) and method is not None:
            raise TypeError(f"{type(method)} is not a BasePruningMethod subclass")
        if method is not None and self._tensor_name != method._tensor_name:
            raise ValueError("Can only add pruning methods acting on the parameter named "
                             f"'{self._tensor_name}' to PruningContainer {self}. Found "
                             f"'{method._tensor_name}'")
        self._pruning_methods += (method,)

    def __len__(self):
        return len(self._pruning_methods)

    def __iter__(self):
        return iter(self._pruning_methods)

    def __getitem__(self, idx):
        return self._pruning_methods[idx]

    def compute_mask(self, t, default_mask):
        method = self._pruning_methods[-1]
        mask = default_mask.to(dtype=t.dtype)
        n_dims = t.dim()
        if method.PRUNING_TYPE == "unstructured":
            slc = default_mask == 1
        elif method.PRUNING_TYPE == "structured":
            if not hasattr(method, "dim"):
                raise AttributeError("Pruning methods of PRUNING_TYPE 'structured' need to have "
                                     "the attribute `dim` defined.")
            dim = method.dim + n_dims if method.dim < 0 else method.dim
            if dim < 0:
                raise IndexError(f"Index is out of bounds for tensor with dimensions {n_dims}")
            keep = default_mask.sum(dim=[d for d in range(n_dims) if d != dim]) != 0
            slc = tuple(keep if d == dim else slice(None) for d in range(n_dims))
        elif method.PRUNING_TYPE == "global":
            slc = (slice(None),) * n_dims
        else:
            raise ValueError(f"Unrecognized PRUNING_TYPE {method.PRUNING_TYPE}")
        partial = method.compute_mask(t[slc], default_mask=default_mask[slc])
        mask[slc] = partial.to(dtype=mask.dtype)
        return mask


class Identity(BasePruningMethod):
    """Prunes nothing: the mask is all ones (useful to get the ``_orig``/``_mask`` layout).

    Example::

        >>> Identity.apply(nn.Linear(2, 2), "weight")._tensor_name
        'weight'
    """

    PRUNING_TYPE = "unstructured"

    def compute_mask(self, t, default_mask):
        return default_mask

    @classmethod
    def apply(cls, module, name):
        return super().apply(module, name)


class _Unstructured(BasePruningMethod):
    """Prunes ``amount`` single entries, those ``_chosen(t, k)`` names (flat indices)."""

    PRUNING_TYPE = "unstructured"

    def __init__(self, amount):
        _validate_pruning_amount_init(amount)
        self.amount = amount

    def compute_mask(self, t, default_mask):
        tensor_size = t.nelement()
        nparams_toprune = _compute_nparams_toprune(self.amount, tensor_size)
        _validate_pruning_amount(nparams_toprune, tensor_size)
        mask = default_mask.clone()
        if nparams_toprune != 0:
            mask.view(-1)[self._chosen(t, nparams_toprune)] = 0
        return mask


class RandomUnstructured(_Unstructured):
    """Zeroes ``amount`` entries chosen at random.

    Args:
        amount (int or float): how many entries (an int) or which fraction (a float in
            [0, 1], rounded) to prune.

    Example::

        >>> m = random_unstructured(nn.Linear(4, 4), "weight", amount=0.25)
        >>> int((m.weight_mask == 0).sum())
        4
    """

    def _chosen(self, t, k):
        return topk(rand_like(t).view(-1), k=k).indices

    @classmethod
    def apply(cls, module, name, amount):
        return super().apply(module, name, amount=amount)


class L1Unstructured(_Unstructured):
    """Zeroes the ``amount`` entries of smallest absolute value.

    Args:
        amount (int or float): how many entries (an int) or which fraction (a float in
            [0, 1], rounded) to prune.

    Example::

        >>> L1Unstructured(2).prune(torch.tensor([3., -1., 0.5, 2.]))
        tensor([3., -0., 0., 2.])
    """

    def _chosen(self, t, k):
        return topk(t.abs().view(-1), k=k, largest=False).indices

    @classmethod
    def apply(cls, module, name, amount, importance_scores=None):
        return super().apply(module, name, amount=amount, importance_scores=importance_scores)


def _channel_mask(t, dim, channels):
    """Ones on the given channels (indices or a bool mask) along ``dim``, zeros elsewhere."""
    mask = zeros_like(t)
    mask[tuple(channels if d == dim else slice(None) for d in range(t.dim()))] = 1
    return mask


class RandomStructured(BasePruningMethod):
    """Zeroes ``amount`` whole channels along ``dim``, chosen at random.

    Args:
        amount (int or float): how many channels (an int) or which fraction (a float).
        dim (int): the channel dimension (default -1).

    Example::

        >>> m = random_structured(nn.Linear(4, 3), "weight", amount=1, dim=0)
        >>> int((m.weight_mask.sum(1) == 0).sum())
        1
    """

    PRUNING_TYPE = "structured"

    def __init__(self, amount, dim=-1):
        _validate_pruning_amount_init(amount)
        self.amount = amount
        self.dim = dim

    def compute_mask(self, t, default_mask):
        _validate_structured_pruning(t)
        _validate_pruning_dim(t, self.dim)
        nchannels = t.shape[self.dim]
        nparams_toprune = _compute_nparams_toprune(self.amount, nchannels)
        _validate_pruning_amount(nparams_toprune, nchannels)
        if nparams_toprune == 0:
            return default_mask
        prob = rand(nchannels)
        threshold = kthvalue(prob, k=nparams_toprune).values
        mask = _channel_mask(t, self.dim % t.dim(), prob > threshold)
        mask *= default_mask.to(dtype=mask.dtype)
        return mask

    @classmethod
    def apply(cls, module, name, amount, dim=-1):
        return super().apply(module, name, amount=amount, dim=dim)


class LnStructured(BasePruningMethod):
    """Zeroes the ``amount`` channels along ``dim`` of smallest ``n``-norm.

    Args:
        amount (int or float): how many channels (an int) or which fraction (a float).
        n (int, float, inf, -inf, 'fro', 'nuc'): the norm's order.
        dim (int): the channel dimension (default -1).

    Example::

        >>> LnStructured(1, n=2, dim=0).prune(torch.tensor([[1., 1.], [3., 0.]]))
        tensor([[0., 0.],
                [3., 0.]])
    """

    PRUNING_TYPE = "structured"

    def __init__(self, amount, n, dim=-1):
        _validate_pruning_amount_init(amount)
        self.amount = amount
        self.n = n
        self.dim = dim

    def compute_mask(self, t, default_mask):
        _validate_structured_pruning(t)
        _validate_pruning_dim(t, self.dim)
        nchannels = t.shape[self.dim]
        nparams_toprune = _compute_nparams_toprune(self.amount, nchannels)
        _validate_pruning_amount(nparams_toprune, nchannels)
        norm = _compute_norm(t, self.n, self.dim)
        kept = topk(norm, k=nchannels - nparams_toprune, largest=True)
        if nparams_toprune == 0:
            return default_mask
        mask = _channel_mask(t, self.dim % t.dim(), kept.indices)
        mask *= default_mask.to(dtype=mask.dtype)
        return mask

    @classmethod
    def apply(cls, module, name, amount, n, dim, importance_scores=None):
        return super().apply(module, name, amount=amount, n=n, dim=dim,
                             importance_scores=importance_scores)


class CustomFromMask(BasePruningMethod):
    """Applies a given mask (multiplied into any existing one).

    Args:
        mask (Tensor): of the pruned tensor's shape; zeros prune.

    Example::

        >>> m = custom_from_mask(nn.Linear(2, 1), "bias", mask=torch.tensor([0.]))
        >>> m.bias
        tensor([0.], grad_fn=<MulBackward0>)
    """

    PRUNING_TYPE = "global"

    def __init__(self, mask):
        self.mask = mask

    def compute_mask(self, t, default_mask):
        assert default_mask.shape == self.mask.shape
        return default_mask * self.mask.to(dtype=default_mask.dtype)

    @classmethod
    def apply(cls, module, name, mask):
        return super().apply(module, name, mask=mask)


def identity(module, name):
    """Prune nothing, but give ``module.<name>`` the pruned layout (``_orig``, ``_mask``).

    Example::

        >>> sorted(identity(nn.Linear(2, 3), "bias").state_dict())
        ['bias_mask', 'bias_orig', 'weight']
    """
    Identity.apply(module, name)
    return module


def random_unstructured(module, name, amount):
    """Prune ``amount`` random entries of ``module.<name>`` (see ``RandomUnstructured``).

    Example::

        >>> m = random_unstructured(nn.Linear(2, 3), "weight", amount=1)
        >>> int((m.weight == 0).sum())
        1
    """
    RandomUnstructured.apply(module, name, amount)
    return module


def l1_unstructured(module, name, amount, importance_scores=None):
    """Prune the ``amount`` smallest-magnitude entries of ``module.<name>``.

    Args:
        module (nn.Module), name (str): the tensor.
        amount (int or float): a count, or a fraction in [0, 1].
        importance_scores (Tensor, optional): ranks entries instead of the tensor's values.

    Example::

        >>> m = l1_unstructured(nn.Linear(2, 3), "weight", amount=0.5)
        >>> int(m.weight_mask.sum())
        3
    """
    L1Unstructured.apply(module, name, amount=amount, importance_scores=importance_scores)
    return module


def random_structured(module, name, amount, dim):
    """Prune ``amount`` random channels of ``module.<name>`` along ``dim``.

    Example::

        >>> m = random_structured(nn.Linear(2, 3), "weight", amount=1, dim=1)
        >>> int((m.weight_mask.sum(0) == 0).sum())
        1
    """
    RandomStructured.apply(module, name, amount, dim)
    return module


def ln_structured(module, name, amount, n, dim, importance_scores=None):
    """Prune the ``amount`` channels of ``module.<name>`` along ``dim`` of smallest ``n``-norm.

    Example::

        >>> m = ln_structured(nn.Conv2d(2, 4, 3), "weight", amount=0.5, n=2, dim=0)
        >>> int((m.weight_mask.sum((1, 2, 3)) == 0).sum())
        2
    """
    LnStructured.apply(module, name, amount, n, dim, importance_scores=importance_scores)
    return module


def global_unstructured(parameters, pruning_method, importance_scores=None, **kwargs):
    """Prune several tensors together: one unstructured method over their concatenation.

    Args:
        parameters (iterable of (module, name)): the tensors.
        pruning_method: an unstructured method class, e.g. ``L1Unstructured``.
        importance_scores (dict, optional): ``{(module, name): scores}`` replacing values.
        **kwargs: for the method (e.g. ``amount``).

    Each tensor ends up pruned by ``CustomFromMask`` with its slice of the global mask.

    Example::

        >>> a, b = nn.Linear(4, 4), nn.Linear(4, 2)
        >>> global_unstructured([(a, "weight"), (b, "weight")], L1Unstructured, amount=12)
        >>> int((a.weight == 0).sum() + (b.weight == 0).sum())
        12
    """
    if not isinstance(parameters, Iterable):
        raise TypeError("global_unstructured(): parameters is not an Iterable")
    parameters = list(parameters)
    importance_scores = importance_scores if importance_scores is not None else {}
    if not isinstance(importance_scores, dict):
        raise TypeError("global_unstructured(): importance_scores must be of type dict")
    scores = parameters_to_vector([importance_scores.get((m, n), getattr(m, n))
                                   for m, n in parameters])
    default_mask = parameters_to_vector([getattr(m, n + "_mask", ones_like(getattr(m, n)))
                                         for m, n in parameters])
    container = PruningContainer()
    container._tensor_name = "temp"
    method = pruning_method(**kwargs)
    method._tensor_name = "temp"
    if method.PRUNING_TYPE != "unstructured":
        raise TypeError('Only "unstructured" PRUNING_TYPE supported for the `pruning_method`. '
                        f"Found method {pruning_method} of type {method.PRUNING_TYPE}")
    container.add_pruning_method(method)
    final_mask = container.compute_mask(scores, default_mask)
    pointer = 0
    for module, name in parameters:
        param = getattr(module, name)
        custom_from_mask(module, name, mask=final_mask[pointer:pointer + param.numel()]
                         .view_as(param))
        pointer += param.numel()


def custom_from_mask(module, name, mask):
    """Prune ``module.<name>`` with a given mask (zeros prune).

    Example::

        >>> m = custom_from_mask(nn.Linear(2, 2), "bias", mask=torch.tensor([0., 1.]))
        >>> m.bias_mask
        tensor([0., 1.])
    """
    CustomFromMask.apply(module, name, mask)
    return module


def remove(module, name):
    """Make the pruning of ``module.<name>`` permanent and drop ``_orig``, ``_mask`` and the hook.

    Example::

        >>> m = remove(l1_unstructured(nn.Linear(2, 2), "weight", amount=1), "weight")
        >>> sorted(m.state_dict())
        ['bias', 'weight']
    """
    for k, hook in module._forward_pre_hooks.items():
        if isinstance(hook, BasePruningMethod) and hook._tensor_name == name:
            hook.remove(module)
            del module._forward_pre_hooks[k]
            return module
    raise ValueError(f"Parameter '{name}' of module {module} has to be pruned before pruning "
                     "can be removed")


def is_pruned(module):
    """Whether any tensor of ``module`` or its submodules is pruned.

    Example::

        >>> is_pruned(nn.Linear(2, 2))
        False
    """
    return any(isinstance(hook, BasePruningMethod)
               for _, sub in module.named_modules() for hook in sub._forward_pre_hooks.values())


def _validate_pruning_amount_init(amount):
    if not isinstance(amount, numbers.Real):
        raise TypeError(f"Invalid type for amount: {amount}. Must be int or float.")
    if (isinstance(amount, numbers.Integral) and amount < 0) or \
            (not isinstance(amount, numbers.Integral) and not 0.0 <= float(amount) <= 1.0):
        raise ValueError(f"amount={amount} should either be a float in the range [0, 1] or a "
                         "non-negative integer")


def _validate_pruning_amount(amount, tensor_size):
    if isinstance(amount, numbers.Integral) and amount > tensor_size:
        raise ValueError(f"amount={amount} should be smaller than the number of parameters to "
                         f"prune={tensor_size}")


def _validate_structured_pruning(t):
    if len(t.shape) <= 1:
        raise ValueError("Structured pruning can only be applied to multidimensional tensors. "
                         f"Found tensor of shape {t.shape} with {len(t.shape)} dims")


def _compute_nparams_toprune(amount, tensor_size):
    if isinstance(amount, numbers.Integral):
        return amount
    return round(amount * tensor_size)


def _validate_pruning_dim(t, dim):
    if dim >= t.dim():
        raise IndexError(f"Invalid index {dim} for tensor of size {t.shape}")


def _compute_norm(t, n, dim):
    dims = list(range(t.dim()))
    dims.remove(dims[dim])
    return t.norm(p=n, dim=dims)
