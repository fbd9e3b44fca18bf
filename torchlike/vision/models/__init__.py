"""torchlike.vision.models: ResNet-18/34/50, VGG-11, MobileNetV2, LeNet5 (mirrors torchvision.models)."""

from ._api import Weights, WeightsEnum
from .lenet import LeNet5, lenet5
from .mobilenetv2 import MobileNet_V2_Weights, MobileNetV2, mobilenet_v2
from .resnet import ResNet, ResNet18_Weights, ResNet34_Weights, ResNet50_Weights, resnet18, resnet34, resnet50
from .vgg import VGG, VGG11_BN_Weights, VGG11_Weights, vgg11, vgg11_bn

lenet = lenet5

__all__ = [
    "LeNet5",
    "MobileNetV2",
    "MobileNet_V2_Weights",
    "ResNet",
    "ResNet18_Weights",
    "ResNet34_Weights",
    "ResNet50_Weights",
    "VGG",
    "VGG11_BN_Weights",
    "VGG11_Weights",
    "Weights",
    "WeightsEnum",
    "lenet",
    "lenet5",
    "mobilenet_v2",
    "resnet18",
    "resnet34",
    "resnet50",
    "vgg11",
    "vgg11_bn",
]
