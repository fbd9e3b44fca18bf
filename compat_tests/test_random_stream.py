"""Random draws without a compiled program per shape (torchlike/_ops/_stream.py).

The first draws of a shape are assembled from a fixed-size chunk program; a shape drawn often gets
its own program. Both draw jax.random's unit samples bit for bit (the final ``lo + u * (hi - lo)``
may round one ulp apart, as any two XLA programs may fuse it differently), and building a model
must not compile a sampler program per parameter shape.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import torchlike
from torchlike import _dispatch
from torchlike._ops import _stream


def _bits(a) -> np.ndarray:
    return np.asarray(a).reshape(-1).view(np.uint8)


def _max_ulps(a, b) -> int:
    """Largest distance in units in the last place (values of one sign)."""
    a, b = np.asarray(a), np.asarray(b)
    as_int = {2: np.int16, 4: np.int32, 8: np.int64}[a.dtype.itemsize]
    return int(np.abs(a.view(as_int).astype(np.int64) - b.view(as_int).astype(np.int64)).max())


SHAPES = [(), (1,), (7,), (3, 50), (70000,), (2, 3, 40000)]
DTYPES = [jnp.float32, jnp.float64, jnp.float16, jnp.bfloat16]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_chunked_draw_equals_the_shape_program(shape, dtype):
    key = jax.random.PRNGKey(11)
    for flat, args in ((_stream.uniform_flat, (-0.3, 0.7)), (_stream.normal_flat, (1.0, 3.0))):
        _dispatch._counts.clear()
        cold = _stream.sample(flat, key, args, shape, dtype)
        _dispatch._counts[(flat, shape, dtype)] = _dispatch._HOT
        hot = _stream.sample(flat, key, args, shape, dtype)
        assert cold.shape == hot.shape == shape and cold.dtype == hot.dtype == dtype
        assert _max_ulps(cold, hot) <= 1


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [jnp.float32, jnp.float64], ids=lambda d: np.dtype(d).name)
def test_stream_is_jax_random(shape, dtype):
    """The unit draws are jax.random.uniform / jax.random.normal's, position for position."""
    key = jax.random.PRNGKey(3)
    _dispatch._counts.clear()
    np.testing.assert_array_equal(
        _bits(_stream.sample(_stream.uniform_flat, key, (0.0, 1.0), shape, dtype)),
        _bits(jax.random.uniform(key, shape, dtype)),
    )
    np.testing.assert_array_equal(
        _bits(_stream.sample(_stream.normal_flat, key, (0.0, 1.0), shape, dtype)),
        _bits(jax.random.normal(key, shape, dtype)),
    )


def test_same_seed_same_numbers_cold_hot_and_traced():
    """A draw gives the same numbers the first time, once the shape is hot, and under jax.jit."""
    # randn is mean 0, std 1: no rounding after the unit draw, so equal bit for bit
    _dispatch._counts.clear()
    draws = []
    for _ in range(_dispatch._HOT + 2):
        torchlike.manual_seed(5)
        draws.append(np.asarray(torchlike.randn(17, 9)))
    for d in draws[1:]:
        np.testing.assert_array_equal(d, draws[0])

    def traced(x):
        torchlike.manual_seed(5)
        return torchlike.randn(17, 9)._value + x

    np.testing.assert_array_equal(np.asarray(jax.jit(traced)(0.0)), draws[0])


def test_tensor_mean_std_use_the_shape_program():
    m, s = torchlike.zeros(4, 3), torchlike.full((4, 3), 2.0)
    torchlike.manual_seed(0)
    a = torchlike.normal(m, s)
    torchlike.manual_seed(0)
    b = torchlike.randn(4, 3) * 2
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6)


def test_building_a_model_compiles_no_program_per_shape():
    before = set(_dispatch._forward_cache)
    layers = [torchlike.nn.Linear(31 + i, 45 + i) for i in range(3)]
    layers += [torchlike.nn.Conv2d(3 + i, 5, 3) for i in range(3)]
    layers += [torchlike.nn.BatchNorm2d(29 + i) for i in range(3)]
    new = [key for key in set(_dispatch._forward_cache) - before if any(n == "shape" for n, _ in key[1])]
    assert new == [], new
    assert layers[0].weight.shape == (45, 31) and layers[-1].running_var.tolist() == [1.0] * 31


def test_host_fill_writes_like_fill():
    x = torchlike.zeros(3, 4)
    v = x._version
    x[1].fill_(2.5)  # a view: written through the view steps
    assert x.tolist()[1] == [2.5] * 4 and x._version > v
    y = torchlike.empty(6, 7).fill_(0.25)
    assert y.tolist() == [[0.25] * 7] * 6
    w = torchlike.ones(2, 2, requires_grad=True)
    with torchlike.no_grad():
        w.fill_(3.0)
    assert w.requires_grad and w.is_leaf and w.tolist() == [[3.0, 3.0], [3.0, 3.0]]
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w.fill_(1.0)
