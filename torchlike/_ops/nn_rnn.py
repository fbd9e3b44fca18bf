"""Recurrent kernels behind nn.RNN / LSTM / GRU and their cells (torch's _VF.rnn_tanh, lstm, gru, *_cell).

A whole stack (every layer, both directions) is one pure jnp function: each
layer projects the inputs of all time steps at once, then runs its recurrence
as a ``lax.scan``, the two directions side by side under ``vmap``. Dispatch
jits it, and its backward is one jitted VJP. Packed sequences run as masked
scans over the padded batch: past a sequence's length the state is held and
the output is zero, so the forward direction ends on the last valid step and
the reverse direction starts on it. Gate orders are torch's: LSTM (i, f, g, o),
GRU (r, z, n) with n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

from .._dispatch import dispatch
from .nn_attention import _dropout

_HI = lax.Precision.HIGHEST
MODES = ("RNN_TANH", "RNN_RELU", "LSTM", "GRU")


def _mm(x, w):
    return jnp.matmul(x, w.T, precision=_HI)


def _step(mode, xp, h, c, w_hh, b_hh, w_hr):
    """One time step given the input projection ``xp`` (with b_ih): returns (h, c)."""
    hp = _mm(h, w_hh)
    if b_hh is not None:
        hp = hp + b_hh
    if mode == "LSTM":
        i, f, g, o = jnp.split(xp + hp, 4, axis=-1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        h = jax.nn.sigmoid(o) * jnp.tanh(c)
        return (h if w_hr is None else _mm(h, w_hr)), c
    if mode == "GRU":
        xr, xz, xn = jnp.split(xp, 3, axis=-1)
        hr, hz, hn = jnp.split(hp, 3, axis=-1)
        r, z = jax.nn.sigmoid(xr + hr), jax.nn.sigmoid(xz + hz)
        n = jnp.tanh(xn + r * hn)
        return (1 - z) * n + z * h, c
    pre = xp + hp
    return (jnp.tanh(pre) if mode == "RNN_TANH" else jax.nn.relu(pre)), c


def _unpack(w, has_bias, proj):
    """(w_ih, w_hh, b_ih, b_hh, w_hr) from one layer-direction's weights in torch's order."""
    w = list(w)
    w_ih, w_hh = w[0], w[1]
    b_ih, b_hh = (w[2], w[3]) if has_bias else (None, None)
    w_hr = w[-1] if proj else None
    return w_ih, w_hh, b_ih, b_hh, w_hr


def _direction(x, mask, h0, c0, w, mode, has_bias, proj):
    """One direction of one layer over time-major ``x`` (T, B, I): (outputs, h_T, c_T)."""
    w_ih, w_hh, b_ih, b_hh, w_hr = _unpack(w, has_bias, proj)
    xp = _mm(x, w_ih)
    if b_ih is not None:
        xp = xp + b_ih

    def body(carry, inp):
        h, c = carry
        xt, mt = inp
        h2, c2 = _step(mode, xt, h, c, w_hh, b_hh, w_hr)
        if mt is None:
            return (h2, c2), h2
        m = mt[:, None]
        out = jnp.where(m, h2, jnp.zeros((), h2.dtype))
        h2 = jnp.where(m, h2, h)
        c2 = None if c is None else jnp.where(m, c2, c)
        return (h2, c2), out

    (h, c), out = lax.scan(body, (h0, c0), (xp, mask))
    return out, h, c


def _layer(x, mask, h0, c0, ws, mode, has_bias, proj):
    """One layer, one or two directions: the reverse one runs on the time-flipped input under vmap."""
    if len(ws) == 1:
        out, h, c = _direction(x, mask, h0[0], None if c0 is None else c0[0], ws[0], mode, has_bias, proj)
        return out, h[None], None if c is None else c[None]
    xs = jnp.stack([x, x[::-1]])
    masks = None if mask is None else jnp.stack([mask, mask[::-1]])
    wst = [jnp.stack(pair) for pair in zip(*ws)]

    def run(xd, md, hd, cd, *wd):
        return _direction(xd, md, hd, cd, wd, mode, has_bias, proj)

    out, h, c = jax.vmap(run)(xs, masks, h0, c0, *wst)
    return jnp.concatenate([out[0], out[1][::-1]], axis=-1), h, c


def _rnn(x, h0, c0, gather, scatter, lengths, perm, unperm, key, p, *weights, **static):
    """The whole stack: x is (T, B, I) (or packed data with ``gather``), h0/c0 are (layers * dirs, B, H)."""
    mode, layers, dirs = static["mode"], static["layers"], static["dirs"]
    has_bias, proj, dropout = static["has_bias"], static["proj"], static["dropout"]
    batch_first, unbatched = static["batch_first"], static["unbatched"]
    if gather is not None:  # packed data (N, I) -> padded (T, B, I) in sorted order
        x = jnp.concatenate([x, jnp.zeros((1,) + x.shape[1:], x.dtype)])[gather]
    elif unbatched:
        x = x[:, None]
        h0, c0 = (None if t is None else t[:, None] for t in (h0, c0))
    elif batch_first:
        x = jnp.swapaxes(x, 0, 1)
    if h0 is None:
        hidden = weights[1].shape[0] // (4 if mode == "LSTM" else 3 if mode == "GRU" else 1)
        h0 = jnp.zeros((layers * dirs, x.shape[1], weights[1].shape[1]), x.dtype)
        c0 = jnp.zeros((layers * dirs, x.shape[1], hidden), x.dtype) if mode == "LSTM" else None
    elif perm is not None:
        h0 = h0[:, perm]
        c0 = None if c0 is None else c0[:, perm]
    mask = None if lengths is None else jnp.arange(x.shape[0])[:, None] < lengths[None, :]
    per = len(weights) // (layers * dirs)
    groups = [weights[i : i + per] for i in range(0, len(weights), per)]
    hs, cs = [], []
    keys = None if not dropout else jax.random.split(key, max(layers - 1, 1))
    for layer in range(layers):
        sl = slice(layer * dirs, (layer + 1) * dirs)
        c0l = None if c0 is None else c0[sl]
        x, h, c = _layer(x, mask, h0[sl], c0l, groups[sl], mode, has_bias, proj)
        hs.append(h)
        cs.append(c)
        if dropout and layer < layers - 1:
            x = _dropout(x, keys[layer], p)
    h = jnp.concatenate(hs)
    c = None if c0 is None else jnp.concatenate(cs)
    if unperm is not None:
        h = h[:, unperm]
        c = None if c is None else c[:, unperm]
    if scatter is not None:
        x = x.reshape((-1,) + x.shape[2:])[scatter]
    elif unbatched:
        x, h = x[:, 0], h[:, 0]
        c = None if c is None else c[:, 0]
    elif batch_first:
        x = jnp.swapaxes(x, 0, 1)
    return (x, h) if c is None else (x, h, c)


def rnn_stack(x, h0, c0, weights, *, mode, layers, dirs, has_bias, proj, dropout_p, key, packed=None,
              batch_first=False, unbatched=False):  # fmt: skip
    """Run the stack; ``packed`` is (gather, scatter, lengths, perm, unperm) arrays or None; h0 None means zeros."""
    gather, scatter, lengths, perm, unperm = packed if packed is not None else (None,) * 5
    static = (
        ("mode", mode), ("layers", layers), ("dirs", dirs), ("has_bias", has_bias), ("proj", proj),
        ("dropout", key is not None), ("batch_first", batch_first), ("unbatched", unbatched),
    )  # fmt: skip
    args = (x, h0, c0, gather, scatter, lengths, perm, unperm, key, float(dropout_p), *weights)
    name = {"LSTM": "MkldnnRnnLayerBackward0", "GRU": "GruBackward0"}.get(mode, "RnnTanhBackward0")
    return dispatch(_rnn, args, static, name)


def _cell(x, h, c, w_ih, w_hh, b_ih, b_hh, *, mode):
    xp = _mm(x, w_ih)
    if b_ih is not None:
        xp = xp + b_ih
    h2, c2 = _step(mode, xp, h, c, w_hh, b_hh, None)
    return h2 if c is None else (h2, c2)


def rnn_cell(x, h, c, w_ih, w_hh, b_ih, b_hh, *, mode):
    """One step of a cell (torch's lstm_cell, gru_cell, rnn_tanh_cell, rnn_relu_cell)."""
    name = {"LSTM": "LstmCellBackward0", "GRU": "GruCellBackward0"}.get(mode, "RnnTanhCellBackward0")
    return dispatch(_cell, (x, h, c, w_ih, w_hh, b_ih, b_hh), (("mode", mode),), name)
