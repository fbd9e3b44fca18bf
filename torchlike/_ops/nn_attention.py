"""Attention: F.scaled_dot_product_attention and F.multi_head_attention_forward.

Each is one dispatched jnp function (projections, masks, softmax, dropout and
the output projection together), so an attention layer is one jitted call
forward and one jitted VJP backward. Rows whose keys are all masked give zeros
in scaled_dot_product_attention (torch's safe softmax) and NaN in the
``need_weights=True`` path of multi-head attention, as in torch.
"""

from __future__ import annotations

import math
import warnings

import jax
import jax.numpy as jnp
from jax import lax

from .. import random as _random
from .._dispatch import dispatch
from .._tensor import Tensor
from ..autograd import grad_mode

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]

_HI = lax.Precision.HIGHEST


def _mm(a, b):
    return jnp.matmul(a, b, precision=_HI)


def _as_bias(mask, dtype):
    """A bool mask (True = attend) becomes 0 / -inf; a float mask is added as it is."""
    if mask.dtype == jnp.bool_:
        return jnp.where(mask, jnp.zeros((), dtype), -jnp.inf)
    return mask.astype(dtype)


def _causal(L, S):
    return jnp.tril(jnp.ones((L, S), jnp.bool_))


def _softmax(s, safe: bool):
    if not safe:
        return jax.nn.softmax(s, axis=-1)
    # torch's _safe_softmax: a row with every key masked attends to nothing (and passes no NaN gradient)
    dead = jnp.all(s == -jnp.inf, axis=-1, keepdims=True)
    w = jax.nn.softmax(jnp.where(dead, jnp.zeros((), s.dtype), s), axis=-1)
    return jnp.where(dead, jnp.zeros((), s.dtype), w)


def _dropout(w, key, p):
    """Inverted dropout; p = 1 gives zeros (and zero gradients, never 0 * inf)."""
    keep = jax.random.bernoulli(key, 1.0 - p, w.shape)
    return w * jnp.where(keep, 1.0 / (1.0 - p), 0.0).astype(w.dtype)


def _sdpa(q, k, v, mask, key, p, scale, *, causal, rep, dropout):
    if rep > 1:
        k, v = jnp.repeat(k, rep, axis=-3), jnp.repeat(v, rep, axis=-3)
    s = _mm(q, jnp.swapaxes(k, -1, -2)) * jnp.asarray(scale, q.dtype)
    if mask is not None:
        s = s + _as_bias(mask, q.dtype)
    if causal:
        s = jnp.where(_causal(s.shape[-2], s.shape[-1]), s, -jnp.inf)
    w = _softmax(s, safe=True)
    if dropout:
        w = _dropout(w, key, p)
    return _mm(w, v)


def _next_key():
    return _random.default_generator.next_key()


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    """Mirrors torch.nn.functional.scaled_dot_product_attention (given a mask and is_causal, both apply)."""
    if not query.dtype == key.dtype == value.dtype:
        raise RuntimeError(
            "Expected query, key, and value to have the same dtype, but got query.dtype: "
            f"{_cname(query)} key.dtype: {_cname(key)} and value.dtype: {_cname(value)} instead."
        )
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError("scaled_dot_product_attention: query, key and value must be at least 2-D")
    if query.shape[-1] != key.shape[-1]:
        raise RuntimeError(
            f"Expected query and key to have the same last dimension (embedding size), but got {query.shape[-1]} "
            f"and {key.shape[-1]}"
        )
    rep = 1
    if enable_gqa and query.dim() >= 3 and key.dim() >= 3:
        hq, hk, hv = query.shape[-3], key.shape[-3], value.shape[-3]
        if hq % hk or hq % hv or hk != hv:
            raise RuntimeError(
                f"Number of heads in key and value must divide the number of heads in query, got {hq}, {hk} and {hv}"
            )
        rep = hq // hk
    if attn_mask is not None and attn_mask.dtype.name != "bool" and attn_mask.dtype != query.dtype:
        raise RuntimeError(
            f"Expected attn_mask dtype to be bool or float or to match query dtype, but got attn_mask.dtype: "
            f"{_cname(attn_mask)} and  query.dtype: {_cname(query)} instead."
        )
    if is_causal and attn_mask is not None and _needs_grad(attn_mask):
        # torch's fused CPU kernel applies both; its math path, taken when the mask needs a gradient, refuses
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    dropout = dropout_p > 0.0
    rng = _next_key() if dropout else None
    static = (("causal", bool(is_causal)), ("rep", rep), ("dropout", dropout))
    name = "ScaledDotProductFlashAttentionForCpuBackward0"
    return dispatch(_sdpa, (query, key, value, attn_mask, rng, float(dropout_p), scale), static, name)


def _needs_grad(*tensors) -> bool:
    return grad_mode.is_grad_enabled() and any(t.requires_grad for t in tensors)


def _cname(t) -> str:
    return {"float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16"}.get(
        t.dtype.name, t.dtype.name
    )


def _linear(x, w, b):
    y = _mm(x, w.T)
    return y if b is None else y + b


def _project(query, key, value, in_w, in_b, q_w, k_w, v_w):
    E = query.shape[-1]
    bq = bk = bv = None
    if in_b is not None:
        bq, bk, bv = in_b[:E], in_b[E : 2 * E], in_b[2 * E :]
    if in_w is not None:
        q_w, k_w, v_w = in_w[:E], in_w[E : 2 * E], in_w[2 * E :]
    return _linear(query, q_w, bq), _linear(key, k_w, bk), _linear(value, v_w, bv)


def _mha(*arrays, heads, zero_attn, need_weights, average, causal, dropout, batch_first, batched):
    """The whole of torch's multi_head_attention_forward on arrays (after its checks)."""
    query, key, value, in_w, in_b, q_w, k_w, v_w, bias_k, bias_v, out_w, out_b = arrays[:12]
    kpm, mask, static_k, static_v, rng, p = arrays[12:]
    if not batched:
        query, key, value = query[:, None], key[:, None], value[:, None]
        kpm = None if kpm is None else kpm[None]
    elif batch_first:
        query, key, value = (jnp.swapaxes(t, 0, 1) for t in (query, key, value))
    L, N, E = query.shape
    D = E // heads
    dt = query.dtype
    q, k, v = _project(query, key, value, in_w, in_b, q_w, k_w, v_w)
    if mask is not None:
        mask = _as_bias(~mask if mask.dtype == jnp.bool_ else mask, dt)
        mask = mask[None] if mask.ndim == 2 else mask
    if kpm is not None:
        kpm = _as_bias(~kpm if kpm.dtype == jnp.bool_ else kpm, dt)
    if bias_k is not None:
        k = jnp.concatenate([k, jnp.broadcast_to(bias_k, (1, N, E))])
        v = jnp.concatenate([v, jnp.broadcast_to(bias_v, (1, N, E))])
        mask = None if mask is None else jnp.pad(mask, ((0, 0), (0, 0), (0, 1)))
        kpm = None if kpm is None else jnp.pad(kpm, ((0, 0), (0, 1)))
    q = q.reshape(L, N * heads, D).transpose(1, 0, 2)
    k = k.reshape(k.shape[0], N * heads, D).transpose(1, 0, 2) if static_k is None else static_k
    v = v.reshape(v.shape[0], N * heads, D).transpose(1, 0, 2) if static_v is None else static_v
    if zero_attn:
        k = jnp.pad(k, ((0, 0), (0, 1), (0, 0)))
        v = jnp.pad(v, ((0, 0), (0, 1), (0, 0)))
        mask = None if mask is None else jnp.pad(mask, ((0, 0), (0, 0), (0, 1)))
        kpm = None if kpm is None else jnp.pad(kpm, ((0, 0), (0, 1)))
    S = k.shape[1]
    if kpm is not None:
        kpm = jnp.broadcast_to(kpm[:, None, None, :], (N, heads, 1, S)).reshape(N * heads, 1, S)
        mask = kpm if mask is None else mask + kpm
    s = _mm(q * jnp.asarray(math.sqrt(1.0 / D), dt), jnp.swapaxes(k, 1, 2))
    if mask is not None:
        s = s + mask
    if causal:
        s = jnp.where(_causal(L, S), s, -jnp.inf)
    w = _softmax(s, safe=not need_weights)
    if dropout:
        w = _dropout(w, rng, p)
    out = _mm(w, v).transpose(1, 0, 2).reshape(L, N, E)
    out = _linear(out, out_w, out_b)
    out = out[:, 0] if not batched else (jnp.swapaxes(out, 0, 1) if batch_first else out)
    if not need_weights:
        return (out,)
    w = w.reshape(N, heads, L, S)
    if average:
        w = w.mean(axis=1)
    return out, (w[0] if not batched else w)


def _mha_checks(query, key, value, kpm, attn_mask, num_heads, batch_first):
    """torch's _mha_shape_check and the shape checks of multi_head_attention_forward; returns is_batched."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key` and `value` to be 3-D"
                f" but found {key.dim()}-D and {value.dim()}-D tensors respectively"
            )
        if kpm is not None and kpm.dim() != 2:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D"
                f" but found {kpm.dim()}-D tensor instead"
            )
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError(
                "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D"
                f" but found {attn_mask.dim()}-D tensor instead"
            )
    elif query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D"
                f" but found {key.dim()}-D and {value.dim()}-D tensors respectively"
            )
        if kpm is not None and kpm.dim() != 1:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D"
                f" but found {kpm.dim()}-D tensor instead"
            )
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError(
                    "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D"
                    f" but found {attn_mask.dim()}-D tensor instead"
                )
            want = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.dim() == 3 and tuple(attn_mask.shape) != want:
                raise AssertionError(f"Expected `attn_mask` shape to be {want} but got {attn_mask.shape}")
    else:
        raise AssertionError(
            f"query should be unbatched 2D or batched 3D tensor but received {query.dim()}-D query tensor"
        )
    return query.dim() == 3


def _check_mask_dtype(mask, name, other, other_name):
    if mask is None:
        return
    if mask.dtype.name != "bool" and not mask.dtype.is_floating_point:
        raise AssertionError(f"only bool and floating types of {name} are supported")
    if other is not None and mask.dtype != other.dtype:
        warnings.warn(
            f"Support for mismatched {name} and {other_name} is deprecated. Use same type for both instead.",
            stacklevel=3,
        )


def _seq_batch(t, batched, batch_first):
    """(sequence length, batch size) of a query/key in torch's layout."""
    if not batched:
        return t.shape[0], 1
    return (t.shape[1], t.shape[0]) if batch_first else (t.shape[0], t.shape[1])


def _mha_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k, bias_v,
                 add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, training=True, key_padding_mask=None,
                 need_weights=True, attn_mask=None, use_separate_proj_weight=False, q_proj_weight=None,
                 k_proj_weight=None, v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True,
                 is_causal=False, batch_first=False, check_masks=True):  # fmt: skip
    """torch's multi_head_attention_forward checks, then one dispatched program (``batch_first`` folds in
    MultiheadAttention's transposes; ``check_masks=False`` when the module already checked the mask dtypes)."""
    kpm = key_padding_mask
    batched = _mha_checks(query, key, value, kpm, attn_mask, num_heads, batch_first)
    if check_masks:
        _check_mask_dtype(kpm, "key_padding_mask", attn_mask, "attn_mask")
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer module method "
            "`generate_square_subsequent_mask` to create this mask."
        )
    causal = bool(is_causal) and kpm is None and not need_weights
    if causal:
        attn_mask = None  # torch's SDPA path then takes the hint instead of the mask
    if check_masks:
        _check_mask_dtype(attn_mask, "attn_mask", None, "")
    tgt_len, bsz = _seq_batch(query, batched, batch_first)
    src_len, _ = _seq_batch(key, batched, batch_first)
    embed_dim = query.shape[-1]
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    sizes = (tgt_len, bsz, src_len, num_heads)
    in_proj_weight, q_proj_weight, k_proj_weight, v_proj_weight = _check_weights(
        key, value, use_separate_proj_weight, in_proj_weight, q_proj_weight, k_proj_weight, v_proj_weight
    )
    _check_masks(attn_mask, kpm, bias_k, bias_v, static_k, static_v, add_zero_attn, sizes)
    dropout = bool(training) and dropout_p > 0.0
    rng = _next_key() if dropout else None
    arrays = (query, key, value, in_proj_weight, in_proj_bias, q_proj_weight, k_proj_weight, v_proj_weight,
              bias_k, bias_v, out_proj_weight, out_proj_bias, kpm, attn_mask, static_k, static_v, rng,
              float(dropout_p))  # fmt: skip
    static = (
        ("heads", num_heads), ("zero_attn", bool(add_zero_attn)), ("need_weights", bool(need_weights)),
        ("average", bool(average_attn_weights)), ("causal", causal), ("dropout", dropout),
        ("batch_first", bool(batch_first)), ("batched", batched),
    )  # fmt: skip
    out = dispatch(_mha, arrays, static, "MultiHeadAttentionBackward0")
    return (out[0], out[1]) if need_weights else (out[0], None)


def _check_weights(key, value, separate, in_w, q_w, k_w, v_w):
    """torch's projection-weight checks; returns (in_proj_weight, q, k, v weights) with the unused ones None."""
    if separate:
        if key.shape[:-1] != value.shape[:-1]:
            raise AssertionError(
                f"key's sequence and batch dims {key.shape[:-1]} do not match value's {value.shape[:-1]}"
            )
        for w, n in ((q_w, "q"), (k_w, "k"), (v_w, "v")):
            if w is None:
                raise AssertionError(f"use_separate_proj_weight is True but {n}_proj_weight is None")
        return None, q_w, k_w, v_w
    if key.shape != value.shape:
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
    if in_w is None:
        raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
    return in_w, None, None, None


def _check_masks(attn_mask, kpm, bias_k, bias_v, static_k, static_v, add_zero_attn, sizes):
    """torch's mask-shape and bias_k / bias_v checks of multi_head_attention_forward."""
    tgt_len, bsz, src_len, num_heads = sizes
    if attn_mask is not None:
        want = (tgt_len, src_len) if attn_mask.dim() == 2 else (bsz * num_heads, tgt_len, src_len)
        if tuple(attn_mask.shape) != want:
            raise RuntimeError(
                f"The shape of the {attn_mask.dim()}D attn_mask is {attn_mask.shape}, but should be {want}."
            )
    if (bias_k is None) != (bias_v is None):
        raise AssertionError(
            f"bias_{'k' if bias_v is None else 'v'} is set but bias_{'v' if bias_v is None else 'k'} is None"
        )
    if bias_k is not None and (static_k is not None or static_v is not None):
        raise AssertionError(f"bias cannot be added to static {'key' if static_k is not None else 'value'}.")
    if kpm is not None:
        n_src = (src_len if static_k is None else static_k.shape[1]) + (bias_k is not None) + bool(add_zero_attn)
        kb, ks = (1, kpm.shape[0]) if kpm.dim() == 1 else tuple(kpm.shape)
        if kb != bsz:
            raise AssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but got {kb}")
        if ks + (bias_k is not None) + bool(add_zero_attn) != n_src:
            raise AssertionError(f"Expected key_padded_mask.shape[1] to be {n_src}, but got {ks}")


def multi_head_attention_forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    embed_dim_to_check: int,
    num_heads: int,
    in_proj_weight: Tensor | None,
    in_proj_bias: Tensor | None,
    bias_k: Tensor | None,
    bias_v: Tensor | None,
    add_zero_attn: bool,
    dropout_p: float,
    out_proj_weight: Tensor,
    out_proj_bias: Tensor | None,
    training: bool = True,
    key_padding_mask: Tensor | None = None,
    need_weights: bool = True,
    attn_mask: Tensor | None = None,
    use_separate_proj_weight: bool = False,
    q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None,
    v_proj_weight: Tensor | None = None,
    static_k: Tensor | None = None,
    static_v: Tensor | None = None,
    average_attn_weights: bool = True,
    is_causal: bool = False,
) -> tuple[Tensor, Tensor | None]:
    """Mirrors torch.nn.functional.multi_head_attention_forward (sequence-first layout)."""
    return _mha_forward(
        query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k, bias_v,
        add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, training, key_padding_mask, need_weights,
        attn_mask, use_separate_proj_weight, q_proj_weight, k_proj_weight, v_proj_weight, static_k, static_v,
        average_attn_weights, is_causal,
    )  # fmt: skip


def _mask_to_bias(mask, *, dtype):
    return jnp.where(mask, -jnp.inf, jnp.zeros((), dtype))


def _canonical_mask(mask, mask_name, other_type, other_name, target_type, check_other=True):
    """Mirrors torch.nn.functional._canonical_mask: a bool mask (True = masked) becomes 0 / -inf floats."""
    if mask is None:
        return None
    if mask.dtype.name != "bool" and not mask.dtype.is_floating_point:
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warnings.warn(
            f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same type for both instead.",
            stacklevel=3,
        )
    if mask.dtype.is_floating_point:
        return mask
    return dispatch(_mask_to_bias, (mask,), (("dtype", target_type.np),))


def _none_or_dtype(input):
    """Mirrors torch.nn.functional._none_or_dtype."""
    if input is None:
        return None
    if isinstance(input, Tensor):
        return input.dtype
    raise RuntimeError("input to _none_or_dtype() must be None or torch.Tensor")
