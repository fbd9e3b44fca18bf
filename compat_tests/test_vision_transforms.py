"""torchlike.vision.transforms against torchvision.transforms (PIL images, tensors, NumPy arrays).

Tensor rows go through the compat harness: values, dtypes, gradients and a traced (jax.jit) run.
PIL rows compare pixels and modes. Random transforms are checked by structure and seeding.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image

import compat_tests._torchvision as tv
import torchlike
from compat_tests.harness import Case
from torchlike.vision import transforms as T
from torchlike.vision.transforms import functional as F

TF = tv.transforms.functional

_rng = np.random.default_rng(0)
FLOAT = _rng.random((3, 13, 17)).astype(np.float32)
BATCH = _rng.random((2, 3, 9, 11)).astype(np.float32)
UINT8 = _rng.integers(0, 256, (3, 13, 17), dtype=np.uint8)
PIL_RGB = Image.fromarray(UINT8.transpose(1, 2, 0))
PIL_L = Image.fromarray(UINT8[0])


def _fn(lib):
    return TF if lib is torch else F


def _mode(lib, name):
    return (tv.transforms.InterpolationMode if lib is torch else T.InterpolationMode)[name]


def row(name, call, img=FLOAT, **kw):
    """A Case running ``call(functional_module, lib, img)`` on torchvision and torchlike.vision."""
    return Case(name, lambda lib, x: call(_fn(lib), lib, x), img, **kw)


TENSOR_ROWS = [
    row("resize_bilinear_aa_down", lambda f, lib, x: f.resize(x, [7, 9])),
    row("resize_bilinear_up_no_aa", lambda f, lib, x: f.resize(x, [20, 31], antialias=False)),
    row("resize_bicubic_aa_int_size", lambda f, lib, x: f.resize(x, 5, _mode(lib, "BICUBIC"))),
    row("resize_bicubic_up", lambda f, lib, x: f.resize(x, [15, 40], _mode(lib, "BICUBIC"))),
    row("resize_nearest_batch", lambda f, lib, x: f.resize(x, [20, 7], _mode(lib, "NEAREST")), BATCH),
    row("resize_nearest_exact", lambda f, lib, x: f.resize(x, [7, 30], _mode(lib, "NEAREST_EXACT"))),
    row("resize_max_size", lambda f, lib, x: f.resize(x, [8], max_size=10)),
    row("resize_uint8", lambda f, lib, x: f.resize(x, [7, 9]), UINT8, atol=1),
    row("pad_constant_ltrb", lambda f, lib, x: f.pad(x, [1, 2, 3, 4], fill=0.5)),
    row("pad_reflect_batch", lambda f, lib, x: f.pad(x, 2, padding_mode="reflect"), BATCH),
    row("pad_edge_uint8", lambda f, lib, x: f.pad(x, [1, 3], padding_mode="edge"), UINT8),
    row("pad_symmetric_negative", lambda f, lib, x: f.pad(x, [-1, 2, 0, 3], padding_mode="symmetric")),
    row("center_crop_pads", lambda f, lib, x: f.center_crop(x, [8, 20])),
    row("crop_outside", lambda f, lib, x: f.crop(x, -2, 3, 10, 20)),
    row("flips", lambda f, lib, x: (f.hflip(x), f.vflip(x))),
    row("rotate_bilinear_expand", lambda f, lib, x: f.rotate(x, 45.0, _mode(lib, "BILINEAR"), expand=True)),
    row("rotate_nearest_fill_center", lambda f, lib, x: f.rotate(x, 90, center=[3, 4], fill=[0.1, 0.2, 0.3])),
    row("rotate_uint8_fill", lambda f, lib, x: f.rotate(x, -30.0, _mode(lib, "BILINEAR"), fill=[9.0]), UINT8, atol=1),
    row("affine", lambda f, lib, x: f.affine(x, 20.0, [2, 1], 1.2, [5.0, 3.0], _mode(lib, "BILINEAR"))),
    row("brightness_contrast", lambda f, lib, x: (f.adjust_brightness(x, 1.3), f.adjust_contrast(x, 0.6))),
    row("saturation_gamma", lambda f, lib, x: (f.adjust_saturation(x, 1.7), f.adjust_gamma(x, 0.7, 1.1))),
    row("hue", lambda f, lib, x: f.adjust_hue(x, -0.3), atol=1e-4),
    row("colour_uint8", lambda f, lib, x: [f.adjust_contrast(x, 0.6), f.adjust_hue(x, 0.2)], UINT8, atol=1),
    row("grayscale", lambda f, lib, x: (f.rgb_to_grayscale(x), f.rgb_to_grayscale(x, 3))),
    row("grayscale_uint8", lambda f, lib, x: f.rgb_to_grayscale(x), UINT8),
    row("normalize", lambda f, lib, x: f.normalize(x, [0.5, 0.4, 0.3], (0.2, 0.3, 0.4))),
    row(
        "convert_image_dtype",
        lambda f, lib, x: (f.convert_image_dtype(x, lib.uint8), f.convert_image_dtype(x, lib.float64)),
    ),
    row("convert_uint8_to_float", lambda f, lib, x: f.convert_image_dtype(x), UINT8),
    row("normalize_uint8_error", lambda f, lib, x: f.normalize(x, [0.5], [0.2]), UINT8),
    row("normalize_zero_std_error", lambda f, lib, x: f.normalize(x, [0.5], [0.0])),
    row("hue_range_error", lambda f, lib, x: f.adjust_hue(x, 0.7)),
    row("pad_mode_error", lambda f, lib, x: f.pad(x, 1, padding_mode="wrap")),
    row("rotate_bicubic_error", lambda f, lib, x: f.rotate(x, 10.0, _mode(lib, "BICUBIC"))),
]


@pytest.mark.parametrize("case", TENSOR_ROWS, ids=repr)
def test_tensor_functional(compat, case):
    compat(case)


@pytest.mark.parametrize("case", [c for c in TENSOR_ROWS if "error" not in c.name], ids=repr)
def test_numpy_arrays_match_tensors(case):
    """NumPy (..., C, H, W) arrays (what workers without JAX see) give the tensor results."""
    got = case.fn(torchlike, case.inputs[0].copy())
    want = case.fn(torchlike, torchlike.tensor(case.inputs[0]))
    got, want = (got, want) if isinstance(got, (tuple, list)) else ((got,), (want,))
    for g, w in zip(got, want):
        assert isinstance(g, np.ndarray) and g.dtype == w.numpy().dtype
        np.testing.assert_allclose(g, w.numpy(), rtol=1e-5, atol=1e-5 if g.dtype.kind == "f" else 1)


def _same_image(got, want):
    assert isinstance(got, Image.Image) and got.mode == want.mode and got.size == want.size
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


PIL_ROWS = {
    "resize": lambda f, lib, im: [f.resize(im, [7, 9], _mode(lib, m)) for m in ("NEAREST", "BILINEAR", "BICUBIC")],
    "resize_int_lanczos": lambda f, lib, im: f.resize(im, 20, _mode(lib, "LANCZOS")),
    "pad_modes": lambda f, lib, im: [f.pad(im, [1, 2, 3, 4], 7, m) for m in ("constant", "edge", "reflect")],
    "pad_symmetric_negative": lambda f, lib, im: f.pad(im, [-1, 2, 0, 3], padding_mode="symmetric"),
    "pad_fill_tuple": lambda f, lib, im: f.pad(im, 2, fill=(1, 2, 3)) if im.mode == "RGB" else f.pad(im, 2, fill=5),
    "crops": lambda f, lib, im: [f.center_crop(im, [8, 20]), f.center_crop(im, 5), f.crop(im, -2, 3, 10, 20)],
    "flips": lambda f, lib, im: [f.hflip(im), f.vflip(im)],
    "rotate": lambda f, lib, im: [f.rotate(im, 30.0, expand=True), f.rotate(im, 90, _mode(lib, "BILINEAR"), fill=5)],
    "affine": lambda f, lib, im: f.affine(im, 20.0, [2, 1], 1.2, [5.0, 3.0]),
    "colour": lambda f, lib, im: [
        f.adjust_brightness(im, 1.3),
        f.adjust_contrast(im, 0.6),
        f.adjust_saturation(im, 1.7),
        f.adjust_hue(im, 0.2),
        f.adjust_gamma(im, 0.7),
    ],
    "grayscale": lambda f, lib, im: [f.to_grayscale(im), f.to_grayscale(im, 3), f.rgb_to_grayscale(im)],
    "resized_crop": lambda f, lib, im: f.resized_crop(im, 2, 3, 8, 9, [5, 5]),
}


@pytest.mark.parametrize("image", [PIL_RGB, PIL_L], ids=["RGB", "L"])
@pytest.mark.parametrize("name", PIL_ROWS)
def test_pil_functional(name, image):
    want, got = PIL_ROWS[name](TF, torch, image), PIL_ROWS[name](F, torchlike, image)
    for g, w in zip(*((got, want) if isinstance(got, list) else ([got], [want]))):
        _same_image(g, w)


def _pil_modes():
    f32 = Image.fromarray(FLOAT[0] * 300 - 20)
    i32 = Image.fromarray((UINT8[0].astype(np.int32) - 100) * 1000)
    return {
        "RGB": PIL_RGB,
        "L": PIL_L,
        "1": PIL_L.convert("1"),
        "I": i32,
        "F": f32,
        "RGBA": PIL_RGB.convert("RGBA"),
        "P": PIL_RGB.convert("P"),
    }


@pytest.mark.parametrize("mode", list(_pil_modes()))
def test_to_tensor_and_back(mode):
    image = _pil_modes()[mode]
    for ours, ref in ((F.to_tensor, TF.to_tensor), (F.pil_to_tensor, TF.pil_to_tensor)):
        got, want = ours(image), ref(image)
        assert isinstance(got, torchlike.Tensor) and str(got.dtype) == str(want.dtype)
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    if mode in ("RGB", "L", "RGBA", "F", "I"):
        t = F.pil_to_tensor(image)
        _same_image(F.to_pil_image(t), TF.to_pil_image(torch.from_numpy(t.numpy())))
    hwc = np.asarray(image.convert("RGB"))
    np.testing.assert_array_equal(F.to_tensor(hwc).numpy(), TF.to_tensor(hwc).numpy())


def test_to_pil_image_modes_and_errors():
    for data, mode in (
        (FLOAT, None),
        (UINT8, None),
        (UINT8, "HSV"),
        (UINT8, "YCbCr"),
        (FLOAT[:1], "F"),
        (UINT8[:2], None),
    ):
        _same_image(F.to_pil_image(torchlike.tensor(data), mode), TF.to_pil_image(torch.tensor(data), mode))
        _same_image(F.to_pil_image(data.transpose(1, 2, 0), mode), TF.to_pil_image(data.transpose(1, 2, 0), mode))
    bad_inputs = [([1, 2], [1, 2], TypeError), (np.zeros((2, 2, 2, 2)),) * 2 + (ValueError,)]
    bad_inputs.append((torchlike.zeros(5, 2, 2), torch.zeros(5, 2, 2), ValueError))
    for ours, ref, exc in bad_inputs:
        for fn, arg in ((F.to_pil_image, ours), (TF.to_pil_image, ref)):
            with pytest.raises(exc):
                fn(arg)
    with pytest.raises(ValueError, match="Only modes"):
        F.to_pil_image(UINT8.transpose(1, 2, 0), mode="RGBA")


def _classes(mod):
    return [
        mod.Compose([mod.Resize(10), mod.CenterCrop(8), mod.ToTensor(), mod.Normalize([0.5] * 3, [0.25] * 3)]),
        mod.Compose([mod.Pad([1, 2], fill=3, padding_mode="edge"), mod.Grayscale(3), mod.PILToTensor()]),
        mod.Compose([mod.Resize((6, 7), mod.InterpolationMode.NEAREST), mod.Lambda(lambda im: im.rotate(90))]),
        mod.RandomCrop(8, padding=2),
        mod.RandomResizedCrop(9, scale=(0.5, 1.0)),
        mod.RandomHorizontalFlip(),
        mod.RandomVerticalFlip(0.3),
        mod.RandomRotation(15, fill=1),
        mod.ColorJitter(0.4, 0.4, (0.5, 1.5), 0.1),
        mod.ToPILImage(mode="RGB"),
    ]


def test_transform_classes_match_torchvision():
    for ours, ref in zip(_classes(T), _classes(tv.transforms)):
        assert repr(ours) == repr(ref)
    for ours, ref in zip(_classes(T)[:3], _classes(tv.transforms)[:3]):
        got, want = ours(PIL_RGB), ref(PIL_RGB)
        if isinstance(got, Image.Image):
            _same_image(got, want)
        else:
            assert str(got.dtype) == str(want.dtype)
            np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6, atol=1e-6)


def test_random_transforms_structure():
    torchlike.manual_seed(0)
    tensor = torchlike.tensor(FLOAT)
    for image in (PIL_RGB, tensor):
        out = T.RandomCrop((9, 10), padding=2, padding_mode="reflect")(image)
        assert F.get_image_size(out) == [10, 9]
        out = T.RandomCrop(5)(image)  # a sub-image: found at the offset the crop chose
        small, big = (
            F.pil_to_tensor(out) if image is PIL_RGB else out,
            F.pil_to_tensor(image) if image is PIL_RGB else image,
        )
        s, b = small.numpy(), big.numpy()
        assert any((b[:, i : i + 5, j : j + 5] == s).all() for i in range(9) for j in range(13))
        assert F.get_image_size(T.RandomCrop(20, pad_if_needed=True)(image)) == [20, 20]
        assert F.get_image_size(T.RandomResizedCrop((6, 8), scale=(0.1, 0.9))(image)) == [8, 6]
        flip = lambda t, im: F.pil_to_tensor(t(im)).numpy() if im is PIL_RGB else t(im).numpy()  # noqa: E731
        base = flip(lambda im: im, image)
        np.testing.assert_array_equal(flip(T.RandomHorizontalFlip(1.0), image), base[..., ::-1])
        np.testing.assert_array_equal(flip(T.RandomVerticalFlip(1.0), image), base[..., ::-1, :])
        np.testing.assert_array_equal(flip(T.RandomHorizontalFlip(0.0), image), base)
        rot = T.RandomRotation((90, 90))(image)
        np.testing.assert_array_equal(
            flip(lambda im: rot, image), flip(lambda im: F.rotate(im, 90.0, fill=[0.0] * 3), image)
        )
        jitter = T.ColorJitter(0.5, 0.5, 0.5, 0.2)
        assert F.get_dimensions(jitter(image)) == F.get_dimensions(image)
        assert T.ColorJitter()(image) is image
    with pytest.raises(ValueError, match="larger than input image size"):
        T.RandomCrop(40)(PIL_RGB)


def test_random_transforms_follow_manual_seed():
    pipeline = T.Compose([T.RandomResizedCrop(8), T.RandomHorizontalFlip(), T.ColorJitter(0.3, 0.3, 0.3, 0.1)])
    outs = []
    for _ in range(2):
        torchlike.manual_seed(123)
        outs.append([np.asarray(pipeline(PIL_RGB)) for _ in range(3)])
    np.testing.assert_array_equal(np.stack(outs[0]), np.stack(outs[1]))
    assert any((a != outs[0][0]).any() for a in outs[0][1:])


_WORKER_SCRIPT = """
import importlib.util, os, sys, types
root = sys.argv[1]
for name in ("torchlike", "torchlike.vision", "torchlike.utils", "torchlike.utils.data"):
    m = types.ModuleType(name); m.__path__ = [os.path.join(root, *name.split("."))]; sys.modules[name] = m
import numpy as np
from PIL import Image
from torchlike.vision import transforms as T
from torchlike.vision.datasets import FakeData
ds = FakeData(4, (3, 12, 10), transform=T.Compose([T.RandomCrop(8), T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)]))
img, target = ds[1]
assert isinstance(img, np.ndarray) and img.shape == (3, 8, 8) and img.dtype == np.float32, (type(img), img.shape)
assert "jax" not in sys.modules, "jax was imported"
print("ok")
"""


def test_transforms_and_datasets_run_without_jax():
    """What a DataLoader worker needs: these modules import no JAX, and ToTensor gives NumPy there."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(torchlike.__file__)))
    res = subprocess.run([sys.executable, "-c", _WORKER_SCRIPT, root], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr
