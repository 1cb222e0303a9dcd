"""Gradient clipping: rescale or clamp ``.grad`` of parameters in place before a step."""
import math

from ..._tensor import Tensor
from ...autograd import grad_mode
from ... import linalg, stack, tensor

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm",
           "clip_grads_with_norm_"]


def _as_list(tensors):
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def _grads(parameters):
    return [p.grad for p in _as_list(parameters) if p.grad is not None]


@grad_mode.no_grad()
def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The ``norm_type``-norm of all ``tensors`` taken together as one vector.

    Args:
        tensors (Tensor or iterable of Tensor): usually gradients.
        norm_type (float): the ``p`` of the norm; ``inf`` for the largest magnitude. Default:
          ``2.0``.
        error_if_nonfinite (bool): raise if the norm is ``nan`` or ``inf``. Default: ``False``.
        foreach (bool, optional): ignored. Default: ``None``.

    Returns:
        Tensor: a scalar.

    Example:
        >>> ember.nn.utils.get_total_norm([ember.tensor([3.]), ember.tensor([4.])])
        tensor(5.)
    """
    tensors = _as_list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return tensor(0.0)
    norms = [linalg.vector_norm(t, norm_type) for t in tensors]
    total = linalg.vector_norm(stack([n.to(norms[0].device) for n in norms]), norm_type)
    if error_if_nonfinite and not math.isfinite(total.item()):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` "
                           "is non-finite, so it cannot be clipped. To disable this error and "
                           "scale the gradients by the non-finite norm anyway, set "
                           "`error_if_nonfinite=False`")
    return total


@grad_mode.no_grad()
def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale the gradients in place by ``max_norm / (total_norm + 1e-6)`` when that factor is below
    1.

    The second half of ``clip_grad_norm_``, for a ``total_norm`` computed elsewhere (for example by
    ``get_total_norm`` over several parameter groups).

    Args:
        parameters (Tensor or iterable of Tensor): the parameters whose ``.grad`` is scaled.
        max_norm (float): the largest allowed norm.
        total_norm (Tensor): the norm of the gradients.
        foreach (bool, optional): ignored. Default: ``None``.

    Example:
        >>> p = ember.nn.Parameter(ember.zeros(2))
        >>> p.grad = ember.tensor([3., 4.])
        >>> ember.nn.utils.clip_grads_with_norm_([p], 2.5, ember.tensor(5.))
        >>> p.grad
        tensor([1.5000, 2.0000])
    """
    grads = _grads(parameters)
    if not grads:
        return
    coef = (float(max_norm) / (total_norm + 1e-6)).clamp(max=1.0)
    for g in grads:
        g.mul_(coef.to(g.device))


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Rescale gradients in place so that their joint norm is at most ``max_norm``; return the norm
    before clipping.

    The norm is that of all gradients concatenated into one vector.  If it exceeds ``max_norm``
    every gradient is multiplied by ``max_norm / (norm + 1e-6)``.  ``foreach`` is accepted and
    ignored.

    Args:
        parameters (Tensor or iterable of Tensor): the parameters whose ``.grad`` is clipped.
        max_norm (float): the largest allowed norm.
        norm_type (float): the ``p`` of the norm; ``inf`` for the largest magnitude. Default:
          ``2.0``.
        error_if_nonfinite (bool): raise if the norm is ``nan`` or ``inf``. Default: ``False``.
        foreach (bool, optional): ignored. Default: ``None``.

    Returns:
        Tensor: the total norm of the original gradients.

    Example:
        >>> p = ember.nn.Parameter(ember.zeros(2))
        >>> p.grad = ember.tensor([3., 4.])
        >>> ember.nn.utils.clip_grad_norm_([p], max_norm=1.0)
        tensor(5.)
        >>> p.grad
        tensor([0.6000, 0.8000])
    """
    parameters = _as_list(parameters)
    total = get_total_norm(_grads(parameters), norm_type, error_if_nonfinite)
    clip_grads_with_norm_(parameters, max_norm, total)
    return total


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Deprecated alias of ``clip_grad_norm_`` (warns); same arguments and result.

    Example:
        >>> import warnings
        >>> p = ember.nn.Parameter(ember.zeros(2))
        >>> p.grad = ember.tensor([3., 4.])
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ember.nn.utils.clip_grad_norm([p], max_norm=10.0)
        tensor(5.)
    """
    import warnings
    warnings.warn("`ember.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`ember.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


@grad_mode.no_grad()
def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element in place into ``[-clip_value, clip_value]``.

    Args:
        parameters (Tensor or iterable of Tensor): the parameters whose ``.grad`` is clipped.
        clip_value (float): the largest allowed magnitude.
        foreach (bool, optional): ignored. Default: ``None``.

    Example:
        >>> p = ember.nn.Parameter(ember.zeros(3))
        >>> p.grad = ember.tensor([-2., 0.5, 3.])
        >>> ember.nn.utils.clip_grad_value_([p], 1.0)
        >>> p.grad
        tensor([-1.0000,  0.5000,  1.0000])
    """
    clip_value = float(clip_value)
    for g in _grads(parameters):
        g.clamp_(min=-clip_value, max=clip_value)
