"""Shape ops against torch: values, dtypes, gradients, errors, view aliasing and strides, traced."""

from __future__ import annotations

import jax
import numpy as np
import pytest

import torchlike
from compat_tests.conftest import requires_torch
from compat_tests.harness import Case

R = np.random.RandomState(1)


def f32(*shape):
    return R.uniform(-2, 2, shape).astype(np.float32)


def f64(*shape):
    return R.standard_normal(shape)


def i64(*shape):
    return R.randint(-5, 6, shape).astype(np.int64)


def b(*shape):
    return R.rand(*shape) > 0.5


def meta(t):
    """What torch says about a tensor's layout: shape, strides, offset, contiguity."""
    return tuple(t.shape), t.stride(), t.storage_offset(), t.is_contiguous()


CASES = [
    # view / reshape
    Case("view", lambda lib, x: x.view(4, 3), f32(3, 4)),
    Case("view-infer", lambda lib, x: x.view(-1, 2), f32(3, 4)),
    Case("view-tuple", lambda lib, x: x.view((2, 6)), f32(3, 4)),
    Case("view-size", lambda lib, x: x.view(lib.Size([12])), f32(3, 4)),
    Case("view-0d", lambda lib, x: x.view(1, 1), np.asarray(1.5, np.float32)),
    Case("view-to-0d", lambda lib, x: x.view(()), f32(1)),
    Case("view-empty-error", lambda lib, x: x.view(0, 5, -1), f32(0, 10)),
    Case("view-int", lambda lib, x: x.view(2, 2, 3), i64(3, 4)),
    Case("view-bool", lambda lib, x: x.view(-1), b(3, 4)),
    Case("view-of-transposed-ok", lambda lib, x: meta(x.t().view(3, 2, 2)), f32(4, 3)),
    Case("view-of-transposed-values", lambda lib, x: x.t().view(3, 2, 2), f32(4, 3)),
    Case("view-of-slice", lambda lib, x: meta(x[:, 1:3].view(3, 2, 1)), f32(3, 4)),
    Case("view-of-expand", lambda lib, x: meta(x.expand(3, 4).view(3, 2, 2)), f32(4)),
    Case("view-bad-size-error", lambda lib, x: x.view(5), f32(3, 4)),
    Case("view-two-infer-error", lambda lib, x: x.view(-1, -1), f32(3, 4)),
    Case("view-infer-bad-error", lambda lib, x: x.view(-1, 5), f32(3, 4)),
    Case("view-noncontig-error", lambda lib, x: x.t().view(-1), f32(3, 4)),
    Case("view-noncontig-error-2", lambda lib, x: x[:, ::2].view(-1), f32(3, 4)),
    Case("view_as", lambda lib, x, y: x.view_as(y), f32(3, 4), f32(2, 6)),
    Case("reshape", lambda lib, x: lib.reshape(x, (2, -1)), f32(3, 4)),
    Case("reshape-method", lambda lib, x: x.reshape(4, 3), f32(3, 4)),
    Case("reshape-noncontig", lambda lib, x: x.t().reshape(-1), f32(3, 4)),
    Case("reshape-noncontig-meta", lambda lib, x: meta(x.t().reshape(-1)), f32(3, 4)),
    Case("reshape-0d", lambda lib, x: x.reshape(-1), np.asarray(2.0, np.float32)),
    Case("reshape-empty-error", lambda lib, x: x.reshape(3, 0, -1), f32(0, 6)),
    Case("reshape-empty-infer-error", lambda lib, x: x.reshape(-1, 0), f32(0, 6)),
    Case("reshape-bad-error", lambda lib, x: x.reshape(7), f32(3, 4)),
    Case("reshape_as", lambda lib, x, y: x.reshape_as(y), f32(3, 4), f32(12)),
    Case("ravel", lambda lib, x: lib.ravel(x.t()), f32(3, 4)),
    # flatten / unflatten
    Case("flatten", lambda lib, x: lib.flatten(x), f32(2, 3, 4)),
    Case("flatten-start", lambda lib, x: x.flatten(1), f32(2, 3, 4)),
    Case("flatten-range", lambda lib, x: x.flatten(0, -2), f32(2, 3, 4)),
    Case("flatten-same", lambda lib, x: x.flatten(1, 1), f32(2, 3, 4)),
    Case("flatten-0d", lambda lib, x: x.flatten(), np.asarray(3.0, np.float32)),
    Case("flatten-bad-order-error", lambda lib, x: x.flatten(2, 1), f32(2, 3, 4)),
    Case("flatten-bad-dim-error", lambda lib, x: x.flatten(0, 3), f32(2, 3, 4)),
    Case("flatten-noncontig", lambda lib, x: x.transpose(0, 2).flatten(1), f32(2, 3, 4)),
    Case("unflatten", lambda lib, x: x.unflatten(1, (2, 2)), f32(3, 4)),
    Case("unflatten-infer", lambda lib, x: lib.unflatten(x, -1, (-1, 2)), f32(3, 4)),
    Case("unflatten-bad-error", lambda lib, x: x.unflatten(1, (3, 2)), f32(3, 4)),
    # permute / transpose / t / T / mT / movedim
    Case("permute", lambda lib, x: x.permute(2, 0, 1), f32(2, 3, 4)),
    Case("permute-tuple-neg", lambda lib, x: lib.permute(x, (-1, 0, 1)), f32(2, 3, 4)),
    Case("permute-meta", lambda lib, x: meta(x.permute(2, 0, 1)), f32(2, 3, 4)),
    Case("permute-dup-error", lambda lib, x: x.permute(0, 0, 1), f32(2, 3, 4)),
    Case("permute-len-error", lambda lib, x: x.permute(0, 1), f32(2, 3, 4)),
    Case("permute-0d", lambda lib, x: x.permute(()), np.asarray(1.0, np.float32)),
    Case("transpose", lambda lib, x: lib.transpose(x, 0, 2), f32(2, 3, 4)),
    Case("transpose-neg", lambda lib, x: x.transpose(-1, -2), f32(2, 3, 4)),
    Case("transpose-same", lambda lib, x: x.transpose(1, 1), f32(2, 3)),
    Case("transpose-bad-error", lambda lib, x: x.transpose(0, 3), f32(2, 3)),
    Case("transpose-0d", lambda lib, x: x.transpose(0, -1), np.asarray(1.0, np.float32)),
    Case("swapaxes-swapdims", lambda lib, x: (x.swapaxes(0, 1), lib.swapdims(x, 1, 0)), f32(2, 3)),
    Case("t", lambda lib, x: x.t(), f32(2, 3)),
    Case("t-1d", lambda lib, x: lib.t(x), f32(3)),
    Case("t-0d", lambda lib, x: x.t(), np.asarray(1.0, np.float32)),
    Case("t-3d-error", lambda lib, x: x.t(), f32(2, 3, 4)),
    Case("T", lambda lib, x: x.T, f32(2, 3)),
    Case("mT", lambda lib, x: x.mT, f32(2, 3, 4)),
    Case("movedim", lambda lib, x: lib.movedim(x, 0, -1), f32(2, 3, 4)),
    Case("movedim-tuple", lambda lib, x: x.movedim((0, 1), (2, 0)), f32(2, 3, 4)),
    Case("moveaxis", lambda lib, x: lib.moveaxis(x, -1, 0), f32(2, 3, 4)),
    Case("movedim-dup-error", lambda lib, x: x.movedim((0, 0), (1, 2)), f32(2, 3, 4)),
    Case("movedim-len-error", lambda lib, x: x.movedim((0, 1), (1,)), f32(2, 3, 4)),
    # squeeze / unsqueeze
    Case("squeeze", lambda lib, x: lib.squeeze(x), f32(1, 3, 1, 2)),
    Case("squeeze-dim", lambda lib, x: x.squeeze(2), f32(1, 3, 1, 2)),
    Case("squeeze-dim-not-1", lambda lib, x: x.squeeze(1), f32(1, 3, 1, 2)),
    Case("squeeze-neg", lambda lib, x: x.squeeze(-2), f32(1, 3, 1, 2)),
    Case("squeeze-tuple", lambda lib, x: x.squeeze((0, 1, 2)), f32(1, 3, 1, 2)),
    Case("squeeze-0d", lambda lib, x: (x.squeeze(), x.squeeze(0), x.squeeze(-1)), np.asarray(1.0, np.float32)),
    Case("squeeze-bad-dim-error", lambda lib, x: x.squeeze(4), f32(1, 3, 1, 2)),
    Case("squeeze-meta", lambda lib, x: meta(x[:, ::2].squeeze()), f32(1, 4, 1)),
    Case("unsqueeze", lambda lib, x: lib.unsqueeze(x, 1), f32(2, 3)),
    Case("unsqueeze-end", lambda lib, x: x.unsqueeze(-1), f32(2, 3)),
    Case("unsqueeze-0d", lambda lib, x: x.unsqueeze(0), np.asarray(1.0, np.float32)),
    Case("unsqueeze-bad-error", lambda lib, x: x.unsqueeze(3), f32(2, 3)),
    Case("unsqueeze-int", lambda lib, x: x.unsqueeze(0), i64(3)),
    # expand / broadcast
    Case("expand", lambda lib, x: x.expand(3, 4), f32(1, 4)),
    Case("expand-new-dims", lambda lib, x: x.expand(2, 3, -1), f32(3, 1)),
    Case("expand-tuple", lambda lib, x: x.expand((2, 3)), f32(3)),
    Case("expand-meta", lambda lib, x: meta(x.expand(2, 3, 4)), f32(3, 1)),
    Case("expand-0d", lambda lib, x: x.expand(2, 2), np.asarray(1.5, np.float32)),
    Case("expand-zero", lambda lib, x: x.expand(0, 3), f32(1, 3)),
    Case("expand-bad-error", lambda lib, x: x.expand(3, 5), f32(3, 4)),
    Case("expand-too-few-error", lambda lib, x: x.expand(4), f32(3, 4)),
    Case("expand-neg-new-error", lambda lib, x: x.expand(-1, 4), f32(4)),
    Case("expand_as", lambda lib, x, y: x.expand_as(y), f32(3, 1), f32(2, 3, 4)),
    Case("broadcast_to", lambda lib, x: lib.broadcast_to(x, (2, 3)), f32(3)),
    Case("broadcast_to-method", lambda lib, x: x.broadcast_to((3, 2, 2)), f32(2, 1)),
    Case("broadcast_to-bad-error", lambda lib, x: lib.broadcast_to(x, (2, 4)), f32(3)),
    Case("broadcast_tensors", lambda lib, x, y: lib.broadcast_tensors(x, y), f32(3, 1), f32(4)),
    Case("broadcast_shapes", lambda lib: lib.broadcast_shapes((3, 1), (4,), (2, 1, 1))),
    Case("broadcast_shapes-bad-error", lambda lib: lib.broadcast_shapes((3,), (4,))),
    # repeat / tile / repeat_interleave
    Case("repeat", lambda lib, x: x.repeat(2, 3), f32(2, 3)),
    Case("repeat-more-dims", lambda lib, x: x.repeat(2, 1, 2), f32(2, 3)),
    Case("repeat-tuple", lambda lib, x: x.repeat((2, 2)), f32(3)),
    Case("repeat-zero", lambda lib, x: x.repeat(0, 2), f32(2, 3)),
    Case("repeat-0d", lambda lib, x: x.repeat(3), np.asarray(2.0, np.float32)),
    Case("repeat-int", lambda lib, x: x.repeat(2), i64(3)),
    Case("repeat-too-few-error", lambda lib, x: x.repeat(2), f32(2, 3)),
    Case("tile", lambda lib, x: lib.tile(x, (2,)), f32(2, 3)),
    Case("tile-more", lambda lib, x: x.tile((2, 1, 2)), f32(2, 3)),
    Case("repeat_interleave-int", lambda lib, x: lib.repeat_interleave(x, 2), f32(2, 3)),
    Case("repeat_interleave-dim", lambda lib, x: x.repeat_interleave(2, dim=1), f32(2, 3)),
    Case("repeat_interleave-neg-dim", lambda lib, x: x.repeat_interleave(3, -2), f32(2, 3)),
    Case(
        "repeat_interleave-1elem-tensor",
        lambda lib, x, r: x.repeat_interleave(r, dim=0),
        f32(2, 3),
        np.array([2]),
        traced=False,
    ),
    Case(
        "repeat_interleave-output_size",
        lambda lib, x, r: x.repeat_interleave(r, dim=0, output_size=5),
        f32(3, 2),
        np.array([1, 0, 4]),
    ),
    Case("repeat_interleave-0d", lambda lib, x: x.repeat_interleave(2), np.asarray(1.0, np.float32)),
    Case("repeat_interleave-int-input", lambda lib, x: x.repeat_interleave(2, 0), i64(3)),
    Case(
        "repeat_interleave-bad-len-error", lambda lib, x, r: x.repeat_interleave(r, dim=0), f32(3, 2), np.array([1, 2])
    ),
    Case("repeat_interleave-neg-error", lambda lib, x: x.repeat_interleave(-1), f32(3)),
    # flip / roll / rot90
    Case("flip", lambda lib, x: lib.flip(x, (0, 2)), f32(2, 3, 4)),
    Case("flip-int-dim", lambda lib, x: x.flip(-1), f32(2, 3)),
    Case("flip-list", lambda lib, x: x.flip([0]), i64(3, 2)),
    Case("flip-0d", lambda lib, x: x.flip(()), np.asarray(1.0, np.float32)),
    Case("flip-dup-error", lambda lib, x: x.flip((0, 0)), f32(2, 3)),
    Case("fliplr-flipud", lambda lib, x: (lib.fliplr(x), x.flipud()), f32(2, 3)),
    Case("fliplr-1d-error", lambda lib, x: lib.fliplr(x), f32(3)),
    Case("roll", lambda lib, x: lib.roll(x, 1), f32(2, 3)),
    Case("roll-neg", lambda lib, x: x.roll(-4), f32(2, 3)),
    Case("roll-dim", lambda lib, x: x.roll(1, 1), f32(2, 3)),
    Case("roll-dims", lambda lib, x: x.roll((1, -1), (0, 1)), f32(2, 3)),
    Case("roll-large", lambda lib, x: x.roll(7, 0), f32(3, 2)),
    Case("roll-mismatch-error", lambda lib, x: x.roll((1, 2), 0), f32(2, 3)),
    Case("roll-empty", lambda lib, x: x.roll(1, 0), f32(0, 3)),
    Case("rot90", lambda lib, x: lib.rot90(x), f32(2, 3)),
    Case("rot90-k", lambda lib, x: (x.rot90(2), x.rot90(-1, (1, 0)), x.rot90(3, [0, 1])), f32(2, 3)),
    # narrow / select / unbind
    Case("narrow", lambda lib, x: lib.narrow(x, 1, 1, 2), f32(3, 4)),
    Case("narrow-neg-start", lambda lib, x: x.narrow(0, -2, 2), f32(3, 4)),
    Case("narrow-tensor-start", lambda lib, x: x.narrow(1, lib.tensor(1), 3), f32(3, 4)),
    Case("narrow-meta", lambda lib, x: meta(x.narrow(1, 1, 2)), f32(3, 4)),
    Case("narrow-zero", lambda lib, x: x.narrow(0, 3, 0), f32(3, 4)),
    Case("narrow-too-long-error", lambda lib, x: x.narrow(0, 2, 2), f32(3, 4)),
    Case("narrow-bad-start-error", lambda lib, x: x.narrow(0, 4, 0), f32(3, 4)),
    Case("narrow-0d-error", lambda lib, x: x.narrow(0, 0, 1), np.asarray(1.0, np.float32)),
    Case("select", lambda lib, x: lib.select(x, 1, -1), f32(3, 4)),
    Case("select-meta", lambda lib, x: meta(x.select(1, 2)), f32(3, 4)),
    Case("select-bad-error", lambda lib, x: x.select(0, 3), f32(3, 4)),
    Case("select-bad-dim-error", lambda lib, x: x.select(2, 0), f32(3, 4)),
    Case("select-0d-error", lambda lib, x: x.select(0, 0), np.asarray(1.0, np.float32)),
    Case("unbind", lambda lib, x: lib.unbind(x), f32(3, 4)),
    Case("unbind-dim", lambda lib, x: x.unbind(-1), f32(3, 2)),
    Case("unbind-empty", lambda lib, x: x.unbind(1), f32(3, 0)),
    Case("unbind-0d-error", lambda lib, x: x.unbind(), np.asarray(1.0, np.float32)),
    Case("unbind-meta", lambda lib, x: [meta(t) for t in x.unbind(1)], f32(3, 2)),
    Case("iter", lambda lib, x: list(x), f32(3, 2)),
    # cat / stack and friends
    Case("cat", lambda lib, x, y: lib.cat([x, y]), f32(2, 3), f32(4, 3)),
    Case("cat-dim", lambda lib, x, y: lib.cat((x, y), dim=-1), f32(2, 3), f32(2, 1)),
    Case("cat-promote", lambda lib, x, y, z: lib.cat([x, y, z]), f32(2), i64(3), f64(1)),
    Case("cat-int-bool", lambda lib, x, y: lib.cat([x, y]), i64(2), b(2)),
    Case("cat-legacy-empty", lambda lib, x, y: lib.cat([x, y, x], 1), f32(2, 3), f32(0)),
    Case("cat-empty-rows", lambda lib, x, y: lib.cat([x, y]), f32(0, 3), f32(2, 3)),
    Case("cat-single", lambda lib, x: lib.cat([x]), f32(2, 3)),
    Case("cat-noncontig", lambda lib, x, y: lib.cat([x.t(), y[:, ::2]], 1), f32(3, 2), f32(2, 4)),
    Case("concat", lambda lib, x, y: lib.concat([x, y], 0), f32(1, 3), f32(2, 3)),
    Case("concatenate", lambda lib, x, y: lib.concatenate([x, y], axis=0), f32(1, 3), f32(2, 3)),
    Case("cat-mismatch-error", lambda lib, x, y: lib.cat([x, y]), f32(2, 3), f32(2, 4)),
    Case("cat-ndim-mismatch-error", lambda lib, x, y: lib.cat([x, y]), f32(2, 3), f32(3)),
    Case("cat-0d-error", lambda lib, x, y: lib.cat([x, y]), np.asarray(1.0, np.float32), np.asarray(2.0, np.float32)),
    Case("cat-0d-second-error", lambda lib, x, y: lib.cat([x, y]), f32(2), np.asarray(2.0, np.float32)),
    Case("cat-empty-list-error", lambda lib: lib.cat([])),
    Case("cat-bad-dim-error", lambda lib, x: lib.cat([x, x], 2), f32(2, 3)),
    Case("cat-out", lambda lib, x, y: lib.cat([x, y], out=lib.empty(0)), f32(2), f32(3), grad=False),
    Case("stack", lambda lib, x, y: lib.stack([x, y]), f32(2, 3), f32(2, 3)),
    Case("stack-dim", lambda lib, x, y: lib.stack((x, y), dim=-1), f32(2, 3), f32(2, 3)),
    Case("stack-dim-1", lambda lib, x, y: lib.stack((x, y), 1), f32(2, 3), f32(2, 3)),
    Case("stack-0d", lambda lib, x, y: lib.stack([x, y]), np.asarray(1.0, np.float32), np.asarray(2.0, np.float32)),
    Case("stack-promote", lambda lib, x, y: lib.stack([x, y]), f32(3), i64(3)),
    Case("stack-unequal-error", lambda lib, x, y: lib.stack([x, y]), f32(2, 3), f32(3, 2)),
    Case("stack-bad-dim-error", lambda lib, x, y: lib.stack([x, y], 3), f32(2, 3), f32(2, 3)),
    Case("stack-empty-list-error", lambda lib: lib.stack([])),
    Case("hstack", lambda lib, x, y: lib.hstack([x, y]), f32(2, 3), f32(2, 1)),
    Case("hstack-1d", lambda lib, x, y: lib.hstack([x, y]), f32(2), f32(3)),
    Case("hstack-0d", lambda lib, x, y: lib.hstack([x, y]), np.asarray(1.0, np.float32), f32(2)),
    Case("vstack", lambda lib, x, y: lib.vstack([x, y]), f32(3), f32(2, 3)),
    Case("vstack-0d", lambda lib, x, y: lib.vstack((x, y)), np.asarray(1.0, np.float32), np.asarray(2.0, np.float32)),
    Case("row_stack", lambda lib, x, y: lib.row_stack([x, y]), f32(3), f32(3)),
    Case("dstack", lambda lib, x, y: lib.dstack([x, y]), f32(2, 3), f32(2, 3)),
    Case("column_stack", lambda lib, x, y: lib.column_stack([x, y]), f32(3), f32(3, 2)),
    Case(
        "atleast", lambda lib, x: (lib.atleast_1d(x), lib.atleast_2d(x), lib.atleast_3d(x)), np.asarray(1.0, np.float32)
    ),
    Case("atleast-1d", lambda lib, x: (lib.atleast_1d(x), lib.atleast_2d(x), lib.atleast_3d(x)), f32(3)),
    Case("atleast-2d", lambda lib, x: (lib.atleast_2d(x), lib.atleast_3d(x)), f32(2, 3)),
    Case("atleast-many", lambda lib, x, y: lib.atleast_2d(x, y), f32(3), f32(2, 2)),
    # split / chunk / tensor_split
    Case("split-int", lambda lib, x: lib.split(x, 2), f32(5, 3)),
    Case("split-int-dim", lambda lib, x: x.split(2, dim=-1), f32(3, 5)),
    Case("split-list", lambda lib, x: x.split([1, 3, 1]), f32(5, 2)),
    Case("split-list-zero", lambda lib, x: x.split([0, 5]), f32(5, 2)),
    Case("split-big", lambda lib, x: x.split(10), f32(5, 2)),
    Case("split-empty", lambda lib, x: x.split(2), f32(0, 2)),
    Case("split-meta", lambda lib, x: [meta(t) for t in x.split(2, 1)], f32(3, 5)),
    Case("split-bad-sum-error", lambda lib, x: x.split([1, 2]), f32(5, 2)),
    Case("split-zero-size-error", lambda lib, x: x.split(0), f32(5, 2)),
    Case("split-0d-error", lambda lib, x: x.split(1), np.asarray(1.0, np.float32)),
    Case("chunk", lambda lib, x: lib.chunk(x, 2), f32(5, 3)),
    Case("chunk-dim", lambda lib, x: x.chunk(3, 1), f32(2, 6)),
    Case("chunk-more", lambda lib, x: x.chunk(4), f32(6)),
    Case("chunk-too-many", lambda lib, x: x.chunk(10), f32(3)),
    Case("chunk-empty", lambda lib, x: x.chunk(3), f32(0)),
    Case("chunk-bad-error", lambda lib, x: x.chunk(0), f32(3)),
    Case("tensor_split-int", lambda lib, x: lib.tensor_split(x, 3), f32(7, 2)),
    Case("tensor_split-more", lambda lib, x: x.tensor_split(5), f32(3)),
    Case("tensor_split-indices", lambda lib, x: x.tensor_split([1, 4], dim=1), f32(2, 6)),
    Case("tensor_split-indices-oob", lambda lib, x: x.tensor_split([2, 10, -1]), f32(6)),
    Case("tensor_split-tensor", lambda lib, x, i: x.tensor_split(i), f32(6), np.array([1, 3]), traced=False),
    Case("tensor_split-tensor-sections", lambda lib, x, i: x.tensor_split(i), f32(7), np.asarray(3), traced=False),
    Case("tensor_split-bad-error", lambda lib, x: x.tensor_split(0), f32(6)),
    # diagonal / tril / triu / diag / diag_embed
    Case("diagonal", lambda lib, x: lib.diagonal(x), f32(3, 4)),
    Case("diagonal-offset", lambda lib, x: (x.diagonal(1), x.diagonal(-2), x.diagonal(5)), f32(3, 4)),
    Case("diagonal-dims", lambda lib, x: x.diagonal(0, -1, 0), f32(2, 3, 4)),
    Case("diagonal-meta", lambda lib, x: meta(x.diagonal(1)), f32(3, 4)),
    Case("diagonal-same-dim-error", lambda lib, x: x.diagonal(0, 1, 1), f32(3, 4)),
    Case("diagonal-1d-error", lambda lib, x: x.diagonal(), f32(3)),
    Case("tril", lambda lib, x: lib.tril(x), f32(3, 4)),
    Case("tril-k", lambda lib, x: (x.tril(1), x.tril(-1)), f32(3, 4)),
    Case("triu", lambda lib, x: lib.triu(x, -1), f32(2, 3, 4)),
    Case("triu-int", lambda lib, x: x.triu(), i64(3, 3)),
    Case("triu-bool", lambda lib, x: x.triu(1), b(3, 3)),
    Case("tril-1d-error", lambda lib, x: x.tril(), f32(3)),
    Case("tril_", lambda lib, x: x.clone().tril_(), f32(3, 3)),
    Case("triu_-view", lambda lib, x: _triu_view(x.clone()), f32(3, 4)),
    Case("diag-1d", lambda lib, x: lib.diag(x), f32(3)),
    Case("diag-1d-offset", lambda lib, x: (x.diag(1), x.diag(-2)), f32(3)),
    Case("diag-2d", lambda lib, x: (x.diag(), x.diag(1), x.diag(-1), x.diag(7)), f32(3, 4)),
    Case("diag-int", lambda lib, x: x.diag(), i64(3)),
    Case("diag-3d-error", lambda lib, x: x.diag(), f32(2, 2, 2)),
    Case("diag_embed", lambda lib, x: lib.diag_embed(x), f32(2, 3)),
    Case("diag_embed-offset", lambda lib, x: lib.diag_embed(x, 1, 0, 2), f32(2, 3)),
    # meshgrid
    Case("meshgrid-ij", lambda lib, x, y: lib.meshgrid(x, y, indexing="ij"), f32(3), f32(2)),
    Case("meshgrid-xy", lambda lib, x, y: lib.meshgrid(x, y, indexing="xy"), f32(3), f32(2)),
    Case("meshgrid-3-xy", lambda lib, x, y, z: lib.meshgrid([x, y, z], indexing="xy"), f32(3), f32(2), f32(4)),
    Case("meshgrid-3-ij-int", lambda lib, x, y, z: lib.meshgrid(x, y, z, indexing="ij"), i64(3), i64(2), i64(4)),
    Case("meshgrid-dtype-error", lambda lib, x, y: lib.meshgrid(x, y, indexing="xy"), f32(3), i64(4)),
    Case("meshgrid-0d", lambda lib, x, y: lib.meshgrid(x, y, indexing="ij"), np.asarray(1.0, np.float32), f32(2)),
    Case("meshgrid-single", lambda lib, x: lib.meshgrid(x, indexing="xy"), f32(3)),
    Case("meshgrid-bad-mode-error", lambda lib, x: lib.meshgrid(x, x, indexing="yx"), f32(3)),
    Case("meshgrid-2d-error", lambda lib, x: lib.meshgrid(x, x, indexing="ij"), f32(2, 2)),
    # unfold
    Case("unfold", lambda lib, x: x.unfold(0, 2, 1), f32(5)),
    Case("unfold-step", lambda lib, x: x.unfold(1, 2, 2), f32(2, 5)),
    Case("unfold-dim0", lambda lib, x: x.unfold(0, 2, 1), f32(3, 2)),
    Case("unfold-meta", lambda lib, x: meta(x.unfold(1, 3, 2)), f32(2, 7)),
    Case("unfold-full", lambda lib, x: x.unfold(-1, 4, 1), f32(3, 4)),
    Case("unfold-0d", lambda lib, x: x.unfold(0, 1, 1), np.asarray(1.0, np.float32)),
    Case("unfold-too-big-error", lambda lib, x: x.unfold(0, 6, 1), f32(5)),
    Case("unfold-bad-step-error", lambda lib, x: x.unfold(0, 2, 0), f32(5)),
    # view dtype
    Case("view-dtype", lambda lib, x: x.view(lib.int32), f32(3)),
    Case("view-dtype-bad-error", lambda lib, x: x.view(lib.int64).shape, f32(3)),
]


def _triu_view(x):
    x[1:].triu_()
    return x


# ---------------------------------------------------------------- views alias their base


def aliasing(view_fn, mutate="add"):
    """Mutate a view, then the base, returning both each time plus versions and layout."""

    def fn(lib, a):
        x = a.clone() if a.is_floating_point() else a
        v = view_fn(x)
        m0 = meta(v)
        if mutate == "add":
            v.add_(1)
        elif mutate == "setitem":
            v[...] = 3
        elif mutate == "zero":
            v.mul_(0)
        elif mutate == "index":
            v[0] = 7
        snap = (x.clone(), v.clone(), x._version, v._version)
        if x.dtype == lib.bool:
            x.logical_not_()
        else:
            x.mul_(2)
        return m0, snap, x, v, x._version, v._version

    return fn


VIEWS = {
    "select": lambda x: x[1],
    "select-col": lambda x: x[:, 2],
    "slice": lambda x: x[1:],
    "slice-step": lambda x: x[:, ::2],
    "slice-neg": lambda x: x[-2:, -3:-1],
    "newaxis": lambda x: x[None, :, None],
    "ellipsis": lambda x: x[..., 1],
    "view": lambda x: x.view(4, 3),
    "reshape": lambda x: x.reshape(2, 6),
    "flatten": lambda x: x.flatten(),
    "permute": lambda x: x.permute(1, 0),
    "transpose": lambda x: x.transpose(0, 1),
    "t": lambda x: x.t(),
    "T": lambda x: x.T,
    "unsqueeze": lambda x: x.unsqueeze(1),
    "squeeze": lambda x: x[:1].squeeze(0),
    "narrow": lambda x: x.narrow(1, 1, 2),
    "select-fn": lambda x: x.select(1, 0),
    "unbind": lambda x: x.unbind(1)[2],
    "split": lambda x: x.split(2, 1)[1],
    "chunk": lambda x: x.chunk(2)[0],
    "tensor_split": lambda x: x.tensor_split(2, 1)[1],
    "diagonal": lambda x: x.diagonal(),
    "diagonal-offset": lambda x: x.diagonal(1),
    "unfold": lambda x: x.unfold(1, 2, 2),
    "movedim": lambda x: x.movedim(0, 1),
    "chain": lambda x: x.t()[1:][:, 1],
    "view-of-transposed": lambda x: x.t().reshape(2, 2, 3)[1],
    "expand-then-select": lambda x: x[:1].expand(3, 4)[0],
    "detach": lambda x: x.detach(),
}

# torch forbids in-place writes to the outputs of unbind / split / chunk when autograd records them
MULTI_OUTPUT = {"unbind", "split", "chunk"}

ALIAS = []
for name, vf in VIEWS.items():
    ALIAS.append(Case(f"alias-{name}-add", aliasing(vf), f32(3, 4), grad=name not in MULTI_OUTPUT))
    ALIAS.append(Case(f"alias-{name}-setitem-int", aliasing(vf, "setitem"), i64(3, 4)))
for name in ("select", "slice-step", "t", "diagonal", "chain", "unbind"):
    rg = name not in MULTI_OUTPUT
    ALIAS.append(Case(f"alias-{name}-zero", aliasing(VIEWS[name], "zero"), f64(3, 4), grad=rg))
    ALIAS.append(Case(f"alias-{name}-index", aliasing(VIEWS[name], "index"), f32(3, 4), grad=rg))
    ALIAS.append(Case(f"alias-{name}-bool", aliasing(VIEWS[name], "setitem"), b(3, 4)))
ALIAS += [
    Case("alias-nested-setitem", lambda lib, a: _nested(a.clone()), f32(3, 4)),
    Case("alias-base-to-view", lambda lib, a: _base_to_view(a.clone()), f32(3, 4)),
    Case("alias-view-of-leaf-error", lambda lib, a: a[0].add_(1), f32(3, 4)),
    Case("alias-view-no-grad", lambda lib, a: _no_grad_write(lib, a), f32(3, 4)),
    Case("alias-reshape-copy-does-not-alias", lambda lib, a: _reshape_copy(a.clone()), f32(3, 4)),
    Case("alias-cat-copies", lambda lib, a: _cat_copy(lib, a.clone()), f32(3, 4)),
    Case("alias-split-all", lambda lib, a: _split_all(a.clone()), f32(4, 3), grad=False),
]


def _nested(x):
    x[0][1:] = 5
    x[1][::2].mul_(-1)
    x.t()[0] += 10
    return x, x._version


def _base_to_view(x):
    v = x[1:, ::2]
    w = v.t()
    x.add_(1)
    x[2, 2] = -3
    return v, w, v._version, meta(v), meta(w)


def _no_grad_write(lib, a):
    with lib.no_grad():
        a[0] = 1.0
        a[1:].mul_(2)
    return a * 1, a._version


def _reshape_copy(x):
    y = x.t().reshape(-1)
    y.add_(1)
    return x, y, x._version, y._version


def _cat_copy(lib, x):
    y = lib.cat([x, x])
    y[0] = 0
    return x, y


def _split_all(x):
    for i, p in enumerate(x.split(1)):
        p.mul_(i)
    return x, x._version


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_shape(case, compat):
    compat(case)


@pytest.mark.parametrize("case", ALIAS, ids=repr)
def test_alias(case, compat):
    compat(case)


TRACE_ONLY_EAGER = [
    Case(
        "repeat_interleave-tensor",
        lambda lib, x, r: x.repeat_interleave(r, dim=0),
        f32(3, 2),
        np.array([1, 0, 2]),
        traced=False,
    ),
    Case(
        "repeat_interleave-tensor-flat",
        lambda lib, x, r: lib.repeat_interleave(x, r),
        f32(2, 2),
        np.array([1, 2, 0, 3]),
        traced=False,
    ),
    Case("repeat_interleave-repeats-only", lambda lib, r: lib.repeat_interleave(r), np.array([2, 0, 3]), traced=False),
]


@pytest.mark.parametrize("case", TRACE_ONLY_EAGER, ids=repr)
def test_data_dependent_eager(case, compat):
    compat(case)


def test_repeat_interleave_traced_raises():
    def f(x, r):
        return torchlike.Tensor._make(x).repeat_interleave(torchlike.Tensor._make(r), dim=0)._value

    with pytest.raises(RuntimeError, match="data-dependent|traced"):
        jax.jit(f)(np.ones((3, 2), np.float32), np.array([1, 0, 2]))


def test_repeat_interleave_traced_with_output_size():
    def f(x, r):
        t = torchlike.Tensor._make(x)
        return t.repeat_interleave(torchlike.Tensor._make(r), dim=0, output_size=3)._value

    out = jax.jit(f)(np.arange(6, dtype=np.float32).reshape(3, 2), np.array([1, 0, 2]))
    np.testing.assert_array_equal(np.asarray(out), [[0, 1], [4, 5], [4, 5]])


def _names(lib, x):
    ops = [
        lambda t: t.view(-1),
        lambda t: t.t().reshape(-1),
        lambda t: t.reshape(4, 3),
        lambda t: t.permute(1, 0),
        lambda t: t.transpose(0, 1),
        lambda t: t.t(),
        lambda t: t.unsqueeze(0),
        lambda t: t.squeeze(),
        lambda t: t.expand(2, 3, 4),
        lambda t: t.narrow(0, 1, 1),
        lambda t: t.select(0, 1),
        lambda t: t.unbind()[0],
        lambda t: t.split(2)[0],
        lambda t: t.split([1, 2])[0],
        lambda t: t.chunk(2)[0],
        lambda t: t.diagonal(),
        lambda t: t.unfold(0, 2, 1),
        lambda t: t.movedim(0, 1),
        lambda t: t.flatten(),
        lambda t: t[0],
        lambda t: t[1:],
        lambda t: t[None],
        lambda t: t[...],
        lambda t: t[:, 0],
        lambda t: lib.cat([t, t]),
        lambda t: lib.stack([t, t]),
        lambda t: t.repeat(2, 1),
        lambda t: t.flip(0),
        lambda t: t.roll(1, 0),
        lambda t: t.tril(),
        lambda t: t.triu(),
        lambda t: t.diag(),
        lambda t: t.rot90(),
        lambda t: t.repeat_interleave(2),
    ]
    return [op(x).grad_fn.name() for op in ops]


NAMES = [Case("grad_fn-names", _names, f32(3, 4), grad=False)]


@pytest.mark.parametrize("case", NAMES, ids=repr)
def test_grad_fn_names(case, compat):
    # names are only recorded when the input requires grad
    compat(Case(case.name, lambda lib, x: _names(lib, x.requires_grad_()), *case.inputs, grad=False))


def _layout_views(lib):
    x, y, z = lib.zeros(3, 4), lib.zeros(2, 3, 4), lib.zeros(0, 4)
    return [
        x[:, 1:2], x.narrow(1, 2, 1), x[1:2], x.unsqueeze(1), x[:, None], x.t()[:, :1], x.expand(1, 3, 4),
        x.split(1, 1)[0], x[:, :0], z[:, 1:], x[None].expand(2, 3, 4), x[1:, ::2], x.t(), x.t().unsqueeze(1),
        x.t()[None], y.permute(2, 0, 1)[1:], x.diagonal(1), x.diagonal(-1), x.diagonal(5), y.diagonal(0, -1, 0),
        x.unfold(1, 2, 1), x.t().unfold(0, 2, 2), x[1:, 1:].reshape(2, 3), x.t().reshape(2, 2, 3),
        x[:, 1:3].view(3, 2, 1), x.expand(2, 3, 4)[1], x[5:9], x[2:1], y[1, :, ::3], x[..., None, 1:],
        lib.zeros(4)[None].expand(3, 4).t(), x[:, :1].squeeze(), lib.zeros(5).unfold(0, 2, 1)[1:],
        x.movedim(0, 1)[:, None], lib.zeros(3, 1)[:, 0], lib.zeros(1, 3).expand(2, 3), lib.zeros(()).view(1, 1),
        lib.zeros(1, 1).view(()), x.view(-1)[None],
    ]  # fmt: skip


@requires_torch
def test_view_meta_matches_torch_layout():
    """shape.view_meta: torch's sizes, strides and storage offset, including size-0 and size-1 dims."""
    import torch

    from torchlike._ops.shape import view_meta

    for i, (a, b) in enumerate(zip(_layout_views(torch), _layout_views(torchlike))):
        assert view_meta(b) == (tuple(a.shape), a.stride(), a.storage_offset()), f"view {i}"
