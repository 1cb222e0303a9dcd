"""Docstrings of the reduction, sorting and softmax functions that ``funcs.py`` defines
without one of their own (the family factories' functions and the short wrappers).

``funcs._public`` gives a function the entry of its name when its body has no docstring.
"""

_DIM = """        input (Tensor): the input.
        dim (int or tuple of int, optional): the dims to reduce. Default: all of them.
        keepdim (bool): keep the reduced dims with size 1. Default: ``False``."""
_ONE_DIM = """        input (Tensor): the input.
        dim (int): the dim to work along."""
_OUT = """        out (Tensor, optional): write the result here."""
_DTYPE = """        dtype (ember.dtype, optional): cast ``input`` to this dtype first. Default: ``None``."""
_VAR = """        input (Tensor): the input.
        dim (int or tuple of int, optional): the dims to reduce. Default: all of them.
        unbiased (bool, optional): the older spelling of ``correction`` (``True`` is 1,
            ``False`` is 0).
        keepdim (bool): keep the reduced dims with size 1. Default: ``False``.
        correction (int, optional): the difference ``N - ddof`` divides by. Default: ``1``."""
_REDUCED = """
    Shape:
        - Output: ``input``'s shape without the reduced dims (with size 1 if ``keepdim``)."""


def _doc(summary, text, args, example, shape=""):
    return f"""{summary}

    {text}

    Args:
{args}
{shape}
    Example:
{example}
    """


_X = "        >>> x = ember.tensor([[1.0, 5.0, 2.0], [4.0, 0.0, 3.0]])\n"

DOCS = {
    "sum": _doc(
        "The sum of the elements of ``input``, of all of them or along ``dim``.",
        """Integer and bool inputs are summed in ``int64``; an empty reduction gives 0.""",
        _DIM + "\n" + _DTYPE + "\n" + _OUT,
        _X + """        >>> ember.sum(x)
        tensor(15.)
        >>> ember.sum(x, dim=1, keepdim=True)
        tensor([[8.],
                [7.]])""", _REDUCED),
    "nansum": _doc(
        "The sum of the elements of ``input``, treating NaN as zero.",
        """As :func:`ember.sum`, skipping NaN values of float inputs.""",
        _DIM + "\n" + _DTYPE + "\n" + _OUT,
        """        >>> ember.nansum(ember.tensor([1.0, float("nan"), 2.0]))
        tensor(3.)""", _REDUCED),
    "mean": _doc(
        "The arithmetic mean of the elements of ``input``, of all of them or along ``dim``.",
        """``out = sum(input) / N`` over the ``N`` reduced elements; ``input`` must be float or
    complex (or ``dtype`` must make it so).""",
        _DIM + "\n" + _DTYPE + "\n" + _OUT,
        _X + """        >>> ember.mean(x, dim=0)
        tensor([2.5000, 2.5000, 2.5000])""", _REDUCED),
    "nanmean": _doc(
        "The mean of the elements of ``input`` that are not NaN.",
        """``out = nansum(input) / (number of non-NaN elements)``; all-NaN slices give NaN.""",
        _DIM + "\n" + _DTYPE + "\n" + _OUT,
        """        >>> ember.nanmean(ember.tensor([1.0, float("nan"), 3.0]))
        tensor(2.)""", _REDUCED),
    "max": _doc(
        "The largest element of ``input``, the largest along ``dim`` with its index, or the "
        "elementwise maximum of two tensors.",
        """``max(input)`` gives a 0-d tensor; ``max(input, dim)`` gives the named tuple
    ``(values, indices)``; ``max(input, other)`` is :func:`ember.maximum`. NaN propagates.""",
        _ONE_DIM.replace("(int)", "(int, optional)") + """
        keepdim (bool): keep the reduced dim with size 1. Default: ``False``.
        other (Tensor, optional): a second tensor to compare with elementwise.
""" + _OUT,
        _X + """        >>> ember.max(x)
        tensor(5.)
        >>> ember.max(x, dim=1)
        ember.return_types.max(
        values=tensor([5., 4.]),
        indices=tensor([1, 0]))""", _REDUCED),
    "min": _doc(
        "The smallest element of ``input``, the smallest along ``dim`` with its index, or the "
        "elementwise minimum of two tensors.",
        """``min(input)`` gives a 0-d tensor; ``min(input, dim)`` gives the named tuple
    ``(values, indices)``; ``min(input, other)`` is :func:`ember.minimum`. NaN propagates.""",
        _ONE_DIM.replace("(int)", "(int, optional)") + """
        keepdim (bool): keep the reduced dim with size 1. Default: ``False``.
        other (Tensor, optional): a second tensor to compare with elementwise.
""" + _OUT,
        _X + """        >>> ember.min(x, 0)
        ember.return_types.min(
        values=tensor([1., 0., 2.]),
        indices=tensor([0, 1, 0]))""", _REDUCED),
    "amax": _doc(
        "The largest elements of ``input`` over the dims ``dim`` (values only).",
        """Unlike :func:`ember.max` it reduces several dims at once and returns no indices; tied
    maxima share the gradient evenly.""",
        _DIM + "\n" + _OUT,
        _X + """        >>> ember.amax(x, dim=0)
        tensor([4., 5., 3.])""", _REDUCED),
    "amin": _doc(
        "The smallest elements of ``input`` over the dims ``dim`` (values only).",
        """Unlike :func:`ember.min` it reduces several dims at once and returns no indices; tied
    minima share the gradient evenly.""",
        _DIM + "\n" + _OUT,
        _X + """        >>> ember.amin(x, dim=1)
        tensor([1., 0.])""", _REDUCED),
    "argmax": _doc(
        "The index of the largest element of ``input``, overall or along ``dim``.",
        """Without ``dim`` the index is into the flattened input. The first of tied maxima
    wins; the result is ``int64``.""",
        _ONE_DIM.replace("(int)", "(int, optional)") + """
        keepdim (bool): keep the reduced dim with size 1. Default: ``False``.""",
        _X + """        >>> ember.argmax(x, dim=1)
        tensor([1, 0])""", _REDUCED),
    "argmin": _doc(
        "The index of the smallest element of ``input``, overall or along ``dim``.",
        """Without ``dim`` the index is into the flattened input. The first of tied minima
    wins; the result is ``int64``.""",
        _ONE_DIM.replace("(int)", "(int, optional)") + """
        keepdim (bool): keep the reduced dim with size 1. Default: ``False``.""",
        _X + """        >>> ember.argmin(x)
        tensor(4)""", _REDUCED),
    "var": _doc(
        "The variance of the elements of ``input``, of all of them or along ``dim``.",
        """``out = sum((x - mean(x)) ** 2) / (N - correction)``; the default ``correction=1``
    gives the unbiased estimate.""",
        _VAR + "\n" + _OUT,
        """        >>> ember.var(ember.tensor([1.0, 2.0, 3.0, 4.0]))
        tensor(1.6667)""", _REDUCED),
    "std": _doc(
        "The standard deviation of the elements of ``input``, the square root of "
        ":func:`ember.var`.",
        """``out = sqrt(sum((x - mean(x)) ** 2) / (N - correction))``.""",
        _VAR + "\n" + _OUT,
        """        >>> ember.std(ember.tensor([1.0, 2.0, 3.0, 4.0]), correction=0)
        tensor(1.1180)""", _REDUCED),
    "var_mean": _doc(
        "The variance and the mean of ``input`` together, as the tuple ``(var, mean)``.",
        """The same reduction as :func:`ember.var` and :func:`ember.mean`.""",
        _VAR,
        """        >>> ember.var_mean(ember.tensor([1.0, 2.0, 3.0]))
        (tensor(1.), tensor(2.))""", _REDUCED),
    "std_mean": _doc(
        "The standard deviation and the mean of ``input`` together, as ``(std, mean)``.",
        """The same reduction as :func:`ember.std` and :func:`ember.mean`.""",
        _VAR,
        """        >>> ember.std_mean(ember.tensor([1.0, 2.0, 3.0]))
        (tensor(1.), tensor(2.))""", _REDUCED),
    "cumsum": _doc(
        "The running sum of ``input`` along ``dim``.",
        """``out[i] = input[0] + ... + input[i]`` along ``dim``; integer inputs sum in ``int64``.""",
        _ONE_DIM + "\n" + _DTYPE + "\n" + _OUT,
        """        >>> ember.cumsum(ember.tensor([1, 2, 3]), 0)
        tensor([1, 3, 6])"""),
    "cumprod": _doc(
        "The running product of ``input`` along ``dim``.",
        """``out[i] = input[0] * ... * input[i]`` along ``dim``; integer inputs multiply in
    ``int64``.""",
        _ONE_DIM + "\n" + _DTYPE + "\n" + _OUT,
        """        >>> ember.cumprod(ember.tensor([1.0, 2.0, 3.0]), 0)
        tensor([1., 2., 6.])"""),
    "cummax": _doc(
        "The running maximum of ``input`` along ``dim``, with the index where each was reached.",
        """Returns the named tuple ``(values, indices)``; ``values[i] = max(input[:i + 1])``.""",
        _ONE_DIM + "\n" + _OUT,
        """        >>> ember.cummax(ember.tensor([1, 3, 2, 5]), 0)
        ember.return_types.cummax(
        values=tensor([1, 3, 3, 5]),
        indices=tensor([0, 1, 1, 3]))"""),
    "cummin": _doc(
        "The running minimum of ``input`` along ``dim``, with the index where each was reached.",
        """Returns the named tuple ``(values, indices)``; ``values[i] = min(input[:i + 1])``.""",
        _ONE_DIM + "\n" + _OUT,
        """        >>> ember.cummin(ember.tensor([4, 2, 3, 1]), 0)
        ember.return_types.cummin(
        values=tensor([4, 2, 2, 1]),
        indices=tensor([0, 1, 1, 3]))"""),
    "all": _doc(
        "Whether every element of ``input`` is true (non-zero), overall or along ``dim``.",
        """The result is bool (``uint8`` for a ``uint8`` input); an empty reduction is ``True``.""",
        _DIM + "\n" + _OUT,
        """        >>> ember.all(ember.tensor([[True, False], [True, True]]), dim=1)
        tensor([False,  True])""", _REDUCED),
    "any": _doc(
        "Whether any element of ``input`` is true (non-zero), overall or along ``dim``.",
        """The result is bool (``uint8`` for a ``uint8`` input); an empty reduction is ``False``.""",
        _DIM + "\n" + _OUT,
        """        >>> ember.any(ember.tensor([0, 0, 2]))
        tensor(True)""", _REDUCED),
    "count_nonzero": _doc(
        "How many elements of ``input`` are non-zero, overall or along ``dim``.",
        """The result is ``int64``.""",
        """        input (Tensor): the input.
        dim (int or tuple of int, optional): the dims to count along. Default: all of them.""",
        """        >>> ember.count_nonzero(ember.tensor([[0, 1], [2, 3]]), dim=0)
        tensor([1, 2])""", _REDUCED),
    "median": _doc(
        "The median of the elements of ``input``, overall or along ``dim`` with its index.",
        """For an even count it is the lower of the two middle values (no averaging). With
    ``dim`` the result is the named tuple ``(values, indices)``. NaN counts as the largest
    value, so a slice holding NaN has median NaN.""",
        _ONE_DIM.replace("(int)", "(int, optional)") + """
        keepdim (bool): keep the reduced dim with size 1. Default: ``False``.
""" + _OUT,
        """        >>> ember.median(ember.tensor([3.0, 1.0, 2.0, 4.0]))
        tensor(2.)"""),
    "nanmedian": _doc(
        "The median of the elements of ``input`` that are not NaN.",
        """As :func:`ember.median`, ignoring NaN values (an all-NaN slice gives NaN).""",
        _ONE_DIM.replace("(int)", "(int, optional)") + """
        keepdim (bool): keep the reduced dim with size 1. Default: ``False``.
""" + _OUT,
        """        >>> ember.nanmedian(ember.tensor([3.0, float("nan"), 1.0]))
        tensor(1.)"""),
    "mode": _doc(
        "The most frequent value along ``dim``, with an index where it occurs.",
        """Ties go to the smallest value. Returns the named tuple ``(values, indices)``.""",
        """        input (Tensor): the input.
        dim (int): the dim to work along. Default: ``-1``.
        keepdim (bool): keep the reduced dim with size 1. Default: ``False``.
""" + _OUT,
        """        >>> ember.mode(ember.tensor([1, 2, 2, 3])).values
        tensor(2)"""),
    "kthvalue": _doc(
        "The ``k``-th smallest value along ``dim`` (counting from 1), with its index.",
        """Returns the named tuple ``(values, indices)``.""",
        """        input (Tensor): the input.
        k (int): which order statistic, from 1 to the size of ``dim``.
        dim (int): the dim to work along. Default: ``-1``.
        keepdim (bool): keep the reduced dim with size 1. Default: ``False``.
""" + _OUT,
        """        >>> ember.kthvalue(ember.tensor([5.0, 1.0, 4.0]), 2)
        ember.return_types.kthvalue(
        values=tensor(4.),
        indices=tensor(2))"""),
    "quantile": _doc(
        "The ``q``-th quantiles of ``input``, overall or along ``dim``.",
        """A quantile between two sorted values is found by ``interpolation``: ``"linear"``
    (``a + (b - a) * fraction``), ``"lower"``, ``"higher"``, ``"midpoint"`` or ``"nearest"``.
    A tensor ``q`` adds a leading dim with one entry per quantile. NaN in a slice gives NaN.""",
        """        input (Tensor): a float input.
        q (float or Tensor): quantiles in ``[0, 1]``.
        dim (int, optional): the dim to reduce. Default: all of them (flattened).
        keepdim (bool): keep the reduced dim with size 1. Default: ``False``.
        interpolation (str): the rule between two values. Default: ``"linear"``.
""" + _OUT,
        """        >>> ember.quantile(ember.tensor([0.0, 1.0, 2.0, 3.0]), 0.5)
        tensor(1.5000)
        >>> ember.quantile(ember.tensor([0.0, 1.0, 2.0, 3.0]), ember.tensor([0.25, 0.75]),
        ...                interpolation="lower")
        tensor([0., 2.])"""),
    "nanquantile": _doc(
        "The ``q``-th quantiles of the elements of ``input`` that are not NaN.",
        """As :func:`ember.quantile`, ignoring NaN values.""",
        """        input (Tensor): a float input.
        q (float or Tensor): quantiles in ``[0, 1]``.
        dim (int, optional): the dim to reduce. Default: all of them (flattened).
        keepdim (bool): keep the reduced dim with size 1. Default: ``False``.
        interpolation (str): the rule between two values. Default: ``"linear"``.
""" + _OUT,
        """        >>> ember.nanquantile(ember.tensor([0.0, float("nan"), 2.0]), 0.5)
        tensor(1.)"""),
    "sort": _doc(
        "The elements of ``input`` sorted along ``dim``, with the indices that sort them.",
        """Returns the named tuple ``(values, indices)`` with ``values = input.gather(dim,
    indices)``. NaN sorts as the largest value. ``stable=True`` keeps equal elements in their
    original order.""",
        """        input (Tensor): the input.
        dim (int): the dim to sort along. Default: ``-1``.
        descending (bool): largest first. Default: ``False``.
        stable (bool): keep the order of equal elements. Default: ``False``.
""" + _OUT,
        """        >>> ember.sort(ember.tensor([3, 1, 2]))
        ember.return_types.sort(
        values=tensor([1, 2, 3]),
        indices=tensor([1, 2, 0]))"""),
    "argsort": _doc(
        "The indices that sort ``input`` along ``dim``: the ``indices`` of :func:`ember.sort`.",
        """The result is ``int64``.""",
        """        input (Tensor): the input.
        dim (int): the dim to sort along. Default: ``-1``.
        descending (bool): largest first. Default: ``False``.
        stable (bool): keep the order of equal elements. Default: ``False``.""",
        """        >>> ember.argsort(ember.tensor([3, 1, 2]))
        tensor([1, 2, 0])"""),
    "msort": _doc(
        "``input`` sorted along its first dim (values only).",
        """The same as ``ember.sort(input, dim=0).values``.""",
        """        input (Tensor): the input.
""" + _OUT,
        """        >>> ember.msort(ember.tensor([[2, 1], [1, 2]]))
        tensor([[1, 1],
                [2, 2]])"""),
    "topk": _doc(
        "The ``k`` largest (or smallest) elements of ``input`` along ``dim``, with their indices.",
        """Returns the named tuple ``(values, indices)``; with ``sorted=True`` the values come
    in order, largest first (smallest first when ``largest=False``).""",
        """        input (Tensor): the input.
        k (int): how many elements to keep.
        dim (int): the dim to work along. Default: ``-1``.
        largest (bool): keep the largest (else the smallest). Default: ``True``.
        sorted (bool): return them in sorted order. Default: ``True``.
""" + _OUT,
        """        >>> ember.topk(ember.tensor([1.0, 5.0, 3.0, 4.0]), 2)
        ember.return_types.topk(
        values=tensor([5., 4.]),
        indices=tensor([1, 3]))"""),
    "unique": _doc(
        "The distinct elements of ``input`` (or distinct slices along ``dim``), sorted.",
        """With ``return_inverse`` it also returns, for each input element, the index of its
    value in the result; with ``return_counts``, how often each value occurs. The result is a
    tensor, or a tuple when either flag is set.""",
        """        input (Tensor): the input.
        sorted (bool): sort the result. Default: ``True``.
        return_inverse (bool): also return the inverse indices. Default: ``False``.
        return_counts (bool): also return the counts. Default: ``False``.
        dim (int, optional): find distinct slices along this dim. Default: flatten.""",
        """        >>> ember.unique(ember.tensor([3, 1, 3, 2]))
        tensor([1, 2, 3])
        >>> ember.unique(ember.tensor([3, 1, 3]), return_counts=True)
        (tensor([1, 3]), tensor([1, 2]))"""),
    "unique_consecutive": _doc(
        "``input`` with each run of equal consecutive elements (or slices) collapsed to one.",
        """Flags as in :func:`ember.unique`; the values keep their order.""",
        """        input (Tensor): the input.
        return_inverse (bool): also return the inverse indices. Default: ``False``.
        return_counts (bool): also return the run lengths. Default: ``False``.
        dim (int, optional): compare slices along this dim. Default: flatten.""",
        """        >>> ember.unique_consecutive(ember.tensor([1, 1, 2, 2, 1]))
        tensor([1, 2, 1])"""),
    "softmax": _doc(
        "The softmax of ``input`` along ``dim``: positive values that sum to 1.",
        """``out_i = exp(x_i) / sum_j exp(x_j)``, computed after subtracting the maximum so it
    does not overflow.""",
        """        input (Tensor): the input.
        dim (int): the dim that sums to 1.
        dtype (ember.dtype, optional): cast ``input`` to this dtype first. Default: ``None``.""",
        """        >>> ember.softmax(ember.tensor([0.0, 0.0, 0.0, 0.0]), dim=0)
        tensor([0.2500, 0.2500, 0.2500, 0.2500])""",
        """
    Shape:
        - Output: the shape of ``input``."""),
    "log_softmax": _doc(
        "The logarithm of the softmax of ``input`` along ``dim``.",
        """``out_i = x_i - log(sum_j exp(x_j))``, more accurate than ``log(softmax(x))``.""",
        """        input (Tensor): the input.
        dim (int): the dim to normalise along.
        dtype (ember.dtype, optional): cast ``input`` to this dtype first. Default: ``None``.""",
        """        >>> ember.log_softmax(ember.tensor([0.0, 0.0]), dim=0)
        tensor([-0.6931, -0.6931])""",
        """
    Shape:
        - Output: the shape of ``input``."""),
}
