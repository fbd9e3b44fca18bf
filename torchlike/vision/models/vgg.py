"""VGG-11 (mirrors torchvision.models.vgg: ``features`` / ``avgpool`` / ``classifier``)."""

from __future__ import annotations

from ... import nn
from ._api import WeightsEnum, _imagenet, load_weights

__all__ = ["VGG", "VGG11_Weights", "VGG11_BN_Weights", "make_layers", "vgg11", "vgg11_bn"]

cfgs: dict[str, list] = {"A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"]}


class VGG(nn.Module):
    """Mirrors torchvision.models.VGG."""

    def __init__(self, features: nn.Module, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5):
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )
        if init_weights:
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                    if m.bias is not None:
                        nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, 0, 0.01)
                    nn.init.constant_(m.bias, 0)

    def forward(self, x):
        return self.classifier(self.avgpool(self.features(x)).flatten(1))


def make_layers(cfg: list, batch_norm: bool = False) -> nn.Sequential:
    """Mirrors torchvision.models.vgg.make_layers: 3x3 convs (+BN) + ReLU, "M" for 2x2 max pooling."""
    layers: list[nn.Module] = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        layers.append(nn.Conv2d(in_channels, v, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(v))
        layers.append(nn.ReLU(inplace=True))
        in_channels = v
    return nn.Sequential(*layers)


class VGG11_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet("https://download.pytorch.org/models/vgg11-8a719046.pth")
    DEFAULT = IMAGENET1K_V1


class VGG11_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet("https://download.pytorch.org/models/vgg11_bn-6002323d.pth")
    DEFAULT = IMAGENET1K_V1


def _vgg(batch_norm: bool, weights, enum_cls, kwargs) -> VGG:
    if weights is not None:
        kwargs.setdefault("init_weights", False)
    return load_weights(lambda: VGG(make_layers(cfgs["A"], batch_norm=batch_norm), **kwargs), weights, enum_cls)


def vgg11(*, weights=None, progress: bool = True, **kwargs) -> VGG:
    """Mirrors torchvision.models.vgg11; ``weights`` may be a local checkpoint path."""
    return _vgg(False, weights, VGG11_Weights, kwargs)


def vgg11_bn(*, weights=None, progress: bool = True, **kwargs) -> VGG:
    """Mirrors torchvision.models.vgg11_bn; ``weights`` may be a local checkpoint path."""
    return _vgg(True, weights, VGG11_BN_Weights, kwargs)
