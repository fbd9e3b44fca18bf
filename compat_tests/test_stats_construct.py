"""Statistics, searching and construction ops against torch: values, dtypes, gradients, errors, traced.

histc, histogram, bincount, bucketize, searchsorted, isin, cov, corrcoef, diff, dist, trapezoid / trapz,
cumulative_trapezoid, renorm; cartesian_prod, combinations, block_diag, tril/triu_indices, unravel_index,
diagflat, vander, the windows, scalar_tensor, empty_strided, frombuffer.
"""

from __future__ import annotations

import jax
import numpy as np
import pytest

import torchlike
from compat_tests.conftest import requires_torch
from compat_tests.harness import Case

# both libraries warn on cov rows without degrees of freedom; those rows are meant
pytestmark = pytest.mark.filterwarnings("ignore:.*degrees of freedom is <= 0")

R = np.random.RandomState(7)
NAN, INF = np.nan, np.inf


def f32(*shape, lo=-2.0, hi=2.0):
    return R.uniform(lo, hi, shape).astype(np.float32)


def f64(*shape):
    return R.standard_normal(shape)


def i64(*shape, lo=-5, hi=6):
    return R.randint(lo, hi, shape).astype(np.int64)


def a32(*values):
    return np.array(values, np.float32)


def ai(*values, dtype=np.int64):
    return np.array(values, dtype)


S = np.asarray(np.float32(1.5))
SORTED = a32(-1.0, 0.0, 0.5, 0.5, 2.0)
VALS = a32(-3.0, 0.5, 0.25, 2.0, 9.0, NAN)

STATS = [
    # ---------------------------------------------------------------- histc
    Case("histc", lambda lib, x: lib.histc(x, 5), f32(20)),
    Case("histc-range", lambda lib, x: x.histc(bins=4, min=-1, max=1), f32(3, 7)),
    Case("histc-edges", lambda lib, x: lib.histc(x, 4, 0, 4), a32(0, 1, 2, 3, 4, 4, -0.1, 4.1, NAN)),
    Case("histc-f64", lambda lib, x: lib.histc(x, 6), f64(30)),
    Case("histc-constant", lambda lib, x: lib.histc(x, 3), a32(2, 2, 2)),
    Case("histc-0d", lambda lib, x: lib.histc(x, 3), S),
    Case("histc-empty", lambda lib, x: lib.histc(x, 3), np.zeros(0, np.float32)),
    Case("histc-int-error", lambda lib, x: lib.histc(x, 3), i64(5)),
    Case("histc-bins-error", lambda lib, x: lib.histc(x, 0), f32(5)),
    Case("histc-minmax-error", lambda lib, x: lib.histc(x, 3, min=2, max=1), f32(5)),
    Case("histc-nan-range-error", lambda lib, x: lib.histc(x, 3), a32(NAN, 1.0)),
    # ---------------------------------------------------------------- histogram
    Case("histogram", lambda lib, x: lib.histogram(x, 4), f32(25), grad=False),
    Case("histogram-method", lambda lib, x: x.histogram(3, range=(-1.0, 1.0)), f32(4, 5), grad=False),
    Case("histogram-tensor-bins", lambda lib, x, b: lib.histogram(x, b), f32(30), a32(-2, -0.5, 0, 0.5, 3), grad=False),
    Case(
        "histogram-weight-density",
        lambda lib, x, w: lib.histogram(x, 5, weight=w, density=True),
        f64(40),
        np.abs(f64(40)),
        grad=False,
    ),
    Case(
        "histogram-bins-density",
        lambda lib, x, b: lib.histogram(x, b, density=True),
        f32(20),
        a32(-2, 0, 1, 2),
        grad=False,
    ),
    Case("histogram-constant", lambda lib, x: lib.histogram(x, 2), a32(1, 1), grad=False),
    Case("histogram-empty", lambda lib, x: lib.histogram(x, 3), np.zeros(0, np.float32), grad=False),
    Case("histogram-fields", lambda lib, x: lib.histogram(x, 2).bin_edges, f32(5), grad=False),
    Case("histogram-backward-error", lambda lib, x: lib.histogram(x, 3).hist, f32(5)),
    Case("histogram-int-error", lambda lib, x: lib.histogram(x, 3), i64(5)),
    Case("histogram-range-error", lambda lib, x: lib.histogram(x, 3, range=(2.0, 1.0)), f32(5)),
    Case("histogram-bins-error", lambda lib, x: lib.histogram(x, 0), f32(5)),
    Case("histogram-weight-dtype-error", lambda lib, x, w: lib.histogram(x, 3, weight=w), f32(5), f64(5), grad=False),
    # ---------------------------------------------------------------- bincount (eager unless minlength covers)
    Case("bincount", lambda lib, x: lib.bincount(x), ai(1, 3, 1, 0, 7), traced=False),
    Case("bincount-method", lambda lib, x: x.bincount(minlength=3), ai(1, 1), traced=False),
    Case("bincount-minlength", lambda lib, x: lib.bincount(x, minlength=10), ai(1, 3, 1, 0, 7)),
    Case(
        "bincount-weights", lambda lib, x, w: lib.bincount(x, w, minlength=5), ai(1, 3, 1), a32(0.5, 1, 2), grad=False
    ),
    Case("bincount-weights-f64", lambda lib, x, w: lib.bincount(x, w, 4), ai(1, 3, 1), f64(3), grad=False),
    Case("bincount-weights-int", lambda lib, x, w: lib.bincount(x, w, 4), ai(1, 3, 1), ai(1, 2, 3)),
    Case("bincount-uint8", lambda lib, x: lib.bincount(x, minlength=4), ai(1, 3, dtype=np.uint8)),
    Case("bincount-empty", lambda lib, x: lib.bincount(x), np.zeros(0, np.int64), traced=False),
    Case("bincount-backward-error", lambda lib, x, w: lib.bincount(x, w, 4), ai(1, 3, 1), a32(0.5, 1, 2)),
    Case("bincount-negative-error", lambda lib, x: lib.bincount(x), ai(-1, 3), traced=False),
    Case("bincount-float-error", lambda lib, x: lib.bincount(x), a32(1, 3)),
    Case("bincount-2d-error", lambda lib, x: lib.bincount(x), ai(1, 3).reshape(1, 2)),
    Case("bincount-minlength-error", lambda lib, x: lib.bincount(x, minlength=-1), ai(1, 3)),
    Case("bincount-weights-error", lambda lib, x, w: lib.bincount(x, w), ai(1, 3), a32(1)),
    # ---------------------------------------------------------------- bucketize, searchsorted
    Case("bucketize", lambda lib, v, b: lib.bucketize(v, b), VALS, SORTED),
    Case("bucketize-right-int32", lambda lib, v, b: lib.bucketize(v, b, right=True, out_int32=True), VALS, SORTED),
    Case("bucketize-scalar", lambda lib, b: (lib.bucketize(0.5, b), lib.bucketize(1, b)), SORTED),
    Case("bucketize-int", lambda lib, v, b: lib.bucketize(v, b), ai(-1, 0, 3, 9), SORTED),
    Case("bucketize-0d", lambda lib, v, b: lib.bucketize(v, b), S, SORTED),
    Case("bucketize-2d-error", lambda lib, v, b: lib.bucketize(v, b), VALS, f32(2, 2)),
    Case("searchsorted", lambda lib, b, v: lib.searchsorted(b, v), SORTED, VALS.reshape(2, 3)),
    Case("searchsorted-side", lambda lib, b, v: lib.searchsorted(b, v, side="right"), SORTED, VALS),
    Case("searchsorted-right", lambda lib, b, v: lib.searchsorted(b, v, right=True, out_int32=True), SORTED, VALS),
    Case("searchsorted-scalar", lambda lib, b: lib.searchsorted(b, 0.5), SORTED),
    Case(
        "searchsorted-batched",
        lambda lib, b, v: lib.searchsorted(b, v),
        np.sort(f32(2, 3, 5), -1),
        f32(2, 3, 4),
    ),
    Case(
        "searchsorted-sorter",
        lambda lib, b, v, s: lib.searchsorted(b, v, sorter=s),
        a32(5, 1, 3),
        a32(3, 6, 9, 0),
        ai(1, 2, 0),
    ),
    Case("searchsorted-mixed", lambda lib, b, v: lib.searchsorted(b, v), ai(1, 3, 5), a32(2.5, 3.0)),
    Case("searchsorted-empty", lambda lib, b, v: lib.searchsorted(b, v), SORTED, np.zeros(0, np.float32)),
    Case("searchsorted-side-error", lambda lib, b, v: lib.searchsorted(b, v, side="mid"), SORTED, VALS),
    Case(
        "searchsorted-opposite-error", lambda lib, b, v: lib.searchsorted(b, v, side="left", right=True), SORTED, VALS
    ),
    Case("searchsorted-shape-error", lambda lib, b, v: lib.searchsorted(b, v), f32(2, 3), f32(1, 2)),
    Case("searchsorted-0d-error", lambda lib, b, v: lib.searchsorted(b, v), S, VALS),
    Case(
        "searchsorted-sorter-error", lambda lib, b, v, s: lib.searchsorted(b, v, sorter=s), a32(5, 1, 3), VALS, ai(1, 2)
    ),
    # ---------------------------------------------------------------- isin
    Case("isin", lambda lib, e, t: lib.isin(e, t), i64(3, 4), ai(2, 4, -1)),
    Case("isin-invert", lambda lib, e, t: lib.isin(e, t, invert=True), a32(1, 2, 3, NAN), a32(2, 3, NAN)),
    Case("isin-scalar", lambda lib, e: (lib.isin(e, 2), lib.isin(2, e)), ai(1, 2, 3)),
    Case("isin-mixed", lambda lib, e, t: (lib.isin(e, t), lib.isin(t, e)), ai(1, 2), a32(2.0, 3.5)),
    Case("isin-assume-unique", lambda lib, e, t: lib.isin(e, t, assume_unique=True), ai(1, 2, 3, 4), ai(2, 4)),
    Case("isin-0d-empty", lambda lib, e, t: (lib.isin(e, t), lib.isin(t, e)), np.asarray(3), np.zeros(0, np.int64)),
    Case("isin-bool-error", lambda lib, e: lib.isin(e, e), np.array([True, False])),
    # ---------------------------------------------------------------- cov, corrcoef
    Case("cov", lambda lib, x: lib.cov(x), f32(3, 6)),
    Case("cov-method-1d", lambda lib, x: x.cov(correction=0), f64(7)),
    Case("cov-fweights", lambda lib, x, w: lib.cov(x, fweights=w), f32(2, 4), ai(1, 2, 0, 3)),
    Case("cov-aweights", lambda lib, x, w: lib.cov(x, aweights=w), f32(2, 4), np.abs(f32(4))),
    Case(
        "cov-both-weights",
        lambda lib, x, f, a: lib.cov(x, correction=2, fweights=f, aweights=a),
        f64(3, 5),
        ai(1, 2, 1, 3, 1),
        np.abs(f64(5)),
    ),
    Case("cov-int", lambda lib, x: lib.cov(x), i64(2, 5)),
    Case("cov-int-aweights-f64", lambda lib, x, a: lib.cov(x, aweights=a), i64(5), np.abs(f64(5))),
    Case("cov-one-observation", lambda lib, x: lib.cov(x), f32(2, 1)),
    Case("cov-one-observation-weighted", lambda lib, x, a: lib.cov(x, aweights=a), f32(2, 1), a32(2), grad=False),
    Case("cov-0d", lambda lib, x: lib.cov(x), S),
    Case("cov-3d-error", lambda lib, x: lib.cov(x), f32(2, 2, 2)),
    Case("cov-bool-error", lambda lib, x: lib.cov(x), np.array([True, False])),
    Case("cov-fweights-float-error", lambda lib, x, w: lib.cov(x, fweights=w), f32(2, 3), a32(1, 2, 1), grad=False),
    Case("cov-fweights-negative-error", lambda lib, x, w: lib.cov(x, fweights=w), f32(2, 3), ai(-1, 2, 1)),
    Case("cov-weights-zero-error", lambda lib, x, w: lib.cov(x, fweights=w), f32(2, 3), ai(0, 0, 0)),
    Case("cov-fweights-size-error", lambda lib, x, w: lib.cov(x, fweights=w), f32(2, 3), ai(1, 2)),
    Case("corrcoef", lambda lib, x: lib.corrcoef(x), f32(3, 6)),
    Case("corrcoef-method", lambda lib, x: x.corrcoef(), f64(2, 8)),
    Case("corrcoef-1d-int", lambda lib, x: lib.corrcoef(x), ai(1, 2, 4)),
    Case("corrcoef-constant-row", lambda lib, x: lib.corrcoef(x), a32(1, 2, 4, 1, 1, 1).reshape(2, 3), grad=False),
    Case("corrcoef-3d-error", lambda lib, x: lib.corrcoef(x), f32(2, 2, 2)),
    # ---------------------------------------------------------------- diff, dist
    Case("diff", lambda lib, x: lib.diff(x), f32(3, 5)),
    Case("diff-n-dim", lambda lib, x: x.diff(n=2, dim=0), f32(4, 3)),
    Case("diff-negative-dim", lambda lib, x: lib.diff(x, dim=-2), f32(2, 3, 4)),
    Case("diff-prepend-append", lambda lib, x, p, a: lib.diff(x, 1, 1, p, a), f32(2, 3), f32(2, 1), f64(2, 2)),
    Case("diff-int-prepend-float", lambda lib, x, p: lib.diff(x, prepend=p), ai(1, 3), a32(0.5)),
    Case("diff-int", lambda lib, x: lib.diff(x, n=2), ai(1, 3, 6, 10)),
    Case("diff-uint8", lambda lib, x: lib.diff(x), ai(1, 3, 2, dtype=np.uint8)),
    Case("diff-bool", lambda lib, x: lib.diff(x), np.array([True, False, False, True])),
    Case("diff-n0-and-large", lambda lib, x: (lib.diff(x, n=0), lib.diff(x, n=5)), f32(3)),
    Case("diff-empty", lambda lib, x: lib.diff(x, dim=0), np.zeros((0, 3), np.float32)),
    Case("diff-0d-error", lambda lib, x: lib.diff(x), S),
    Case("diff-order-error", lambda lib, x: lib.diff(x, n=-1), f32(3)),
    Case("diff-prepend-ndim-error", lambda lib, x, a: lib.diff(x, dim=0, append=a), f32(2, 3), f32(3)),
    Case("diff-prepend-shape-error", lambda lib, x, a: lib.diff(x, dim=0, append=a), f32(2, 3), f32(1, 2)),
    Case("dist", lambda lib, x, y: lib.dist(x, y), f32(3, 4), f32(4)),
    Case("dist-p", lambda lib, x, y: (x.dist(y, 1), x.dist(y, 3), lib.dist(x, y, float("inf"))), f64(5), f64(5)),
    Case("dist-p0", lambda lib, x, y: lib.dist(x, y, 0), f32(5), f32(5), grad=False),
    Case("dist-mixed", lambda lib, x, y: lib.dist(x, y), f32(3), f64(3)),
    Case("dist-0d", lambda lib, x, y: lib.dist(x, y), S, f32(3)),
    Case("dist-int-error", lambda lib, x, y: lib.dist(x, y), ai(1, 2), ai(3, 4)),
    # ---------------------------------------------------------------- trapezoid rules
    Case("trapezoid", lambda lib, y: lib.trapezoid(y), f32(3, 5)),
    Case("trapezoid-dx-dim", lambda lib, y: lib.trapezoid(y, dx=0.5, dim=0), f32(4, 3)),
    Case("trapezoid-x", lambda lib, y, x: lib.trapezoid(y, x), f32(2, 4), np.sort(f32(4))),
    Case("trapezoid-x-2d", lambda lib, y, x: lib.trapezoid(y, x, dim=0), f32(3, 2), f64(3, 2)),
    Case("trapezoid-x-broadcast", lambda lib, y, x: lib.trapezoid(y, x), f32(2, 3, 4), f32(3, 4)),
    Case(
        "trapezoid-int",
        lambda lib, y, x: (lib.trapezoid(y), lib.trapezoid(y, x), lib.trapezoid(y, dx=2)),
        ai(1, 2, 3),
        ai(1, 2, 4),
    ),
    Case("trapezoid-empty", lambda lib, y: lib.trapezoid(y), np.zeros((2, 0), np.float32)),
    Case("trapz", lambda lib, y, x: (lib.trapz(y, x), lib.trapz(y, dx=3), lib.trapz(y)), f32(2, 3), a32(0, 1, 3)),
    Case("trapezoid-x-size-error", lambda lib, y, x: lib.trapezoid(y, x), f32(2, 3), a32(0, 1)),
    Case("trapezoid-bool-error", lambda lib, y: lib.trapezoid(y), np.array([True, False])),
    Case("trapezoid-0d-error", lambda lib, y: lib.trapezoid(y), S),
    Case("cumulative_trapezoid", lambda lib, y: lib.cumulative_trapezoid(y), f32(2, 4)),
    Case("cumulative_trapezoid-x", lambda lib, y, x: lib.cumulative_trapezoid(y, x, dim=0), f32(4, 2), a32(0, 1, 3, 4)),
    Case("cumulative_trapezoid-int-dx", lambda lib, y: lib.cumulative_trapezoid(y, dx=2), ai(1, 2, 4)),
    Case("cumulative_trapezoid-empty", lambda lib, y: lib.cumulative_trapezoid(y), np.zeros((2, 0), np.float32)),
    Case("cumulative_trapezoid-bool-error", lambda lib, y: lib.cumulative_trapezoid(y), np.array([True, False])),
    # ---------------------------------------------------------------- renorm
    Case("renorm", lambda lib, x: lib.renorm(x, 2, 0, 1.5), f32(3, 4)),
    Case("renorm-p1-dim1", lambda lib, x: x.renorm(1, 1, 1.0), f32(3, 4)),
    Case("renorm-inf-negative-dim", lambda lib, x: lib.renorm(x, float("inf"), -1, 0.5), f64(2, 3, 2)),
    Case("renorm-zero-slice", lambda lib, x: lib.renorm(x, 2, 0, 0.5), np.vstack([np.zeros((1, 3)), f64(2, 3)])),
    Case("renorm_", lambda lib, x: x.clone().renorm_(3, 0, 0.7), f32(3, 4)),
    Case("renorm-p-error", lambda lib, x: lib.renorm(x, 0, 1, 1.0), f32(2, 2)),
    Case("renorm-maxnorm-error", lambda lib, x: lib.renorm(x, 2, 1, -1.0), f32(2, 2)),
    Case("renorm-1d-error", lambda lib, x: lib.renorm(x, 2, 0, 1.0), f32(3)),
]

CONSTRUCT = [
    Case("cartesian_prod", lambda lib, a, b, c: lib.cartesian_prod(a, b, c), f32(2), f32(3), f32(2)),
    Case("cartesian_prod-int", lambda lib, a, b: lib.cartesian_prod(a, b), ai(1, 2, 3), ai(4, 5)),
    Case("cartesian_prod-one", lambda lib, a: lib.cartesian_prod(a), f32(3)),
    Case("cartesian_prod-empty", lambda lib, a, b: lib.cartesian_prod(a, b), f32(2), np.zeros(0, np.float32)),
    Case("cartesian_prod-dtype-error", lambda lib, a, b: lib.cartesian_prod(a, b), ai(1, 2), a32(1)),
    Case("cartesian_prod-2d-error", lambda lib, a, b: lib.cartesian_prod(a, b), f32(2), f32(2, 2)),
    Case("combinations", lambda lib, x: lib.combinations(x), f32(4)),
    Case("combinations-r3-replacement", lambda lib, x: lib.combinations(x, 3, with_replacement=True), f32(3)),
    Case("combinations-int-r1", lambda lib, x: lib.combinations(x, 1), ai(1, 2, 3)),
    Case("combinations-r0", lambda lib, x: lib.combinations(x, 0), ai(1, 2, 3)),
    Case("combinations-r-too-large", lambda lib, x: lib.combinations(x, 4), f32(3)),
    Case("combinations-empty", lambda lib, x: lib.combinations(x), np.zeros(0, np.float32)),
    Case("combinations-r-error", lambda lib, x: lib.combinations(x, -1), f32(3)),
    Case("combinations-2d-error", lambda lib, x: lib.combinations(x), f32(2, 2)),
    Case("block_diag", lambda lib, a, b, c: lib.block_diag(a, b, c), f32(2, 3), f32(1, 2), f32(3)),
    Case("block_diag-mixed", lambda lib, a, b, c: lib.block_diag(a, b, c), np.asarray(1), f32(2), f64(2, 2)),
    Case("block_diag-empty-blocks", lambda lib, a, b: lib.block_diag(a, b), np.zeros((0, 2), np.float32), f32(1, 0)),
    Case("block_diag-none", lambda lib: lib.block_diag()),
    Case("block_diag-3d-error", lambda lib, a: lib.block_diag(a), f32(2, 2, 2)),
    Case("tril_indices", lambda lib: (lib.tril_indices(3, 4, 1), lib.tril_indices(3, 4, -1, dtype=lib.int32))),
    Case("triu_indices", lambda lib: (lib.triu_indices(3, 3, -5), lib.triu_indices(4, 2), lib.triu_indices(0, 3))),
    Case("tril_indices-dtype-error", lambda lib: lib.tril_indices(3, 4, dtype=lib.float32)),
    Case("tril_indices-row-error", lambda lib: lib.tril_indices(-1, 3)),
    Case("unravel_index", lambda lib, i: lib.unravel_index(i, (3, 4)), ai(4, 1, 11, 0)),
    Case("unravel_index-wrap", lambda lib, i: lib.unravel_index(i, (3, 4)), ai(-1, -13, 12, 25)),
    Case(
        "unravel_index-0d-int-shape", lambda lib, i: (lib.unravel_index(i, 5), lib.unravel_index(i, ())), np.asarray(3)
    ),
    Case(
        "unravel_index-int32-size", lambda lib, i: lib.unravel_index(i, lib.Size([2, 3, 2])), ai(3, 7, dtype=np.int32)
    ),
    Case("unravel_index-float-error", lambda lib, i: lib.unravel_index(i, (3, 4)), a32(1)),
    Case("unravel_index-negative-shape-error", lambda lib, i: lib.unravel_index(i, (3, -1)), ai(1)),
    Case("diagflat", lambda lib, x: lib.diagflat(x), f32(2, 2)),
    Case("diagflat-offset-method", lambda lib, x: (x.diagflat(1), x.diagflat(-2)), f32(3)),
    Case("diagflat-int-0d", lambda lib, x: lib.diagflat(x, -1), np.asarray(3)),
    # torch's own vander backward raises (its cumprod reads a view it modified in place): values only
    Case("vander", lambda lib, x: lib.vander(x), f32(4), grad=False),
    Case("vander-N-increasing", lambda lib, x: lib.vander(x, 5, increasing=True), f64(3), grad=False),
    Case("vander-int", lambda lib, x: (lib.vander(x), lib.vander(x, 4, True)), ai(1, 2, 3)),
    Case(
        "vander-int32-bool",
        lambda lib, x, b: (lib.vander(x), lib.vander(b)),
        ai(1, 2, dtype=np.int32),
        np.array([True, False]),
    ),
    Case("vander-N0", lambda lib, x: lib.vander(x, 0), f32(2), grad=False),
    Case("vander-N-error", lambda lib, x: lib.vander(x, -1), f32(2)),
    Case("vander-2d-error", lambda lib, x: lib.vander(x), f32(2, 2)),
    Case("hann_window", lambda lib: (lib.hann_window(5), lib.hann_window(4, periodic=False, dtype=lib.float64))),
    Case("hann_window-short", lambda lib: (lib.hann_window(0), lib.hann_window(1), lib.hann_window(1, False))),
    Case("hamming_window", lambda lib: (lib.hamming_window(6), lib.hamming_window(5, False, alpha=0.5, beta=0.3))),
    Case("blackman_window", lambda lib: (lib.blackman_window(7), lib.blackman_window(5, False, dtype=lib.float64))),
    Case(
        "bartlett_window",
        lambda lib: (lib.bartlett_window(5), lib.bartlett_window(5, False), lib.bartlett_window(2, False)),
    ),
    Case(
        "kaiser_window",
        lambda lib: (lib.kaiser_window(6), lib.kaiser_window(5, False), lib.kaiser_window(7, True, 3.0)),
    ),
    Case("kaiser_window-one", lambda lib: lib.kaiser_window(1, dtype=lib.float64)),
    Case("window-requires_grad", lambda lib: lib.hann_window(3, requires_grad=True).requires_grad),
    Case("hann_window-negative-error", lambda lib: lib.hann_window(-1)),
    Case("hann_window-dtype-error", lambda lib: lib.hann_window(4, dtype=lib.int64)),
    Case("kaiser_window-dtype-error", lambda lib: lib.kaiser_window(4, dtype=lib.int32)),
    Case(
        "scalar_tensor",
        lambda lib: (lib.scalar_tensor(3), lib.scalar_tensor(True), lib.scalar_tensor(2.5, dtype=lib.float64)),
    ),
    Case("scalar_tensor-int32", lambda lib: lib.scalar_tensor(3, dtype=lib.int32)),
    Case(
        "empty_strided", lambda lib: (lib.empty_strided((2, 3), (3, 1)).shape, lib.empty_strided((2, 3), (3, 1)).dtype)
    ),
    Case("empty_strided-dtype", lambda lib: lib.empty_strided([4], [1], dtype=lib.int64).shape),
    Case("empty_strided-rank-error", lambda lib: lib.empty_strided((2, 3), (1,))),
    Case("frombuffer", lambda lib: lib.frombuffer(bytearray(b"\x01\x00\x02\x00"), dtype=lib.int16)),
    Case(
        "frombuffer-count-offset",
        lambda lib: lib.frombuffer(
            bytearray(np.arange(3, dtype=np.float32).tobytes()), dtype=lib.float32, count=1, offset=4
        ),
    ),
    Case("frombuffer-bytes", lambda lib: lib.frombuffer(b"abcd", dtype=lib.uint8)),
    Case("frombuffer-size-error", lambda lib: lib.frombuffer(bytearray(7), dtype=lib.float32)),
    Case("frombuffer-empty-error", lambda lib: lib.frombuffer(bytearray(0), dtype=lib.float32)),
    Case("frombuffer-count-error", lambda lib: lib.frombuffer(bytearray(8), dtype=lib.float32, count=3)),
]


@pytest.mark.parametrize("case", STATS + CONSTRUCT, ids=repr)
def test_stats_construct(case, compat):
    compat(case)


@requires_torch
@pytest.mark.parametrize(
    "name", sorted(set(n for m in ("stats", "construct") for n in getattr(torchlike._ops_pkg, m).METHODS))
)
def test_methods_exist_in_torch(name):
    import torch

    assert hasattr(torch.Tensor, name) and hasattr(torchlike.Tensor, name)


# ---------------------------------------------------------------- data-dependent shapes under tracing

T = torchlike.Tensor._make
DATA_DEPENDENT = {
    "bincount": lambda x, f: torchlike.bincount(x),
    "bincount-weights": lambda x, f: torchlike.bincount(x, f),
    "histogram-tensor-range": lambda x, f: torchlike.histogram(f, 3, range=(f.min(), f.max())),
}


@pytest.mark.parametrize("name", list(DATA_DEPENDENT))
def test_data_dependent_raises_under_jit(name):
    fn = DATA_DEPENDENT[name]

    def f(x, w):
        fn(T(x), T(w))
        return x

    with pytest.raises(RuntimeError, match="data-dependent|cannot be traced"):
        jax.jit(f)(np.array([1, 3, 1]), np.array([0.5, 1.0, 2.0], np.float32))


def test_bincount_traced_minlength_drops_outside():
    """Under tracing the length is ``minlength``: values past it are dropped, as the docstring says."""

    def f(x):
        return torchlike.bincount(T(x), minlength=3)._value

    np.testing.assert_array_equal(np.asarray(jax.jit(f)(np.array([0, 2, 2, 5]))), [1, 0, 2])
