"""Normalization, embeddings and distances against torch: functional rows and layers (buffers after each step)."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from compat_tests.harness import Case, Raw
from compat_tests.nn_harness import LayerCase, check_init, check_layer

R = np.random.RandomState(1)


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


def F(lib):
    return lib.nn.functional


X3 = f32(4, 3, 5) * 2 + 1
X4 = f32(2, 4, 3, 3)
C3 = f32(3)
RM, RV = Raw(f32(3)), Raw(np.abs(f32(3)) + 0.5)
IDX = np.array([[1, 0, 3], [3, 3, 2]])
W = f32(5, 3) * 2


def _stats(lib, rm, rv):
    return lib.tensor(rm), lib.tensor(rv)


def _bn_train(lib, x, w, b, rm, rv):
    rm, rv = _stats(lib, rm, rv)
    out = F(lib).batch_norm(x, rm, rv, w, b, training=True, momentum=0.3, eps=1e-3)
    return out, rm, rv


def _in_stats(lib, x, rm, rv):
    rm, rv = _stats(lib, rm, rv)
    out = F(lib).instance_norm(x, rm, rv, momentum=0.2)
    return out, rm, rv


CASES = [
    Case("batch-norm-train-stats", _bn_train, X3, C3, C3, RM, RV),
    Case(
        "batch-norm-eval-and-no-stats",
        lambda lib, x, w, rm, rv: (
            F(lib).batch_norm(x, *_stats(lib, rm, rv), w, None),
            F(lib).batch_norm(x.reshape(2, 3, 2, 5), None, None, training=True),
        ),
        X3,
        C3,
        RM,
        RV,
    ),
    Case("batch-norm-one-value-error", lambda lib, x: F(lib).batch_norm(x[:1, :, 0], None, None, training=True), X3),
    Case(
        "batch-norm-channels-error",
        lambda lib, x, rm, rv: F(lib).batch_norm(x[:, :2], *_stats(lib, rm, rv)),
        X3,
        RM,
        RV,
    ),
    Case("batch-norm-eval-no-stats-error", lambda lib, x: F(lib).batch_norm(x, None, None), X3),
    Case(
        "batch-norm-int-error",
        lambda lib, x: F(lib).batch_norm(x, None, None, training=True),
        np.ones((2, 3), np.int64),
    ),
    Case("instance-norm-stats", _in_stats, X3, RM, RV),
    Case(
        "instance-norm-affine-and-running",
        lambda lib, x, w, b, rm, rv: (
            F(lib).instance_norm(x, weight=w, bias=b, eps=1e-2),
            F(lib).instance_norm(x, *_stats(lib, rm, rv), w, b, use_input_stats=False),
        ),
        X3,
        C3,
        C3,
        RM,
        RV,
    ),
    Case("instance-norm-spatial-error", lambda lib, x: F(lib).instance_norm(x[:, :, :1]), X3),
    Case(
        "layer-norm",
        lambda lib, x, w, b: (
            F(lib).layer_norm(x, (3, 5), w, b),
            F(lib).layer_norm(x, [5], w[0], None, eps=0.1),
        ),
        X3,
        f32(3, 5),
        f32(3, 5),
    ),
    Case("layer-norm-f16", lambda lib, x, w: F(lib).layer_norm(x.half(), [5], w), X3, f32(5), grad=False),
    Case("layer-norm-int-shape-error", lambda lib, x: F(lib).layer_norm(x, 5), X3),
    Case("layer-norm-shape-error", lambda lib, x: F(lib).layer_norm(x, [3]), X3),
    Case("layer-norm-weight-error", lambda lib, x, w: F(lib).layer_norm(x, [5], w), X3, f32(3)),
    Case(
        "group-norm",
        lambda lib, x, w, b: (
            F(lib).group_norm(x, 2, w, b),
            F(lib).group_norm(x.reshape(2, 4, 9), 1, w, None, eps=0.5),
        ),
        X4,
        f32(4),
        f32(4),
    ),
    Case("group-norm-divisible-error", lambda lib, x: F(lib).group_norm(x, 3), X4),
    Case("group-norm-one-value-error", lambda lib, x: F(lib).group_norm(x[:1, :2, :1, :1], 2), X4),
    Case(
        "rms-norm",
        lambda lib, x, w: (
            F(lib).rms_norm(x, [5], w),
            F(lib).rms_norm(x, (3, 5), eps=0.5),
            F(lib).rms_norm(x.double() * 1e-9, [5]),
        ),
        X3,
        f32(5),
    ),
    Case("rms-norm-f16", lambda lib, x, w: F(lib).rms_norm(x.half(), [5], w.half()), X3, f32(5), grad=False),
    Case(
        "local-response-norm",
        lambda lib, x: (
            F(lib).local_response_norm(x, 2),
            F(lib).local_response_norm(x * 3, 3, alpha=0.1, beta=0.5, k=2.0),
            F(lib).local_response_norm(x.reshape(2, 4, 9), 4, 0.5),
        ),
        X4,
    ),
    Case("local-response-norm-dim-error", lambda lib, x: F(lib).local_response_norm(x[0, 0], 2), X4),
    # embeddings
    Case(
        "embedding-padding-and-freq",
        lambda lib, w, i: (
            F(lib).embedding(i, w, padding_idx=3),
            F(lib).embedding(i[0], w, padding_idx=-2, scale_grad_by_freq=True),
            F(lib).embedding(i.int(), w, scale_grad_by_freq=True),
        ),
        W,
        IDX,
    ),
    Case(
        "embedding-max-norm-renorms-weight",
        lambda lib, w, i: (
            F(lib).embedding(i, w, max_norm=1.5),
            w,
            F(lib).embedding(i, w * 1, max_norm=0.5, norm_type=1),
        ),
        W,
        IDX,
    ),
    Case("embedding-index-error", lambda lib, w, i: F(lib).embedding(i + 3, w), W, IDX),
    Case("embedding-float-index-error", lambda lib, w: F(lib).embedding(w, w), W),
    Case("embedding-padding-idx-error", lambda lib, w, i: F(lib).embedding(i, w, padding_idx=5), W, IDX),
    Case(
        "embedding-bag-modes",
        lambda lib, w, i, o, psw: (
            F(lib).embedding_bag(i, w, o, max_norm=1.0),  # renorms w in place first, as torch
            F(lib).embedding_bag(i, w, o),
            F(lib).embedding_bag(i, w, o, mode="sum", per_sample_weights=psw),
            F(lib).embedding_bag(i, w, o, mode="max"),
            F(lib).embedding_bag(i, w, o, mode="mean", padding_idx=3),
            # torch miscounts some repeated indices here (its last sorted index); this pattern it gets right
            F(lib).embedding_bag(lib.tensor([1, 0, 3, 4, 2, 4]), w, o, mode="sum", scale_grad_by_freq=True),
        ),
        W,
        np.array([1, 0, 3, 3, 2, 4]),
        np.array([0, 2, 2, 5]),
        f32(6),
    ),
    Case("embedding-bag-offsets-error", lambda lib, w, i: F(lib).embedding_bag(i, w, lib.tensor([1, 2])), W, IDX[0]),
    Case(
        "embedding-bag-psw-mean-error",
        lambda lib, w, i, p: F(lib).embedding_bag(i, w, per_sample_weights=p),
        W,
        IDX,
        f32(2, 3),
    ),
    Case("embedding-bag-2d-offsets-error", lambda lib, w, i: F(lib).embedding_bag(i, w, lib.tensor([0])), W, IDX),
    Case(
        "one-hot",
        lambda lib, i: (F(lib).one_hot(i), F(lib).one_hot(i, 6), F(lib).one_hot(i[0, :0], 3)),
        IDX,
        traced=False,
    ),
    Case("one-hot-static-classes", lambda lib, i: F(lib).one_hot(i, 4), IDX),
    Case("one-hot-range-error", lambda lib, i: F(lib).one_hot(i, 3), IDX),
    Case("one-hot-dtype-error", lambda lib, i: F(lib).one_hot(i.int()), IDX),
    # distances: rows with a zero vector / equal rows check torch's gradients at 0
    Case(
        "normalize-and-cosine",
        lambda lib, a, b: (
            F(lib).normalize(a),
            F(lib).normalize(a, p=1, dim=0),
            F(lib).cosine_similarity(a, b),
            F(lib).cosine_similarity(a, b[:1], dim=-1, eps=0.1),
            F(lib).cosine_similarity(a[0], b[0].double(), dim=0),
        ),
        np.concatenate([np.zeros((1, 4), np.float32), f32(2, 4)]),
        f32(3, 4),
    ),
    Case(
        "pairwise-distance-and-pdist",
        lambda lib, a, b: (
            F(lib).pairwise_distance(a, b),
            F(lib).pairwise_distance(a, b[0], p=1, keepdim=True),
            F(lib).pairwise_distance(a, b, p=float("inf"), eps=0),
            F(lib).pdist(a),
            F(lib).pdist(a, p=1),
        ),
        np.concatenate([f32(1, 4)] * 2 + [f32(2, 4)]),
        f32(4, 4),
    ),
    Case("pdist-dim-error", lambda lib, a: F(lib).pdist(a[0]), f32(3, 4)),
    Case("cosine-int-error", lambda lib, a: F(lib).cosine_similarity(a, a), np.ones((2, 3), np.int64)),
]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_norm_functional(case, compat):
    compat(case)


def _steps(m, x):
    """Three training steps: the running statistics after each are compared through the outputs."""
    outs = []
    for k in range(3):
        outs.append(m(x * (k + 1) + k))
        outs += [b.clone() for _, b in m.named_buffers()]
    return outs


B2 = f32(4, 3, 2, 2) + 0.5

LAYERS = [
    LayerCase("batchnorm1d", lambda lib: lib.nn.BatchNorm1d(3, eps=1e-3), f32(5, 3) * 2),
    LayerCase("batchnorm1d-3d-momentum", lambda lib: lib.nn.BatchNorm1d(3, momentum=0.4), X3, call=_steps),
    LayerCase("batchnorm2d-momentum-none", lambda lib: lib.nn.BatchNorm2d(3, momentum=None), B2, call=_steps),
    LayerCase(
        "batchnorm3d-no-affine-no-stats",
        lambda lib: lib.nn.BatchNorm3d(2, affine=False, track_running_stats=False),
        f32(2, 2, 2, 2, 3),
        modes=("train",),
    ),
    LayerCase(
        "syncbatchnorm-converted",
        lambda lib: lib.nn.SyncBatchNorm.convert_sync_batchnorm(lib.nn.Sequential(lib.nn.BatchNorm1d(3, momentum=0.2))),
        X3,
    ),
    LayerCase("batchnorm2d-no-bias", lambda lib: lib.nn.BatchNorm2d(3, bias=False), B2, modes=("train",)),
    LayerCase("batchnorm1d-one-value-error", lambda lib: lib.nn.BatchNorm1d(3), f32(1, 3), modes=("train",)),
    LayerCase("batchnorm2d-dim-error", lambda lib: lib.nn.BatchNorm2d(3), f32(4, 3), modes=("train",)),
    LayerCase(
        "instancenorm1d-affine-stats",
        lambda lib: lib.nn.InstanceNorm1d(3, affine=True, track_running_stats=True),
        X3,
        call=_steps,
    ),
    LayerCase("instancenorm2d-unbatched", lambda lib: lib.nn.InstanceNorm2d(3), f32(3, 2, 4), modes=("eval",)),
    LayerCase(
        "instancenorm3d", lambda lib: lib.nn.InstanceNorm3d(2, momentum=0.3), f32(2, 2, 2, 2, 2), modes=("eval",)
    ),
    LayerCase(
        "instancenorm1d-affine-mismatch-error", lambda lib: lib.nn.InstanceNorm1d(4, affine=True), X3, modes=("train",)
    ),
    LayerCase("layernorm", lambda lib: lib.nn.LayerNorm([3, 5], eps=1e-3), X3, modes=("train",)),
    LayerCase("layernorm-no-bias", lambda lib: lib.nn.LayerNorm(5, bias=False), X3, modes=("train",)),
    LayerCase("layernorm-no-affine", lambda lib: lib.nn.LayerNorm(5, elementwise_affine=False), X3, modes=("train",)),
    LayerCase("groupnorm", lambda lib: lib.nn.GroupNorm(2, 4), X4, modes=("train",)),
    LayerCase("groupnorm-no-affine", lambda lib: lib.nn.GroupNorm(4, 4, affine=False, eps=0.1), X4, modes=("train",)),
    LayerCase("rmsnorm", lambda lib: lib.nn.RMSNorm([5]), X3, modes=("train",)),
    LayerCase(
        "rmsnorm-eps-no-affine",
        lambda lib: lib.nn.RMSNorm((3, 5), 1e-2, elementwise_affine=False),
        X3,
        modes=("train",),
    ),
    LayerCase("localresponsenorm", lambda lib: lib.nn.LocalResponseNorm(3, alpha=0.01), X4, modes=("train",)),
    LayerCase(
        "embedding", lambda lib: lib.nn.Embedding(5, 3, padding_idx=1, scale_grad_by_freq=True), IDX, modes=("train",)
    ),
    LayerCase(
        "embedding-max-norm",
        lambda lib: lib.nn.Embedding(5, 3, max_norm=1.0, norm_type=1.5),
        IDX,
        call=lambda m, i: (m(i), m.weight * 1),
        modes=("train",),
    ),
    LayerCase(
        "embedding-from-pretrained",
        lambda lib: lib.nn.Embedding.from_pretrained(lib.tensor(W), padding_idx=2),
        IDX,
        modes=("train",),
    ),
    LayerCase(
        "embedding-from-pretrained-trainable",
        lambda lib: lib.nn.Embedding.from_pretrained(lib.tensor(W), freeze=False, max_norm=2.0),
        IDX,
        modes=("train",),
    ),
    LayerCase(
        "embeddingbag-sum-offsets",
        lambda lib: lib.nn.EmbeddingBag(5, 3, mode="sum", include_last_offset=True),
        np.array([1, 0, 3, 3, 2, 4]),
        np.array([0, 2, 2, 6]),
        f32(6),
        modes=("train",),
    ),
    LayerCase("embeddingbag-mean-2d", lambda lib: lib.nn.EmbeddingBag(5, 3, padding_idx=0), IDX, modes=("train",)),
    LayerCase("embeddingbag-max", lambda lib: lib.nn.EmbeddingBag(5, 3, mode="max"), IDX, modes=("train",)),
    LayerCase(
        "flatten-unflatten",
        lambda lib: lib.nn.Sequential(lib.nn.Flatten(), lib.nn.Unflatten(1, (5, 3))),
        X3,
        modes=("train",),
    ),
    LayerCase("flatten-range", lambda lib: lib.nn.Flatten(0, 1), X3, modes=("train",)),
    LayerCase(
        "cosine-similarity", lambda lib: lib.nn.CosineSimilarity(dim=2, eps=1e-6), X3, f32(4, 1, 5), modes=("train",)
    ),
    LayerCase(
        "pairwise-distance",
        lambda lib: lib.nn.PairwiseDistance(p=1.0, keepdim=True),
        X3,
        X3[::-1].copy(),
        modes=("train",),
    ),
]


@pytest.mark.parametrize("case", LAYERS, ids=repr)
def test_norm_layer(case):
    check_layer(case)


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.nn.BatchNorm2d(4),
        lambda lib: lib.nn.LayerNorm(6),
        lambda lib: lib.nn.GroupNorm(2, 6),
        lambda lib: lib.nn.RMSNorm(6),
        lambda lib: lib.nn.Embedding(40, 8, padding_idx=3),
        lambda lib: lib.nn.EmbeddingBag(40, 8),
    ],
)
def test_norm_init(make):
    check_init(make)


def test_lazy_batchnorm_and_instancenorm_materialize():
    x = torchlike.tensor(X3)
    for cls, want in (("LazyBatchNorm1d", "BatchNorm1d"), ("LazyInstanceNorm1d", "InstanceNorm1d")):
        m = getattr(torchlike.nn, cls)()
        y = m(x)
        assert type(m).__name__ == want and m.num_features == 3
        assert m.weight.shape == (3,) and m.running_mean.shape == (3,)
        ref = getattr(torchlike.nn, want)(3, affine=True, track_running_stats=True)
        np.testing.assert_allclose(y.detach().numpy(), ref(x).detach().numpy(), rtol=1e-6)


def test_batchnorm_momentum_none_traced_steps():
    """A compiled-style loop: num_batches_tracked is traced, so the cumulative average keeps counting."""
    import jax

    m = torchlike.nn.BatchNorm1d(3, momentum=None)
    storages = [b._storage for b in m.buffers()] + [p._storage for p in m.parameters()]

    def step(state, x):
        for s, a in zip(storages, state):
            s.array = a
        m(torchlike.Tensor._make(x))
        return [s.array for s in storages]

    f = jax.jit(step)
    state = [s.array for s in storages]
    xs = [f32(6, 3) for _ in range(3)]
    for x in xs:
        state = f(state, x)
    for s, a in zip(storages, state):
        s.set(a)
    assert int(m.num_batches_tracked) == 3
    np.testing.assert_allclose(m.running_mean.numpy(), np.mean([x.mean(0) for x in xs], 0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(m.running_var.numpy(), np.mean([x.var(0, ddof=1) for x in xs], 0), rtol=1e-5)
