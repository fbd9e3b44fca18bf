"""Indexing against torch: __getitem__ / __setitem__, gather / scatter, index_*, masked_*, take, nonzero."""

from __future__ import annotations

import jax
import numpy as np
import pytest

import torchlike
from compat_tests.harness import Case

R = np.random.RandomState(2)


def f32(*shape):
    return R.uniform(-2, 2, shape).astype(np.float32)


def f64(*shape):
    return R.standard_normal(shape)


def i64(*shape, lo=-5, hi=6):
    return R.randint(lo, hi, shape).astype(np.int64)


def bools(*shape):
    return R.rand(*shape) > 0.5


def idx(*values):
    return np.array(values, np.int64)


X = f32(3, 4, 5)
M34 = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, False]])
M3 = np.array([True, False, True])
M4 = np.array([False, True, True, False])


def meta(t):
    return tuple(t.shape), t.stride(), t.storage_offset(), t.is_contiguous()


def get(key):
    return lambda lib, x: x[key]


GET = [
    # basic: views
    Case("int", get(1), X),
    Case("int-neg", get(-1), X),
    Case("int-tuple", get((1, -2)), X),
    Case("int-all", get((2, 3, 4)), X),
    Case("slice", get(slice(1, None)), X),
    Case("slice-step", get((slice(None), slice(None, None, 2))), X),
    Case("slice-step-3", get((slice(None), slice(None), slice(1, None, 3))), X),
    Case("slice-neg-bounds", get((slice(-2, None), slice(-3, -1))), X),
    Case("slice-out-of-range", get((slice(1, 10), slice(-10, 2))), X),
    Case("slice-empty", get(slice(2, 1)), X),
    Case("slice-beyond", get(slice(5, 9)), X),
    Case("none", get(None), X),
    Case("none-middle", get((slice(None), None, 1)), X),
    Case("ellipsis", get(Ellipsis), X),
    Case("ellipsis-int", get((Ellipsis, 1)), X),
    Case("ellipsis-middle", get((0, Ellipsis, slice(1, 3))), X),
    Case("ellipsis-none", get((None, Ellipsis, None)), X),
    Case("empty-tuple", get(()), X),
    Case("mixed-basic", get((slice(None, None, 2), None, -1, slice(None, 4, 2))), X),
    Case(
        "basic-meta",
        lambda lib, x: [meta(x[k]) for k in (1, (slice(None), 2), (Ellipsis, slice(1, None, 2)), (1, slice(1, 3)))],
        X,
    ),
    Case("0d-none", get(None), np.asarray(1.5, np.float32)),
    Case("0d-ellipsis", get(Ellipsis), np.asarray(1.5, np.float32)),
    Case("0d-empty-tuple", get(()), np.asarray(1.5, np.float32)),
    Case("0d-none-none", get((None, None)), np.asarray(1.5, np.float32)),
    Case("int-input", get((1, slice(None, None, 2))), i64(3, 4)),
    Case("bool-input", get((slice(1, None), 0)), bools(3, 4)),
    Case("f64-input", get((Ellipsis, -1)), f64(2, 3)),
    Case("zero-size", get((slice(None), 1)), f32(0, 3)),
    Case("noncontig", lambda lib, x: x.t()[1:, ::2][0], f32(4, 6)),
    Case("np-int", lambda lib, x: x[np.int64(1)], X),
    # advanced: copies
    Case("tensor-1d", lambda lib, x, i: x[i], X, idx(2, 0, 2)),
    Case("tensor-neg", lambda lib, x, i: x[i], X, idx(-1, 0, -3)),
    Case("tensor-2d", lambda lib, x, i: x[i], X, idx([0, 1], [2, 2])),
    Case("tensor-0d", lambda lib, x, i: x[i], X, np.asarray(1)),
    Case("tensor-0d-not-view", lambda lib, x, i: _write_result(x.detach().clone()[i], x), X, np.asarray(1)),
    Case("tensor-int32", lambda lib, x, i: x[i], X, idx(1, 2).astype(np.int32)),
    Case("list", get([0, 2]), X),
    Case("list-neg", get([-1, 0]), X),
    Case("list-empty", get([]), X),
    Case("list-nested-as-tuple", get([[0, 1], [1, 2]]), X),
    Case("ndarray", lambda lib, x: x[np.array([2, 1])], X),
    Case("two-tensors", lambda lib, x, i, j: x[i, j], X, idx(0, 2), idx(1, 3)),
    Case("two-tensors-broadcast", lambda lib, x, i, j: x[i, j], X, idx([0], [2]), idx(1, 3, 0)),
    Case("adjacent", lambda lib, x, i, j: x[:, i, j], X, idx(0, 2), idx(1, 3)),
    Case("separated", lambda lib, x, i, j: x[i, :, j], X, idx(0, 2), idx(1, 3)),
    Case("tensor-then-slice", lambda lib, x, i: x[i, 1:], X, idx(2, 0)),
    Case("slice-then-tensor", lambda lib, x, i: x[1:, :, i], X, idx(4, 0, 1)),
    Case("int-and-tensor", lambda lib, x, i: x[1, i], X, idx(2, 0)),
    Case("tensor-slice-int", lambda lib, x, i: x[i, :, 0], X, idx(2, 0)),
    Case("torch-int-is-basic", lambda lib, x, i: x[:, i, :, 0], f32(2, 3, 4, 5), idx(0, 2)),
    Case("tensor-none", lambda lib, x, i: x[None, i, None], X, idx(1, 2)),
    Case("tensor-none-between", lambda lib, x, i, j: x[i, None, j], X, idx(1, 2), idx(0, 3)),
    Case("tensor-ellipsis", lambda lib, x, i: x[..., i], X, idx(4, 0)),
    Case("tensor-int-input", lambda lib, x, i: x[i], i64(4, 2), idx(3, 3, 0)),
    Case("tensor-bool-input", lambda lib, x, i: x[:, i], bools(2, 3), idx(2, 0)),
    Case("tensor-noncontig", lambda lib, x, i: x.t()[i], f32(3, 4), idx(3, 1)),
    Case("tensor-on-view", lambda lib, x, i: x[1:][i], X, idx(1, 0)),
    Case("tensor-empty-index", lambda lib, x, i: x[i], X, np.zeros(0, np.int64)),
    Case("tensor-zero-size-input", lambda lib, x, i: x[:, i], f32(0, 3), idx(2, 0)),
    Case("pybool-true", get(True), X),
    Case("pybool-false", get(False), X),
    Case("pybool-with-int", get((0, True)), X),
    Case("pybool-0d", get(True), np.asarray(1.5, np.float32)),
    # errors
    Case("int-oob-error", get(3), X),
    Case("int-neg-oob-error", get(-4), X),
    Case("int-oob-dim1-error", get((0, 4)), X),
    Case("tensor-oob-error", lambda lib, x, i: x[i], X, idx(0, 3)),
    Case("tensor-neg-oob-error", lambda lib, x, i: x[:, i], X, idx(-5)),
    Case("list-oob-error", get([0, 7]), X),
    Case("float-tensor-error", lambda lib, x, i: x[i], X, np.array([0.0, 1.0])),
    Case("float-index-error", get(1.5), X),
    Case("str-index-error", get("a"), X),
    Case("negative-step-error", get(slice(None, None, -1)), X),
    Case("zero-step-error", get(slice(None, None, 0)), X),
    Case("too-many-error", get((0, 0, 0, 0)), X),
    Case("0d-int-error", get(0), np.asarray(1.5, np.float32)),
    Case("two-ellipsis", get((Ellipsis, 0, Ellipsis)), X),
    Case("zero-size-oob-error", lambda lib, x, i: x[i], f32(0, 3), idx(0)),
]

# bool masks: the result's shape depends on the mask's values, so these run eagerly only
MASKS = [
    Case("mask-1d", lambda lib, x, m: x[m], X, M3),
    Case("mask-2d", lambda lib, x, m: x[m], X, M34),
    Case("mask-full", lambda lib, x: x[x > 0], X),
    Case("mask-after-slice", lambda lib, x, m: x[:, m], X, M4),
    Case("mask-with-int", lambda lib, x, m: x[1, m], X, M4),
    Case("mask-with-tensor", lambda lib, x, m, i: x[m, i], X, M3, idx(1, 3)),
    Case("mask-ellipsis", lambda lib, x, m: x[..., m], f32(2, 4), M4),
    Case("mask-list", get([True, False, True]), X),
    Case("mask-0d-true", lambda lib, x, m: x[m], X, np.asarray(True)),
    Case("mask-0d-false", lambda lib, x, m: x[m], X, np.asarray(False)),
    Case("mask-empty", lambda lib, x, m: x[m], X, np.zeros(3, bool)),
    Case("mask-int-input", lambda lib, x: x[x > 0], i64(3, 4)),
    Case("mask-uint8", lambda lib, x, m: x[m.to(lib.uint8)], X, M3),
    Case("mask-shape-error", lambda lib, x, m: x[m], X, M4),
    Case("mask-shape-2d-error", lambda lib, x, m: x[m], X, M34.T.copy()),
]
MASKS = [Case(c.name, c.fn, *c.inputs, traced=False) for c in MASKS]


def _write_result(r, x):
    r.mul_(0)
    return r, x


@pytest.mark.parametrize("case", GET + MASKS, ids=repr)
def test_getitem(case, compat):
    compat(case)


# ---------------------------------------------------------------- __setitem__


def put(key, value):
    """x = a.clone(); x[key] = value."""

    def fn(lib, a):
        x = a.clone() if a.is_floating_point() else a
        x[key] = value
        return x, x._version

    return fn


SET = [
    Case("set-int-scalar", put(1, 2.5), X),
    Case("set-neg-int", put(-1, 0), X),
    Case("set-slice", put(slice(1, None), -1.0), X),
    Case("set-step", put((slice(None), slice(None, None, 2)), 7), X),
    Case("set-ellipsis", put((Ellipsis, 1), 3.0), X),
    Case("set-none", put((None, 0), 3.0), X),
    Case("set-empty-tuple", put((), 3.0), X),
    Case("set-tensor-value", lambda lib, a, v: _set(a.clone(), (0, slice(1, 3)), v), X, f32(2, 5)),
    Case("set-broadcast-value", lambda lib, a, v: _set(a.clone(), (slice(None), 1), v), X, f32(5)),
    Case("set-leading-ones", lambda lib, a, v: _set(a.clone(), 0, v), X, f32(1, 1, 4, 5)),
    Case("set-value-f64", lambda lib, a, v: _set(a.clone(), 0, v), X, f64(4, 5)),
    Case("set-value-int", lambda lib, a, v: _set(a.clone(), 0, v), X, i64(5)),
    Case("set-int-target-float-scalar", put((0, slice(None)), 2.7), i64(3, 4)),
    Case("set-int-target-float-value", lambda lib, a, v: _set(a, 1, v), i64(3, 4), f32(4)),
    Case("set-bool-target", put((slice(None), 0), 1), bools(3, 4)),
    Case("set-0d", put((), 4.0), np.asarray(1.5, np.float32)),
    Case(
        "set-0d-ellipsis",
        lambda lib, a, v: _set(a.clone(), Ellipsis, v),
        np.asarray(1.5, np.float32),
        np.asarray(2.0, np.float32),
    ),
    Case("set-pybool", put(True, 4.0), f32(2, 3)),
    Case("set-pybool-false", put(False, 4.0), f32(2, 3)),
    Case("set-zero-size", put((slice(None), 0), 1.0), f32(0, 3)),
    Case("set-through-view", lambda lib, a: _nested_set(a.clone()), X),
    Case("set-through-transposed", lambda lib, a: _set_transposed(a.clone()), f32(3, 4)),
    Case(
        "set-value-requires-grad",
        lambda lib, a, v: _set(a.clone(), (1, slice(None, None, 2)), v * 2),
        f32(3, 4),
        f32(2),
    ),
    Case("set-into-plain-from-grad", lambda lib, a, v: _set_plain(lib, v), f32(3), f32(2)),
    Case("set-view-of-nonleaf", lambda lib, a, v: _set_view(a * 1, v), f32(3, 4), f32(4)),
    Case("set-versions", lambda lib, a: _versions(a.clone()), f32(3, 4)),
    Case("set-no-grad-leaf", lambda lib, a: _no_grad_set(lib, a), f32(3, 4)),
    # advanced
    Case("set-tensor-index", lambda lib, a, i: _set(a.clone(), i, 0.0), X, idx(2, 0)),
    Case("set-tensor-index-value", lambda lib, a, i, v: _set(a.clone(), i, v), f32(3, 4), idx(2, 0), f32(2, 4)),
    Case("set-tensor-index-broadcast", lambda lib, a, i, v: _set(a.clone(), i, v), f32(3, 4), idx(2, 0), f32(4)),
    Case(
        "set-two-tensors", lambda lib, a, i, j, v: _set(a.clone(), (i, j), v), f32(3, 4), idx(2, 0), idx(1, 3), f32(2)
    ),
    Case(
        "set-separated",
        lambda lib, a, i, j, v: _set(a.clone(), (i, slice(None), j), v),
        X,
        idx(2, 0),
        idx(1, 3),
        f32(2, 4),
    ),
    Case(
        "set-adjacent",
        lambda lib, a, i, j, v: _set(a.clone(), (slice(None), i, j), v),
        X,
        idx(2, 0),
        idx(1, 3),
        f32(3, 2),
    ),
    Case(
        "set-torch-int-is-basic",
        lambda lib, a, i, v: _set(a.clone(), (slice(None), i, slice(None), 0), v),
        f32(2, 3, 4, 5),
        idx(0, 2),
        f32(2, 2, 4),
    ),
    Case(
        "set-tensor-then-slice",
        lambda lib, a, i, v: _set(a.clone(), (i, slice(1, None)), v),
        f32(3, 4),
        idx(1, 2),
        f32(2, 3),
    ),
    Case("set-list", lambda lib, a: _set(a.clone(), [0, 2], -1.0), f32(3, 4)),
    Case("set-neg-tensor", lambda lib, a, i: _set(a.clone(), i, 1.0), f32(3, 4), idx(-1, -3)),
    Case("set-tensor-0d-index", lambda lib, a, i: _set(a.clone(), i, 1.0), f32(3, 4), np.asarray(2)),
    Case("set-tensor-int-target", lambda lib, a, i, v: _set(a, i, v), i64(3, 4), idx(0, 1), i64(2, 4)),
    Case("set-tensor-value-grad", lambda lib, a, i, v: _set(a.clone(), (i,), v * 3), f32(3, 4), idx(2, 0), f32(1, 4)),
    Case("set-tensor-on-view", lambda lib, a, i: _set_adv_view(a.clone(), i), f32(3, 4), idx(0, 2)),
    # bool masks: a where when the value does not need the mask's count; traces
    Case("set-mask-scalar", lambda lib, a: _set(a.clone(), a > 0, 0.0), f32(3, 4)),
    Case("set-mask-1d", lambda lib, a, m: _set(a.clone(), m, -1.0), f32(3, 4), M3),
    Case("set-mask-0d-value", lambda lib, a, m, v: _set(a.clone(), m, v), f32(3, 4), M34, np.asarray(2.5, np.float32)),
    Case("set-mask-row-value", lambda lib, a, m, v: _set(a.clone(), m, v), f32(3, 4), M3, f32(4)),
    Case("set-mask-row-value-ones", lambda lib, a, m, v: _set(a.clone(), m, v), f32(3, 4), M3, f32(1, 1, 4)),
    Case("set-mask-after-slice", lambda lib, a, m: _set(a.clone(), (slice(None), m), 9.0), f32(3, 4), M4),
    Case("set-mask-with-int", lambda lib, a, m: _set(a.clone(), (1, m), 9.0), f32(3, 4), M4),
    Case("set-mask-int-value-cast", lambda lib, a, m: _set(a.clone(), m, lib.tensor(7)), f32(3, 4), M34),
    Case("set-mask-1elem-value-cast", lambda lib, a, m: _set(a.clone(), m, lib.tensor([7])), f32(3, 4), M34),
    Case("set-mask-int-target", lambda lib, a: _set(a, a > 0, 0), i64(3, 4)),
    Case("set-mask-bool-target", lambda lib, a, m: _set(a, m, False), bools(3, 4), M34),
    Case("set-mask-on-view", lambda lib, a: _set_mask_view(a.clone()), f32(3, 4)),
    Case("set-mask-uint8-error", lambda lib, a, m: _set(a.clone(), m.to(lib.uint8), 0.0), f32(3, 4), M3),
    Case("set-mask-0d", lambda lib, a, m: _set(a.clone(), m, 1.0), f32(3, 4), np.asarray(True)),
    Case("set-iadd-basic", lambda lib, a: _iadd(a.clone(), 0), f32(3, 4)),
    Case("set-iadd-adv", lambda lib, a: _iadd(a.clone(), [0, 2]), f32(3, 4)),
    Case("set-iadd-mask", lambda lib, a: _iadd(a.clone(), a > 0), f32(3, 4), traced=False),
    Case("set-self-alias", lambda lib, a: _set(a.clone(), slice(1, 3), None), f32(4, 3)),
    Case("set-from-other-part", lambda lib, a: _set_from(a.clone(), 0, 2), f32(4, 3)),
    # errors
    Case("set-overlap-error", lambda lib, a: _set_from(a.clone(), slice(1, None), slice(None, -1)), f32(4)),
    Case("set-overlap-adv-error", lambda lib, a: _set_from(a.clone(), [1, 2], slice(None, 2)), f32(4)),
    Case("set-leaf-error", lambda lib, a: _set(a, 0, 1.0), f32(3, 4)),
    Case("set-view-of-leaf-error", lambda lib, a: _set(a[0], 0, 1.0), f32(3, 4)),
    Case("set-shape-error", lambda lib, a, v: _set(a.clone(), 0, v), f32(3, 4), f32(3)),
    Case("set-too-many-dims-error", lambda lib, a, v: _set(a.clone(), 0, v), f32(3, 4), f32(2, 1, 4)),
    Case("set-adv-shape-error", lambda lib, a, i, v: _set(a.clone(), i, v), f32(3, 4), idx(0, 1), f32(3)),
    Case("set-adv-dtype-error", lambda lib, a, i, v: _set(a.clone(), i, v), f32(3, 4), idx(0, 1), f64(4)),
    Case("set-adv-int-value-error", lambda lib, a, i, v: _set(a.clone(), i, v), f32(3, 4), idx(0, 1), i64(4)),
    Case("set-list-value-error", lambda lib, a: _set(a.clone(), 0, [1.0, 2.0, 3.0, 4.0]), f32(3, 4)),
    Case("set-ndarray-value-error", lambda lib, a: _set(a.clone(), 0, np.ones(4)), f32(3, 4)),
    Case("set-oob-error", lambda lib, a: _set(a.clone(), 3, 1.0), f32(3, 4)),
    Case("set-tensor-oob-error", lambda lib, a, i: _set(a.clone(), i, 1.0), f32(3, 4), idx(3)),
    Case("set-negative-step-error", lambda lib, a: _set(a.clone(), slice(None, None, -1), 1.0), f32(3, 4)),
    Case("set-mask-shape-error", lambda lib, a, m: _set(a.clone(), m, 1.0), f32(3, 4), M4),
]

# values with one entry per masked element need the mask's count: eager only
SET_EAGER = [
    Case("set-mask-values", lambda lib, a, v: _set(a.clone(), a > 0, v[: int((a > 0).sum())]), f32(3, 4), f32(12)),
    Case("set-mask-values-2d", lambda lib, a, m, v: _set(a.clone(), m, v), f32(3, 4), M3, f32(2, 4)),
    Case(
        "set-mask-values-after-slice",
        lambda lib, a, m, v: _set(a.clone(), (slice(None), m), v),
        f32(3, 4),
        M4,
        f32(3, 2),
    ),
    Case("set-mask-values-count-error", lambda lib, a, m, v: _set(a.clone(), m, v), f32(3, 4), M3, f32(3, 4)),
    Case("set-mask-values-dtype-error", lambda lib, a, m, v: _set(a.clone(), m, v), f32(3, 4), M3, f64(2, 4)),
    Case("set-mask-and-tensor", lambda lib, a, m, i: _set(a.clone(), (m, i), 5.0), f32(3, 4), M3, idx(1, 3)),
]
SET_EAGER = [Case(c.name, c.fn, *c.inputs, traced=False) for c in SET_EAGER]


def _set(x, key, value):
    x[key] = x[key] if value is None else value
    return x, x._version


def _iadd(x, key):
    x[key] += 1
    return x, x._version


def _set_from(x, dst, src):
    x[dst] = x[src]
    return x, x._version


def _nested_set(x):
    x[0][1:] = 5
    x[1][:, ::2] = -x[2][:, ::2]
    x[2, 0][1:3] = 0
    return x, x._version


def _set_transposed(x):
    t = x.t()
    t[1] = 3
    t[:, 0] = t[:, 1]
    return x, t, x._version


def _set_plain(lib, v):
    x = lib.zeros(3, 4)
    x[1, 1:3] = v
    return x


def _set_view(x, v):
    row = x[1]
    row[...] = v
    return x, row


def _versions(x):
    v = x[1]
    out = [x._version]
    x[0] = 1
    out.append(x._version)
    v[2] = 3
    out.append((x._version, v._version))
    x[x > 100] = 0
    out.append(x._version)
    return x, out


def _no_grad_set(lib, a):
    with lib.no_grad():
        a[0] = 1.0
        a[1:, ::2] = -1.0
    return a * 1, a._version


def _set_adv_view(x, i):
    v = x[:, 1:]
    v[i] = 0
    return x, v


def _set_mask_view(x):
    v = x[:, ::2]
    v[v > 0] = 0
    return x, v


@pytest.mark.parametrize("case", SET + SET_EAGER, ids=repr)
def test_setitem(case, compat):
    compat(case)


# ---------------------------------------------------------------- gather, scatter, index_*, take, nonzero

PERM = np.array([[2, 0, 1, 2], [1, 2, 0, 0]], np.int64)  # unique along dim 0 per column where it matters

FUNCS = [
    Case("gather", lambda lib, x, i: lib.gather(x, 1, i), f32(3, 4), idx([0, 0], [1, 3], [2, 1])),
    Case("gather-dim0", lambda lib, x, i: x.gather(0, i), f32(3, 4), idx([0, 1, 2, 0], [2, 2, 2, 2])),
    Case("gather-neg-dim", lambda lib, x, i: x.gather(-1, i), f32(2, 3, 4), i64(2, 2, 3, lo=0, hi=4)),
    Case("gather-smaller", lambda lib, x, i: x.gather(1, i), f32(3, 4), idx([3])),
    Case("gather-0d", lambda lib, x, i: x.gather(0, i), np.asarray(5.0, np.float32), np.asarray(0)),
    Case("gather-0d-1d-index", lambda lib, x, i: x.gather(0, i), np.asarray(5.0, np.float32), idx(0, 0)),
    Case("gather-int", lambda lib, x, i: x.gather(1, i), i64(3, 4), idx([0], [1], [2])),
    Case("gather-empty", lambda lib, x, i: x.gather(1, i), f32(3, 4), np.zeros((3, 0), np.int64)),
    Case(
        "gather-out", lambda lib, x, i: lib.gather(x, 1, i, out=lib.empty(0)), f32(3, 4), idx([0], [1], [2]), grad=False
    ),
    Case("gather-int32-error", lambda lib, x, i: x.gather(1, i), f32(3, 4), idx([0]).astype(np.int32)),
    Case("gather-oob-error", lambda lib, x, i: x.gather(1, i), f32(3, 4), idx([4])),
    Case("gather-neg-index-error", lambda lib, x, i: x.gather(1, i), f32(3, 4), idx([-1])),
    Case("gather-ndim-error", lambda lib, x, i: x.gather(1, i), f32(3, 4), idx(0, 1)),
    Case("gather-size-error", lambda lib, x, i: x.gather(1, i), f32(3, 4), np.zeros((4, 2), np.int64)),
    Case("scatter", lambda lib, x, i, s: lib.scatter(x, 0, i, s), f32(3, 4), PERM, f32(2, 4)),
    Case(
        "scatter-dim1", lambda lib, x, i, s: x.scatter(1, i, s), f32(2, 4), idx([2, 0, 1, 3], [1, 2, 0, 3]), f32(2, 4)
    ),
    Case(
        "scatter-src-larger",
        lambda lib, x, i, s: x.scatter(1, i, s),
        f32(2, 4),
        idx([2, 0], [1, 3]),
        f32(2, 5),
        grad=False,
    ),
    Case("scatter-value", lambda lib, x, i: x.scatter(0, i, 2.5), f32(3, 4), PERM),
    Case("scatter-value-kw", lambda lib, x, i: lib.scatter(x, 0, i, value=-1.0), f32(3, 4), PERM),
    Case(
        "scatter-reduce-add",
        lambda lib, x, i, s: x.scatter(1, i, s, reduce="add"),
        f32(2, 4),
        idx([0, 0, 1], [3, 3, 3]),
        f32(2, 3),
        grad=False,
    ),
    Case(
        "scatter-reduce-backward-error",
        lambda lib, x, i, s: x.scatter(1, i, s, reduce="add"),
        f32(2, 4),
        idx([0, 0, 1], [3, 3, 3]),
        f32(2, 3),
    ),
    Case(
        "scatter-reduce-multiply",
        lambda lib, x, i, s: x.scatter(1, i, s, reduce="multiply"),
        f32(2, 4),
        idx([0, 0, 1], [3, 3, 3]),
        f32(2, 3),
        grad=False,
    ),
    Case("scatter-int", lambda lib, x, i, s: x.scatter(0, i, s), i64(3, 4), PERM, i64(2, 4)),
    Case(
        "scatter-0d",
        lambda lib, x, i, s: x.scatter(0, i, s),
        np.asarray(1.0, np.float32),
        np.asarray(0),
        np.asarray(3.0, np.float32),
    ),
    Case("scatter_", lambda lib, x, i, s: x.clone().scatter_(0, i, s), f32(3, 4), PERM, f32(2, 4)),
    Case("scatter_-value", lambda lib, x, i: x.clone().scatter_(1, i, 0.0), f32(2, 4), PERM),
    Case("scatter-dtype-error", lambda lib, x, i, s: x.scatter(0, i, s), f32(3, 4), PERM, f64(2, 4)),
    Case("scatter-reduce-sum-error", lambda lib, x, i, s: x.scatter(0, i, s, reduce="sum"), f32(3, 4), PERM, f32(2, 4)),
    Case("scatter-src-small-error", lambda lib, x, i, s: x.scatter(0, i, s), f32(3, 4), PERM, f32(1, 4)),
    Case("scatter-oob-error", lambda lib, x, i, s: x.scatter(0, i, s), f32(3, 4), idx([3]), f32(1, 1)),
    Case(
        "scatter_add", lambda lib, x, i, s: lib.scatter_add(x, 1, i, s), f32(2, 4), idx([0, 0, 1], [3, 3, 3]), f32(2, 3)
    ),
    Case(
        "scatter_add-dim0",
        lambda lib, x, i, s: x.scatter_add(0, i, s),
        f32(3, 4),
        idx([0, 0, 0, 0], [0, 2, 2, 0]),
        f32(2, 4),
    ),
    Case("scatter_add-int", lambda lib, x, i, s: x.scatter_add(0, i, s), i64(3), idx(0, 0, 2), i64(3)),
    Case("scatter_add_", lambda lib, x, i, s: x.clone().scatter_add_(0, i, s), f32(3), idx(0, 0, 2), f32(3)),
    Case("scatter_add-dtype-error", lambda lib, x, i, s: x.scatter_add(0, i, s), f32(3), idx(0), f64(1)),
]
for reduce in ("sum", "prod", "mean", "amax", "amin"):
    for inc in (True, False):
        tag = f"{reduce}-{'self' if inc else 'noself'}"
        FUNCS.append(
            Case(
                f"scatter_reduce-{tag}",
                lambda lib, x, i, s, r=reduce, inc=inc: x.scatter_reduce(0, i, s, r, include_self=inc),
                f32(4),
                idx(0, 0, 2, 0, 2),
                f32(5),
            )
        )
        FUNCS.append(
            Case(
                f"scatter_reduce-{tag}-2d",
                lambda lib, x, i, s, r=reduce, inc=inc: lib.scatter_reduce(x, 1, i, s, r, include_self=inc),
                f32(2, 3),
                idx([0, 0, 2], [1, 1, 1]),
                f32(2, 3),
            )
        )
        FUNCS.append(
            Case(
                f"scatter_reduce-{tag}-int",
                lambda lib, x, i, s, r=reduce, inc=inc: x.scatter_reduce(0, i, s, r, include_self=inc),
                i64(4),
                idx(0, 0, 2, 0, 3),
                i64(5),
            )
        )
FUNCS += [
    Case(
        "scatter_reduce-amax-ties",
        lambda lib, x, i, s: x.scatter_reduce(0, i, s, "amax"),
        np.array([1.0, 5.0, 0.0], np.float32),
        idx(0, 0, 1, 1),
        np.array([3.0, 3.0, 5.0, 2.0], np.float32),
    ),
    Case(
        "scatter_reduce-amin-ties-noself",
        lambda lib, x, i, s: x.scatter_reduce(0, i, s, "amin", include_self=False),
        np.array([1.0, 5.0, 0.0], np.float32),
        idx(0, 0, 1, 1),
        np.array([3.0, 3.0, 5.0, 2.0], np.float32),
    ),
    Case(
        "scatter_reduce-mean-neg-int",
        lambda lib, x, i, s: x.scatter_reduce(0, i, s, "mean"),
        idx(-5, -6, -7),
        idx(0, 0, 1),
        idx(1, 2, 4),
    ),
    Case(
        "scatter_reduce_", lambda lib, x, i, s: x.clone().scatter_reduce_(0, i, s, "sum"), f32(3), idx(0, 0, 2), f32(3)
    ),
    Case("scatter_reduce-bad-error", lambda lib, x, i, s: x.scatter_reduce(0, i, s, "max"), f32(3), idx(0), f32(1)),
    # index_select
    Case("index_select", lambda lib, x, i: lib.index_select(x, 0, i), f32(3, 4), idx(2, 0, 2)),
    Case("index_select-dim", lambda lib, x, i: x.index_select(-1, i), f32(3, 4), idx(3, 1)),
    Case("index_select-0d-index", lambda lib, x, i: x.index_select(1, i), f32(3, 4), np.asarray(2)),
    Case("index_select-0d-input", lambda lib, x, i: x.index_select(0, i), np.asarray(3.0, np.float32), idx(0)),
    Case("index_select-int32", lambda lib, x, i: x.index_select(0, i), f32(3, 4), idx(1).astype(np.int32)),
    Case("index_select-empty", lambda lib, x, i: x.index_select(0, i), f32(3, 4), np.zeros(0, np.int64)),
    Case("index_select-int", lambda lib, x, i: x.index_select(0, i), i64(3, 2), idx(1, 1)),
    Case("index_select-noncontig", lambda lib, x, i: x.t().index_select(0, i), f32(3, 4), idx(3, 0)),
    Case(
        "index_select-out", lambda lib, x, i: lib.index_select(x, 0, i, out=lib.empty(0)), f32(3, 4), idx(1), grad=False
    ),
    Case("index_select-oob-error", lambda lib, x, i: x.index_select(0, i), f32(3, 4), idx(3)),
    Case("index_select-neg-error", lambda lib, x, i: x.index_select(0, i), f32(3, 4), idx(-1)),
    Case("index_select-2d-error", lambda lib, x, i: x.index_select(0, i), f32(3, 4), idx([0])),
    Case("index_select-float-error", lambda lib, x, i: x.index_select(0, i), f32(3, 4), np.array([0.0])),
    Case("index_select-0d-many-error", lambda lib, x, i: x.index_select(0, i), np.asarray(3.0, np.float32), idx(0, 0)),
    # index_add / index_copy / index_fill
    Case("index_add", lambda lib, x, i, s: lib.index_add(x, 0, i, s), f32(3, 4), idx(0, 2, 0), f32(3, 4)),
    Case("index_add-alpha", lambda lib, x, i, s: x.index_add(1, i, s, alpha=-2.5), f32(3, 4), idx(3, 1), f32(3, 2)),
    Case("index_add-int", lambda lib, x, i, s: x.index_add(0, i, s, alpha=2), i64(3), idx(2, 2), i64(2)),
    Case(
        "index_add-int32-index",
        lambda lib, x, i, s: x.index_add(0, i, s),
        f32(3, 4),
        idx(1).astype(np.int32),
        f32(1, 4),
    ),
    Case(
        "index_add-0d",
        lambda lib, x, i, s: x.index_add(0, i, s),
        np.asarray(1.0, np.float32),
        idx(0),
        np.asarray(2.0, np.float32),
    ),
    Case("index_add_", lambda lib, x, i, s: x.clone().index_add_(0, i, s), f32(3, 4), idx(0, 2, 0), f32(3, 4)),
    Case("index_add-dtype-error", lambda lib, x, i, s: x.index_add(0, i, s), f32(3, 4), idx(0), f64(1, 4)),
    Case("index_add-count-error", lambda lib, x, i, s: x.index_add(0, i, s), f32(3, 4), idx(0), f32(2, 4)),
    Case(
        "index_add-float-index-error", lambda lib, x, i, s: x.index_add(0, i, s), f32(3, 4), np.array([0.0]), f32(1, 4)
    ),
    Case("index_add-oob-error", lambda lib, x, i, s: x.index_add(0, i, s), f32(3, 4), idx(3), f32(1, 4)),
    Case("index_copy", lambda lib, x, i, s: lib.index_copy(x, 0, i, s), f32(3, 4), idx(2, 0), f32(2, 4)),
    Case("index_copy-dim", lambda lib, x, i, s: x.index_copy(1, i, s), f32(3, 4), idx(3, 1), f32(3, 2)),
    Case("index_copy-int", lambda lib, x, i, s: x.index_copy(0, i, s), i64(3), idx(1), i64(1)),
    Case("index_copy_", lambda lib, x, i, s: x.clone().index_copy_(0, i, s), f32(3, 4), idx(2, 0), f32(2, 4)),
    Case("index_copy-neg-error", lambda lib, x, i, s: x.index_copy(0, i, s), f32(3, 4), idx(-1), f32(1, 4)),
    Case("index_copy-dtype-error", lambda lib, x, i, s: x.index_copy(0, i, s), f32(3, 4), idx(0), f64(1, 4)),
    Case("index_fill", lambda lib, x, i: lib.index_fill(x, 1, i, -1.0), f32(3, 4), idx(0, 2)),
    Case("index_fill-neg", lambda lib, x, i: x.index_fill(0, i, 2), f32(3, 4), idx(-1)),
    Case(
        "index_fill-0d-tensor",
        lambda lib, x, i, v: x.index_fill(0, i, v),
        f32(3, 4),
        idx(1),
        np.asarray(4.0, np.float32),
    ),
    Case("index_fill-int", lambda lib, x, i: x.index_fill(0, i, 7), i64(3, 2), idx(0, 0)),
    Case("index_fill-bool", lambda lib, x, i: x.index_fill(1, i, True), bools(2, 3), idx(2)),
    Case("index_fill_", lambda lib, x, i: x.clone().index_fill_(1, i, 0.5), f32(3, 4), idx(0, 3)),
    Case("index_fill-1d-value-error", lambda lib, x, i, v: x.index_fill(0, i, v), f32(3, 4), idx(1), f32(1)),
    Case("index_fill-oob-error", lambda lib, x, i: x.index_fill(0, i, 1.0), f32(3, 4), idx(3)),
    # take / take_along_dim / put
    Case("take", lambda lib, x, i: lib.take(x, i), f32(3, 4), idx([0, 11], [5, -1])),
    Case("take-0d-index", lambda lib, x, i: x.take(i), f32(3, 4), np.asarray(7)),
    Case("take-noncontig", lambda lib, x, i: x.t().take(i), f32(3, 4), idx(0, 1, 2)),
    Case("take-int32-error", lambda lib, x, i: x.take(i), f32(3, 4), idx(1).astype(np.int32)),
    Case("take-oob-error", lambda lib, x, i: x.take(i), f32(3, 4), idx(12)),
    Case("take-neg-oob-error", lambda lib, x, i: x.take(i), f32(3, 4), idx(-13)),
    Case("take_along_dim", lambda lib, x, i: lib.take_along_dim(x, i, 1), f32(3, 4), idx([0, 1], [2, 3], [3, 3])),
    Case("take_along_dim-broadcast", lambda lib, x, i: x.take_along_dim(i, 1), f32(3, 4), idx([0, 2])),
    Case(
        "take_along_dim-broadcast-input",
        lambda lib, x, i: x.take_along_dim(i, 0),
        f32(1, 4),
        np.zeros((3, 4), np.int64),
    ),
    Case("take_along_dim-none", lambda lib, x, i: x.take_along_dim(i), f32(3, 4), idx([0, 11])),
    Case(
        "take_along_dim-argsort-like", lambda lib, x, i: x.take_along_dim(i, -1), f32(2, 3), idx([2, 1, 0], [0, 2, 1])
    ),
    Case("take_along_dim-ndim-error", lambda lib, x, i: x.take_along_dim(i, 1), f32(3, 4), idx(0, 1)),
    Case("take_along_dim-int32-error", lambda lib, x, i: x.take_along_dim(i, 1), f32(3, 4), idx([0]).astype(np.int32)),
    Case("put", lambda lib, x, i, s: lib.put(x, i, s), f32(3, 4), idx(0, 11, -2), f32(3)),
    Case(
        "put-accumulate", lambda lib, x, i, s: x.put(i, s, accumulate=True), f32(3, 4), idx([0, 0], [5, 0]), f32(2, 2)
    ),
    Case("put_", lambda lib, x, i, s: x.clone().put_(i, s), f32(3, 4), idx(3, 4), f32(2)),
    Case("put-count-error", lambda lib, x, i, s: x.put(i, s), f32(3, 4), idx(3, 4), f32(3)),
    Case("put-oob-error", lambda lib, x, i, s: x.put(i, s), f32(3, 4), idx(12), f32(1)),
    # index_put
    Case("index_put", lambda lib, x, i, v: lib.index_put(x, (i,), v), f32(3, 4), idx(2, 0), f32(4)),
    Case("index_put-two", lambda lib, x, i, j, v: x.index_put((i, j), v), f32(3, 4), idx(2, 0), idx(1, 1), f32(2)),
    Case(
        "index_put-accumulate",
        lambda lib, x, i, v: x.index_put((i,), v, accumulate=True),
        f32(3, 4),
        idx(2, 0, 2),
        f32(3, 4),
    ),
    Case("index_put-accumulate-int", lambda lib, x, i, v: x.index_put((i,), v, True), i64(3), idx(2, 2), i64(2)),
    Case("index_put_", lambda lib, x, i, v: x.clone().index_put_((i,), v), f32(3, 4), idx(1), f32(1, 4)),
    Case(
        "index_put_-accumulate",
        lambda lib, x, i, v: x.clone().index_put_((i,), v, accumulate=True),
        f32(3),
        idx(1, 1),
        np.asarray(2.0, np.float32),
    ),
    Case("index_put-dtype-error", lambda lib, x, i, v: x.index_put((i,), v), f32(3, 4), idx(1), f64(4)),
    Case("index_put-scalar-error", lambda lib, x, i: x.index_put((i,), 1.0), f32(3, 4), idx(1)),
    Case("index_put-too-many-error", lambda lib, x, i: x.index_put((i, i, i), lib.tensor(1.0)), f32(3, 4), idx(1)),
    Case("index_put-oob-error", lambda lib, x, i: x.index_put((i,), lib.tensor(1.0)), f32(3, 4), idx(3)),
]

EAGER = [
    Case("index_put-mask", lambda lib, x, m: x.index_put((m,), lib.tensor(1.0)), f32(3, 4), M3),
    Case("index_put-mask-2d", lambda lib, x, m, v: x.index_put((m,), v), f32(3, 4), M34, f32(6)),
    Case("masked_select", lambda lib, x, m: lib.masked_select(x, m), f32(3, 4), M34),
    Case("masked_select-broadcast-mask", lambda lib, x, m: x.masked_select(m), f32(3, 4), M4),
    Case("masked_select-broadcast-input", lambda lib, x, m: x.masked_select(m), f32(4), M34),
    Case("masked_select-0d", lambda lib, x, m: x.masked_select(m), np.asarray(2.0, np.float32), np.asarray(True)),
    Case("masked_select-int", lambda lib, x: x.masked_select(x > 0), i64(3, 4)),
    Case("masked_select-float-mask-error", lambda lib, x: x.masked_select(x), f32(3)),
    Case("masked_select-shape-error", lambda lib, x, m: x.masked_select(m), f32(3, 4), M3),
    Case("masked_scatter", lambda lib, x, m, s: lib.masked_scatter(x, m, s), f32(3, 4), M34, f32(4, 5)),
    Case("masked_scatter-broadcast", lambda lib, x, m, s: x.masked_scatter(m, s), f32(3, 4), M4, f32(6)),
    Case("masked_scatter_", lambda lib, x, m, s: x.clone().masked_scatter_(m, s), f32(3, 4), M34, f32(6)),
    Case("masked_scatter-int", lambda lib, x, m, s: x.masked_scatter(m, s), i64(3, 4), M34, i64(6)),
    Case("masked_scatter-short-error", lambda lib, x, m, s: x.masked_scatter(m, s), f32(3, 4), M34, f32(5)),
    Case("masked_scatter-dtype-error", lambda lib, x, m, s: x.masked_scatter(m, s), f32(3, 4), M34, i64(6)),
    Case("nonzero", lambda lib, x: lib.nonzero(x), i64(3, 4, lo=-1, hi=2)),
    Case("nonzero-1d", lambda lib, x: x.nonzero(), np.array([0.0, 1.5, 0.0, -2.0])),
    Case("nonzero-bool", lambda lib, x: x.nonzero(), bools(2, 3)),
    Case("nonzero-as_tuple", lambda lib, x: lib.nonzero(x, as_tuple=True), i64(3, 4, lo=-1, hi=2)),
    Case("nonzero-0d", lambda lib, x: (x.nonzero(), x.nonzero(as_tuple=True)), np.asarray(5)),
    Case("nonzero-0d-zero", lambda lib, x: (x.nonzero(), x.nonzero(as_tuple=True)), np.asarray(0.0)),
    Case("nonzero-empty", lambda lib, x: (x.nonzero(), x.nonzero(as_tuple=True)), np.zeros((0, 3))),
    Case("nonzero-none", lambda lib, x: x.nonzero(), np.zeros((2, 3), np.int64)),
    Case("argwhere", lambda lib, x: lib.argwhere(x), i64(3, 4, lo=-1, hi=2)),
    Case("argwhere-0d", lambda lib, x: x.argwhere(), np.asarray(1.0)),
    Case("repeat_interleave-tensor", lambda lib, x, r: x.repeat_interleave(r, dim=0), f32(3, 2), idx(1, 0, 2)),
    Case("repeat_interleave-repeats-only", lambda lib, r: lib.repeat_interleave(r), idx(2, 0, 3)),
]
EAGER = [Case(c.name, c.fn, *c.inputs, traced=False) for c in EAGER]


@pytest.mark.parametrize("case", FUNCS + EAGER, ids=repr)
def test_index_ops(case, compat):
    compat(case)


# ---------------------------------------------------------------- data-dependent shapes under tracing

T = torchlike.Tensor._make
DATA_DEPENDENT = {
    "getitem-mask": lambda x, m: x[m],
    "getitem-mask-0d": lambda x, m: x[m[0, 0]],
    "masked_select": lambda x, m: x.masked_select(m),
    "masked_scatter": lambda x, m: x.masked_scatter(m, x),
    "nonzero": lambda x, m: m.nonzero(),
    "nonzero-as_tuple": lambda x, m: m.nonzero(as_tuple=True),
    "argwhere": lambda x, m: torchlike.argwhere(m),
    "index_put-mask": lambda x, m: x.index_put((m,), x[0, 0]),
    "setitem-mask-values": lambda x, m: x.__setitem__(m, x.reshape(-1)),
    "repeat_interleave-tensor": lambda x, m: x.repeat_interleave(m.long().sum(1), dim=0),
    "tensor_split-tensor": lambda x, m: x.tensor_split(m.long().sum(1)),
}


@pytest.mark.parametrize("name", list(DATA_DEPENDENT))
def test_data_dependent_raises_under_jit(name):
    fn = DATA_DEPENDENT[name]

    def f(x, m):
        fn(T(x), T(m))
        return x

    with pytest.raises(RuntimeError, match="data-dependent"):
        jax.jit(f)(np.ones((3, 4), np.float32), M34)


def test_mask_setitem_traces():
    """``x[mask] = v`` has a static shape: under jit it is a where, and matches eager."""

    def f(x, m, v):
        t = T(x).clone()
        t[T(m)] = 0.0
        t[T(m[:, 0])] = T(v)
        return t._value

    x, v = f32(3, 4), f32(4)
    out = jax.jit(f)(x, M34, v)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(f(x, M34, v)))


def test_getitem_int_fast_path_is_view():
    x = torchlike.zeros(3, 4)
    v = x[1]
    v[2] = -1
    assert x[1, 2].item() == -1 and v._base is x
