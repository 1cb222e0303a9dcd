"""Docstrings of the comparison, logical and value-test functions that ``funcs.py`` makes
with factories (the in-place forms and Tensor methods share them)."""

DOCS = {
    "eq": """Whether each element of ``input`` is equal to ``other``: ``input == other``.

    Operands promote to a common dtype first; NaN compares unequal to everything.
    The result is a bool tensor.

    Args:
        input (Tensor): the first operand.
        other (Tensor or Number): the second operand; shapes broadcast.
        out (Tensor, optional): write the result here.

    Shape:
        - Output: the broadcast shape of ``input`` and ``other``, dtype ``bool``.

    Example:
        >>> ember.eq(ember.tensor([1, 2, 3]), 2)
        tensor([False,  True, False])
    """,
    "ne": """Whether each element of ``input`` is not equal to ``other``: ``input != other``.

    Operands promote to a common dtype first; NaN compares unequal to everything.
    Also spelled ``not_equal``. The result is a bool tensor.

    Args:
        input (Tensor): the first operand.
        other (Tensor or Number): the second operand; shapes broadcast.
        out (Tensor, optional): write the result here.

    Shape:
        - Output: the broadcast shape of ``input`` and ``other``, dtype ``bool``.

    Example:
        >>> ember.ne(ember.tensor([1, 2]), ember.tensor([1, 3]))
        tensor([False,  True])
    """,
    "lt": """Whether each element of ``input`` is less than ``other``: ``input < other``.

    Operands promote to a common dtype first; NaN compares unequal to everything.
    Complex tensors raise (they have no order). Also spelled ``less``. The result is a bool tensor.

    Args:
        input (Tensor): the first operand.
        other (Tensor or Number): the second operand; shapes broadcast.
        out (Tensor, optional): write the result here.

    Shape:
        - Output: the broadcast shape of ``input`` and ``other``, dtype ``bool``.

    Example:
        >>> ember.lt(ember.tensor([1, 2, 3]), 2)
        tensor([ True, False, False])
    """,
    "le": """Whether each element of ``input`` is less than or equal to ``other``: ``input <= other``.

    Operands promote to a common dtype first; NaN compares unequal to everything.
    Complex tensors raise (they have no order). Also spelled ``less_equal``. The result is a bool tensor.

    Args:
        input (Tensor): the first operand.
        other (Tensor or Number): the second operand; shapes broadcast.
        out (Tensor, optional): write the result here.

    Shape:
        - Output: the broadcast shape of ``input`` and ``other``, dtype ``bool``.

    Example:
        >>> ember.le(ember.tensor([1, 2, 3]), 2)
        tensor([ True,  True, False])
    """,
    "gt": """Whether each element of ``input`` is greater than ``other``: ``input > other``.

    Operands promote to a common dtype first; NaN compares unequal to everything.
    Complex tensors raise (they have no order). Also spelled ``greater``. The result is a bool tensor.

    Args:
        input (Tensor): the first operand.
        other (Tensor or Number): the second operand; shapes broadcast.
        out (Tensor, optional): write the result here.

    Shape:
        - Output: the broadcast shape of ``input`` and ``other``, dtype ``bool``.

    Example:
        >>> ember.gt(ember.tensor([1.0, 2.0]), ember.tensor([0.0, 5.0]))
        tensor([ True, False])
    """,
    "ge": """Whether each element of ``input`` is greater than or equal to ``other``: ``input >= other``.

    Operands promote to a common dtype first; NaN compares unequal to everything.
    Complex tensors raise (they have no order). Also spelled ``greater_equal``. The result is a bool tensor.

    Args:
        input (Tensor): the first operand.
        other (Tensor or Number): the second operand; shapes broadcast.
        out (Tensor, optional): write the result here.

    Shape:
        - Output: the broadcast shape of ``input`` and ``other``, dtype ``bool``.

    Example:
        >>> ember.ge(ember.tensor([1, 2, 3]), 2)
        tensor([False,  True,  True])
    """,
    "logical_and": """The logical and of ``input`` and ``other``, elementwise: true where both are non-zero.

    Any dtypes; non-zero counts as true. The result is a bool tensor.

    Args:
        input (Tensor): the first operand.
        other (Tensor): the second operand; shapes broadcast.
        out (Tensor, optional): write the result here.

    Shape:
        - Output: the broadcast shape of ``input`` and ``other``, dtype ``bool``.

    Example:
        >>> ember.logical_and(ember.tensor([True, False]), ember.tensor([1, 1]))
        tensor([ True, False])
    """,
    "logical_or": """The logical or of ``input`` and ``other``, elementwise: true where either is non-zero.

    Any dtypes; non-zero counts as true. The result is a bool tensor.

    Args:
        input (Tensor): the first operand.
        other (Tensor): the second operand; shapes broadcast.
        out (Tensor, optional): write the result here.

    Shape:
        - Output: the broadcast shape of ``input`` and ``other``, dtype ``bool``.

    Example:
        >>> ember.logical_or(ember.tensor([0, 0]), ember.tensor([0.0, 2.0]))
        tensor([False,  True])
    """,
    "logical_xor": """The logical exclusive or of ``input`` and ``other``, elementwise: true where exactly one is non-zero.

    Any dtypes; non-zero counts as true. The result is a bool tensor.

    Args:
        input (Tensor): the first operand.
        other (Tensor): the second operand; shapes broadcast.
        out (Tensor, optional): write the result here.

    Shape:
        - Output: the broadcast shape of ``input`` and ``other``, dtype ``bool``.

    Example:
        >>> ember.logical_xor(ember.tensor([True, True]), ember.tensor([True, False]))
        tensor([False,  True])
    """,
    "isnan": """Whether each element of ``input`` is NaN.

    Integer and bool tensors give a constant answer. The result is a bool tensor of
    ``input``'s shape.

    Args:
        input (Tensor): the input.

    Example:
        >>> ember.isnan(ember.tensor([1.0, float("nan")]))
        tensor([False,  True])
    """,
    "isinf": """Whether each element of ``input`` is infinite (``+inf`` or ``-inf``).

    Integer and bool tensors give a constant answer. The result is a bool tensor of
    ``input``'s shape.

    Args:
        input (Tensor): the input.

    Example:
        >>> ember.isinf(ember.tensor([1.0, float("inf"), -float("inf")]))
        tensor([False,  True,  True])
    """,
    "isfinite": """Whether each element of ``input`` is finite (neither infinite nor NaN).

    Integer and bool tensors give a constant answer. The result is a bool tensor of
    ``input``'s shape.

    Args:
        input (Tensor): the input.

    Example:
        >>> ember.isfinite(ember.tensor([1.0, float("inf"), float("nan")]))
        tensor([ True, False, False])
    """,
    "isposinf": """Whether each element of ``input`` is ``+inf``.

    Integer and bool tensors give a constant answer. The result is a bool tensor of
    ``input``'s shape.

    Args:
        input (Tensor): the input.

    Example:
        >>> ember.isposinf(ember.tensor([1.0, float("inf"), -float("inf")]))
        tensor([False,  True, False])
    """,
    "isneginf": """Whether each element of ``input`` is ``-inf``.

    Integer and bool tensors give a constant answer. The result is a bool tensor of
    ``input``'s shape.

    Args:
        input (Tensor): the input.

    Example:
        >>> ember.isneginf(ember.tensor([1.0, float("inf"), -float("inf")]))
        tensor([False, False,  True])
    """,
    "isreal": """Whether each element of ``input`` has a zero imaginary part.

    Integer and bool tensors give a constant answer. The result is a bool tensor of
    ``input``'s shape.

    Args:
        input (Tensor): the input.

    Example:
        >>> ember.isreal(ember.tensor([1 + 0j, 1 + 1j]))
        tensor([ True, False])
    """,
}
