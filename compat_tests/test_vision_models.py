"""torchlike.vision.models against torchvision.models: names, shapes, repr, and outputs with torch's weights.

Each model is built once per module (parameter init compiles per shape, the expensive part), its
torchvision twin's state_dict goes through torch.save and torchlike.load, and the outputs on a
small input are compared in eval mode (and, for ResNet-18, train mode with its BatchNorm updates).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import compat_tests._torchvision as tv
import torchlike
from torchlike.vision import models as M

# 64x64: at 32x32 layer4 of ResNet normalises 2 values per channel in train mode, which amplifies float error
_x = np.random.default_rng(0).standard_normal((2, 3, 64, 64)).astype(np.float32)


def _pair(name, tmp_path_factory, **kwargs):
    torch.manual_seed(0)
    ref = getattr(tv.models, name)(**kwargs)
    path = tmp_path_factory.mktemp(name) / "weights.pth"
    torch.save(ref.state_dict(), path)
    ours = getattr(M, name)(weights=str(path), **kwargs)
    return ours, ref


@pytest.fixture(scope="module")
def resnet18(tmp_path_factory):
    return _pair("resnet18", tmp_path_factory, num_classes=7)


def _check_structure(ours, ref):
    sd, ref_sd = ours.state_dict(), ref.state_dict()
    assert list(sd) == list(ref_sd)
    for k, v in ref_sd.items():
        assert tuple(sd[k].shape) == tuple(v.shape) and str(sd[k].dtype) == str(v.dtype), k
    assert repr(ours) == repr(ref)


def _compare(ours, ref, x, mode, rtol=2e-4, atol=2e-5):
    ours.train(mode == "train")
    ref.train(mode == "train")
    with torch.no_grad():
        want = ref(torch.from_numpy(x)).numpy()
    with torchlike.no_grad():
        got = ours(torchlike.from_numpy(x)).numpy()
    scale = np.abs(want).max()
    np.testing.assert_allclose(got / scale, want / scale, rtol=rtol, atol=atol)
    for k, v in ref.state_dict().items():  # BatchNorm running statistics after a train-mode forward
        np.testing.assert_allclose(ours.state_dict()[k].numpy(), v.numpy(), rtol=1e-4, atol=1e-5, err_msg=k)


def test_resnet18_eval_and_train(resnet18):
    ours, ref = resnet18
    _check_structure(ours, ref)
    _compare(ours, ref, _x, "eval")
    _compare(ours, ref, _x, "train")


# every block kind (expand ratio 1 and 6, with and without the shortcut, stride 1 and 2) at a fraction
# of the default's distinct layer shapes: each shape compiles its init and forward programs
_MOBILENET = dict(
    num_classes=5, width_mult=0.5, inverted_residual_setting=[[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 1, 2]]
)


def test_mobilenet_v2(tmp_path_factory):
    ours, ref = _pair("mobilenet_v2", tmp_path_factory, **_MOBILENET)
    _check_structure(ours, ref)
    with torch.no_grad():  # torchvision's init leaves outputs near 0: give the head some scale
        ref.classifier[1].weight.mul_(100.0)
    ours.load_state_dict({k: torchlike.from_numpy(v.numpy()) for k, v in ref.state_dict().items()})
    _compare(ours, ref, _x[:1], "eval")


def test_resnet50_and_vgg11():
    """Structure and eval outputs (VGG-11: 120M parameters, so the state_dict goes over in memory)."""
    for name in ("resnet50", "vgg11"):
        torch.manual_seed(0)
        ref = getattr(tv.models, name)(num_classes=3)
        ours = getattr(M, name)(num_classes=3)
        _check_structure(ours, ref)
        ours.load_state_dict({k: torchlike.from_numpy(v.numpy()) for k, v in ref.state_dict().items()})
        _compare(ours, ref, _x[:1], "eval")


def _torch_lenet():
    nn = torch.nn

    class LeNet5(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.conv2 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
            self.fc1, self.fc2, self.fc3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

        def forward(self, x):
            x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
            x = torch.max_pool2d(torch.relu(self.conv2(x)), 2).flatten(1)
            return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))

    return LeNet5()


def test_lenet5_matches_its_torch_twin(tmp_path):
    torch.manual_seed(0)
    ref = _torch_lenet()
    torch.save(ref.state_dict(), tmp_path / "lenet.pt")
    ours = M.lenet(weights=tmp_path / "lenet.pt")
    assert isinstance(ours, M.LeNet5)
    x = np.random.default_rng(1).standard_normal((3, 1, 28, 28)).astype(np.float32)
    _compare(ours, ref, x, "eval", rtol=1e-5)


def test_weights_argument(resnet18, tmp_path):
    ours, _ = resnet18
    for weights in ("IMAGENET1K_V1", "DEFAULT", M.ResNet18_Weights.IMAGENET1K_V1, "ResNet18_Weights.DEFAULT"):
        with pytest.raises(RuntimeError, match=r"never downloads.*resnet18-f37072fd\.pth.*weights='/path/to/"):
            M.resnet18(weights=weights)
    with pytest.raises(ValueError, match="neither a file nor one of the names of ResNet50_Weights"):
        M.resnet50(weights=str(tmp_path / "missing.pth"))
    with pytest.raises(TypeError, match="expected ResNet18_Weights"):
        M.resnet18(weights=M.ResNet50_Weights.DEFAULT)
    torchlike.save({"state_dict": ours.state_dict(), "epoch": 3}, tmp_path / "ckpt.pt")
    again = M.resnet18(weights=tmp_path / "ckpt.pt", num_classes=7)  # a training checkpoint's "state_dict"
    np.testing.assert_array_equal(again.fc.weight.detach().numpy(), ours.fc.weight.detach().numpy())
    with pytest.raises(RuntimeError, match="size mismatch"):
        M.resnet18(weights=tmp_path / "ckpt.pt")  # 1000 classes by default, the file has 7
    assert M.MobileNet_V2_Weights.DEFAULT is M.MobileNet_V2_Weights.IMAGENET1K_V2
