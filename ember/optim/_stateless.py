"""``swap_in_optimizer_params_and_state``: run an optimizer on other parameters and state for
the length of a ``with`` block."""
import contextlib
from collections import defaultdict

from .._tensor import Tensor

__all__ = ["swap_in_optimizer_params_and_state"]

_NAME = "swap_in_optimizer_params_and_state"


def _fail(message):
    raise RuntimeError(message)


def _checked_state(state):
    """The ``state`` field: a dict from packed ids to per-parameter dicts."""
    if not isinstance(state, dict):
        _fail(f"{_NAME} requires swapin_optim_state['state'] to be a dict mapping packed "
              f"parameter ids to per-param state dicts, got {type(state).__name__}.")
    if any(isinstance(k, Tensor) for k in state):
        _fail(f"{_NAME} requires optimizer.state_dict()-style state keyed by packed "
              "parameter ids.")
    if any(isinstance(k, int) and not isinstance(v, dict) for k, v in state.items()):
        _fail(f"{_NAME} requires per-parameter optimizer state entries to be dictionaries.")
    return state


def _checked_ids(index, group, saved):
    """The packed ids of one saved group, after checking it mirrors the live ``group``."""
    if not isinstance(saved, dict):
        _fail(f"{_NAME} requires each optimizer param group to be a dictionary.")
    ids = saved.get("params")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        _fail(f"{_NAME} requires optimizer.state_dict()-style param_groups[*]['params'] "
              "entries keyed by packed parameter ids.")
    if len(group["params"]) != len(ids):
        _fail(f"swapin_optim_state param group {index} has a different number of params than "
              "the live optimizer param group.")
    saved_only = [k for k in saved if k not in group]
    live_only = [k for k in group if k not in saved]
    if saved_only or live_only:
        _fail(f"{_NAME} requires optimizer.state_dict()-style param group keys to exactly "
              f"match the live optimizer group keys for group {index}. Keys only in swap-in: "
              f"{saved_only}. Keys only in live: {live_only}.")
    return ids


@contextlib.contextmanager
def swap_in_optimizer_params_and_state(optimizer, swapin_parameters, swapin_optim_state):
    """Inside the block, ``optimizer`` steps ``swapin_parameters`` with ``swapin_optim_state``.

    ``swapin_parameters`` maps names to tensors in the order of the
    optimizer's parameters (e.g. another copy of the model's
    ``named_parameters()``); ``swapin_optim_state`` is shaped like
    ``optimizer.state_dict()`` (packed ids, group hyper-parameters). For the
    block the groups hold those tensors and hyper-parameters and
    ``optimizer.state`` the given per-parameter state (the dicts are shallow
    copies: in-place tensor updates reach the caller's tensors); on exit the
    live groups and state come back unchanged. The optimizer must already
    have state (have stepped). Unlike ``load_state_dict``, the parameters are
    swapped too.

    Args:
        optimizer (Optimizer): an optimizer that has stepped.
        swapin_parameters (dict): name to tensor, for the optimizer's parameters.
        swapin_optim_state (dict): shaped like ``optimizer.state_dict()``.

    Example::

        >>> model, other_model = ember.nn.Linear(2, 1), ember.nn.Linear(2, 1)
        >>> opt = ember.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        >>> model(ember.ones(1, 2)).sum().backward(); opt.step()
        >>> other_opt_state = opt.state_dict()
        >>> other_model(ember.ones(1, 2)).sum().backward(); before = other_model.bias.item()
        >>> with ember.optim.swap_in_optimizer_params_and_state(
        ...         opt, dict(other_model.named_parameters()), other_opt_state):
        ...     opt.step()  # updates other_model's weights and other_opt_state's tensors
        >>> round(before - other_model.bias.item(), 4)  # lr * (momentum * buffer + grad)
        0.19
    """
    if not optimizer.state:
        _fail(f"{_NAME} requires initialized optimizer state.")
    if not isinstance(swapin_optim_state, dict):
        _fail(f"{_NAME} requires a DCP-style optimizer state_dict.")
    state = _checked_state(swapin_optim_state.get("state"))
    saved_groups = swapin_optim_state.get("param_groups")
    if not isinstance(saved_groups, list):
        _fail(f"{_NAME} requires swapin_optim_state['param_groups'] to be a list of "
              f"param-group dicts, got {type(saved_groups).__name__}.")
    if len(optimizer.param_groups) != len(saved_groups):
        _fail("swapin_optim_state has a different number of parameter groups than the live "
              "optimizer.")
    tensors = list(swapin_parameters.values())
    plan, seen, offset = [], set(), 0
    for index, (group, saved) in enumerate(zip(optimizer.param_groups, saved_groups)):
        ids = _checked_ids(index, group, saved)
        seen.update(ids)
        if offset + len(ids) > len(tensors):
            _fail(f"{_NAME} requires the explicit parameter state to match "
                  "optimizer.param_groups ordering.")
        plan.append((group, saved, ids, tensors[offset:offset + len(ids)]))
        offset += len(ids)
    extra = [k for k in state if k not in seen]
    if extra:
        _fail(f"{_NAME} requires swapin_optim_state['state'] to be keyed only by packed "
              f"parameter ids from param_groups[*]['params']; got extra keys {extra!r}.")

    live_state = optimizer.state
    snapshots = [dict(g) for g in optimizer.param_groups]
    try:
        swapped = defaultdict(dict)
        for group, saved, ids, params in plan:
            group.update({k: v for k, v in saved.items() if k != "params"}, params=params)
            for p, i in zip(params, ids):
                swapped[p] = dict(state.get(i, {}))
        optimizer.state = swapped
        yield
    finally:
        for group, snapshot in zip(optimizer.param_groups, snapshots):
            group.clear()
            group.update(snapshot)
        optimizer.state = live_state
