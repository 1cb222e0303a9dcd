"""AlexNet (Krizhevsky et al., 2012, the "one weird trick" single-tower variant) with
torchvision's module names: ``features`` (5 convolutions, 3 max-pools), ``avgpool``
(adaptive, 6x6) and ``classifier`` (dropout and three linear layers)."""
import ember
from ember import nn
from ._weights import model_builder, weights_enum

__all__ = ["AlexNet", "AlexNet_Weights", "alexnet"]


class AlexNet(nn.Module):
    """AlexNet for ``num_classes`` classes; inputs (N, 3, H, W) with H, W >= 63 give
    (N, num_classes) logits.

    Args:
        num_classes (int): Default: ``1000``.
        dropout (float): before the two hidden linear layers. Default: ``0.5``.

    Shape:
        - Input: ``(N, 3, H, W)`` with H, W at least 63.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import AlexNet
        >>> with ember.device("meta"):  # lays the layers out without allocating weights
        ...     model = AlexNet(num_classes=10)
        >>> model.classifier[-1]
        Linear(in_features=4096, out_features=10, bias=True)
    """

    def __init__(self, num_classes=1000, dropout=0.5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2))
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(p=dropout), nn.Linear(4096, 4096), nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes))

    def forward(self, x):
        return self.classifier(ember.flatten(self.avgpool(self.features(x)), 1))


AlexNet_Weights = weights_enum("AlexNet_Weights", __name__, "alexnet", {
    "IMAGENET1K_V1": ("alexnet-owt-7be5be79.pth", 224, 256, "BILINEAR", 61100840, 63),
})

alexnet = model_builder("alexnet", AlexNet, AlexNet_Weights, "AlexNet.")
