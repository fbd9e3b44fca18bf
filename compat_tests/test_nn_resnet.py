"""A small ResNet written once against ``lib.nn``: torch's weights load into torchlike and give torch's numbers.

The same class is built from torch.nn and torchlike.nn; the layer harness copies
torch's state_dict (through numpy) into torchlike's and compares outputs,
gradients w.r.t. the input and every parameter, and the BatchNorm running
statistics, in train and then eval mode, eagerly and traced.
"""

from __future__ import annotations

import numpy as np

from compat_tests.nn_harness import LayerCase, check_layer


def resnet(lib, widths=(8, 16), classes=5):
    """conv-bn-relu stem + max pool, one basic block per width (a strided 1x1 downsample shortcut when the shape
    changes), adaptive average pool, linear head."""
    nn = lib.nn

    class BasicBlock(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.relu = nn.ReLU()
            self.downsample = None
            if stride != 1 or cin != cout:
                self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.relu(self.bn1(self.conv1(x)))
            return self.relu(self.bn2(self.conv2(out)) + identity)

    class ResNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(
                nn.Conv2d(3, widths[0], 3, 1, 1, bias=False),
                nn.BatchNorm2d(widths[0]),
                nn.ReLU(),
                nn.MaxPool2d(3, 2, 1),
            )
            blocks, cin = [], widths[0]
            for i, w in enumerate(widths):
                blocks.append(BasicBlock(cin, w, 1 if i == 0 else 2))
                cin = w
            self.layers = nn.Sequential(*blocks)
            self.pool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(cin, classes)

        def forward(self, x):
            x = self.pool(self.layers(self.stem(x)))
            return self.fc(x.flatten(1))

    return ResNet()


def test_resnet_matches_torch():
    x = np.random.RandomState(4).standard_normal((2, 3, 12, 12)).astype(np.float32)
    check_layer(LayerCase("resnet", resnet, x, modes=("train", "eval"), rtol=1e-4, atol=1e-5))
