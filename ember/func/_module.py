"""``functional_call`` and ``stack_module_state``: modules as functions of their tensors."""
from collections import Counter
from ..nn.utils.stateless import _reparametrize_module
from .._ops.shape.funcs import stack

__all__ = ["functional_call", "stack_module_state"]


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    """Run ``module`` with the given tensors in place of its parameters and buffers.

    Args:
        module: an ``nn.Module``.
        parameter_and_buffer_dicts: a dict of dotted names (``"0.weight"``) to tensors, or a
            tuple/list of such dicts (a name may appear in only one); names left out keep the
            module's own tensors.
        args: one positional argument or a tuple of them; kwargs: a dict of keyword arguments.
        tie_weights: a tensor given for one of several tied names serves them all.
        strict: every parameter and buffer must be given, and nothing else.

    Returns:
        The module's output; the module itself is left unchanged.

    Example::

        >>> from ember.func import functional_call
        >>> m = ember.nn.Linear(2, 1)
        >>> functional_call(m, {"weight": ember.ones(1, 2), "bias": ember.zeros(1)}, ember.ones(2))
        tensor([2.])
    """
    if isinstance(parameter_and_buffer_dicts, dict):
        given = parameter_and_buffer_dicts
    elif isinstance(parameter_and_buffer_dicts, (list, tuple)):
        counts = Counter(k for d in parameter_and_buffer_dicts for k in d)
        repeated = [k for k, n in counts.items() if n > 1]
        if repeated:
            raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of "
                             "functional call is ambiguous")
        given = {k: v for d in parameter_and_buffer_dicts for k, v in d.items()}
    else:
        raise ValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of "
                         f"dicts, but got {type(parameter_and_buffer_dicts)}")
    kwargs = {} if kwargs is None else kwargs
    args = () if args is None else args if isinstance(args, tuple) else (args,)
    with _reparametrize_module(module, given, tie_weights=tie_weights, strict=strict):
        return module(*args, **kwargs)


def _stacked_leaf(tensors, name):
    grads = {t.requires_grad for t in tensors}
    if len(grads) != 1:
        raise RuntimeError(f"Expected {name} from each model to have the same .requires_grad")
    result = stack([t.detach() for t in tensors])
    return result.requires_grad_(True) if grads.pop() else result


def stack_module_state(models):
    """Stack the parameters and buffers of same-class models, for ensembling with ``vmap``.

    Args:
        models: a sequence of ``M`` modules of one class, all in training or all in eval mode.

    Returns:
        ``(params, buffers)``: dicts from dotted names to tensors with a leading dim of ``M``;
        stacked parameters are new leaves (requiring grad where the originals do).

    Example::

        >>> from ember.func import stack_module_state
        >>> params, buffers = stack_module_state([ember.nn.Linear(3, 2) for _ in range(4)])
        >>> params["weight"].shape
        ember.Size([4, 2, 3])
    """
    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if len({m.training for m in models}) != 1:
        raise RuntimeError("stack_module_state: Expected all models to have the same "
                           "training/eval mode.")
    if any(type(m) is not type(models[0]) for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")
    named = [dict(m.named_parameters()) for m in models]
    params = {k: _stacked_leaf([p[k] for p in named], k) for k in named[0]}
    named = [dict(m.named_buffers()) for m in models]
    buffers = {k: _stacked_leaf([b[k] for b in named], k) for k in named[0]}
    return params, buffers
