"""torchvision.ops: box operations, RoI pooling, losses and layers used by the models."""
from .misc import (Conv2dNormActivation, Conv3dNormActivation, FrozenBatchNorm2d, MLP,
                   Permute, SqueezeExcitation)
from .stochastic_depth import StochasticDepth, stochastic_depth

__all__ = ["Conv2dNormActivation", "Conv3dNormActivation", "FrozenBatchNorm2d", "MLP", "Permute",
           "SqueezeExcitation", "StochasticDepth", "stochastic_depth"]
