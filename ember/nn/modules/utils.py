"""Argument helpers layer code imports from ``torch.nn.modules.utils``.

``_pair(3) == (3, 3)`` and ``_pair((1, 2)) == (1, 2)``: an int (or any non-iterable) is repeated
to the layer's number of spatial dims, an iterable becomes a tuple as it is.  Also the padding
reorder that ``F.pad`` wants and the prefix strip that loads a ``DataParallel`` state dict into a
plain model.
"""
import collections.abc

__all__ = ["consume_prefix_in_state_dict_if_present"]


def _ntuple(n, name="parse"):
    """A parser turning a scalar into an ``n``-tuple of it and an iterable into a tuple."""
    def parse(x):
        return tuple(x) if isinstance(x, collections.abc.Iterable) else (x,) * n

    parse.__name__ = name
    return parse


_single = _ntuple(1, "_single")
_pair = _ntuple(2, "_pair")
_triple = _ntuple(3, "_triple")
_quadruple = _ntuple(4, "_quadruple")


def _reverse_repeat_tuple(t, n):
    """``t`` last element first, each repeated ``n`` times: ``((1, 2), 2) -> (2, 2, 1, 1)``.

    Turns a layer's per-dim padding into ``F.pad``'s (last dim first, before/after) order.
    """
    return tuple(x for x in reversed(t) for _ in range(n))


def _list_with_default(out_size, defaults):
    """An adaptive pool's output size with each None taken from the input's trailing sizes.

    ``_list_with_default([None, 3], [8, 5, 7]) == [5, 3]``; an int is returned as it is.
    """
    if isinstance(out_size, int):
        return out_size
    if len(defaults) <= len(out_size):
        raise ValueError(f"Input dimension should be at least {len(out_size) + 1}")
    return [d if v is None else v for v, d in zip(out_size, defaults[-len(out_size):])]


def consume_prefix_in_state_dict_if_present(state_dict, prefix):
    """Strip ``prefix`` (e.g. ``"module."``) from the keys that start with it, in place.

    A state dict saved from ``DataParallel(model)`` then loads into ``model`` itself.  The
    ``_metadata`` keys are renamed the same way (the wrapper's own entry, ``"module"``, becomes
    the root ``""``).
    """
    for key in list(state_dict):
        if key.startswith(prefix):
            state_dict[key[len(prefix):]] = state_dict.pop(key)
    metadata = getattr(state_dict, "_metadata", None)
    if metadata is None:
        return
    for key in list(metadata):
        if key and (key == prefix.replace(".", "") or key.startswith(prefix)):
            metadata[key[len(prefix):]] = metadata.pop(key)
