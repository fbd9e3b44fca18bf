"""torch.* top-level forms of nn.functional ops (torch.dropout, torch.batch_norm, torch.kl_div, torch.lstm_cell, ...).

These are the ATen signatures torch exposes at top level: required
arguments where F has defaults, an int reduction enum (0 none, 1 mean,
2 sum), int grid-sampler modes, swapped argument orders (``embedding``), no
``inplace`` flags. Each is a thin translation onto the one implementation in
``_ops/nn_*.py``; ops whose signature is the same as F's are re-exported as
they are.
"""

from __future__ import annotations

import warnings

from .. import _dtype as D
from .. import random as _random
from .._dispatch import dispatch
from .._tensor import Tensor
from . import _nn_dropout as _drop
from . import nn_activation as _act
from . import nn_conv as _conv
from . import nn_loss as _loss
from . import nn_misc as _misc
from . import nn_norm as _norm
from . import nn_pool as _pool
from . import nn_rnn as _rnn
from ._linalg_norms import vector_norm as _vector_norm
from ._nn_pad import channel_shuffle, native_channel_shuffle, pixel_shuffle, pixel_unshuffle
from ._nn_pad import pad as _pad
from ._nn_resample import affine_grid as _affine_grid
from ._nn_resample import grid_sample as _grid_sample
from .creation import ones_like, zeros
from .nn_activation import hardshrink, prelu, relu_, selu_
from .nn_conv import (
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
)
from .nn_linear import bilinear
from .nn_misc import cosine_similarity, pairwise_distance, pdist
from .nn_norm import rms_norm
from .nn_pool import adaptive_avg_pool1d, avg_pool1d

_REDUCTIONS = {1: "mean", 2: "sum"}  # ATen's apply_loss_reduction leaves any other value unreduced
# torch's Python binding reads the schema default ``at::Reduction::Mean`` as 0: omitted, the loss is unreduced
_DEFAULT = 0
_INTERPOLATION = ("bilinear", "nearest", "bicubic")
_PADDING = ("zeros", "border", "reflection")


def _reduction(reduction, fname: str) -> str:
    if not isinstance(reduction, int) or isinstance(reduction, bool):
        raise TypeError(f"{fname}(): argument 'reduction' must be int, not {type(reduction).__name__}")
    return _REDUCTIONS.get(reduction, "none")


# ---------------------------------------------------------------- convolution


def convolution(input, weight, bias, stride, padding, dilation, transposed: bool, output_padding, groups: int):
    """Mirrors torch.convolution: the N-d (transposed) convolution, N from the weight's dims."""
    nd = weight.ndim - 2
    if transposed:
        return _conv.conv_transpose_nd(
            input, weight, bias, stride, padding, output_padding, groups, dilation, nd, "convolution"
        )
    return _conv.conv_nd(input, weight, bias, stride, padding, dilation, groups, nd, "convolution")


def conv_tbc(input, weight, bias, pad: int = 0):
    """Mirrors torch.conv_tbc: a 1-d convolution of a (time, batch, channel) input with a (K, in, out) weight."""
    out = conv1d(input.permute(1, 2, 0), weight.permute(2, 1, 0), bias, padding=pad)
    return out.permute(2, 0, 1)


# ---------------------------------------------------------------- dropout


def _dropout(input, p, train, inplace, feature, alpha, name):
    if p < 0.0 or p > 1.0:  # ATen checks p even when not training, with a RuntimeError (F: ValueError)
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    return _drop._apply(input, p, train, inplace, feature=feature, alpha=alpha, name=name)


def _dropout_variant(name: str, feature: bool, alpha: bool):
    """torch.<name> and torch.<name>_: (input, p, train), every argument required."""

    def op(input, p: float, train: bool):
        return _dropout(input, p, train, False, feature, alpha, name)

    def op_(input, p: float, train: bool):
        return _dropout(input, p, train, True, feature, alpha, name)

    for fn, fname in ((op, name), (op_, name + "_")):
        fn.__name__ = fn.__qualname__ = fname
        fn.__doc__ = f"Mirrors torch.{fname}."
    return op, op_


dropout, dropout_ = _dropout_variant("dropout", False, False)
alpha_dropout, alpha_dropout_ = _dropout_variant("alpha_dropout", False, True)
feature_dropout, feature_dropout_ = _dropout_variant("feature_dropout", True, False)  # whole channels (dim 1)
feature_alpha_dropout, feature_alpha_dropout_ = _dropout_variant("feature_alpha_dropout", True, True)


def native_dropout(input, p: float, train):
    """Mirrors torch.native_dropout: (output, keep mask); ``train`` None means training."""
    if train is not None and not train:
        return input.clone(), ones_like(input, dtype=D.bool)
    if p < 0.0 or p > 1.0:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={1 - p}")
    u = _drop.uniform_noise(tuple(input.shape), input.dtype.np)
    mask = Tensor._make(u < 1 - p)
    if p == 1:  # torch scales by 0, not by 1 / 0
        return dispatch(_drop._times_zero, (input,), (), "NativeDropoutBackward0"), mask
    return dispatch(_drop._dropout, (u, input, p), (("alpha", False),), "NativeDropoutBackward0"), mask


# ---------------------------------------------------------------- normalization


def batch_norm(input, weight, bias, running_mean, running_var, training: bool, momentum: float, eps: float,
               cudnn_enabled: bool):  # fmt: skip
    """Mirrors torch.batch_norm (ATen's argument order)."""
    return _norm.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats: bool, momentum: float,
                  eps: float, cudnn_enabled: bool):  # fmt: skip
    """Mirrors torch.instance_norm (ATen's argument order)."""
    return _norm.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps: float = 1e-5, cudnn_enable: bool = True):
    """Mirrors torch.layer_norm."""
    return _norm.layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(input, num_groups: int, weight=None, bias=None, eps: float = 1e-5, cudnn_enabled: bool = True):
    """Mirrors torch.group_norm."""
    return _norm.group_norm(input, num_groups, weight, bias, eps)


def _rstd(x, dims, eps):
    return (x.var(dims, unbiased=False, keepdim=True) + eps).rsqrt()


def native_layer_norm(input, normalized_shape, weight, bias, eps: float):
    """Mirrors torch.native_layer_norm: (output, mean, rstd), the statistics shaped to broadcast and not differentiable."""
    out = _norm.layer_norm(input, normalized_shape, weight, bias, eps)
    x = input.detach()
    dims = tuple(range(input.ndim - len(normalized_shape), input.ndim))
    return out, x.mean(dims, keepdim=True), _rstd(x, dims, eps)


def native_batch_norm(input, weight, bias, running_mean, running_var, training: bool, momentum: float, eps: float):
    """Mirrors torch.native_batch_norm: (output, save_mean, save_invstd); empty statistics when not training."""
    out = _norm.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)
    if not training:
        return out, zeros(0, dtype=input.dtype), zeros(0, dtype=input.dtype)
    x = input.detach()
    dims = (0, *range(2, input.ndim))
    return out, x.mean(dims), _rstd(x, dims, eps).reshape(-1)


def native_group_norm(input, weight, bias, N: int, C: int, HxW: int, group: int, eps: float):
    """Mirrors torch.native_group_norm: (output, mean, rstd), statistics of shape (N, group)."""
    out = _norm.group_norm(input, group, weight, bias, eps)
    x = input.reshape(N, group, -1)
    return out, x.mean(-1), _rstd(x, -1, eps).squeeze(-1)


def norm_except_dim(v, pow: int = 2, dim: int = 0):
    """Mirrors torch.norm_except_dim: the p-norm over every dim but ``dim`` (all of them for dim -1), kept as 1s."""
    if dim == -1:
        return _vector_norm(v, pow)
    return _vector_norm(v, pow, tuple(d for d in range(v.ndim) if d != dim), keepdim=True)


# ---------------------------------------------------------------- embedding


def embedding(weight, indices, padding_idx: int = -1, scale_grad_by_freq: bool = False, sparse: bool = False):
    """Mirrors torch.embedding (weight first; a negative padding_idx means none)."""
    padding = padding_idx if 0 <= padding_idx < weight.shape[0] else None
    return _misc.embedding(indices, weight, padding, None, 2.0, scale_grad_by_freq, sparse)


def embedding_renorm_(input, indices, max_norm: float, norm_type: float):
    """Mirrors torch.embedding_renorm_: rows of ``input`` named by ``indices`` scaled down to ``max_norm``."""
    _misc._embedding_renorm_(input, indices, max_norm, norm_type)
    return input


# ---------------------------------------------------------------- pooling


def max_pool1d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode: bool = False):
    """Mirrors torch.max_pool1d (an empty stride means the kernel size)."""
    return _pool.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool2d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode: bool = False):
    """Mirrors torch.max_pool2d (an empty stride means the kernel size)."""
    return _pool.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool3d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode: bool = False):
    """Mirrors torch.max_pool3d (an empty stride means the kernel size)."""
    return _pool.max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool1d_with_indices(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode: bool = False):
    """Mirrors torch.max_pool1d_with_indices: (values, indices)."""
    return _pool.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def adaptive_max_pool1d(input, output_size):
    """Mirrors torch.adaptive_max_pool1d: always (values, indices)."""
    return _pool.adaptive_max_pool1d(input, output_size, True)


# ---------------------------------------------------------------- activations


def celu(input, alpha: float = 1.0):
    """Mirrors torch.celu."""
    return _act.celu(input, alpha)


def celu_(input, alpha: float = 1.0):
    """Mirrors torch.celu_."""
    return _act.celu(input, alpha, inplace=True)


def selu(input):
    """Mirrors torch.selu."""
    return _act.selu(input)


def _no_generator(generator, fname: str) -> None:
    if generator is not None:
        raise NotImplementedError(f"{fname}: torchlike draws from the global generator; generator= is not supported")


def rrelu(input, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False, generator=None):
    """Mirrors torch.rrelu (generator must be None: noise comes from the global generator)."""
    _no_generator(generator, "rrelu")
    return _act.rrelu(input, lower, upper, training)


def rrelu_(input, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False, generator=None):
    """Mirrors torch.rrelu_ (generator must be None: noise comes from the global generator)."""
    _no_generator(generator, "rrelu_")
    return _act.rrelu(input, lower, upper, training, inplace=True)


def threshold(input, threshold: float, value: float):
    """Mirrors torch.threshold."""
    return _act.threshold(input, threshold, value)


def threshold_(input, threshold: float, value: float):
    """Mirrors torch.threshold_."""
    return _act.threshold(input, threshold, value, inplace=True)


# ---------------------------------------------------------------- losses (int reduction)


def kl_div(input, target, reduction: int = _DEFAULT, *, log_target: bool = False):
    """Mirrors torch.kl_div (reduction 1 is the plain mean, without F's 'batchmean' warning; omitted, none)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "reduction: 'mean' divides", UserWarning)
        return _loss.kl_div(input, target, reduction=_reduction(reduction, "kl_div"), log_target=log_target)


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction: int = _DEFAULT):
    """Mirrors torch.binary_cross_entropy_with_logits."""
    red = _reduction(reduction, "binary_cross_entropy_with_logits")
    return _loss.binary_cross_entropy_with_logits(input, target, weight, reduction=red, pos_weight=pos_weight)


def margin_ranking_loss(input1, input2, target, margin: float = 0.0, reduction: int = _DEFAULT):
    """Mirrors torch.margin_ranking_loss."""
    red = _reduction(reduction, "margin_ranking_loss")
    return _loss.margin_ranking_loss(input1, input2, target, margin, reduction=red)


def hinge_embedding_loss(input, target, margin: float = 1.0, reduction: int = _DEFAULT):
    """Mirrors torch.hinge_embedding_loss."""
    red = _reduction(reduction, "hinge_embedding_loss")
    return _loss.hinge_embedding_loss(input, target, margin, reduction=red)


def cosine_embedding_loss(input1, input2, target, margin: float = 0.0, reduction: int = _DEFAULT):
    """Mirrors torch.cosine_embedding_loss."""
    red = _reduction(reduction, "cosine_embedding_loss")
    return _loss.cosine_embedding_loss(input1, input2, target, margin, reduction=red)


def triplet_margin_loss(anchor, positive, negative, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6,
                        swap: bool = False, reduction: int = _DEFAULT):  # fmt: skip
    """Mirrors torch.triplet_margin_loss."""
    red = _reduction(reduction, "triplet_margin_loss")
    return _loss.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, reduction=red)


def poisson_nll_loss(input, target, log_input: bool, full: bool, eps: float, reduction: int):
    """Mirrors torch.poisson_nll_loss (every argument required)."""
    red = _reduction(reduction, "poisson_nll_loss")
    return _loss.poisson_nll_loss(input, target, log_input, full, eps=eps, reduction=red)


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank: int = 0, reduction: int = _DEFAULT,
             zero_infinity: bool = False):  # fmt: skip
    """Mirrors torch.ctc_loss."""
    red = _reduction(reduction, "ctc_loss")
    return _loss.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, red, zero_infinity)


# ---------------------------------------------------------------- padding and sampling


def constant_pad_nd(input, pad, value=0):
    """Mirrors torch.constant_pad_nd."""
    if len(pad) % 2:
        raise RuntimeError(f"Length of pad must be even but instead it equals {len(pad)}")
    return _pad(input, pad, "constant", value)


def affine_grid_generator(theta, size, align_corners: bool):
    """Mirrors torch.affine_grid_generator (F.affine_grid with ATen's RuntimeErrors)."""
    size = [int(s) for s in size]
    if len(size) not in (4, 5):
        raise RuntimeError("AffineGridGenerator needs 4d (spatial) or 5d (volumetric) inputs.")
    want = (size[0], 2, 3) if len(size) == 4 else (size[0], 3, 4)
    if tuple(theta.shape) != want:
        raise RuntimeError(f"affine_grid_generator: expected theta of shape {list(want)} for size {size}, "
                           f"got {list(theta.shape)}")  # fmt: skip
    return _affine_grid(theta, size, align_corners)


def _grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners, ndim):
    if ndim is not None and (input.ndim != ndim or grid.ndim != ndim):
        raise RuntimeError(
            f"grid_sampler(): expected {ndim}D input and grid with same number of dimensions, but got input with "
            f"sizes {list(input.shape)} and grid with sizes {list(grid.shape)}"
        )
    if interpolation_mode not in range(3) or padding_mode not in range(3):
        raise RuntimeError(f"grid_sampler(): unknown interpolation_mode {interpolation_mode} or padding_mode "
                           f"{padding_mode} (expected 0, 1 or 2)")  # fmt: skip
    mode, padding = _INTERPOLATION[interpolation_mode], _PADDING[padding_mode]
    return _grid_sample(input, grid, mode, padding, bool(align_corners))


def grid_sampler(input, grid, interpolation_mode: int, padding_mode: int, align_corners: bool):
    """Mirrors torch.grid_sampler (modes: 0 bilinear, 1 nearest, 2 bicubic; padding: 0 zeros, 1 border,
    2 reflection)."""
    return _grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners, None)


def grid_sampler_2d(input, grid, interpolation_mode: int, padding_mode: int, align_corners: bool):
    """Mirrors torch.grid_sampler_2d (4-D input and grid)."""
    return _grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners, 4)


def grid_sampler_3d(input, grid, interpolation_mode: int, padding_mode: int, align_corners: bool):
    """Mirrors torch.grid_sampler_3d (5-D input and grid)."""
    return _grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners, 5)


# ---------------------------------------------------------------- recurrent


def _check_cell(input, states, w_ih, w_hh):
    """ATen's check_rnn_cell_forward_input / _hidden."""
    if input.shape[1] != w_ih.shape[1]:
        raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} expected {w_ih.shape[1]}")
    for i, h in enumerate(states):
        if input.shape[0] != h.shape[0]:
            raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{i} batch size {h.shape[0]}")
        if h.shape[1] != w_hh.shape[1]:
            raise RuntimeError(f"hidden{i} has inconsistent hidden_size: got {h.shape[1]}, expected {w_hh.shape[1]}")


def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """Mirrors torch.lstm_cell: hx is (h, c); returns (h', c')."""
    _check_cell(input, hx, w_ih, w_hh)
    return tuple(_rnn.rnn_cell(input, hx[0], hx[1], w_ih, w_hh, b_ih, b_hh, mode="LSTM"))


def _simple_cell(mode):
    def cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
        _check_cell(input, (hx,), w_ih, w_hh)
        return _rnn.rnn_cell(input, hx, None, w_ih, w_hh, b_ih, b_hh, mode=mode)

    name = mode.lower() + "_cell"
    cell.__name__ = cell.__qualname__ = name
    cell.__doc__ = f"Mirrors torch.{name}."
    return cell


gru_cell = _simple_cell("GRU")
rnn_tanh_cell = _simple_cell("RNN_TANH")
rnn_relu_cell = _simple_cell("RNN_RELU")


def _stack(mode, input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first):
    if not isinstance(params, (tuple, list)):
        raise TypeError(f"{mode.lower()}(): argument 'params' must be tuple of Tensors, not {type(params).__name__}")
    dirs = 2 if bidirectional else 1
    per = len(params) // (num_layers * dirs)
    proj = per == (5 if has_biases else 3)  # LSTM with projections: w_hr last in each group
    h0, c0 = (hx[0], hx[1]) if mode == "LSTM" else (hx, None)
    use_dropout = train and dropout > 0 and num_layers > 1
    key = _random.default_generator.next_key() if use_dropout else None
    return _rnn.rnn_stack(
        input, h0, c0, list(params), mode=mode, layers=num_layers, dirs=dirs, has_bias=has_biases, proj=proj,
        dropout_p=dropout, key=key, batch_first=batch_first,
    )  # fmt: skip


def lstm(input, hx, params, has_biases: bool, num_layers: int, dropout: float, train: bool, bidirectional: bool,
         batch_first: bool):  # fmt: skip
    """Mirrors torch.lstm (padded input only, not the packed (data, batch_sizes) overload): (output, h_n, c_n)."""
    return _stack("LSTM", input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first)


def _sequence(mode):
    def run(input, hx, params, has_biases: bool, num_layers: int, dropout: float, train: bool, bidirectional: bool,
            batch_first: bool):  # fmt: skip
        return _stack(mode, input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first)

    run.__name__ = run.__qualname__ = mode.lower()
    run.__doc__ = f"Mirrors torch.{mode.lower()} (padded input only, not the packed overload): (output, h_n)."
    return run


gru = _sequence("GRU")
rnn_tanh = _sequence("RNN_TANH")
rnn_relu = _sequence("RNN_RELU")


METHODS = ("hardshrink", "prelu")

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_max_pool1d",
    "affine_grid_generator",
    "alpha_dropout",
    "alpha_dropout_",
    "avg_pool1d",
    "batch_norm",
    "bilinear",
    "binary_cross_entropy_with_logits",
    "celu",
    "celu_",
    "channel_shuffle",
    "constant_pad_nd",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_tbc",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "convolution",
    "cosine_embedding_loss",
    "cosine_similarity",
    "ctc_loss",
    "dropout",
    "dropout_",
    "embedding",
    "embedding_renorm_",
    "feature_alpha_dropout",
    "feature_alpha_dropout_",
    "feature_dropout",
    "feature_dropout_",
    "grid_sampler",
    "grid_sampler_2d",
    "grid_sampler_3d",
    "group_norm",
    "gru",
    "gru_cell",
    "hardshrink",
    "hinge_embedding_loss",
    "instance_norm",
    "kl_div",
    "layer_norm",
    "lstm",
    "lstm_cell",
    "margin_ranking_loss",
    "max_pool1d",
    "max_pool1d_with_indices",
    "max_pool2d",
    "max_pool3d",
    "native_batch_norm",
    "native_channel_shuffle",
    "native_dropout",
    "native_group_norm",
    "native_layer_norm",
    "norm_except_dim",
    "pairwise_distance",
    "pdist",
    "pixel_shuffle",
    "pixel_unshuffle",
    "poisson_nll_loss",
    "prelu",
    "relu_",
    "rms_norm",
    "rnn_relu",
    "rnn_relu_cell",
    "rnn_tanh",
    "rnn_tanh_cell",
    "rrelu",
    "rrelu_",
    "selu",
    "selu_",
    "threshold",
    "threshold_",
    "triplet_margin_loss",
]
