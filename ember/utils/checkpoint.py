"""ember.utils.checkpoint: activation checkpointing's API, computed without recomputation.

ember keeps every activation of the forward pass, so ``checkpoint`` simply calls
the function: gradients are exactly torch's, memory is not saved.
"""
__all__ = ["checkpoint", "checkpoint_sequential"]


def checkpoint(function, *args, use_reentrant=None, context_fn=None, determinism_check="default",
               debug=False, preserve_rng_state=True, **kwargs):
    """Return ``function(*args, **kwargs)``; activations are kept instead of recomputed."""
    return function(*args, **kwargs)


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """Run ``functions`` (a list or ``nn.Sequential``) in order on ``input``.

    ``segments`` must be a positive int but changes nothing, as nothing is recomputed.
    """
    if hasattr(functions, "children") and callable(functions.children):
        functions = list(functions.children())
    if not isinstance(segments, int) or isinstance(segments, bool) or segments <= 0:
        raise ValueError(f"checkpoint_sequential(): segments must be a positive int, "
                         f"got {segments!r}")
    for fn in functions:
        input = fn(input)
    return input
