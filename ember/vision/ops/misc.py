"""torchvision.ops.misc's building blocks that other libraries import (timm's norm layers)."""
from ... import nn
from ..._api.creation import ones, zeros


class FrozenBatchNorm2d(nn.Module):
    """Batch normalization with fixed statistics and affine parameters, all held as buffers.

    Computes ``(x - running_mean) / sqrt(running_var + eps) * weight + bias`` per channel of an
    ``(N, C, H, W)`` input; nothing is learned and train/eval mode makes no difference. The
    state_dict keys are torch's (``weight``, ``bias``, ``running_mean``, ``running_var``).

    Args:
        num_features: the number of channels ``C``.
        eps: added to the variance before the square root (default 1e-5).

    Example::

        >>> bn = FrozenBatchNorm2d(3)
        >>> bn(ember.ones(1, 3, 2, 2)).shape
        ember.Size([1, 3, 2, 2])
    """

    def __init__(self, num_features, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.register_buffer("weight", ones(num_features))
        self.register_buffer("bias", zeros(num_features))
        self.register_buffer("running_mean", zeros(num_features))
        self.register_buffer("running_var", ones(num_features))

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        state_dict.pop(prefix + "num_batches_tracked", None)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)

    def forward(self, x):
        scale = self.weight * (self.running_var + self.eps).rsqrt()
        shift = self.bias - self.running_mean * scale
        return x * scale.reshape(1, -1, 1, 1) + shift.reshape(1, -1, 1, 1)

    def extra_repr(self):
        return f"{self.weight.shape[0]}, eps={self.eps}"
