"""The one name of ``torch._dynamo._trace_wrapped_higher_order_op`` that libraries import.

In torch, ``TransformGetItemToIndex`` is a function mode that makes indexing with 0-d integer
tensors stay a tensor operation (no ``.item()``) while ``vmap`` traces a mask function
(transformers' ``masking_utils`` enters it). ember's indexing with a 0-d integer tensor already
gathers without leaving tensors, so the mode changes nothing here: entering it is allowed and has
no effect.

Example::

    >>> from ember._dynamo._trace_wrapped_higher_order_op import TransformGetItemToIndex
    >>> with TransformGetItemToIndex():
    ...     ember.arange(4)[ember.tensor(2)]
    tensor(2)
"""

__all__ = ["TransformGetItemToIndex"]


class TransformGetItemToIndex:
    """A context manager that leaves ember's tensor indexing as it is (see the module docstring)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
