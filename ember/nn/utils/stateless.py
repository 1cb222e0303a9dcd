"""Call a module with other tensors in place of its parameters and buffers.

``functional_call(model, {"weight": w}, (x,))`` swaps the named tensors in, runs
``model(x)``, and puts the module's own tensors back (also when the call raises), so
gradients flow to the given tensors and the module is unchanged afterwards.

Example:
    >>> from ember.nn.utils.stateless import functional_call
    >>> m = ember.nn.Linear(2, 1)
    >>> w = ember.ones(1, 2, requires_grad=True)
    >>> out = functional_call(m, {"weight": w, "bias": ember.zeros(1)}, (ember.ones(3, 2),))
    >>> out.sum().backward(); w.grad
    tensor([[3., 3.]])
"""
import contextlib
import warnings

from ..._tensor import Tensor
from ..parallel import DataParallel

__all__ = ["functional_call"]


def _named_tensors(module):
    named = dict(module.named_parameters(remove_duplicate=False))
    named.update(module.named_buffers(remove_duplicate=False))
    return named


def _untie(module, given):
    """Extend ``given`` to every name tied (the same tensor object) to a given name."""
    names_of = {}
    for name, tensor in _named_tensors(module).items():
        names_of.setdefault(id(tensor), set()).add(name)
    tied = {name: names for names in names_of.values() if len(names) > 1 for name in names}
    untied = dict(given)
    for name in (n for n in given if n in tied):
        names = tied[name]
        if len(names & given.keys()) > 1 and len({id(given[n]) for n in names if n in given}) != 1:
            raise ValueError(f"functional_call got multiple values for keys {sorted(names)}, "
                             "which are tied. Consider using tie_weights=False")
        untied.update((n, given[name]) for n in names)
    return untied


_MISSING = object()


def _swap(module, dotted, tensor):
    """Put ``tensor`` at ``dotted`` (``_MISSING`` deletes it); return what was there."""
    path, _, name = dotted.rpartition(".")
    owner = module.get_submodule(path)
    if tensor is not _MISSING and not isinstance(tensor, Tensor):
        raise TypeError(f"{tensor} is not an instance of torch.Tensor")
    for registry in (owner._parameters, owner._buffers):
        if name in registry:
            old = registry[name]
            if tensor is _MISSING:
                del registry[name]
            else:
                registry[name] = tensor
            return old
    old = getattr(owner, name, _MISSING)
    if tensor is _MISSING:
        delattr(owner, name)
    else:
        setattr(owner, name, tensor)
    return old


@contextlib.contextmanager
def _reparametrize_module(module, parameters_and_buffers, tie_weights=False, strict=False):
    given = _untie(module, parameters_and_buffers) if tie_weights else parameters_and_buffers
    if strict:
        valid = set(_named_tensors(module))
        unexpected = sorted(set(given) - valid)
        missing = sorted(valid - set(given))
        errors = []
        if unexpected:
            errors.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
        if missing:
            errors.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
        if errors:
            raise RuntimeError("Error(s) in reparametrizing for {}:\n\t{}".format(
                module._get_name(), "\n\t".join(errors)))
    originals = {}
    try:
        for name, tensor in given.items():
            originals[name] = _swap(module, name, tensor)
        yield
    finally:
        for name, tensor in originals.items():
            _swap(module, name, tensor)


def functional_call(module, parameters_and_buffers, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    """Run ``module(*args, **kwargs)`` with ``parameters_and_buffers`` replacing its own tensors.

    Args:
        module (nn.Module): the model.
        parameters_and_buffers (dict): dotted names (as in ``state_dict``) to tensors;
            names left out keep the module's own tensors.
        args: one positional argument or a tuple of them.
        kwargs (dict, optional): keyword arguments.
        tie_weights (bool): a tensor given for one of several tied names is used for all.
        strict (bool): every parameter and buffer must be given, and nothing else.

    Returns the module's output.  Deprecated in torch in favour of
    ``torch.func.functional_call`` (a FutureWarning).

    Example:
        >>> from ember.nn.utils.stateless import functional_call
        >>> m = ember.nn.Linear(3, 1)
        >>> out = functional_call(m, {"bias": ember.tensor([5.])}, ember.zeros(2, 3))
        >>> out.flatten().tolist()
        [5.0, 5.0]
    """
    warnings.warn("`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 "
                  "and will be removed in a future version of PyTorch. Please use "
                  "`torch.func.functional_call` instead which is a drop-in replacement.",
                  FutureWarning, stacklevel=2)
    if isinstance(module, DataParallel):
        raise RuntimeError("The stateless API can't be used with nn.DataParallel module")
    kwargs = {} if kwargs is None else kwargs
    args = () if args is None else args if isinstance(args, tuple) else (args,)
    with _reparametrize_module(module, parameters_and_buffers, tie_weights=tie_weights,
                               strict=strict):
        return module(*args, **kwargs)
