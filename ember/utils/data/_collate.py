"""default_collate / default_convert: turn lists of samples into batches as torch does."""
import collections.abc
import re

import numpy as np
import ember

__all__ = ["default_collate", "default_convert"]

_BAD_NP = re.compile(r"[SaUO]")
_ERR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        "found {}")


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def default_convert(data):
    """Turn NumPy arrays and NumPy scalars into tensors, keeping the containers around them.

    What a ``DataLoader`` applies to each sample when batching is off (``batch_size=None``).
    Dicts, lists and named tuples keep their type; plain tuples become lists; arrays of
    strings or objects are left as they are.

    Args:
        data: a sample: an array, a number, or a container of them.

    Example:
        >>> import numpy as np
        >>> ember.utils.data.default_convert({"x": np.arange(3), "name": "a"})
        {'x': tensor([0, 1, 2]), 'name': 'a'}
    """
    if isinstance(data, ember.Tensor):
        return data
    if isinstance(data, np.ndarray):
        return data if _BAD_NP.search(data.dtype.str) else ember.as_tensor(data)
    if isinstance(data, np.generic) and not _BAD_NP.search(data.dtype.str):
        return ember.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        converted = {k: default_convert(v) for k, v in data.items()}
        try:
            return type(data)(converted)
        except TypeError:
            return converted
    if _is_namedtuple(data):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        converted = [default_convert(d) for d in data]
        try:
            return type(data)(converted)
        except TypeError:
            return converted
    return data


def default_collate(batch):
    """Stack a list of samples into one batch, recursing into dicts, tuples and lists.

    The default ``collate_fn`` of ``DataLoader``: tensors and arrays are stacked along a new
    dimension 0, Python floats become a float64 tensor, ints an int64 tensor, bools a bool
    tensor, strings stay a list; a dict of samples gives a dict of batches, a tuple of fields
    a list of batches (named tuples keep their type).

    Args:
        batch (list): the samples, all of the same structure.

    Shape:
        - Input: ``B`` samples holding tensors of shape ``(*)``.
        - Output: tensors of shape ``(B, *)``.

    Example:
        >>> batch = ember.utils.data.default_collate([(ember.zeros(2), 1), (ember.ones(2), 0)])
        >>> batch[0].shape, batch[1]
        (ember.Size([2, 2]), tensor([1, 0]))
    """
    elem = batch[0]
    if isinstance(elem, ember.Tensor):
        return ember.stack(batch, 0)
    if isinstance(elem, np.ndarray) or (isinstance(elem, np.generic) and elem.shape == ()):
        if _BAD_NP.search(elem.dtype.str):
            raise TypeError(_ERR.format(elem.dtype))
        return default_collate([ember.as_tensor(b) for b in batch]) if isinstance(elem, np.ndarray) \
            else ember.as_tensor(np.array(batch))
    if isinstance(elem, bool):
        return ember.tensor(batch, dtype=ember.bool)
    if isinstance(elem, float):
        return ember.tensor(batch, dtype=ember.float64)
    if isinstance(elem, int):
        return ember.tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        collated = {key: default_collate([d[key] for d in batch]) for key in elem}
        try:
            return type(elem)(collated)
        except TypeError:
            return collated
    if _is_namedtuple(elem):
        return type(elem)(*(default_collate(s) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(e) != size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size (got "
                               f"sizes {sorted({len(e) for e in batch})})")
        transposed = [default_collate(s) for s in zip(*batch)]
        if isinstance(elem, tuple):
            return transposed
        try:
            return type(elem)(transposed)
        except TypeError:
            return transposed
    raise TypeError(_ERR.format(type(elem)))
