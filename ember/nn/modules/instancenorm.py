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
    """Instance norm over (N, C, L) or (C, L) inputs."""
    _ranks = (2, 3)


class InstanceNorm2d(_InstanceNorm):
    """Instance norm over (N, C, H, W) or (C, H, W) inputs."""
    _ranks = (3, 4)


class InstanceNorm3d(_InstanceNorm):
    """Instance norm over (N, C, D, H, W) or (C, D, H, W) inputs."""
    _ranks = (4, 5)


class LazyInstanceNorm1d(_LazyNormBase, _InstanceNorm):
    """``InstanceNorm1d`` with ``num_features`` from the first input's dim 1 (affine and
    tracking running stats by default, as torch's lazy form)."""
    cls_to_become, _ranks = InstanceNorm1d, InstanceNorm1d._ranks


class LazyInstanceNorm2d(_LazyNormBase, _InstanceNorm):
    """``InstanceNorm2d`` with ``num_features`` from the first input's dim 1 (affine and
    tracking running stats by default, as torch's lazy form)."""
    cls_to_become, _ranks = InstanceNorm2d, InstanceNorm2d._ranks


class LazyInstanceNorm3d(_LazyNormBase, _InstanceNorm):
    """``InstanceNorm3d`` with ``num_features`` from the first input's dim 1 (affine and
    tracking running stats by default, as torch's lazy form)."""
    cls_to_become, _ranks = InstanceNorm3d, InstanceNorm3d._ranks
