"""Instance norm: InstanceNorm1d/2d/3d (and lazy forms), each sample and channel normalised on
its own.

Running statistics are kept and used in eval mode only with ``track_running_stats=True``.
"""
import warnings

from ..._ops.normalization import funcs as F
from .batchnorm import _LazyNormBase, _NormBase
from .module import layer_error

__all__ = ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LazyInstanceNorm1d",
           "LazyInstanceNorm2d", "LazyInstanceNorm3d"]


class _InstanceNorm(_NormBase):
    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=False,
                 track_running_stats=False, device=None, dtype=None, *, bias=True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype,
                         bias=bias)

    def forward(self, input):
        self._check_input_dim(input)
        unbatched = input.dim() == self._ranks[0]
        feature_dim = 0 if unbatched else 1
        if input.shape[feature_dim] != self.num_features:
            if self.affine:
                raise layer_error(self, f"expected input's size at dim={feature_dim} to match "
                                        f"num_features ({self.num_features}), but got: "
                                        f"{input.shape[feature_dim]}.", ValueError)
            warnings.warn(f"input's size at dim={feature_dim} does not match num_features. You "
                          "can silence this warning by not passing in num_features, which is "
                          "not used because affine=False", stacklevel=3)
        x = input.unsqueeze(0) if unbatched else input
        out = F.instance_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                              self.training or not self.track_running_stats,
                              self.momentum if self.momentum is not None else 0.1, self.eps)
        return out.squeeze(0) if unbatched else out


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation: normalise each channel of each sample over its length.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias`` with mean and biased variance taken per
    sample and channel over ``(L)``.  Unlike batch norm the defaults are no affine parameters and
    no running statistics; with ``track_running_stats=True`` eval mode uses the running averages.

    Args:
        num_features (int): ``C``, the number of channels.
        eps (float): added to the variance for stability. Default: ``1e-5``.
        momentum (float or None): weight of the new batch in the running averages,
          ``running = (1 - momentum) * running + momentum * batch``; ``None`` keeps a cumulative
          (equal-weight) average. Default: ``0.1``.
        affine (bool): learn ``weight`` (ones) and ``bias`` (zeros). Default: ``False``.
        track_running_stats (bool): keep ``running_mean``/``running_var`` buffers and use them in
          eval mode; without them instance statistics are used in both modes. Default: ``False``.
        device (ember.device, optional): where the parameters and buffers live.
        dtype (ember.dtype, optional): their dtype.
        bias (bool, keyword-only): with ``affine``, also learn the shift. Default: ``True``.

    Shape:
        - Input: ``(N, C, L)`` or unbatched ``(C, L)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.InstanceNorm1d(2)
        >>> m(ember.tensor([[[1., 3.], [0., 2.]]])).flatten()
        tensor([-1.0000,  1.0000, -1.0000,  1.0000])
    """
    _ranks = (2, 3)


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation: normalise each channel of each sample over its spatial dimensions.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias`` with mean and biased variance taken per
    sample and channel over ``(H, W)``.  Unlike batch norm the defaults are no affine parameters and
    no running statistics; with ``track_running_stats=True`` eval mode uses the running averages.

    Args:
        num_features (int): ``C``, the number of channels.
        eps (float): added to the variance for stability. Default: ``1e-5``.
        momentum (float or None): weight of the new batch in the running averages,
          ``running = (1 - momentum) * running + momentum * batch``; ``None`` keeps a cumulative
          (equal-weight) average. Default: ``0.1``.
        affine (bool): learn ``weight`` (ones) and ``bias`` (zeros). Default: ``False``.
        track_running_stats (bool): keep ``running_mean``/``running_var`` buffers and use them in
          eval mode; without them instance statistics are used in both modes. Default: ``False``.
        device (ember.device, optional): where the parameters and buffers live.
        dtype (ember.dtype, optional): their dtype.
        bias (bool, keyword-only): with ``affine``, also learn the shift. Default: ``True``.

    Shape:
        - Input: ``(N, C, H, W)`` or unbatched ``(C, H, W)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.InstanceNorm2d(2)
        >>> m(ember.tensor([[[[1., 3.]], [[0., 2.]]]])).flatten()
        tensor([-1.0000,  1.0000, -1.0000,  1.0000])
    """
    _ranks = (3, 4)


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation: normalise each channel of each sample over its spatial dimensions.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias`` with mean and biased variance taken per
    sample and channel over ``(D, H, W)``. Unlike batch norm the defaults are no affine parameters
    and no running statistics; with ``track_running_stats=True`` eval mode uses the running
    averages.

    Args:
        num_features (int): ``C``, the number of channels.
        eps (float): added to the variance for stability. Default: ``1e-5``.
        momentum (float or None): weight of the new batch in the running averages,
          ``running = (1 - momentum) * running + momentum * batch``; ``None`` keeps a cumulative
          (equal-weight) average. Default: ``0.1``.
        affine (bool): learn ``weight`` (ones) and ``bias`` (zeros). Default: ``False``.
        track_running_stats (bool): keep ``running_mean``/``running_var`` buffers and use them in
          eval mode; without them instance statistics are used in both modes. Default: ``False``.
        device (ember.device, optional): where the parameters and buffers live.
        dtype (ember.dtype, optional): their dtype.
        bias (bool, keyword-only): with ``affine``, also learn the shift. Default: ``True``.

    Shape:
        - Input: ``(N, C, D, H, W)`` or unbatched ``(C, D, H, W)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.InstanceNorm3d(2)
        >>> m(ember.tensor([[[[[1., 3.]]], [[[0., 2.]]]]])).flatten()
        tensor([-1.0000,  1.0000, -1.0000,  1.0000])
    """
    _ranks = (4, 5)


class LazyInstanceNorm1d(_LazyNormBase, _InstanceNorm):
    """An ``InstanceNorm1d`` whose ``num_features`` is read from dimension 1 of the first input.

    Note that, as in torch, the lazy form defaults to ``affine=True`` and
    ``track_running_stats=True``; the first call turns it into an ``InstanceNorm1d``.

    Args:
        eps, momentum, affine, track_running_stats, device, dtype, bias: as in ``InstanceNorm1d``.

    Shape:
        - Input: ``(N, C, L)`` or ``(C, L)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.LazyInstanceNorm1d()
        >>> m(ember.zeros(2, 3, 4)).shape
        ember.Size([2, 3, 4])
        >>> m.weight.shape
        ember.Size([3])
    """
    cls_to_become, _ranks = InstanceNorm1d, InstanceNorm1d._ranks


class LazyInstanceNorm2d(_LazyNormBase, _InstanceNorm):
    """An ``InstanceNorm2d`` whose ``num_features`` is read from dimension 1 of the first input.

    Note that, as in torch, the lazy form defaults to ``affine=True`` and
    ``track_running_stats=True``; the first call turns it into an ``InstanceNorm2d``.

    Args:
        eps, momentum, affine, track_running_stats, device, dtype, bias: as in ``InstanceNorm2d``.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.LazyInstanceNorm2d()
        >>> m(ember.zeros(2, 3, 4, 4)).shape
        ember.Size([2, 3, 4, 4])
        >>> m.weight.shape
        ember.Size([3])
    """
    cls_to_become, _ranks = InstanceNorm2d, InstanceNorm2d._ranks


class LazyInstanceNorm3d(_LazyNormBase, _InstanceNorm):
    """An ``InstanceNorm3d`` whose ``num_features`` is read from dimension 1 of the first input.

    Note that, as in torch, the lazy form defaults to ``affine=True`` and
    ``track_running_stats=True``; the first call turns it into an ``InstanceNorm3d``.

    Args:
        eps, momentum, affine, track_running_stats, device, dtype, bias: as in ``InstanceNorm3d``.

    Shape:
        - Input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.LazyInstanceNorm3d()
        >>> m(ember.zeros(2, 3, 4, 4, 4)).shape
        ember.Size([2, 3, 4, 4, 4])
        >>> m.weight.shape
        ember.Size([3])
    """
    cls_to_become, _ranks = InstanceNorm3d, InstanceNorm3d._ranks
