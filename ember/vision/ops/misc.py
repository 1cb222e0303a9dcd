"""Building blocks shared by the vision models (``torchvision.ops.misc``).

``Conv2dNormActivation``/``Conv3dNormActivation`` (conv, optional norm, optional
activation as one Sequential, so state_dict keys read ``<name>.0.weight``,
``<name>.1.running_mean``), ``SqueezeExcitation``, ``MLP``, ``Permute`` and
``FrozenBatchNorm2d``.
"""
import ember
from ember import nn

__all__ = ["ConvNormActivation", "Conv2dNormActivation", "Conv3dNormActivation",
           "SqueezeExcitation", "MLP", "Permute", "FrozenBatchNorm2d"]


class FrozenBatchNorm2d(nn.Module):
    """Batch norm with fixed statistics and affine terms, all stored as buffers.

    Computes ``(x - running_mean) / sqrt(running_var + eps) * weight + bias`` per
    channel; nothing is trained and nothing is updated.  A checkpoint of a real
    ``BatchNorm2d`` loads into it (its ``num_batches_tracked`` is dropped).

    Args:
        num_features (int): C, the channels.
        eps (float): added to the variance. Default: ``1e-5``.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: the same.

    Example::

        >>> from ember.vision.ops import FrozenBatchNorm2d
        >>> bn = FrozenBatchNorm2d(8)
        >>> bn(ember.randn(2, 8, 4, 4)).shape
        ember.Size([2, 8, 4, 4])
    """

    def __init__(self, num_features, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.register_buffer("weight", ember.ones(num_features))
        self.register_buffer("bias", ember.zeros(num_features))
        self.register_buffer("running_mean", ember.zeros(num_features))
        self.register_buffer("running_var", ember.ones(num_features))

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        state_dict.pop(prefix + "num_batches_tracked", None)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)

    def forward(self, x):
        scale = self.weight.reshape(1, -1, 1, 1) * \
            (self.running_var.reshape(1, -1, 1, 1) + self.eps).rsqrt()
        shift = self.bias.reshape(1, -1, 1, 1) - self.running_mean.reshape(1, -1, 1, 1) * scale
        return x * scale + shift

    def __repr__(self):
        return f"{type(self).__name__}({self.weight.shape[0]}, eps={self.eps})"


class ConvNormActivation(nn.Sequential):
    """A convolution, then an optional norm layer, then an optional activation.

    ``padding=None`` keeps the spatial size at stride 1 (``(k - 1) // 2 * dilation``);
    ``bias=None`` gives the convolution a bias only when there is no norm layer.
    ``norm_layer``/``activation_layer`` are classes (or None to leave them out);
    the activation gets ``inplace=inplace`` unless ``inplace`` is None.
    """

    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=None,
                 groups=1, norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU, dilation=1,
                 inplace=True, bias=None, conv_layer=nn.Conv2d):
        if padding is None:
            if isinstance(kernel_size, int) and isinstance(dilation, int):
                padding = (kernel_size - 1) // 2 * dilation
            else:
                n = len(kernel_size) if not isinstance(kernel_size, int) else len(dilation)
                ks = (kernel_size,) * n if isinstance(kernel_size, int) else kernel_size
                dil = (dilation,) * n if isinstance(dilation, int) else dilation
                padding = tuple((k - 1) // 2 * d for k, d in zip(ks, dil))
        if bias is None:
            bias = norm_layer is None
        layers = [conv_layer(in_channels, out_channels, kernel_size, stride, padding,
                             dilation=dilation, groups=groups, bias=bias)]
        if norm_layer is not None:
            layers.append(norm_layer(out_channels))
        if activation_layer is not None:
            layers.append(activation_layer() if inplace is None else
                          activation_layer(inplace=inplace))
        super().__init__(*layers)
        self.out_channels = out_channels


class Conv2dNormActivation(ConvNormActivation):
    """``ConvNormActivation`` with ``nn.Conv2d`` and ``nn.BatchNorm2d`` by default.

    Args:
        in_channels (int): input channels.
        out_channels (int): output channels.
        kernel_size (int or tuple): Default: ``3``.
        stride (int or tuple): Default: ``1``.
        padding (int or tuple, optional): Default: ``(kernel_size - 1) // 2 * dilation``.
        groups (int): Default: ``1``.
        norm_layer (callable, optional): None for no norm. Default: ``nn.BatchNorm2d``.
        activation_layer (callable, optional): None for no activation. Default: ``nn.ReLU``.
        dilation (int or tuple): Default: ``1``.
        inplace (bool, optional): passed to the activation. Default: ``True``.
        bias (bool, optional): Default: only without a norm layer.

    Shape:
        - Input: ``(N, C_in, H, W)``.
        - Output: ``(N, C_out, H_out, W_out)``.

    Example::

        >>> from ember.vision.ops import Conv2dNormActivation
        >>> block = Conv2dNormActivation(3, 16, kernel_size=3, stride=2)
        >>> block(ember.randn(1, 3, 32, 32)).shape
        ember.Size([1, 16, 16, 16])
    """

    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=None,
                 groups=1, norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU, dilation=1,
                 inplace=True, bias=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, groups,
                         norm_layer, activation_layer, dilation, inplace, bias, nn.Conv2d)


class Conv3dNormActivation(ConvNormActivation):
    """``ConvNormActivation`` with ``nn.Conv3d`` and ``nn.BatchNorm3d`` by default.

    Args:
        in_channels (int): input channels.
        out_channels (int): output channels.
        kernel_size (int or tuple): Default: ``3``.
        stride (int or tuple): Default: ``1``.
        padding (int or tuple, optional): Default: ``(kernel_size - 1) // 2 * dilation``.
        groups (int): Default: ``1``.
        norm_layer (callable, optional): None for no norm. Default: ``nn.BatchNorm3d``.
        activation_layer (callable, optional): None for no activation. Default: ``nn.ReLU``.
        dilation (int or tuple): Default: ``1``.
        inplace (bool, optional): passed to the activation. Default: ``True``.
        bias (bool, optional): Default: only without a norm layer.

    Shape:
        - Input: ``(N, C_in, D, H, W)``.
        - Output: ``(N, C_out, D_out, H_out, W_out)``.

    Example::

        >>> from ember.vision.ops import Conv3dNormActivation
        >>> Conv3dNormActivation(2, 4, kernel_size=3)(ember.randn(1, 2, 4, 4, 4)).shape
        ember.Size([1, 4, 4, 4, 4])
    """

    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=None,
                 groups=1, norm_layer=nn.BatchNorm3d, activation_layer=nn.ReLU, dilation=1,
                 inplace=True, bias=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, groups,
                         norm_layer, activation_layer, dilation, inplace, bias, nn.Conv3d)


class SqueezeExcitation(nn.Module):
    """Squeeze-and-excitation channel gating (Hu et al., 2018).

    Global average pool, 1x1 conv ``fc1`` down to ``squeeze_channels``,
    ``activation``, 1x1 conv ``fc2`` back up, ``scale_activation`` (sigmoid), and
    the input multiplied by that per-channel gate.

    Args:
        input_channels (int): C.
        squeeze_channels (int): the width of the bottleneck.
        activation (callable): Default: ``nn.ReLU``.
        scale_activation (callable): Default: ``nn.Sigmoid``.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: the same.

    Example::

        >>> from ember.vision.ops import SqueezeExcitation
        >>> se = SqueezeExcitation(16, 4)
        >>> se(ember.randn(2, 16, 8, 8)).shape
        ember.Size([2, 16, 8, 8])
    """

    def __init__(self, input_channels, squeeze_channels, activation=nn.ReLU,
                 scale_activation=nn.Sigmoid):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
        self.activation = activation()
        self.scale_activation = scale_activation()

    def _scale(self, x):
        return self.scale_activation(self.fc2(self.activation(self.fc1(self.avgpool(x)))))

    def forward(self, x):
        return self._scale(x) * x


class MLP(nn.Sequential):
    """Linear layers of widths ``hidden_channels``, each but the last followed by
    ``norm_layer`` (if given), ``activation_layer`` and Dropout(``dropout``); the last
    by Dropout only.

    Args:
        in_channels (int): input features.
        hidden_channels (list of int): the width of each linear layer; the last is the output.
        norm_layer (callable, optional): a norm after each hidden layer.
        activation_layer (callable, optional): Default: ``nn.ReLU``.
        inplace (bool, optional): passed to the activation and dropout.
        bias (bool): Default: ``True``.
        dropout (float): Default: ``0``.

    Shape:
        - Input: ``(*, in_channels)``.
        - Output: ``(*, hidden_channels[-1])``.

    Example::

        >>> from ember import nn
        >>> from ember.vision.ops import MLP
        >>> mlp = MLP(8, [16, 4], activation_layer=nn.GELU, dropout=0.1)
        >>> mlp(ember.randn(5, 8)).shape
        ember.Size([5, 4])
    """

    def __init__(self, in_channels, hidden_channels, norm_layer=None, activation_layer=nn.ReLU,
                 inplace=None, bias=True, dropout=0.0):
        act_kwargs = {} if inplace is None else {"inplace": inplace}
        layers, width = [], in_channels
        for hidden in hidden_channels[:-1]:
            layers.append(nn.Linear(width, hidden, bias=bias))
            if norm_layer is not None:
                layers.append(norm_layer(hidden))
            layers += [activation_layer(**act_kwargs), nn.Dropout(dropout, **act_kwargs)]
            width = hidden
        layers += [nn.Linear(width, hidden_channels[-1], bias=bias),
                   nn.Dropout(dropout, **act_kwargs)]
        super().__init__(*layers)


class Permute(nn.Module):
    """Reorders dimensions: ``x.permute(*dims)``.

    Args:
        dims (list of int): the new order of the dimensions.

    Example::

        >>> from ember.vision.ops import Permute
        >>> Permute([0, 2, 3, 1])(ember.randn(1, 3, 4, 5)).shape
        ember.Size([1, 4, 5, 3])
    """

    def __init__(self, dims):
        super().__init__()
        self.dims = list(dims)

    def forward(self, x):
        return ember.permute(x, self.dims)
