"""Convolutions, padding, resampling and shuffles against torch: functional rows and layers."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from compat_tests.harness import Case
from compat_tests.nn_harness import LayerCase, check_init, check_layer

R = np.random.RandomState(2)


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


def F(lib):
    return lib.nn.functional


X4 = f32(2, 4, 7, 6)
GRID = R.uniform(-1.3, 1.3, (2, 3, 4, 2)).astype(np.float32)
# grid points exactly on pixel centres and borders, where rounding and clipping conventions show
EDGE = np.array([[[[-1.0, -1.0], [1.0, 1.0], [0.0, 0.0], [-1.2, 0.6]]]], np.float32).repeat(2, axis=0)

CONV = [
    Case(
        "conv2d-groups-dilation-stride-bias",
        lambda lib, x, w, b: F(lib).conv2d(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=2),
        X4,
        f32(6, 2, 3, 2),
        f32(6),
    ),
    Case(
        "conv2d-same-even-kernel",
        lambda lib, x, w: F(lib).conv2d(x, w, padding="same", dilation=2),
        X4,
        f32(3, 4, 4, 2),
    ),
    Case(
        "conv1d-unbatched-valid",
        lambda lib, x, w: F(lib).conv1d(x, w, padding="valid", stride=2),
        f32(3, 9),
        f32(4, 3, 3),
    ),
    Case(
        "conv3d-stride-padding",
        lambda lib, x, w: F(lib).conv3d(x, w, stride=2, padding=1),
        f32(1, 2, 5, 4, 3),
        f32(3, 2, 3, 2, 2),
    ),
    Case(
        "conv_transpose2d-groups-output-padding",
        lambda lib, x, w, b: F(lib).conv_transpose2d(
            x, w, b, stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2, dilation=(1, 2)
        ),
        X4,
        f32(4, 3, 3, 2),
        f32(6),
    ),
    Case(
        "conv_transpose1d-unbatched-big-padding",
        lambda lib, x, w: F(lib).conv_transpose1d(x, w, stride=2, padding=3),
        f32(4, 6),
        f32(4, 3, 3),
    ),
    Case(
        "conv_transpose3d",
        lambda lib, x, w: F(lib).conv_transpose3d(x, w, stride=2, output_padding=1),
        f32(1, 2, 2, 3, 2),
        f32(2, 3, 2, 2, 2),
    ),
    Case(
        "conv2d-int64",
        lambda lib, x, w: F(lib).conv2d(x, w, stride=2),
        (X4 * 3).astype(np.int64),
        np.ones((2, 4, 2, 2), np.int64),
    ),
    Case("conv2d-channels-error", lambda lib, x, w: F(lib).conv2d(x, w), X4, f32(3, 3, 3, 3)),
    Case("conv2d-dims-error", lambda lib, x, w: F(lib).conv2d(x, w), f32(4, 5), f32(3, 4, 3, 3)),
    Case("conv2d-bias-error", lambda lib, x, w, b: F(lib).conv2d(x, w, b), X4, f32(3, 4, 3, 3), f32(4)),
    Case("conv2d-kernel-too-big-error", lambda lib, x, w: F(lib).conv2d(x, w), f32(1, 4, 2, 2), f32(3, 4, 3, 3)),
    Case("conv2d-dtype-error", lambda lib, x, w: F(lib).conv2d(x, w), X4.astype(np.float64), f32(3, 4, 3, 3)),
    Case(
        "conv2d-same-strided-error",
        lambda lib, x, w: F(lib).conv2d(x, w, stride=2, padding="same"),
        X4,
        f32(3, 4, 3, 3),
    ),
    Case("conv2d-stride-length-error", lambda lib, x, w: F(lib).conv2d(x, w, stride=(1, 2, 3)), X4, f32(3, 4, 3, 3)),
    Case("conv2d-negative-padding-error", lambda lib, x, w: F(lib).conv2d(x, w, padding=-1), X4, f32(3, 4, 3, 3)),
    Case(
        "conv_transpose2d-output-padding-error",
        lambda lib, x, w: F(lib).conv_transpose2d(x, w, stride=2, output_padding=2),
        X4,
        f32(4, 3, 3, 3),
    ),
    Case("conv_transpose2d-channels-error", lambda lib, x, w: F(lib).conv_transpose2d(x, w), X4, f32(3, 3, 3, 3)),
    Case(
        "unfold-dilation-padding-stride",
        lambda lib, x: F(lib).unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)),
        X4,
    ),
    Case(
        "fold-dilation-padding-stride",
        lambda lib, x: F(lib).fold(x, (5, 6), (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)),
        f32(2, 12, 12),
    ),
    Case("fold-blocks-error", lambda lib, x: F(lib).fold(x, (5, 6), 2), f32(2, 12, 7)),
]

PAD = [
    Case(f"pad-{mode}-2d", lambda lib, x, m=mode: F(lib).pad(x, (1, 2, 2, 0), mode=m), X4)
    for mode in ("constant", "reflect", "replicate", "circular")
] + [
    Case("pad-constant-negative-value-3dims", lambda lib, x: F(lib).pad(x, (-1, 2, 2, -3, 1, 0), value=1.5), X4),
    Case("pad-circular-negative", lambda lib, x: F(lib).pad(x, (2, -1, -1, 3), mode="circular"), X4),
    Case("pad-reflect-negative-1d", lambda lib, x: F(lib).pad(x, (-1, 2), mode="reflect"), f32(3, 5)),
    Case("pad-replicate-3d", lambda lib, x: F(lib).pad(x, (1, 0, 0, 2, 1, 1), mode="replicate"), f32(1, 2, 3, 2, 3)),
    Case("pad-int-constant", lambda lib, x: F(lib).pad(x, (1, 1), value=2.5), np.arange(6).reshape(2, 3)),
    Case("pad-reflect-too-big-error", lambda lib, x: F(lib).pad(x, (6, 6), mode="reflect"), X4),
    Case("pad-odd-length-error", lambda lib, x: F(lib).pad(x, (1,)), X4),
    Case("pad-mode-dims-error", lambda lib, x: F(lib).pad(x, (1, 1), mode="reflect"), f32(1, 2, 3, 4, 5)),
]

INTERP = [
    Case("interp-nearest-size-2d-shortcuts", lambda lib, x: F(lib).interpolate(x, size=(14, 6)), X4),
    Case("interp-nearest-scale-1d", lambda lib, x: F(lib).interpolate(x, scale_factor=2.2), f32(2, 3, 3)),
    Case(
        "interp-nearest-scale-3d",
        lambda lib, x: F(lib).interpolate(x, scale_factor=(1.7, 2.0, 0.6)),
        f32(1, 2, 3, 3, 5),
    ),
    Case(
        "interp-nearest-exact", lambda lib, x: F(lib).interpolate(x, scale_factor=(1.3, 0.6), mode="nearest-exact"), X4
    ),
    Case(
        "interp-linear-align",
        lambda lib, x: F(lib).interpolate(x, size=11, mode="linear", align_corners=True),
        f32(2, 3, 5),
    ),
    Case("interp-bilinear-scale", lambda lib, x: F(lib).interpolate(x, scale_factor=1.7, mode="bilinear"), X4),
    Case(
        "interp-bilinear-recompute",
        lambda lib, x: F(lib).interpolate(x, scale_factor=(0.7, 1.6), mode="bilinear", recompute_scale_factor=True),
        X4,
    ),
    Case("interp-bicubic-scale", lambda lib, x: F(lib).interpolate(x, scale_factor=1.6, mode="bicubic"), X4),
    Case(
        "interp-trilinear",
        lambda lib, x: F(lib).interpolate(x, scale_factor=(2, 1.5, 0.7), mode="trilinear"),
        f32(1, 2, 3, 4, 5),
    ),
    Case("interp-area", lambda lib, x: F(lib).interpolate(x, size=(3, 4), mode="area"), X4),
    Case("interp-bilinear-3d-input-error", lambda lib, x: F(lib).interpolate(x, size=4, mode="bilinear"), f32(2, 3, 5)),
    Case("interp-both-error", lambda lib, x: F(lib).interpolate(x, size=4, scale_factor=2), X4),
    Case("interp-nearest-align-error", lambda lib, x: F(lib).interpolate(x, size=4, align_corners=True), X4),
]

GRID_CASES = [
    Case(
        f"grid_sample-{mode}-{pad}-{ac}",
        lambda lib, x, g, m=mode, p=pad, a=ac: F(lib).grid_sample(x, g, mode=m, padding_mode=p, align_corners=a),
        X4,
        g,
        grad=mode != "nearest",
    )
    for mode, pad, ac, g in [
        ("bilinear", "zeros", False, GRID),
        ("bilinear", "reflection", True, GRID),
        ("nearest", "border", False, EDGE),
        ("bicubic", "reflection", False, GRID),
    ]
] + [
    Case(
        "grid_sample-3d",
        lambda lib, x, g: F(lib).grid_sample(x, g, align_corners=False),
        f32(2, 3, 3, 4, 5),
        R.uniform(-1.2, 1.2, (2, 2, 3, 2, 3)).astype(np.float32),
    ),
    Case("affine_grid-2d", lambda lib, t: F(lib).affine_grid(t, (2, 3, 4, 5), align_corners=False), f32(2, 2, 3)),
    Case(
        "affine_grid-3d-align", lambda lib, t: F(lib).affine_grid(t, (2, 3, 4, 1, 2), align_corners=True), f32(2, 3, 4)
    ),
    Case(
        "affine_grid-shape-error", lambda lib, t: F(lib).affine_grid(t, (2, 3, 4, 5), align_corners=False), f32(2, 3, 3)
    ),
    Case("pixel_unshuffle-batched", lambda lib, x: F(lib).pixel_unshuffle(x, 2), f32(2, 1, 3, 4, 6)),
    Case("pixel_shuffle-channels-error", lambda lib, x: F(lib).pixel_shuffle(x, 2), f32(3, 6, 3, 2)),
]


@pytest.mark.parametrize("case", CONV + PAD + INTERP + GRID_CASES, ids=repr)
def test_conv_functional(case, compat):
    compat(case)


LAYERS = [
    LayerCase(
        "Conv2d-groups-dilation-reflect",
        lambda lib: lib.nn.Conv2d(
            4, 6, (3, 2), stride=(2, 1), padding=(2, 1), dilation=(2, 1), groups=2, padding_mode="reflect"
        ),
        X4,
        modes=("train",),
    ),
    LayerCase(
        "Conv1d-same-circular-nobias-unbatched",
        lambda lib: lib.nn.Conv1d(3, 2, 4, padding="same", dilation=2, padding_mode="circular", bias=False),
        f32(3, 9),
        modes=("eval",),
    ),
    LayerCase(
        "ConvTranspose2d-output_size",
        lambda lib: lib.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, groups=2, dilation=(1, 2)),
        X4,
        modes=("train",),
        call=lambda m, x: m(x, output_size=[14, 14]),
    ),
    LayerCase(
        "ConvTranspose2d-output_size-error",
        lambda lib: lib.nn.ConvTranspose2d(4, 2, 3, stride=2),
        X4,
        call=lambda m, x: m(x, output_size=(30, 30)),
    ),
    LayerCase("Conv2d-groups-error", lambda lib: lib.nn.Conv2d(4, 3, 3, groups=2), X4),
    LayerCase("Conv2d-padding-mode-error", lambda lib: lib.nn.Conv2d(4, 3, 3, padding_mode="wrap"), X4),
    LayerCase("Unfold", lambda lib: lib.nn.Unfold(2, padding=1, stride=2), X4, modes=("eval",)),
    LayerCase(
        "pads-2d-chain",
        lambda lib: lib.nn.Sequential(
            lib.nn.ZeroPad2d((1, 0, 2, -1)),
            lib.nn.ReflectionPad2d((1, 2, 0, 3)),
            lib.nn.CircularPad2d(1),
            lib.nn.ReplicationPad2d((0, 1, 1, 0)),
            lib.nn.ConstantPad2d(1, 3.5),
        ),
        X4,
        modes=("eval",),
    ),
    LayerCase(
        "pads-1d-3d-chain",
        lambda lib: lib.nn.Sequential(
            lib.nn.ReplicationPad3d(1),
            lib.nn.CircularPad3d((1, 0, 0, 1, 1, 1)),
            lib.nn.ReflectionPad3d(1),
            lib.nn.ZeroPad3d(1),
            lib.nn.ConstantPad3d((1, 0, 0, 0, 0, 1), -1.0),
            lib.nn.Flatten(2),
            lib.nn.ReflectionPad1d(2),
            lib.nn.CircularPad1d((2, 1)),
            lib.nn.ReplicationPad1d(1),
            lib.nn.ZeroPad1d((1, 0)),
            lib.nn.ConstantPad1d(2, 3.5),
        ),
        f32(1, 2, 2, 3, 2),
        modes=("eval",),
    ),
    LayerCase(
        "upsample-shuffle-chain",
        lambda lib: lib.nn.Sequential(
            lib.nn.ChannelShuffle(2),
            lib.nn.PixelShuffle(2),
            lib.nn.UpsamplingNearest2d(size=(9, 5)),
            lib.nn.Upsample(scale_factor=1.5, mode="bilinear", align_corners=False),
            lib.nn.UpsamplingBilinear2d(scale_factor=2),
            lib.nn.PixelUnshuffle(2),
        ),
        X4,
        modes=("eval",),
    ),
    LayerCase("CircularPad2d-dims-error", lambda lib: lib.nn.CircularPad2d(1), f32(3, 4)),
]


@pytest.mark.parametrize("case", LAYERS, ids=repr)
def test_conv_layer(case):
    check_layer(case)


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.nn.ConvTranspose1d(8, 12, 5, groups=4, bias=True),
    ],
)
def test_conv_init(make):
    check_init(make)


def _lazy(lib, name, shape, *args, **kwargs):
    m = getattr(lib.nn, name)(*args, **kwargs)
    m(lib.zeros(shape))  # the first call infers in_channels and materializes the parameters
    return m


LAZY = [
    LayerCase("LazyConv2d", lambda lib: _lazy(lib, "LazyConv2d", X4.shape, 6, 3, groups=2), X4, modes=("eval",)),
]


@pytest.mark.parametrize("case", LAZY, ids=repr)
def test_lazy_conv_layer(case):
    check_layer(case)


def test_lazy_conv_becomes_conv():
    m = torchlike.nn.LazyConv2d(6, 3, groups=2)
    assert m.has_uninitialized_params()
    y = m(torchlike.zeros(X4.shape))
    assert type(m) is torchlike.nn.Conv2d
    assert not any(isinstance(p, torchlike.nn.parameter.UninitializedParameter) for p in m.parameters())
    assert tuple(m.weight.shape) == (6, 2, 3, 3) and tuple(y.shape) == (2, 6, 5, 4)
