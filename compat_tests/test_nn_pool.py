"""Pooling against torch: functional rows (ties, ceil_mode, padding, indices) and layers."""

from __future__ import annotations

import numpy as np
import pytest

from compat_tests.harness import Case
from compat_tests.nn_harness import LayerCase, check_layer

R = np.random.RandomState(3)


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


def ties(*shape):
    """Small integer values as floats: many equal maxima, so torch's first-max rule shows in grads and indices."""
    return R.randint(0, 3, shape).astype(np.float32)


def F(lib):
    return lib.nn.functional


T4 = ties(2, 3, 7, 8)


def _pool_unpool3d(lib, x):
    y, idx = F(lib).max_pool3d(x, 2, (1, 2, 2), return_indices=True)
    return y, idx, lib.nn.MaxUnpool3d(2, (1, 2, 2))(y, idx, output_size=x.shape)


X4 = f32(2, 3, 7, 8)

POOL = [
    Case(
        "max_pool2d-ties-indices-pad-dilation-ceil",
        lambda lib, x: F(lib).max_pool2d(
            x, (3, 2), (2, 1), (1, 1), dilation=(1, 2), ceil_mode=True, return_indices=True
        ),
        T4,
    ),
    Case("max_pool2d-ties-ceil", lambda lib, x: F(lib).max_pool2d(x, 3, 2, 1, ceil_mode=True), T4),
    Case(
        "max_pool1d-unbatched-ties-indices",
        lambda lib, x: F(lib).max_pool1d_with_indices(x, 3, 2, 1, ceil_mode=True),
        ties(3, 8),
    ),
    Case(
        "max_pool3d-indices-unpool",
        lambda lib, x: _pool_unpool3d(lib, x),
        ties(1, 2, 3, 4, 5),
    ),
    Case("max_pool2d-int64", lambda lib, x: F(lib).max_pool2d(x, 2, padding=1), (X4 * 5).astype(np.int64)),
    Case(
        "avg_pool2d-ceil-exclude-pad",
        lambda lib, x: F(lib).avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
        X4,
    ),
    Case(
        "avg_pool2d-ceil-include-pad", lambda lib, x: F(lib).avg_pool2d(x, (3, 2), (2, 3), (1, 1), ceil_mode=True), X4
    ),
    Case("avg_pool2d-divisor", lambda lib, x: F(lib).avg_pool2d(x, (3, 2), padding=(1, 0), divisor_override=5), X4),
    Case("avg_pool1d-unbatched-ceil", lambda lib, x: F(lib).avg_pool1d(x, 3, 2, 1, ceil_mode=True), f32(3, 8)),
    Case(
        "avg_pool3d-ceil",
        lambda lib, x: F(lib).avg_pool3d(x, 2, ceil_mode=True, count_include_pad=False),
        f32(1, 2, 3, 5, 3),
    ),
    Case("adaptive_avg_pool2d-uneven-none", lambda lib, x: F(lib).adaptive_avg_pool2d(x, (3, None)), X4),
    Case("adaptive_avg_pool2d-uneven", lambda lib, x: F(lib).adaptive_avg_pool2d(x, (4, 3)), X4),
    Case("adaptive_avg_pool1d", lambda lib, x: F(lib).adaptive_avg_pool1d(x, 5), f32(2, 3, 7)),
    Case("adaptive_avg_pool3d", lambda lib, x: F(lib).adaptive_avg_pool3d(x, (2, 1, 3)), f32(1, 2, 3, 4, 5)),
    Case(
        "adaptive_max_pool2d-ties-indices",
        lambda lib, x: F(lib).adaptive_max_pool2d(x, (3, 5), return_indices=True),
        T4,
    ),
    Case("adaptive_max_pool1d-unbatched-indices", lambda lib, x: F(lib).adaptive_max_pool1d(x, 3, True), ties(3, 7)),
    Case("adaptive_max_pool3d", lambda lib, x: F(lib).adaptive_max_pool3d(x, (2, 3, 2)), f32(1, 2, 3, 4, 5)),
    Case("lp_pool2d-ceil", lambda lib, x: F(lib).lp_pool2d(x, 2, (3, 2), stride=2, ceil_mode=True), X4),
    Case("lp_pool1d-fractional", lambda lib, x: F(lib).lp_pool1d(x, 1.5, 3), np.abs(f32(2, 3, 7)) + 0.5),
    Case(
        "max_unpool2d-roundtrip-output-size",
        lambda lib, x: F(lib).max_unpool2d(*F(lib).max_pool2d(x, 2, return_indices=True), 2, output_size=(7, 9)),
        X4,
    ),
    Case(
        "max_unpool1d",
        lambda lib, x: F(lib).max_unpool1d(
            *F(lib).max_pool1d(x, 3, 2, 1, return_indices=True), 3, 2, 1, output_size=[8]
        ),
        f32(2, 3, 8),
    ),
    Case("max_pool2d-pad-error", lambda lib, x: F(lib).max_pool2d(x, 3, padding=2), X4),
    Case("max_pool2d-too-small-error", lambda lib, x: F(lib).max_pool2d(x, 9), X4),
    Case("max_pool2d-kernel-length-error", lambda lib, x: F(lib).max_pool2d(x, (3, 3, 3)), X4),
    Case("avg_pool2d-divisor-zero-error", lambda lib, x: F(lib).avg_pool2d(x, 3, divisor_override=0), X4),
    Case("adaptive_avg_pool2d-size-error", lambda lib, x: F(lib).adaptive_avg_pool2d(x, (2, 3, 4)), X4),
    Case(
        "adaptive_avg_pool2d-int-error",
        lambda lib, x: F(lib).adaptive_avg_pool2d(x, 2),
        np.ones((1, 2, 4, 4), np.int64),
    ),
    Case(
        "max_unpool2d-indices-shape-error",
        lambda lib, x, i: F(lib).max_unpool2d(x, i, 2),
        X4,
        np.zeros((2, 3, 7, 7), np.int64),
    ),
]


@pytest.mark.parametrize("case", POOL, ids=repr)
def test_pool_functional(case, compat):
    compat(case)


def _unpool(m, x):
    y, idx = m[0](x)
    return m[1](y, idx, output_size=x.shape)


LAYERS = [
    LayerCase(
        "pools-2d-chain",
        lambda lib: lib.nn.Sequential(
            lib.nn.MaxPool2d(3, stride=1, padding=1),
            lib.nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
            lib.nn.LPPool2d(2, 2, stride=1, ceil_mode=True),
            lib.nn.AdaptiveMaxPool2d((3, 2)),
            lib.nn.AdaptiveAvgPool2d(1),
        ),
        f32(2, 3, 12, 11),
        modes=("eval",),
    ),
    LayerCase(
        "pools-1d-chain",
        lambda lib: lib.nn.Sequential(
            lib.nn.MaxPool1d(2, dilation=2, ceil_mode=True),
            lib.nn.AvgPool1d(3, 1, 1),
            lib.nn.LPPool1d(3, 2, ceil_mode=True),
            lib.nn.AdaptiveMaxPool1d(3),
            lib.nn.AdaptiveAvgPool1d(2),
        ),
        f32(2, 3, 15),
        modes=("eval",),
    ),
    LayerCase(
        "pools-3d-chain",
        lambda lib: lib.nn.Sequential(
            lib.nn.MaxPool3d((2, 2, 1), stride=1),
            lib.nn.AvgPool3d(2, ceil_mode=True, divisor_override=3),
            lib.nn.AdaptiveMaxPool3d((1, 2, None)),
            lib.nn.AdaptiveAvgPool3d((1, None, 2)),
        ),
        f32(1, 2, 3, 5, 4),
        modes=("eval",),
    ),
    LayerCase(
        "MaxPool2d-indices-MaxUnpool2d",
        lambda lib: lib.nn.Sequential(lib.nn.MaxPool2d(2, return_indices=True, ceil_mode=True), lib.nn.MaxUnpool2d(2)),
        f32(2, 3, 6, 8),
        modes=("eval",),
        call=_unpool,
    ),
]


@pytest.mark.parametrize("case", LAYERS, ids=repr)
def test_pool_layer(case):
    check_layer(case)
