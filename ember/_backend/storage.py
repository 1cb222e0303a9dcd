"""Storage geometry: where an array's memory starts, which array owns it, and its strides as
torch counts them.

A tensor's storage is the memory of its *root* array (the end of the chain of arrays it views);
``storage_offset`` is how many elements into that memory the tensor starts, and
``element_strides`` its strides in elements.  ``Tensor.stride``/``storage_offset``/``data_ptr``,
``UntypedStorage``, the shape ops and ``ember.save`` all read geometry through these helpers.

Example::

    >>> import numpy
    >>> from ember._backend.storage import element_strides, storage_offset
    >>> a = numpy.arange(6.0).reshape(2, 3)
    >>> element_strides(a[:, 1:]), storage_offset(a[:, 1:])
    ((3, 1), 1)
"""
import numpy

__all__ = ["root_array", "data_address", "storage_offset", "byte_bounds", "element_strides",
           "contiguous_strides", "storage_span"]

_ndarray = numpy.ndarray


def root_array(arr):
    """The array owning the memory ``arr`` views (a tensor's storage): the last of its chain
    of ``.base`` objects that are arrays (on NumPy: that expose ``__array_interface__``, as
    the holder ``as_strided`` leaves does; on CuPy: arrays of the same type)."""
    if isinstance(arr, _ndarray):
        while getattr(arr, "base", None) is not None and hasattr(arr.base, "__array_interface__"):
            arr = arr.base
        return arr
    while isinstance(arr.base, type(arr)):
        arr = arr.base
    return arr


def data_address(arr):
    """The address of ``arr``'s first element (host or device memory; NumPy subclasses such
    as the memory maps safetensors hands over included)."""
    if isinstance(arr, _ndarray):
        return arr.__array_interface__["data"][0]
    return arr.data.ptr


def storage_offset(arr):
    """How many elements past the start of its root's memory ``arr`` starts."""
    return (data_address(arr) - data_address(root_array(arr))) // arr.itemsize


def byte_bounds(arr):
    """The address range ``[lo, hi)`` that ``arr``'s elements occupy."""
    lo = hi = data_address(arr)
    if arr.size == 0:
        return lo, lo
    for n, s in zip(arr.shape, arr.strides):
        if s < 0:
            lo += (n - 1) * s
        else:
            hi += (n - 1) * s
    return lo, hi + arr.itemsize


def contiguous_strides(shape):
    """Row-major element strides (a zero-size dim counts as 1, as in torch)."""
    out, acc = [], 1
    for n in reversed(shape):
        out.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(out))


def element_strides(arr):
    """``arr``'s strides counted in elements, as torch reports them."""
    item = arr.itemsize
    return tuple(s // item for s in arr.strides)


def storage_span(arr):
    """Elements from ``arr``'s first element to its last (the storage it can reach)."""
    if arr.size == 0:
        return 0
    return 1 + sum((n - 1) * s for n, s in zip(arr.shape, element_strides(arr)))
