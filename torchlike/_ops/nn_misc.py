"""Embeddings, one_hot and distances for nn.functional (mirrors torch.nn.functional).

``embedding`` gathers rows; torch's gradient options (a zero gradient for
``padding_idx``, ``scale_grad_by_freq``) are applied by scaling only the
gradient: ``stop_gradient(out) + (out - stop_gradient(out)) * f`` has the
value ``out`` exactly and the gradient ``f``. ``max_norm`` renormalizes the
referenced rows of the weight in place, as torch's ``embedding_renorm_``.
Bags of ``embedding_bag`` are segment reductions over static bag counts, so
offsets may be traced. Norms reuse linalg's ``_pnorm`` (torch's gradients at 0).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._dispatch import dispatch, jitted
from .._tensor import Tensor, _is_tracer
from ..autograd.grad_mode import no_grad
from ._linalg_norms import _pnorm
from ._pointwise_base import _cap
from ._util import check_tensor, to_out, wrap_dim

# ---------------------------------------------------------------- one_hot


def _one_hot(x, *, n):
    return (x[..., None] == jnp.arange(n)).astype(jnp.int64)


def one_hot(tensor, num_classes: int = -1):
    """Mirrors torch.nn.functional.one_hot (num_classes=-1 reads the data, so works eagerly only)."""
    check_tensor(tensor, "one_hot", "tensor")
    if tensor.dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    v = tensor._value
    if num_classes == -1:
        if tensor.numel() == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        if _is_tracer(v):
            raise RuntimeError(
                "one_hot with num_classes=-1 reads the data to find the number of classes, which cannot be done "
                "while tracing (compile, func); pass num_classes"
            )
        num_classes = int(jnp.max(v)) + 1
    if tensor.numel() and not _is_tracer(v):
        if bool(jnp.any(v < 0)):
            raise RuntimeError("Class values must be non-negative.")
        if bool(jnp.any(v >= num_classes)):
            raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._make(jitted(_one_hot, (("n", int(num_classes)),))(v))


# ---------------------------------------------------------------- embedding


def _grad_scaled(out, f):
    """``out`` with its gradient multiplied by ``f``."""
    s = lax.stop_gradient(out)
    return s + (out - s) * f


def _grad_factor(idx, *, rows, dtype, padding_idx, scale):
    f = jnp.ones(idx.shape, dtype)
    if scale:
        counts = jnp.zeros(rows, dtype).at[idx].add(1)
        f = 1 / counts[idx]
    if padding_idx is not None:
        f = jnp.where(idx == padding_idx, 0, f)
    return f


def _embedding(w, idx, *, padding_idx, scale):
    out = jnp.take(w, idx, axis=0)
    if padding_idx is None and not scale:
        return out
    f = _grad_factor(idx, rows=w.shape[0], dtype=w.dtype, padding_idx=padding_idx, scale=scale)
    return _grad_scaled(out, f[..., None])


def _renorm(w, idx, max_norm, *, p):
    norms = _pnorm(w, p, 1, True)
    used = jnp.zeros(w.shape[0], bool).at[idx.ravel()].set(True)[:, None]
    scale = jnp.asarray(max_norm).astype(w.dtype) / (norms + 1e-7)
    return jnp.where(used & (norms > max_norm), w * scale, w)


def _check_indices(input, weight, fname: str) -> None:
    if input.dtype not in (D.int64, D.int32):
        raise RuntimeError(
            f"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got "
            f"torch.{input.dtype.name.capitalize()}Tensor instead (while checking arguments for {fname})"
        )
    v = input._value
    if input.numel() and not _is_tracer(v) and bool(jitted(_out_of_range, (("n", weight.shape[0]),))(v)):
        raise IndexError("index out of range in self")


def _out_of_range(v, *, n):
    return jnp.any((v < 0) | (v >= n))


def _padding(padding_idx, rows: int, msg: str):
    if padding_idx is None:
        return None
    if not -rows <= padding_idx < rows:
        raise AssertionError(msg)
    return padding_idx % rows


def _embedding_renorm_(weight, input, max_norm, norm_type) -> None:
    """torch.embedding_renorm_: scale the rows ``input`` refers to down to ``max_norm``, in place, without grad."""
    with no_grad():
        new = jitted(_renorm, (("p", float(norm_type)),))(weight._value, input._value, max_norm)
        weight.detach()._write(new)


def embedding(
    input,
    weight,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
):
    """Mirrors torch.nn.functional.embedding (dense gradients only)."""
    check_tensor(input, "embedding")
    if sparse:
        raise NotImplementedError("torchlike has no sparse tensors: embedding(sparse=True) is not supported")
    padding_idx = _padding(padding_idx, weight.shape[0], "Padding_idx must be within num_embeddings")
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    _check_indices(input, weight, "embedding")
    if max_norm is not None:
        _embedding_renorm_(weight, input, max_norm, norm_type)
    static = (("padding_idx", padding_idx), ("scale", bool(scale_grad_by_freq)))
    return dispatch(_embedding, (weight, input), static, "EmbeddingBackward0")


# ---------------------------------------------------------------- embedding_bag


def _embedding_bag(w, idx, offsets, psw, *, mode, nbags, padding_idx, scale):
    seg = jnp.searchsorted(offsets, jnp.arange(idx.shape[0]), side="right") - 1  # each index's bag
    rows = jnp.take(w, idx, axis=0)
    if scale:
        f = _grad_factor(idx, rows=w.shape[0], dtype=w.dtype, padding_idx=None, scale=True)
        rows = _grad_scaled(rows, f[:, None])
    valid = jnp.ones(idx.shape, bool) if padding_idx is None else idx != padding_idx
    seg = jnp.where(valid, seg, nbags)  # padding entries join no bag (out-of-range segments are dropped)
    count = jax.ops.segment_sum(valid.astype(w.dtype), seg, nbags)[:, None]
    if mode == "max":
        m = jax.ops.segment_max(rows, seg, nbags)
        return jnp.where(count > 0, m, jnp.zeros((), w.dtype))
    if psw is not None:
        rows = rows * psw.astype(w.dtype)[:, None]
    s = jax.ops.segment_sum(rows, seg, nbags)
    return s / jnp.maximum(count, 1) if mode == "mean" else s


def _bag_args(input, offsets, per_sample_weights, include_last_offset):
    """torch's reading of a 2-D input (one bag per row) or a 1-D input with offsets."""
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length "
                f"sequences. However, found offsets of type {type(offsets)}"
            )
        n, k = input.shape
        offsets = Tensor._make(jnp.arange(0, n * k, max(k, 1), dtype=input.dtype.np)[:n])
        psw = None if per_sample_weights is None else per_sample_weights.reshape(-1)
        return input.reshape(-1), offsets, psw, n
    if input.ndim != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    if offsets.ndim != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    o = offsets._value
    if offsets.numel() and not _is_tracer(o) and int(o[0]) != 0:
        raise RuntimeError(
            "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. "
            f"However, got {int(o[0])}"
        )
    nbags = offsets.shape[0] - 1 if include_last_offset else offsets.shape[0]
    return input, offsets, per_sample_weights, max(nbags, 0)


def embedding_bag(
    input,
    weight,
    offsets=None,
    max_norm: float | None = None,
    norm_type: float = 2,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    per_sample_weights=None,
    include_last_offset: bool = False,
    padding_idx: int | None = None,
):
    """Mirrors torch.nn.functional.embedding_bag (modes sum, mean, max; dense gradients only)."""
    check_tensor(input, "embedding_bag")
    if per_sample_weights is not None and input.shape != per_sample_weights.shape:
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it must have the "
            f"same shape as the input ({input.shape})"
        )
    if weight.ndim != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.ndim}")
    idx, offsets, psw, nbags = _bag_args(input, offsets, per_sample_weights, include_last_offset)
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if sparse:
        raise NotImplementedError("torchlike has no sparse tensors: embedding_bag(sparse=True) is not supported")
    _check_indices(idx, weight, "embedding_bag")
    if max_norm is not None:
        _embedding_renorm_(weight, idx, max_norm, norm_type)
    if psw is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' "
            f"(got mode='{mode}'). Please open a feature request on GitHub."
        )
    padding_idx = _padding(padding_idx, weight.shape[0], "padding_idx must be within the number of embeddings")
    static = (("mode", mode), ("nbags", nbags), ("padding_idx", padding_idx), ("scale", bool(scale_grad_by_freq)))
    name = "EmbeddingBagBackward0"
    return dispatch(_embedding_bag, (weight, idx, offsets._value.astype(idx.dtype.np), psw), static, name)


# ---------------------------------------------------------------- normalize and distances


def _float_common(*ts):
    dt = D.result_type(*ts)
    return dt if dt.category >= D._CATEGORY_FLOAT else D.get_default_dtype()


def _normalize(x, eps, *, p, axis):
    n = _pnorm(x, p, axis, True)
    eps = jnp.asarray(eps).astype(n.dtype)
    return x / jnp.where(n >= eps, n, eps)  # clamp_min passes the gradient where n >= eps


def normalize(input, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None):
    """Mirrors torch.nn.functional.normalize."""
    check_tensor(input, "normalize")
    if input.dtype.category < D._CATEGORY_FLOAT:
        raise RuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {_cap(input.dtype)}"
        )
    axis = wrap_dim(dim, max(input.ndim, 1))
    x = input if input.ndim else input.reshape(1)
    r = dispatch(_normalize, (x, eps), (("p", float(p)), ("axis", axis)), "DivBackward0")
    return to_out(r.reshape(()) if not input.ndim else r, out)


def _cosine_similarity(a, b, eps, *, axis, dtype):
    a, b = jnp.broadcast_arrays(a.astype(dtype), b.astype(dtype))
    eps = jnp.asarray(eps).astype(dtype)
    na, nb = _pnorm(a, 2, axis, True), _pnorm(b, 2, axis, True)
    # torch clamps the norms under no_grad: the gradient flows as if unclamped
    na = na + lax.stop_gradient(jnp.maximum(na, eps) - na)
    nb = nb + lax.stop_gradient(jnp.maximum(nb, eps) - nb)
    return jnp.sum((a / na) * (b / nb), axis)


def cosine_similarity(x1, x2, dim: int = 1, eps: float = 1e-8):
    """Mirrors torch.nn.functional.cosine_similarity."""
    check_tensor(x1, "cosine_similarity", "x1")
    check_tensor(x2, "cosine_similarity", "x2")
    shape = _broadcast(x1, x2)
    dt = D.result_type(x1, x2)
    if dt.category < D._CATEGORY_FLOAT:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is {_cap(dt)}")
    axis = wrap_dim(dim, max(len(shape), 1))
    static = (("axis", axis), ("dtype", dt.np))
    return dispatch(_cosine_similarity, (x1, x2, eps), static, "SumBackward1")


def _broadcast(a, b) -> tuple:
    try:
        return tuple(np.broadcast_shapes(tuple(a.shape), tuple(b.shape)))
    except ValueError:
        raise RuntimeError(
            f"The size of tensor a ({a.shape[-1]}) must match the size of tensor b ({b.shape[-1]}) at "
            "non-singleton dimension 1"
        ) from None


def _pairwise_distance(a, b, eps, *, p, axis, keepdims, dtype):
    d = a.astype(dtype) - b.astype(dtype) + jnp.asarray(eps).astype(dtype)
    return _pnorm(d, p, axis, keepdims)


def pairwise_distance(x1, x2, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False):
    """Mirrors torch.nn.functional.pairwise_distance (the norm over the last dim of x1 - x2 + eps)."""
    check_tensor(x1, "pairwise_distance", "x1")
    check_tensor(x2, "pairwise_distance", "x2")
    shape = _broadcast(x1, x2)
    dt = _float_common(x1, x2)
    axis = max(len(shape), 1) - 1 if shape else ()
    static = (("p", float(p)), ("axis", axis), ("keepdims", bool(keepdim)), ("dtype", dt.np))
    return dispatch(_pairwise_distance, (x1, x2, eps), static, "NormBackward1")


def _pdist(x, *, p, rows, cols):
    return _pnorm(x[np.asarray(rows)] - x[np.asarray(cols)], p, 1, False)


def pdist(input, p: float = 2):
    """Mirrors torch.nn.functional.pdist: distances between all pairs of rows, upper triangle, row-major."""
    check_tensor(input, "pdist")
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if input.dtype.category < D._CATEGORY_FLOAT:
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    rows, cols = np.triu_indices(input.shape[0], 1)
    static = (("p", float(p)), ("rows", tuple(rows.tolist())), ("cols", tuple(cols.tolist())))
    return dispatch(_pdist, (input,), static, "PdistBackward0")


__all__ = [
    "cosine_similarity",
    "embedding",
    "embedding_bag",
    "normalize",
    "one_hot",
    "pairwise_distance",
    "pdist",
]
