"""nn.functional activations, softmax family and dropout against torch: values, dtypes, kink gradients, errors."""

from __future__ import annotations

import warnings

import jax
import numpy as np
import pytest

import torchlike
from compat_tests.harness import Case
from compat_tests.nn_harness import LayerCase, check_init, check_layer

R = np.random.RandomState(0)


def f32(*shape, lo=-4.0, hi=4.0):
    return R.uniform(lo, hi, shape).astype(np.float32)


# exact kinks of every piecewise activation: 0, +-0.5, +-1, +-3, 6, and values beyond
KINKS = np.array([-7.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, 7.0, 0.25, -2.0], np.float32)
X = np.concatenate([KINKS, f32(12)]).reshape(4, 6)
X64 = X.astype(np.float64)
I64 = np.array([-3, -1, 0, 1, 2, 7])


def F(lib):
    return lib.nn.functional


CASES = [
    Case(
        "relu-family-kinks",
        lambda lib, x: (
            F(lib).relu(x),
            F(lib).relu6(x),
            F(lib).hardtanh(x, -0.5, 3.0),
            F(lib).threshold(x, 0.5, -1.0),
            F(lib).leaky_relu(x, 0.2),
            F(lib).leaky_relu(x),
            F(lib).rrelu(x, 0.1, 0.3),
        ),
        X,
    ),
    Case(
        "elu-family-kinks",
        lambda lib, x: (F(lib).elu(x, 2.0), F(lib).selu(x), F(lib).celu(x, 0.5), F(lib).elu(x)),
        X,
    ),
    Case(
        "smooth-activations",
        lambda lib, x: (
            F(lib).gelu(x),
            F(lib).gelu(x, approximate="tanh"),
            F(lib).silu(x),
            F(lib).mish(x),
            F(lib).sigmoid(x),
            F(lib).tanh(x),
            F(lib).logsigmoid(x),
            F(lib).softsign(x),
            F(lib).tanhshrink(x),
        ),
        X,
    ),
    Case(
        "smooth-activations-f64",
        lambda lib, x: (F(lib).gelu(x), F(lib).softplus(x)),
        X64 * 10,
    ),
    Case(
        "hard-and-shrink-kinks",
        lambda lib, x: (
            F(lib).hardsigmoid(x),
            F(lib).hardswish(x),
            F(lib).hardshrink(x),
            F(lib).hardshrink(x, 1.0),
            F(lib).softshrink(x),
            F(lib).softshrink(x, 3.0),
        ),
        X,
    ),
    Case(
        "softplus-beta-threshold",
        lambda lib, x: (F(lib).softplus(x), F(lib).softplus(x, 2.0, 1.0), F(lib).softplus(x * 10, 0.5, 5.0)),
        X,
    ),
    Case(
        "prelu-channels",
        lambda lib, x, w: (F(lib).prelu(x.reshape(2, 3, 4), w), F(lib).prelu(x, w[:1])),
        X,
        np.array([0.25, -0.5, 2.0], np.float32),
    ),
    Case("prelu-1d-scalar-weight", lambda lib, x, w: F(lib).prelu(x[0], w), X, np.array([0.3], np.float32)),
    Case("prelu-mismatch-error", lambda lib, x, w: F(lib).prelu(x, w), X, np.ones(4, np.float32)),
    Case("prelu-2d-weight-error", lambda lib, x, w: F(lib).prelu(x, w), X, np.ones((1, 6), np.float32)),
    Case("glu", lambda lib, x: (F(lib).glu(x), F(lib).glu(x, 0)), X),
    Case("glu-odd-error", lambda lib, x: F(lib).glu(x, 0), X[:3]),
    Case("glu-scalar-error", lambda lib, x: F(lib).glu(x[0, 0]), X),
    Case(
        "int-activations",
        lambda lib, x: (F(lib).relu(x), F(lib).relu6(x), F(lib).hardtanh(x, -1, 2), F(lib).threshold(x, 0, 5)),
        I64,
    ),
    Case(
        "int-to-float-activations",
        lambda lib, x: (F(lib).sigmoid(x), F(lib).tanh(x), F(lib).softsign(x), F(lib).tanhshrink(x)),
        I64,
    ),
    Case("elu-int-error", lambda lib, x: F(lib).elu(x), I64),
    Case("gelu-int-error", lambda lib, x: F(lib).gelu(x), I64),
    Case("softplus-int-error", lambda lib, x: F(lib).softplus(x), I64),
    Case("gelu-approximate-error", lambda lib, x: F(lib).gelu(x, approximate="fast"), X),
    Case("hardtanh-bounds-error", lambda lib, x: F(lib).hardtanh(x, 2.0, 1.0), X),
    Case("softshrink-negative-error", lambda lib, x: F(lib).softshrink(x, -1.0), X),
    Case("celu-zero-alpha-error", lambda lib, x: F(lib).celu(x, 0.0), X),
    Case("rrelu-bounds-error", lambda lib, x: F(lib).rrelu(x, 0.5, 0.1, training=True), X),
    Case("f16-activations", lambda lib, x: (F(lib).gelu(x), F(lib).elu(x)), X.astype(np.float16)),
    # in-place: through a non-leaf (the row's inputs are leaves), gradients flow through the in-place write
    Case(
        "inplace-functional",
        lambda lib, x: [
            f(x * 1)
            for f in (
                lambda t: F(lib).relu(t, inplace=True),
                F(lib).relu_,
                lambda t: F(lib).elu_(t, 2.0),
                lambda t: F(lib).leaky_relu_(t, 0.1),
                lambda t: F(lib).hardtanh_(t, -1.0, 3.0),
                lambda t: F(lib).threshold_(t, 0.5, 2.0),
                F(lib).selu_,
                lambda t: F(lib).celu_(t, 1.5),
                lambda t: F(lib).rrelu_(t),
                lambda t: F(lib).silu(t, inplace=True),
                lambda t: F(lib).hardswish(t, inplace=True),
                lambda t: F(lib).relu6(t, inplace=True),
            )
        ],
        X,
    ),
    Case(
        "inplace-returns-input", lambda lib, x: F(lib).relu_(x) is x and F(lib).elu(x, inplace=True) is x, X, grad=False
    ),
    Case("inplace-leaf-error", lambda lib, x: F(lib).relu_(x), X),
    # softmax family
    Case(
        "softmax-family",
        lambda lib, x: (
            F(lib).softmax(x, 1),
            F(lib).log_softmax(x, -1),
            F(lib).softmin(x, 0),
            F(lib).softmax(x, 1, dtype=lib.float64),
            F(lib).log_softmax(x, 0, dtype=lib.float64),
        ),
        X,
    ),
    Case(
        "softmax-int-dtype",
        lambda lib, x: (F(lib).softmax(x, 0, dtype=lib.float32), F(lib).softmin(x, 0, dtype=lib.float64)),
        I64,
    ),
    Case("softmax-int-error", lambda lib, x: F(lib).softmax(x, 0), I64),
    Case(
        "softmax-implicit-dim",
        lambda lib, x: _quiet(
            lambda: (
                F(lib).softmax(x),
                F(lib).log_softmax(x.reshape(2, 3, 4)),
                F(lib).softmin(x[0]),
                F(lib).softmax(x.reshape(2, 2, 3, 2)),
            )
        ),
        X,
        grad=False,
    ),
    Case("softmax-dim-error", lambda lib, x: F(lib).softmax(x, 2), X),
    # random ops: shapes, dtypes and (below) structure only
    Case(
        "gumbel-softmax-shapes",
        lambda lib, x: (F(lib).gumbel_softmax(x), F(lib).gumbel_softmax(x, 0.5, True, dim=0)),
        X,
        values=False,
        grad=False,
    ),
    Case(
        "dropout-shapes",
        lambda lib, x: (
            F(lib).dropout(x),
            F(lib).dropout(x * 1, 0.3, inplace=True),
            F(lib).alpha_dropout(x, 0.2, True),
            F(lib).rrelu(x, training=True),
            F(lib).feature_alpha_dropout(x.reshape(2, 3, 4), 0.4, True),
            F(lib).dropout1d(x.reshape(2, 3, 4)),
            F(lib).dropout1d(x.reshape(6, 4)),
            _quiet(lambda: F(lib).dropout2d(x.reshape(2, 3, 4))),
            F(lib).dropout2d(x.reshape(2, 3, 2, 2)),
            F(lib).dropout3d(x.reshape(6, 2, 2, 1)),
            F(lib).dropout3d(x.reshape(1, 6, 2, 2, 1)),
        ),
        X,
        values=False,
        grad=False,
    ),
    Case(
        "dropout-identity-and-zero",
        lambda lib, x: (
            F(lib).dropout(x, 0.5, training=False),
            F(lib).dropout(x, 0.0),
            F(lib).dropout(x, 1.0),
            F(lib).alpha_dropout(x, 1.0, True),
            F(lib).alpha_dropout(x, 0.5),
            F(lib).dropout2d(x.reshape(2, 3, 2, 2), 1.0),
            F(lib).dropout1d(x, 0.5, False),
            F(lib).feature_alpha_dropout(x, 0.5, False),
        ),
        X,
    ),
    Case("dropout-p-error", lambda lib, x: F(lib).dropout(x, 1.5), X),
    Case("dropout1d-dim-error", lambda lib, x: F(lib).dropout1d(x[0]), X),
    Case("feature-dropout-1d-error", lambda lib, x: _quiet(lambda: F(lib).dropout2d(x[0])), X),
]


def _quiet(f):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f()


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_activation(case, compat):
    compat(case)


def test_softmax_implicit_dim_warns():
    x = torchlike.randn(2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        torchlike.nn.functional.softmax(x)
    with pytest.warns(UserWarning, match="Received a 3D input to dropout2d"):
        torchlike.nn.functional.dropout2d(torchlike.randn(2, 3, 4))


# ---------------------------------------------------------------- dropout structure (streams differ from torch's)

Fn = torchlike.nn.functional


def _ones(*shape):
    return torchlike.ones(*shape, requires_grad=True)


def test_dropout_mask_statistics_and_grad():
    x = _ones(200, 100)
    y = Fn.dropout(x, 0.3)
    v = y.detach().numpy()
    assert np.isclose(v, 0).sum() + np.isclose(v, 1 / 0.7).sum() == v.size
    assert abs((v == 0).mean() - 0.3) < 0.02
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), v)  # the gradient is the scaled mask
    z = Fn.dropout(x, 0.3).detach().numpy()
    assert (z != v).any(), "a second call must draw a new mask"


def test_feature_dropout_zeroes_whole_channels():
    x = torchlike.ones(40, 30, 3, 3)
    for y in (Fn.dropout2d(x, 0.5), Fn.dropout3d(x.reshape(40, 30, 3, 3, 1), 0.5)[..., 0]):
        v = y.numpy().reshape(40, 30, 9)
        assert (v == v[..., :1]).all()
        assert set(np.unique(v)) == {0.0, 2.0}
        assert abs((v[..., 0] == 0).mean() - 0.5) < 0.06
    v = Fn.dropout1d(torchlike.ones(30, 5), 0.5).numpy()  # unbatched (C, L)
    assert (v == v[:, :1]).all() and set(np.unique(v)) == {0.0, 2.0}


def test_alpha_dropout_keeps_mean_and_variance():
    x = torchlike.randn(250, 200)
    for y in (Fn.alpha_dropout(x, 0.2, True), Fn.feature_alpha_dropout(x.reshape(250, 200, 1), 0.2, True)):
        v = y.numpy()
        assert abs(v.mean()) < 0.05 and abs(v.std() - 1) < 0.05
    v = Fn.feature_alpha_dropout(torchlike.ones(300, 20, 4), 0.5, True).numpy()
    assert (v == v[..., :1]).all()


def test_rrelu_training_slopes():
    x = torchlike.full((5000,), -1.0, requires_grad=True)
    y = Fn.rrelu(x * 1, 0.1, 0.3, training=True)
    slopes = -y.detach().numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and abs(slopes.mean() - 0.2) < 0.01
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), slopes)


def test_gumbel_softmax_hard_is_one_hot_with_soft_grad():
    logits = torchlike.tensor(np.log(np.array([[0.7, 0.2, 0.1]] * 4000, np.float32)), requires_grad=True)
    y = Fn.gumbel_softmax(logits, tau=0.5, hard=True)
    v = y.detach().numpy()
    assert (v.sum(1) == 1).all() and set(np.unique(v)) == {0.0, 1.0}
    np.testing.assert_allclose(v.mean(0), [0.7, 0.2, 0.1], atol=0.03)  # Gumbel-max samples the softmax
    y.sum().backward()
    np.testing.assert_allclose(logits.grad.numpy(), 0, atol=1e-5)  # straight-through: d(sum softmax) = 0


def test_dropout_traced_draws_fresh_masks():
    rng = torchlike.random.default_generator._key

    def step(key, x):
        rng.array = key
        return Fn.dropout(torchlike.Tensor._make(x), 0.5)._value, rng.array

    saved = rng.array
    try:
        f = jax.jit(step)
        a, k1 = f(saved, np.ones(64, np.float32))
        b, _ = f(k1, np.ones(64, np.float32))
    finally:
        rng.array = saved
    assert (np.asarray(a) != np.asarray(b)).any()
    assert set(np.unique(np.asarray(a))) == {0.0, 2.0}


# ---------------------------------------------------------------- modules


def _seq(*mods):
    return lambda lib: lib.nn.Sequential(*[m(lib.nn) for m in mods])


LAYERS = [
    LayerCase(
        "relu-family-modules",
        _seq(
            lambda nn: nn.Threshold(0.5, -1.0),
            lambda nn: nn.ReLU6(inplace=True),
            lambda nn: nn.ReLU(),
            lambda nn: nn.Hardtanh(-2.0, 3.0),
            lambda nn: nn.LeakyReLU(0.2, inplace=True),
            lambda nn: nn.ELU(0.5),
            lambda nn: nn.CELU(1.5, inplace=True),
            lambda nn: nn.SELU(),
        ),
        X,
        modes=("train",),
    ),
    LayerCase(
        "smooth-modules",
        _seq(
            lambda nn: nn.GELU("tanh"),
            lambda nn: nn.SiLU(),
            lambda nn: nn.Mish(),
            lambda nn: nn.Softplus(2.0, 5.0),
            lambda nn: nn.Hardswish(),
            lambda nn: nn.Hardsigmoid(),
            lambda nn: nn.Sigmoid(),
            lambda nn: nn.Tanh(),
            lambda nn: nn.LogSigmoid(),
            lambda nn: nn.Softsign(),
            lambda nn: nn.Tanhshrink(),
            lambda nn: nn.Hardshrink(0.01),
            lambda nn: nn.Softshrink(0.001),
            lambda nn: nn.GLU(0),
        ),
        X * 3,
        modes=("train",),
    ),
    LayerCase(
        "softmax-modules",
        lambda lib: lib.nn.ModuleList(
            [lib.nn.Softmax(1), lib.nn.LogSoftmax(dim=0), lib.nn.Softmin(-1), lib.nn.Softmax2d(), lib.nn.GELU()]
        ),
        X.reshape(2, 3, 2, 2),
        modes=("train",),
        call=lambda m, x: [f(x) for f in m],
    ),
    LayerCase("prelu-channels", lambda lib: lib.nn.PReLU(3, init=0.1), X.reshape(2, 3, 4), modes=("eval",)),
    LayerCase("prelu-scalar", lambda lib: lib.nn.PReLU(), X, modes=("eval",)),
    LayerCase("rrelu-eval", lambda lib: lib.nn.RReLU(0.1, 0.4, inplace=False), X, modes=("eval",)),
    LayerCase("softmax2d-dim-error", lambda lib: lib.nn.Softmax2d(), X, modes=("eval",)),
    LayerCase(
        "dropout-modules-eval",
        lambda lib: lib.nn.ModuleList(
            [
                lib.nn.Dropout(0.3),
                lib.nn.Dropout1d(inplace=True),
                lib.nn.Dropout2d(0.1),
                lib.nn.Dropout3d(),
                lib.nn.AlphaDropout(0.2),
                lib.nn.FeatureAlphaDropout(0.4),
                lib.nn.RReLU(),
            ]
        ),
        X.reshape(2, 3, 2, 2),
        modes=("eval",),
        call=lambda m, x: [f(x * 1 if i != 1 else x[0] * 1) for i, f in enumerate(m)],
    ),
    LayerCase(
        "dropout-modules-train",
        lambda lib: lib.nn.ModuleList(
            [lib.nn.Dropout(0.3), lib.nn.Dropout2d(0.1), lib.nn.AlphaDropout(0.2), lib.nn.RReLU(inplace=True)]
        ),
        X.reshape(2, 3, 2, 2),
        modes=("train",),
        values=False,
        grad=False,
        call=lambda m, x: [f(x * 1) for f in m],
    ),
    LayerCase("dropout-p-error", lambda lib: lib.nn.Dropout(-0.1), X, modes=("eval",)),
]


@pytest.mark.parametrize("case", LAYERS, ids=repr)
def test_activation_layer(case):
    check_layer(case)


def test_hardtanh_module_bounds_error():
    with pytest.raises(AssertionError, match="must be greater than min_val"):
        torchlike.nn.Hardtanh(1.0, 1.0)


def test_prelu_init():
    check_init(lambda lib: lib.nn.PReLU(8, init=0.3))
