"""torch.* top-level forms of nn ops (torch.dropout, torch.batch_norm, torch.kl_div, torch.lstm_cell, ...)
against torch: ATen's signatures, int enums, tuple results, in-place variants, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import torchlike
from compat_tests.harness import Case

R = np.random.RandomState(0)


def f32(*shape, lo=-2.0, hi=2.0):
    return R.uniform(lo, hi, shape).astype(np.float32)


def idx(hi, *shape):
    return R.randint(0, hi, shape).astype(np.int64)


def signs(*shape):
    return np.where(R.uniform(size=shape) > 0.5, 1.0, -1.0).astype(np.float32)


KINKS = np.array([-7.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, 7.0, 0.25, -2.0], np.float32)
X = np.concatenate([KINKS, f32(12, lo=-4, hi=4)]).reshape(4, 6)
X3 = f32(2, 3, 4)
X4 = f32(2, 4, 4, 4)
X5 = f32(1, 2, 3, 4, 4)

# ---------------------------------------------------------------- convolution

CONV = [
    Case(
        "conv-nd",
        lambda lib, x1, w1, b, x2, w2, x3, w3: (
            lib.conv1d(x1, w1, b, 2, 1),
            lib.conv1d(x1, w1, padding="same"),
            lib.conv2d(x2, w2, None, 1, (1, 0), 1, 2),
            lib.conv3d(x3, w3, b[:2], padding=1),
        ),
        f32(2, 4, 7),
        f32(3, 4, 3),
        f32(3),
        f32(1, 4, 5, 5),
        f32(4, 2, 2, 3),
        f32(1, 2, 3, 4, 4),
        f32(2, 2, 2, 2, 2),
    ),
    Case(
        "conv-transpose-nd",
        lambda lib, x1, w1, b, x2, w2: (
            lib.conv_transpose1d(x1, w1, b, 2, 1, 1),
            lib.conv_transpose2d(x2, w2, None, (2, 1), 0, 0, 1, 2),
            lib.conv_transpose3d(x2.unsqueeze(2), w2.unsqueeze(2)),
        ),
        f32(2, 4, 5),
        f32(4, 3, 3),
        f32(3),
        f32(1, 2, 4, 4),
        f32(2, 3, 2, 2),
    ),
    Case(
        "convolution-and-conv-tbc",
        lambda lib, x, w, b, wt, xt, wtbc: (
            lib.convolution(x, w, b, [1, 1], [1, 0], [1, 1], False, [0, 0], 1),
            lib.convolution(x, wt, None, [2, 2], [0, 1], [1, 1], True, [1, 0], 1),
            lib.conv_tbc(xt, wtbc, b, 1),
            lib.conv_tbc(xt, wtbc, b),
        ),
        f32(2, 4, 5, 5),
        f32(3, 4, 3, 2),
        f32(3),
        f32(4, 2, 2, 3),
        f32(6, 2, 4),
        f32(3, 4, 3),
    ),
    Case("conv-shape-error", lambda lib, x, w: lib.conv2d(x, w), f32(1, 3, 4, 4), f32(2, 4, 3, 3)),
]

# ---------------------------------------------------------------- dropout (random values: shapes, or p in {0, 1})

DROPOUT = [
    Case(
        "dropout-deterministic",
        lambda lib, x, x3: (
            lib.dropout(x, 0.5, False),
            lib.dropout(x, 0.0, True),
            lib.dropout(x, 1.0, True),
            lib.alpha_dropout(x, 0.5, False),
            lib.alpha_dropout(x, 1.0, True),
            lib.feature_dropout(x3, 0.5, False),
            lib.feature_dropout(x3, 1.0, True),
            lib.feature_alpha_dropout(x3, 0.3, False),
            lib.native_dropout(x, 0.3, False),
            lib.native_dropout(x, 1.0, True),
            lib.native_dropout(x, 0.0, None),
        ),
        X,
        X3,
    ),
    Case(
        "dropout-random-shapes",
        lambda lib, x, x3: (
            lib.dropout(x, 0.3, True),
            lib.alpha_dropout(x, 0.3, True),
            lib.feature_dropout(x3, 0.5, True),
            lib.feature_alpha_dropout(x3, 0.5, True),
            lib.native_dropout(x, 0.3, True),
            lib.dropout_(x * 1, 0.3, True),
            lib.feature_alpha_dropout_(x3 * 1, 0.5, True),
        ),
        X,
        X3,
        values=False,
        grad=False,
    ),
    Case(
        "dropout-inplace",
        lambda lib, x, x3: (
            lib.dropout_(x * 1, 0.5, False),
            lib.dropout_(x * 1, 1.0, True),
            lib.alpha_dropout_(x * 1, 0.5, False),
            lib.feature_dropout_(x3 * 1, 1.0, True),
            lib.feature_alpha_dropout_(x3 * 1, 0.0, True),
        ),
        X,
        X3,
    ),
    Case(
        "dropout-inplace-returns-input",
        lambda lib, x: lib.dropout_(x, 0.5, False) is x and lib.feature_dropout_(x, 0.0, True) is x,
        X,
        grad=False,
    ),
    Case("dropout-p-error", lambda lib, x: lib.dropout(x, 1.5, True), X),
    Case("dropout-p-eval-error", lambda lib, x: lib.alpha_dropout(x, -0.5, False), X),
    Case("dropout-missing-train-error", lambda lib, x: lib.dropout(x, 0.5), X),
    Case("feature-dropout-1d-error", lambda lib, x: lib.feature_dropout(x[0], 0.5, True), X),
]

# ---------------------------------------------------------------- normalization


def _bn(lib, x, w, b, training):
    rm, rv = lib.zeros(3), lib.ones(3)
    return lib.batch_norm(x, w, b, rm, rv, training, 0.2, 1e-3, False), rm, rv


def _native_bn(lib, x, w, b, training):
    rm, rv = lib.zeros(3), lib.ones(3)
    return lib.native_batch_norm(x, w, b, rm, rv, training, 0.2, 1e-3), rm, rv


NORM = [
    Case(
        "batch-norm",
        lambda lib, x, w, b: (_bn(lib, x, w, b, True), _bn(lib, x, w, b, False), _bn(lib, x, None, None, True)),
        X4[:, :3],
        f32(3),
        f32(3),
    ),
    Case(
        "batch-norm-no-stats",
        lambda lib, x: lib.batch_norm(x, None, None, None, None, True, 0.1, 1e-5, True),
        X3.transpose(0, 2, 1).copy(),
    ),
    Case(
        "native-batch-norm",
        lambda lib, x, w, b: (
            _native_bn(lib, x, w, b, True),
            _native_bn(lib, x, w, b, False),
            lib.native_batch_norm(x, None, b, None, None, True, 0.1, 1e-5),
        ),
        X4[:, :3],
        f32(3),
        f32(3),
    ),
    Case(
        "instance-norm",
        lambda lib, x, w, b: (
            lib.instance_norm(x, w, b, None, None, True, 0.1, 1e-5, False),
            lib.instance_norm(x, None, None, lib.zeros(3), lib.ones(3), False, 0.1, 1e-5, False),
        ),
        X3.reshape(2, 4, 3).transpose(0, 2, 1).copy(),
        f32(3),
        f32(3),
    ),
    Case(
        "layer-group-rms-norm",
        lambda lib, x, w, b, wc: (
            lib.layer_norm(x, [4, 4], w, b),
            lib.layer_norm(x, (4,), None, b[0], 1e-3, False),
            lib.group_norm(x, 2, wc, wc),
            lib.group_norm(x, 4, None, None, 1e-3, False),
            lib.rms_norm(x, [4], w[0]),
            lib.rms_norm(x, (4, 4), None, 1e-3),
        ),
        X4,
        f32(4, 4),
        f32(4, 4),
        f32(4),
    ),
    Case(
        "native-layer-and-group-norm",
        lambda lib, x, w, b: (
            lib.native_layer_norm(x, [4], w[0], b[0], 1e-5),
            lib.native_layer_norm(x, (4, 4), None, None, 1e-3),
            lib.native_group_norm(x, w[0], b[0], 2, 4, 16, 2, 1e-5),
        ),
        X4,
        f32(4, 4),
        f32(4, 4),
    ),
    Case(
        "norm-except-dim",
        lambda lib, v: (lib.norm_except_dim(v), lib.norm_except_dim(v, 2, -1), lib.norm_except_dim(v, 3, 1)),
        f32(3, 4, 5),
    ),
    Case("layer-norm-shape-error", lambda lib, x: lib.layer_norm(x, [3]), X4),
    Case("group-norm-groups-error", lambda lib, x: lib.group_norm(x, 3), X4),
    Case(
        "batch-norm-eval-no-stats-error",
        lambda lib, x: lib.batch_norm(x, None, None, None, None, False, 0.1, 1e-5, False),
        X4,
    ),  # fmt: skip
]

# ---------------------------------------------------------------- embedding

W = f32(10, 3)
IDX = np.array([[1, 2, 4], [4, 3, 9]], np.int64)


def _renorm(lib, w, i):
    t = w.detach().clone()
    return lib.embedding_renorm_(t, i, 1.0, 2.0) is t, t


EMBEDDING = [
    Case(
        "embedding",
        lambda lib, w, i: (
            lib.embedding(w, i),
            lib.embedding(w, i, 4),
            lib.embedding(w, i, -1, True),
            lib.embedding(w, i.int(), 12),
        ),
        W,
        IDX,
    ),
    Case("embedding-renorm", _renorm, W * 2, IDX),
    Case("embedding-float-index-error", lambda lib, w, i: lib.embedding(w, i), W, IDX.astype(np.float32)),
    Case("embedding-range-error", lambda lib, w, i: lib.embedding(w, i), W, IDX + 5),
]

# ---------------------------------------------------------------- pooling

POOL = [
    Case(
        "max-pool",
        lambda lib, x1, x2, x3: (
            lib.max_pool1d(x1, 2),
            lib.max_pool1d(x1, 3, [2], 1, 1, True),
            lib.max_pool2d(x2, 2),
            lib.max_pool2d(x2, (2, 3), [1, 2], 1, 1),
            lib.max_pool2d(x2, 2, dilation=2),
            lib.max_pool3d(x3, 2),
            lib.max_pool3d(x3, (1, 2, 2), (), 0, 1, True),
            lib.max_pool1d_with_indices(x1, 2),
            lib.max_pool1d_with_indices(x1, 3, 2, 1, 1, True),
        ),
        f32(2, 3, 7),
        X4,
        X5,
    ),
    Case(
        "avg-and-adaptive-pool1d",
        lambda lib, x: (
            lib.avg_pool1d(x, 2),
            lib.avg_pool1d(x, 3, 2, 1, True, False),
            lib.adaptive_avg_pool1d(x, 3),
            lib.adaptive_max_pool1d(x, 3),
            lib.adaptive_max_pool1d(x, [4]),
        ),
        f32(2, 3, 7),
    ),
    Case("max-pool-kernel-error", lambda lib, x: lib.max_pool2d(x, 0), X4),
]

# ---------------------------------------------------------------- shuffles, distances, bilinear, activations

MISC = [
    Case(
        "shuffles",
        lambda lib, x: (
            lib.pixel_shuffle(x, 2),
            lib.pixel_unshuffle(x, 2),
            lib.channel_shuffle(x, 2),
        ),
        X4,
    ),
    # torch has no derivative for native_channel_shuffle
    Case("native-channel-shuffle", lambda lib, x: lib.native_channel_shuffle(x, 4), X4, grad=False),
    Case("channel-shuffle-groups-error", lambda lib, x: lib.native_channel_shuffle(x, 3), X4),
    Case(
        "distances-and-bilinear",
        lambda lib, a, b, w, bias: (
            lib.pdist(a),
            lib.pdist(a, 1.0),
            lib.pairwise_distance(a, b),
            lib.pairwise_distance(a, b, 3.0, 1e-3, True),
            lib.cosine_similarity(a, b),
            lib.cosine_similarity(a, b, 0, 1e-6),
            lib.bilinear(a, b, w, bias),
            lib.bilinear(a, b, w),
        ),
        f32(5, 4),
        f32(5, 4),
        f32(2, 4, 4),
        f32(2),
    ),
    Case(
        "activations",
        lambda lib, x, w: (
            lib.celu(x),
            lib.celu(x, 0.5),
            lib.selu(x),
            lib.rrelu(x),
            lib.rrelu(x, 0.1, 0.3, False),
            lib.prelu(x.reshape(2, 3, 4), w),
            lib.threshold(x, 0.5, -1.0),
            lib.hardshrink(x),
            lib.hardshrink(x, 1.0),
            x.hardshrink(3.0),
            x.reshape(2, 3, 4).prelu(w),
        ),
        X,
        np.array([0.25, -0.5, 2.0], np.float32),
    ),
    Case(
        "activations-inplace",
        lambda lib, x: [
            f(x * 1)
            for f in (
                lib.relu_,
                lib.selu_,
                lambda t: lib.celu_(t, 1.5),
                lambda t: lib.threshold_(t, 0.5, 2.0),
                lambda t: lib.rrelu_(t, 0.2, 0.4),
            )
        ],
        X,
    ),
    Case("activations-rrelu-random-shapes", lambda lib, x: lib.rrelu(x, training=True), X, values=False, grad=False),
    Case("threshold-missing-value-error", lambda lib, x: lib.threshold(x, 0.5), X),
    Case("celu-int-error", lambda lib, x: lib.celu(x), np.arange(6)),
    Case("celu-inplace-leaf-error", lambda lib, x: lib.celu_(x), X),
    Case("prelu-mismatch-error", lambda lib, x, w: x.prelu(w), X, np.ones(4, np.float32)),
]

# ---------------------------------------------------------------- losses (int reduction enum)

P = R.uniform(0.05, 0.95, (3, 4)).astype(np.float32)


def _each(fn):
    """One loss under reductions 0 (none), 1 (mean), 2 (sum)."""
    return lambda lib, *xs: tuple(fn(lib, *xs, r) for r in (0, 1, 2))


def _bce(lib, x, t, w, pw):
    w, pw = w.detach(), pw.detach()  # torch has no derivative for the weights
    return (
        *_each(lambda lib, x, t, r: lib.binary_cross_entropy_with_logits(x, t, w, pw, r))(lib, x, t),
        lib.binary_cross_entropy_with_logits(x, t),
        lib.binary_cross_entropy_with_logits(x, t, pos_weight=pw),
    )


CTC_LP = np.log(R.dirichlet(np.ones(5), (7, 3))).astype(np.float32)
CTC_PAD = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [4, 4, 1, 2]], np.int64)

LOSS = [
    Case(
        "kl-div",
        lambda lib, x, t: (
            *_each(lambda lib, x, t, r: lib.kl_div(x, t, r))(lib, x, t),
            lib.kl_div(x, t.log(), log_target=True),
            lib.kl_div(x, t, 3),
        ),
        np.log(P),
        P[::-1].copy(),
    ),
    Case("bce-with-logits", _bce, f32(3, 4), P, f32(4, lo=0.1, hi=2), f32(4, lo=0.1, hi=2)),
    Case(
        "margin-losses",
        lambda lib, a, b, y, ab: (
            *_each(lambda lib, a, b, r: lib.margin_ranking_loss(a, b, y[0], 0.5, r))(lib, a[0], b[0]),
            lib.margin_ranking_loss(a[0], b[0], y[0]),
            *_each(lambda lib, a, r: lib.hinge_embedding_loss(a, y, 0.7, r))(lib, a),
            lib.hinge_embedding_loss(a, y),
            *_each(lambda lib, a, b, r: lib.cosine_embedding_loss(a, b, y[:, 0], 0.1, r))(lib, a, b),
            lib.cosine_embedding_loss(a, b, y[:, 0]),
            *_each(lambda lib, a, b, r: lib.triplet_margin_loss(a, b, ab, 1.0, 2.0, 1e-6, True, r))(lib, a, b),
            lib.triplet_margin_loss(a, b, ab),
            lib.triplet_margin_loss(a, b, ab, 0.5, 1.0),
        ),
        f32(3, 4),
        f32(3, 4),
        signs(3, 4),
        f32(3, 4),
    ),
    Case(
        "poisson-nll",
        lambda lib, x, t: (
            *_each(lambda lib, x, t, r: lib.poisson_nll_loss(x, t, True, False, 1e-8, r))(lib, x, t),
            lib.poisson_nll_loss(x.exp(), t, False, True, 1e-3, 1),
        ),
        f32(3, 4),
        R.uniform(0.0, 4.0, (3, 4)).astype(np.float32),
    ),
    Case(
        "ctc-loss",
        lambda lib, lp, tg: (
            *_each(lambda lib, lp, tg, r: lib.ctc_loss(lp, tg, [7, 6, 7], [3, 2, 4], 0, r))(lib, lp, tg),
            lib.ctc_loss(lp, tg, lib.tensor([7, 6, 7]), lib.tensor([3, 2, 4])),
            lib.ctc_loss(lp, tg, [7, 6, 7], [3, 2, 4], zero_infinity=True),
        ),
        CTC_LP,
        CTC_PAD,
        traced=False,
    ),
    Case("kl-div-str-reduction-error", lambda lib, x, t: lib.kl_div(x, t, "mean"), np.log(P), P),
    Case("poisson-nll-missing-args-error", lambda lib, x, t: lib.poisson_nll_loss(x, t), f32(3, 4), P),
    Case("margin-ranking-shape-error", lambda lib, a, b, y: lib.margin_ranking_loss(a, b, y), f32(3), f32(4), f32(3)),
]

# ---------------------------------------------------------------- padding, affine grids, grid sampling

THETA2 = (np.array([[1.0, 0.1, 0.05], [-0.2, 0.9, -0.1]], np.float32) + f32(2, 2, 3, lo=-0.1, hi=0.1)).astype(
    np.float32
)
THETA3 = (np.eye(3, 4, dtype=np.float32) + f32(1, 3, 4, lo=-0.1, hi=0.1)).astype(np.float32)
GRID2 = f32(2, 3, 5, 2, lo=-1.2, hi=1.2)
GRID3 = f32(1, 2, 3, 2, 3, lo=-1.2, hi=1.2)

SAMPLE = [
    Case(
        "constant-pad-nd",
        lambda lib, x: (
            lib.constant_pad_nd(x, [1, 2]),
            lib.constant_pad_nd(x, (1, -1, 0, 2), 3.5),
            lib.constant_pad_nd(x, [0, 0, 1, 1, 2, 0], -1),
        ),
        X3,
    ),
    Case("constant-pad-nd-int", lambda lib, x: lib.constant_pad_nd(x, [1, 1], 7), np.arange(6).reshape(2, 3)),
    Case("constant-pad-nd-odd-error", lambda lib, x: lib.constant_pad_nd(x, [1]), X3),
    Case(
        "affine-grid-generator",
        lambda lib, t2, t3: (
            lib.affine_grid_generator(t2, [2, 1, 3, 4], False),
            lib.affine_grid_generator(t2, (2, 3, 1, 5), True),
            lib.affine_grid_generator(t3, [1, 1, 2, 3, 4], False),
        ),
        THETA2,
        THETA3,
    ),
    Case(
        "affine-grid-generator-size-error",
        lambda lib, t: lib.affine_grid_generator(t, [2, 1, 3], False),
        THETA2,
    ),
    Case(
        "affine-grid-generator-theta-error",
        lambda lib, t: lib.affine_grid_generator(t, [1, 1, 2, 3, 4], False),
        THETA2,
    ),
    Case(
        "grid-sampler-2d",
        lambda lib, x, g: tuple(
            f(x, g, mode, pad, ac)
            for f, mode, pad, ac in (
                (lib.grid_sampler, 0, 0, False),
                (lib.grid_sampler, 1, 1, True),
                (lib.grid_sampler_2d, 0, 2, False),
                (lib.grid_sampler_2d, 2, 1, True),
                (lib.grid_sampler_2d, 1, 0, False),
            )
        ),
        X4[:, :2],
        GRID2,
    ),
    Case(
        "grid-sampler-3d",
        lambda lib, x, g: (
            lib.grid_sampler(x, g, 0, 0, False),
            lib.grid_sampler_3d(x, g, 0, 1, True),
            lib.grid_sampler_3d(x, g, 1, 2, False),
        ),
        X5,
        GRID3,
    ),
    Case("grid-sampler-2d-dims-error", lambda lib, x, g: lib.grid_sampler_2d(x, g, 0, 0, False), X5, GRID3),
    Case("grid-sampler-3d-dims-error", lambda lib, x, g: lib.grid_sampler_3d(x, g, 0, 0, False), X4, GRID2),
]

# ---------------------------------------------------------------- recurrent cells and stacks

B, IN, H = 3, 4, 5


def _cell_weights(gates):
    return f32(gates * H, IN, lo=-0.5, hi=0.5), f32(gates * H, H, lo=-0.5, hi=0.5), f32(gates * H), f32(gates * H)


RNN = [
    Case(
        "lstm-cell",
        lambda lib, x, h, c, wi, wh, bi, bh: (
            lib.lstm_cell(x, (h, c), wi, wh, bi, bh),
            lib.lstm_cell(x, [h, c], wi, wh),
        ),
        f32(B, IN),
        f32(B, H),
        f32(B, H),
        *_cell_weights(4),
    ),
    Case(
        "gru-and-rnn-cells",
        lambda lib, x, h, wi, wh, bi, bh: (
            lib.gru_cell(x, h, wi, wh, bi, bh),
            lib.gru_cell(x, h, wi, wh),
            lib.rnn_tanh_cell(x, h, wi[:H], wh[:H], bi[:H], bh[:H]),
            lib.rnn_relu_cell(x, h, wi[:H], wh[:H], None, bh[:H]),
        ),
        f32(B, IN),
        f32(B, H),
        *_cell_weights(3),
    ),
    Case(
        "lstm-cell-input-size-error",
        lambda lib, x, h, wi, wh: lib.lstm_cell(x, (h, h), wi, wh),
        f32(B, IN + 1),
        f32(B, H),
        *_cell_weights(4)[:2],
    ),
    Case(
        "gru-cell-batch-error",
        lambda lib, x, h, wi, wh: lib.gru_cell(x, h, wi, wh),
        f32(B, IN),
        f32(B + 1, H),
        *_cell_weights(3)[:2],
    ),
    Case(
        "rnn-cell-hidden-size-error",
        lambda lib, x, h, wi, wh: lib.rnn_tanh_cell(x, h, wi, wh),
        f32(B, IN),
        f32(B, H + 1),
        *_cell_weights(1)[:2],
    ),
]


def _stack_params(gates, layers, dirs, bias=True, proj=0):
    out = []
    hout = proj or H
    for layer in range(layers):
        for _ in range(dirs):
            inp = IN if layer == 0 else hout * dirs
            out += [f32(gates * H, inp, lo=-0.4, hi=0.4), f32(gates * H, hout, lo=-0.4, hi=0.4)]
            if bias:
                out += [f32(gates * H, lo=-0.4, hi=0.4), f32(gates * H, lo=-0.4, hi=0.4)]
            if proj:
                out.append(f32(proj, H, lo=-0.4, hi=0.4))
    return out


def _seq(name, hx_count, layers, dirs, bias, batch_first):
    def fn(lib, x, h, c, *ps):
        hx = (h, c) if hx_count == 2 else h
        return getattr(lib, name)(x, hx, list(ps), bias, layers, 0.0, True, dirs == 2, batch_first)

    return fn


T_, L2 = 6, 2
RNN += [
    Case(
        "lstm-stack-bidirectional",
        _seq("lstm", 2, L2, 2, True, False),
        f32(T_, B, IN),
        f32(L2 * 2, B, H),
        f32(L2 * 2, B, H),
        *_stack_params(4, L2, 2),
    ),
    Case(
        "lstm-stack-proj-batch-first",
        _seq("lstm", 2, 1, 1, True, True),
        f32(B, T_, IN),
        f32(1, B, 2),
        f32(1, B, H),
        *_stack_params(4, 1, 1, proj=2),
    ),
    Case(
        "gru-stack-no-bias",
        lambda lib, x, h, *ps: lib.gru(x, h, list(ps), False, L2, 0.0, False, False, False),
        f32(T_, B, IN),
        f32(L2, B, H),
        *_stack_params(3, L2, 1, bias=False),
    ),
    Case(
        "rnn-tanh-relu-stacks",
        lambda lib, x, h, *ps: (
            lib.rnn_tanh(x, h, list(ps), True, 1, 0.0, True, True, True),
            lib.rnn_relu(x, h, list(ps), True, 1, 0.0, False, True, True),
        ),
        f32(B, T_, IN),
        f32(2, B, H),
        *_stack_params(1, 1, 2),
    ),
]

CASES = CONV + DROPOUT + NORM + EMBEDDING + POOL + MISC + LOSS + SAMPLE + RNN


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_nn_alias(case, compat):
    compat(case)


def test_kl_div_mean_does_not_warn():
    x = torchlike.rand(3, 4).log()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        torchlike.kl_div(x, x.exp(), 1)


def test_native_dropout_mask_matches_output():
    x = torchlike.ones(400, 50)
    out, mask = torchlike.native_dropout(x, 0.3, True)
    o, m = out.numpy(), mask.numpy()
    assert mask.dtype == torchlike.bool
    np.testing.assert_allclose(o, np.where(m, 1 / 0.7, 0.0), rtol=1e-6)
    assert abs(m.mean() - 0.7) < 0.02


def test_feature_dropout_zeroes_whole_channels():
    y = torchlike.feature_dropout(torchlike.ones(40, 30, 6), 0.5, True).numpy()
    per_channel = y.reshape(40 * 30, 6)
    assert np.all((per_channel == 0).all(1) | (per_channel == 2).all(1))


def test_lstm_stack_dropout_between_layers_is_random():
    ps = [torchlike.tensor(p) for p in _stack_params(4, L2, 1)]
    x, h = torchlike.randn(T_, B, IN), torchlike.zeros(L2, B, H)
    a = torchlike.lstm(x, (h, h), ps, True, L2, 0.5, True, False, False)[0]
    b = torchlike.lstm(x, (h, h), ps, True, L2, 0.5, True, False, False)[0]
    c = torchlike.lstm(x, (h, h), ps, True, L2, 0.5, False, False, False)[0]
    d = torchlike.lstm(x, (h, h), ps, True, L2, 0.5, False, False, False)[0]
    assert not np.allclose(a.numpy(), b.numpy())
    np.testing.assert_array_equal(c.numpy(), d.numpy())


def test_methods_and_names_registered():
    assert torchlike.Tensor.hardshrink is torchlike.hardshrink
    assert torchlike.Tensor.prelu is torchlike.prelu
    assert torchlike.relu is torchlike._ops.pointwise.relu
