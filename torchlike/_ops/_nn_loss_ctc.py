"""CTC loss (mirrors torch.nn.functional.ctc_loss): the forward (alpha) recursion as one lax.scan over time.

The recursion runs in log space over the extended label sequence (blanks between and around the labels),
masked per sample by its input length, so the whole loss is one jitted program and its gradient one jitted
``jax.vjp`` through the scan. torch's gradient w.r.t. ``log_probs`` is the true derivative plus
``exp(log_probs)`` for ``t < input_length`` (its formula assumes log_softmax outputs; both give the same
gradient w.r.t. the logits); a zero-valued term with that derivative reproduces it. Unreachable states
hold a large finite negative log-probability rather than -inf, so no NaN flows back from them; a sample
with no alignment has an infinite loss as in torch, but its gradient is ``exp(log_probs)`` where torch's
is NaN (with ``zero_infinity=True`` both are zero).

Lengths are data: eagerly they are read to raise torch's errors (and to size concatenated targets); under
tracing they are not read, and a sample whose lengths are out of range gets a NaN loss.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor
from ._nn_loss_base import concrete, get_enum

__all__ = ["ctc_loss"]


_IMPOSSIBLE = -1e30  # log-probability of unreachable states: finite, so no NaN gradients flow from them


def _lse3(a, b, c):
    m = lax.stop_gradient(jnp.maximum(jnp.maximum(a, b), c))
    return m + jnp.log(jnp.exp(a - m) + jnp.exp(b - m) + jnp.exp(c - m))


@jax.custom_jvp
def _softmax_term(lp, mask):
    """Zero per sample; its derivative w.r.t. ``lp`` is ``exp(lp)`` where ``mask`` (torch's CTC gradient)."""
    return jnp.zeros(lp.shape[1], lp.dtype)


@_softmax_term.defjvp
def _softmax_term_jvp(primals, tangents):
    lp, mask = primals
    dlp = tangents[0]
    return _softmax_term(lp, mask), jnp.sum(jnp.where(mask, jnp.exp(lp) * dlp, jnp.zeros((), lp.dtype)), axis=(0, 2))


def _labels(tg, tl, n, s, concat):
    if not concat:
        return tg[:, :s]
    if tg.shape[0] == 0:
        return jnp.zeros((n, s), jnp.int32)
    idx = (jnp.cumsum(tl) - tl)[:, None] + jnp.arange(s)
    return tg[jnp.clip(idx, 0, tg.shape[0] - 1)]


def _interleave(fill, labels):
    """(N, 2S+1): ``fill`` before, between and after the labels."""
    n, s = labels.shape
    pairs = jnp.stack([jnp.broadcast_to(fill, (n, s)), labels], -1).reshape(n, 2 * s)
    return jnp.concatenate([pairs, jnp.broadcast_to(fill, (n, 1))], 1)


def _ctc(lp, tg, il, tl, *, blank, reduction, zero_infinity, concat, s, batched):
    dtype = lp.dtype
    lp = lp.astype(jnp.promote_types(dtype, jnp.float32))  # half precision cannot hold _IMPOSSIBLE
    if not batched:
        lp = lp[:, None]
    t_max, n, c = lp.shape
    il, tl = il.reshape(-1).astype(jnp.int32), tl.reshape(-1).astype(jnp.int32)
    labels = jnp.clip(_labels(tg.reshape(n, -1) if not concat else tg, tl, n, s, concat).astype(jnp.int32), 0, c - 1)
    ext = _interleave(jnp.int32(blank), labels)
    width = 2 * s + 1
    # a label may be reached from two states back unless it repeats the label before it
    repeat = jnp.concatenate([jnp.ones((n, 1), bool), labels[:, 1:] == labels[:, :-1]], 1)[:, :s]
    no_skip = jnp.where(_interleave(True, repeat), _IMPOSSIBLE, 0.0).astype(lp.dtype)
    emit = jnp.take_along_axis(lp, jnp.broadcast_to(ext[None], (t_max, n, width)), 2, mode="promise_in_bounds")
    start = jnp.arange(width) < 2
    alpha = jnp.where(start, emit[0], _IMPOSSIBLE)

    def step(alpha, inp):
        e, t = inp
        a1 = jnp.pad(alpha[:, :-1], ((0, 0), (1, 0)), constant_values=_IMPOSSIBLE)
        a2 = jnp.pad(alpha[:, :-2], ((0, 0), (2, 0)), constant_values=_IMPOSSIBLE)[:, :width] + no_skip
        return jnp.where((t < il)[:, None], _lse3(alpha, a1, a2) + e, alpha), None

    alpha, _ = lax.scan(step, alpha, (emit[1:], jnp.arange(1, t_max)))
    ends = jnp.take_along_axis(alpha, jnp.clip(jnp.stack([2 * tl, 2 * tl - 1], 1), 0, width - 1), 1)
    ends = jnp.where(jnp.stack([tl >= 0, tl > 0], 1), ends, _IMPOSSIBLE)
    m = lax.stop_gradient(jnp.max(ends, 1))
    ll = m + jnp.log(jnp.sum(jnp.exp(ends - m[:, None]), 1))
    nll = jnp.where(ll < _IMPOSSIBLE / 2, jnp.inf, -ll)  # no alignment: an infinite loss, as torch
    nll = jnp.where(il == 0, jnp.where(tl == 0, 0.0, jnp.inf), nll).astype(lp.dtype)
    bad = (il > t_max) | (il < 0) | (tl < 0) | (tl > s)
    if concat:
        bad = bad | (jnp.sum(tl) != tg.shape[0])
    nll = jnp.where(bad, jnp.nan, nll)  # traced lengths out of range (eagerly they raise)
    loss = nll + _softmax_term(lp, (jnp.arange(t_max)[:, None] < il)[:, :, None])
    if zero_infinity:
        loss = jnp.where(jnp.isinf(nll), jnp.zeros((), lp.dtype), loss)
    if reduction == "mean":
        loss = jnp.mean(loss / jnp.maximum(tl, 1).astype(lp.dtype))
    elif reduction == "sum":
        loss = jnp.sum(loss)
    elif not batched:
        loss = loss[0]
    return loss.astype(dtype)


def _lengths(x, name: str, n: int):
    if isinstance(x, Tensor):
        if x.dtype.category != D._CATEGORY_INT:
            raise RuntimeError(f"{name} must be integral")
        arr = x
    else:
        arr = Tensor._make(jnp.asarray(np.asarray(x, dtype=np.int64).reshape(-1)))
    if arr.numel() != n:
        raise RuntimeError(f"{name} must be of size batch_size")
    return arr


def ctc_loss(
    log_probs,
    targets,
    input_lengths,
    target_lengths,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> Tensor:
    """Mirrors torch.nn.functional.ctc_loss: log_probs (T, N, C) or (T, C); targets padded (N, S) or concatenated."""
    reduction = get_enum(reduction)
    batched = log_probs.ndim == 3
    t_max, c = log_probs.shape[0], log_probs.shape[-1]
    n = log_probs.shape[1] if batched else 1
    if blank < 0 or blank >= c:
        raise RuntimeError("blank must be in label range")
    il = _lengths(input_lengths, "input_lengths", n)
    tl = _lengths(target_lengths, "target_lengths", n)
    concat = targets.ndim == 1  # unbatched 1-d targets are concatenated (of one sample), as torch
    s = targets.shape[-1] if targets.ndim else 0
    il_v, tl_v = concrete(il), concrete(tl)
    if il_v is not None and il_v.size and il_v.max() > t_max:
        raise RuntimeError(
            f"Expected input_lengths to have value at most {t_max}, but got value {il_v.max()} (while checking "
            "arguments for ctc_loss_allocate_outputs)"
        )
    if tl_v is not None and concat:
        if tl_v.sum() != s:
            raise RuntimeError(
                f"Expected tensor to have size {tl_v.sum()} at dimension 0, but got size {s} for argument #2 "
                "'targets' (while checking arguments for ctc_loss_allocate_outputs)"
            )
        # the concatenated labels are laid out padded to a power of two of the longest: few distinct programs
        longest = int(tl_v.max()) if tl_v.size else 0
        s = min(s, 1 << max(longest - 1, 0).bit_length()) if longest else 0
    elif tl_v is not None and tl_v.size and tl_v.max() > s:
        raise RuntimeError(
            f"Expected tensor to have size at least {tl_v.max()} at dimension 1, but got size {s} for argument #2 "
            "'targets' (while checking arguments for ctc_loss_allocate_outputs)"
        )
    static = (
        ("blank", int(blank)),
        ("reduction", reduction),
        ("zero_infinity", bool(zero_infinity)),
        ("concat", concat),
        ("s", int(s)),
        ("batched", batched),
    )
    return dispatch(_ctc, (log_probs, targets, il, tl), static, "CtcLossBackward0")
