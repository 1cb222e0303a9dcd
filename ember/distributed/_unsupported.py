"""Names of torch.distributed's sharding APIs (DTensor, FSDP2, functional collectives) that ember
does not implement.

Libraries import them at module level whenever ``is_available()`` is True, so they exist here;
using one (calling it, or making an instance) raises NotImplementedError naming what ember lacks.
``isinstance(x, DTensor)`` is simply False, since no such tensor can be made.

Example::

    >>> from ember.distributed._unsupported import unsupported_class
    >>> DTensor = unsupported_class("DTensor", "torch.distributed.tensor")
    >>> DTensor()
    Traceback (most recent call last):
    NotImplementedError: ember.distributed has no torch.distributed.tensor.DTensor ...
"""

_WHY = ("ember.distributed has no {}.{} (ember runs only data parallel training over MPI: "
        "DistributedDataParallel and the collectives)")


def unsupported_class(name, module):
    """A class named ``name`` whose construction raises NotImplementedError."""
    def __new__(cls, *args, **kwargs):
        raise NotImplementedError(_WHY.format(module, name))
    return type(name, (), {"__new__": __new__, "__module__": module,
                           "__doc__": f"Not provided by ember: {_WHY.format(module, name)}."})


def unsupported_function(name, module):
    """A function named ``name`` that raises NotImplementedError when called."""
    def function(*args, **kwargs):
        raise NotImplementedError(_WHY.format(module, name))
    function.__name__ = function.__qualname__ = name
    function.__module__ = module
    function.__doc__ = f"Not provided by ember: {_WHY.format(module, name)}."
    return function
