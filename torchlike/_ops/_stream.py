"""Uniform and normal samples as a flat stream: position ``i`` of a draw depends only on the key and
``i``, never on the shape asked for.

This is JAX's own stream (threefry2x32 with partitionable counters: ``jax.random.uniform(key,
shape)`` flattened), written against an ``offset`` so that a sample of any size can be drawn by one
compiled program of a fixed chunk size. Threefry compiles slowly on CPU (~250 ms a program), and a
program per parameter shape made building a ResNet take seconds; the first draws of a shape go
through the chunk program and only a shape drawn again and again (a hot loop) gets its own program.
Both draw the same unit samples bit for bit; the final ``lo + u * (hi - lo)`` may round one ulp
apart, as the same expression may in any two XLA programs.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.extend.random import threefry2x32_p

from .._dispatch import cold, jitted

_CHUNK = 1 << 16


def _bits(key, offset, n: int, width: int):
    """Bits of stream positions ``offset .. offset + n`` (JAX's partitionable threefry counters)."""
    i = offset + lax.iota(jnp.uint64, n)
    b1, b2 = threefry2x32_p.bind(key[0], key[1], (i >> 32).astype(jnp.uint32), i.astype(jnp.uint32))
    if width == 32:
        return b1 ^ b2
    return (b1.astype(jnp.uint64) << 32) | b2.astype(jnp.uint64)


def _unit(key, offset, n: int, dtype):
    """Uniform on [0, 1) in ``dtype`` (float32 or float64), as jax.random.uniform makes it."""
    info = jnp.finfo(dtype)
    uint = jnp.uint32 if info.bits == 32 else jnp.uint64
    bits = _bits(key, offset, n, info.bits) >> (info.bits - info.nmant)
    one = np.array(1.0, dtype).view(uint)
    return lax.bitcast_convert_type(bits | one, dtype) - jnp.array(1.0, dtype)


def _wide(dtype):
    """Half-precision draws are made in float32 and rounded."""
    return jnp.float32 if dtype in (jnp.bfloat16, jnp.float16) else dtype


def uniform_flat(key, offset, lo, hi, *, n: int, dtype, shape=None):
    """``lo + (hi - lo) * U[0, 1)``; ``shape`` (the exact program) reshapes before ``lo``/``hi`` broadcast."""
    u = _unit(key, offset, n, _wide(dtype)).reshape((n,) if shape is None else shape)
    return (lo + u * (hi - lo)).astype(dtype)


def normal_flat(key, offset, mean, std, *, n: int, dtype, shape=None):
    """``mean + std * N(0, 1)``, N(0, 1) as jax.random.normal makes it."""
    wide = _wide(dtype)
    lo = np.nextafter(np.array(-1.0, wide), np.array(0.0, wide), dtype=wide)
    u = lax.max(jnp.array(lo), _unit(key, offset, n, wide) * (1 - lo) + lo)  # on (-1, 1)
    z = (np.array(np.sqrt(2), wide) * lax.erf_inv(u)).reshape((n,) if shape is None else shape)
    return (mean + z * std).astype(dtype)


def _exact(key, *args, flat, shape, dtype):
    return flat(key, jnp.uint64(0), *args, n=math.prod(shape), dtype=dtype, shape=shape)


def sample(flat, key, args: tuple, shape: tuple, dtype):
    """``flat``'s draw of ``shape`` for ``key``: through the chunk program (assembled on the host) while
    the shape is cold, through the shape's own program once it is hot."""
    n = math.prod(shape)
    concrete = not isinstance(key, jax.core.Tracer) and all(np.ndim(a) == 0 for a in args)
    if not (concrete and n and cold((flat, shape, dtype))):
        return jitted(_exact, (("flat", flat), ("shape", shape), ("dtype", dtype)))(key, *args)
    chunk = jitted(flat, (("n", _CHUNK), ("dtype", dtype)))
    parts = [np.asarray(chunk(key, np.uint64(start), *args)) for start in range(0, n, _CHUNK)]
    return jax.device_put(np.concatenate(parts)[:n].reshape(shape))
