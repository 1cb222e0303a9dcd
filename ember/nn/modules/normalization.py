"""Normalisation layers over features: LayerNorm, GroupNorm, RMSNorm and LocalResponseNorm.

Parameters carry torch's names, so ``state_dict`` keys match (``ln.weight``, ``ln.bias``).
Batch and instance norm live in ``batchnorm.py`` and ``instancenorm.py``, as in torch.
"""
from ..._ops.creation import empty
from .. import init
from ..._ops.normalization.cross_map_lrn import CrossMapLRN
from ..._ops.normalization import funcs as F
from ..parameter import Parameter
from .module import Module

__all__ = ["LayerNorm", "GroupNorm", "RMSNorm", "LocalResponseNorm", "CrossMapLRN2d"]


def _affine_params(module, shape, weight, bias, device, dtype):
    """Register ``weight`` (ones) and ``bias`` (zeros) of ``shape`` when asked, else None.

    ``bias=None`` registers no bias at all (RMSNorm has none, as in torch).
    """
    if weight:
        module.weight = Parameter(empty(*shape, device=device, dtype=dtype))
    else:
        module.register_parameter("weight", None)
    if weight and bias:
        module.bias = Parameter(empty(*shape, device=device, dtype=dtype))
    elif bias is not None:
        module.register_parameter("bias", None)


def _reset_affine(module):
    if module.weight is not None:
        init.ones_(module.weight)
    if getattr(module, "bias", None) is not None:
        init.zeros_(module.bias)


def _shape_tuple(normalized_shape):
    if isinstance(normalized_shape, int):
        return (normalized_shape,)
    return tuple(normalized_shape)


class _TrailingNorm(Module):
    """LayerNorm and RMSNorm: statistics over the trailing ``normalized_shape`` dims."""

    def __init__(self, normalized_shape, eps, elementwise_affine, bias, device, dtype):
        super().__init__()
        self.normalized_shape = _shape_tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        _affine_params(self, self.normalized_shape, elementwise_affine, bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        """Set ``weight`` back to ones and ``bias`` (if any) to zeros."""
        _reset_affine(self)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class LayerNorm(_TrailingNorm):
    """Layer normalisation over the trailing ``normalized_shape`` dimensions.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias``, the mean and biased variance taken over
    the last ``len(normalized_shape)`` dimensions of each sample; ``weight`` and ``bias`` have shape
    ``normalized_shape`` (elementwise, unlike batch norm's per-channel parameters).  The same
    statistics are used in training and eval mode.

    Args:
        normalized_shape (int or tuple): sizes of the trailing dimensions normalised.
        eps (float): added to the variance for stability. Default: ``1e-5``.
        elementwise_affine (bool): learn ``weight`` (ones) and ``bias`` (zeros). Default: ``True``.
        bias (bool): with ``elementwise_affine``, also learn the shift. Default: ``True``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(*, normalized_shape[0], ..., normalized_shape[-1])``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.LayerNorm(2)
        >>> m(ember.tensor([[1., 3.], [2., 2.]])).detach()
        tensor([[-1.0000,  1.0000],
                [ 0.0000,  0.0000]])
    """

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 device=None, dtype=None):
        super().__init__(normalized_shape, eps, elementwise_affine, bias, device, dtype)

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return super().extra_repr() + f", bias={self.bias is not None}"


class RMSNorm(_TrailingNorm):
    """Root-mean-square normalisation: ``y = x / sqrt(mean(x ** 2) + eps) * weight``.

    The mean is over the trailing ``normalized_shape`` dimensions; there is no centring and no bias.

    Args:
        normalized_shape (int or tuple): sizes of the trailing dimensions normalised.
        eps (float, optional): added under the root. Default: ``None``, the machine epsilon of the
          input's dtype.
        elementwise_affine (bool): learn ``weight`` (ones). Default: ``True``.
        device (ember.device, optional): where the parameter lives.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(*, normalized_shape[0], ..., normalized_shape[-1])``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.RMSNorm(2)
        >>> m(ember.tensor([3., 4.])).detach()
        tensor([0.8485, 1.1314])
    """

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None,
                 dtype=None):
        super().__init__(normalized_shape, eps, elementwise_affine, None, device, dtype)

    def forward(self, x):
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)


class GroupNorm(Module):
    """Group normalisation: split the channels into ``num_groups`` groups and normalise each per
    sample.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias``; mean and biased variance are taken over
    the channels of a group and all spatial positions of one sample, while ``weight`` and ``bias``
    are per channel.  Independent of the batch size, so it behaves the same in training and eval.

    Args:
        num_groups (int): number of groups; must divide ``num_channels``.
        num_channels (int): ``C``, the number of channels.
        eps (float): added to the variance for stability. Default: ``1e-5``.
        affine (bool): learn per-channel ``weight`` (ones) and ``bias`` (zeros). Default: ``True``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.
        bias (bool, keyword-only): with ``affine``, also learn the shift. Default: ``True``.

    Shape:
        - Input: ``(N, C, *)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.GroupNorm(2, 4)
        >>> m(ember.tensor([[1., 3., 0., 4.]]).reshape(1, 4, 1)).detach().flatten()
        tensor([-1.0000,  1.0000, -1.0000,  1.0000])
    """

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None,
                 *, bias=True):
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups})")
        self.num_groups, self.num_channels = num_groups, num_channels
        self.eps, self.affine = eps, affine
        _affine_params(self, (num_channels,), affine, bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        """Set ``weight`` back to ones and ``bias`` to zeros."""
        _reset_affine(self)

    def forward(self, input):
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


class LocalResponseNorm(Module):
    """Local response normalisation across neighbouring channels.

    ``y_c = x_c / (k + alpha / size * sum_{c'} x_{c'} ** 2) ** beta``, the sum running over the
    ``size`` channels around ``c`` (zero-padded at the ends).

    Args:
        size (int): number of neighbouring channels in the sum.
        alpha (float): multiplicative factor. Default: ``1e-4``.
        beta (float): exponent. Default: ``0.75``.
        k (float): additive constant. Default: ``1.0``.

    Shape:
        - Input: ``(N, C, *)``, at least 3-D.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.LocalResponseNorm(2)
        >>> m(ember.ones(1, 3, 1, 1)).flatten()
        tensor([1.0000, 0.9999, 0.9999])
    """

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0):
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input):
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class CrossMapLRN2d(Module):
    """The legacy across-channel response normalisation of 4-D input, with its own gradient.

    ``out = x * (k + alpha / size * S) ** -beta``, ``S`` a running sum of squares over about
    ``size`` neighbouring channels (torch's recurrence, kept exactly, including its backward
    formula).  ``LocalResponseNorm`` is the modern layer.

    Args:
        size (int): channels in the window.
        alpha (float): multiplicative factor. Default: ``1e-4``.
        beta (float): exponent. Default: ``0.75``.
        k (float): additive constant. Default: ``1``.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: the same shape.

    Example:
        >>> lrn = ember.nn.CrossMapLRN2d(3, alpha=1e-2)
        >>> lrn(ember.ones(1, 4, 2, 2)).shape
        ember.Size([1, 4, 2, 2])
    """

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1):
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input):
        if input.dim() != 4:
            raise ValueError(f"CrossMapLRN2d: Expected input to be 4D, got {input.dim()}D "
                             "instead.")
        return CrossMapLRN(self.size, self.alpha, self.beta, self.k)(input)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
