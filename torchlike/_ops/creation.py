"""Tensor creation: from data, filled, ranges, and random sampling."""

from __future__ import annotations

import builtins
import math

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .. import random as _random
from .._device import device as _device_cls
from .._device import jax_device
from .._dispatch import cold, dispatch, jitted
from .._tensor import Tensor
from . import _stream
from ._util import shape_arg, to_out

# ---------------------------------------------------------------- from data


def _infer_dtype(a: np.ndarray, from_numpy: bool) -> D.dtype:
    if from_numpy:
        return D.from_np(a.dtype)
    kind = a.dtype.kind
    if kind == "b":
        return D.bool
    if kind in "iu":
        return D.int64
    if kind == "c":
        return D.default_complex()
    return D.get_default_dtype()


def _to_numpy(data):
    """Nested sequences of numbers / 0-d tensors / arrays -> (ndarray, came-from-array)."""
    if isinstance(data, Tensor):
        return np.asarray(data._value), True
    if isinstance(data, (np.ndarray, np.generic)):
        return np.asarray(data), True
    if isinstance(data, jax.Array):
        return np.asarray(data), True
    if isinstance(data, (list, tuple)):
        if any(isinstance(x, (Tensor, list, tuple, np.ndarray)) for x in data):
            parts = [_to_numpy(x) for x in data]
            arrs = [p[0] for p in parts]
            if any(p[1] for p in parts) and all(p[1] for p in parts):
                return np.stack(arrs) if arrs else np.zeros((0,)), True
            return np.array([a.tolist() for a in arrs]), False
        if len(data) == 0:
            return np.zeros((0,), np.float32), False
    try:
        a = np.asarray(data)
    except (ValueError, TypeError) as e:
        raise TypeError(f"could not convert {type(data).__name__} to a tensor: {e}") from None
    if a.dtype == object:
        raise TypeError(f"Could not infer dtype of {type(data).__name__}")
    return a, False


def _place(array, device):
    if device is None:
        return array
    return jax.device_put(array, jax_device(_device_cls(device)))


def _finish(array, device, requires_grad) -> Tensor:
    t = Tensor._make(_place(array, device))
    if requires_grad:
        t.requires_grad_(True)
    return t


def tensor(
    data, *, dtype: D.dtype | None = None, device=None, requires_grad: bool = False, pin_memory: bool = False
) -> Tensor:
    """Mirrors torch.tensor: always copies; infers int64 / default float / bool from Python data."""
    if isinstance(data, (list, tuple)) and data and all(isinstance(x, Tensor) for x in data):
        data = Tensor._make(jnp.stack([x._value for x in data]))
    if isinstance(data, (Tensor, jax.core.Tracer)):  # traceable: never leaves JAX
        a = data._value if isinstance(data, Tensor) else data
        return _finish(a.astype((dtype or D.from_np(a.dtype)).np), device, requires_grad)
    a, from_array = _to_numpy(data)
    if dtype is None:
        dtype = _infer_dtype(a, from_array)
    return _finish(jnp.array(a, dtype=dtype.np, copy=True), device, requires_grad)


def as_tensor(data, dtype: D.dtype | None = None, device=None) -> Tensor:
    """Mirrors torch.as_tensor: returns ``data`` itself when it is a tensor of that dtype and device."""
    if isinstance(data, Tensor):
        return data.to(dtype=dtype, device=device)
    return tensor(data, dtype=dtype, device=device)


asarray = as_tensor


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """Mirrors torch.from_numpy. JAX arrays are immutable, so this copies: later writes to
    ``ndarray`` do not reach the tensor."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    return Tensor._make(jnp.array(ndarray, copy=True))


# ---------------------------------------------------------------- filled


def _fill(*, shape, value, dtype):
    return jnp.full(shape, value, dtype)


def _filled(size, value, dtype, device, requires_grad, out=None):
    shape = shape_arg(size)
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(shape)}")
    static = (("shape", shape), ("value", value), ("dtype", dtype.np))
    if cold((_fill, static)):  # no program per shape for one-off tensors (model parameters)
        a = jax.device_put(np.full(shape, value, dtype.np))
    else:
        a = jitted(_fill, static)()
    return to_out(_finish(a, device, requires_grad), out)


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False) -> Tensor:
    """Mirrors torch.zeros."""
    return _filled(size, 0, dtype or D.get_default_dtype(), device, requires_grad, out)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False) -> Tensor:
    """Mirrors torch.ones."""
    return _filled(size, 1, dtype or D.get_default_dtype(), device, requires_grad, out)


def empty(
    *size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False, memory_format=None
) -> Tensor:
    """Mirrors torch.empty (zero-filled: JAX has no uninitialized memory)."""
    return _filled(size, 0, dtype or D.get_default_dtype(), device, requires_grad, out)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False) -> Tensor:
    """Mirrors torch.full: the dtype follows ``fill_value`` when not given."""
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    dtype = dtype or D.scalar_dtype(fill_value)
    return _filled((size,), fill_value, dtype, device, requires_grad, out)


def _like(input, value, dtype, device, requires_grad):
    dtype = dtype or input.dtype
    device = device if device is not None else None
    return _filled((tuple(input.shape),), value, dtype, device, requires_grad)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    return _like(input, 0, dtype, device, requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    return _like(input, 1, dtype, device, requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    return _like(input, 0, dtype, device, requires_grad)


def full_like(
    input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None
) -> Tensor:
    return _like(input, fill_value, dtype, device, requires_grad)


def _new(kind):
    def method(self, *args, dtype=None, device=None, requires_grad=False, **kw):
        dtype = dtype or self.dtype
        if kind == "tensor":
            return tensor(args[0], dtype=dtype, device=device, requires_grad=requires_grad)
        if kind == "full":
            return full(args[0], args[1], dtype=dtype, device=device, requires_grad=requires_grad)
        return {"zeros": zeros, "ones": ones, "empty": empty}[kind](
            *args, dtype=dtype, device=device, requires_grad=requires_grad
        )

    method.__name__ = f"new_{kind}"
    return method


# ---------------------------------------------------------------- ranges


def _num(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False) -> Tensor:
    """Mirrors torch.arange (int64 for integer arguments, else the default float dtype)."""
    start, end, step = _num(start), _num(end), _num(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        is_int = all(
            isinstance(v, (builtins.int, np.integer)) and not isinstance(v, builtins.bool) for v in (start, end, step)
        )
        dtype = D.int64 if is_int else D.get_default_dtype()
    n = max(math.ceil((end - start) / step), 0)
    # torch computes start + i * step in double before casting
    a = (np.float64(start) + np.arange(n, dtype=np.float64) * np.float64(step)) if dtype.category >= 2 else None
    if a is None:
        a = start + np.arange(n, dtype=np.int64) * step
    return to_out(_finish(jnp.array(a, dtype.np, copy=True), device, requires_grad), out)


def range(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor:  # noqa: A001
    """Mirrors the deprecated torch.range (inclusive end, default float dtype)."""
    if end is None:
        start, end = 0, start
    n = builtins.int(math.floor((end - start) / step)) + 1
    a = np.float64(start) + np.arange(n) * np.float64(step)
    return _finish(jnp.array(a, (dtype or D.get_default_dtype()).np, copy=True), device, requires_grad)


def linspace(start, end, steps: int, *, out=None, dtype=None, layout=None, device=None, requires_grad=False) -> Tensor:
    """Mirrors torch.linspace (torch's symmetric formula: the second half counts back from ``end``)."""
    start, end = _num(start), _num(end)
    dtype = dtype or D.get_default_dtype()
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    # torch's kernel: computed in the output precision (double for integer outputs), and
    # symmetric: the second half counts back from ``end``
    ct = np.float32 if dtype.category == D._CATEGORY_FLOAT and dtype is not D.float64 else np.float64
    s, e = ct(start), ct(end)
    step = (e - s) / ct(steps - 1) if steps > 1 else ct(0)
    i = np.arange(steps).astype(ct)
    a = np.where(i < steps // 2, s + step * i, e - step * (ct(steps - 1) - i)) if steps > 1 else np.full(steps, s)
    return to_out(_finish(jnp.array(a, dtype.np, copy=True), device, requires_grad), out)


def logspace(
    start, end, steps: int, base: float = 10.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False
) -> Tensor:
    """Mirrors torch.logspace."""
    dtype = dtype or D.get_default_dtype()
    exps = linspace(start, end, steps, dtype=D.float64)._value
    return to_out(_finish(jnp.power(base, exps).astype(dtype.np), device, requires_grad), out)


def eye(n: int, m: int | None = None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False) -> Tensor:
    """Mirrors torch.eye."""
    dtype = dtype or D.get_default_dtype()
    return to_out(_finish(jnp.eye(n, m, dtype=dtype.np), device, requires_grad), out)


def _move_op(x, *, dev):
    return jax.device_put(x, dev)


def _move(t: Tensor, dev: _device_cls) -> Tensor:
    return dispatch(_move_op, (t,), (("dev", jax_device(dev)),), "ToCopyBackward0")


# ---------------------------------------------------------------- random sampling


def _gen(generator):
    return generator if generator is not None else _random.default_generator


def _uniform(key, lo, hi, *, shape, dtype):
    return _stream._exact(key, lo, hi, flat=_stream.uniform_flat, shape=shape, dtype=dtype)


def _normal(key, mean, std, *, shape, dtype):
    return _stream._exact(key, mean, std, flat=_stream.normal_flat, shape=shape, dtype=dtype)


def _randint(key, low, high, *, shape, dtype):
    return jax.random.randint(key, shape, low, high, jnp.int64).astype(dtype)


def _permutation(key, *, n, dtype):
    return jax.random.permutation(key, n).astype(dtype)


def _bernoulli(key, p, *, dtype):
    return jax.random.bernoulli(key, p.astype(jnp.float32) if p.dtype != jnp.float64 else p).astype(dtype)


def _exponential(key, lambd, *, shape, dtype):
    return (jax.random.exponential(key, shape, dtype) / lambd).astype(dtype)


_STREAMS = {_uniform: _stream.uniform_flat, _normal: _stream.normal_flat}


def _sample(fn, generator, args, static) -> jax.Array:
    key = _gen(generator).next_key()
    flat = _STREAMS.get(fn)
    if flat is not None:  # no program per shape for a cold draw (see _stream.py)
        kw = dict(static)
        return _stream.sample(flat, key, args, kw["shape"], kw["dtype"])
    return jitted(fn, static)(key, *args)


def _check_float(dtype, fname):
    if dtype.category < D._CATEGORY_FLOAT:
        raise RuntimeError(f"\"{fname}\" not implemented for '{dtype.name}'")


def rand(
    *size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
) -> Tensor:
    """Mirrors torch.rand (uniform on [0, 1); JAX's stream, not torch's)."""
    dtype = dtype or D.get_default_dtype()
    _check_float(dtype, "check_uniform_bounds")
    a = _sample(_uniform, generator, (0.0, 1.0), (("shape", shape_arg(size)), ("dtype", dtype.np)))
    return to_out(_finish(a, device, requires_grad), out)


def randn(
    *size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
) -> Tensor:
    """Mirrors torch.randn (JAX's stream, not torch's)."""
    dtype = dtype or D.get_default_dtype()
    _check_float(dtype, "normal_kernel_cpu")
    a = _sample(_normal, generator, (0.0, 1.0), (("shape", shape_arg(size)), ("dtype", dtype.np)))
    return to_out(_finish(a, device, requires_grad), out)


def randint(
    low, high=None, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False
) -> Tensor:
    """Mirrors torch.randint (``randint(high, size)`` or ``randint(low, high, size)``)."""
    if size is None:
        low, high, size = 0, low, high
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    dtype = dtype or D.int64
    a = _sample(_randint, generator, (low, high), (("shape", shape_arg((size,))), ("dtype", dtype.np)))
    return to_out(_finish(a, device, requires_grad), out)


def randperm(
    n: int, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
) -> Tensor:
    """Mirrors torch.randperm."""
    dtype = dtype or D.int64
    a = _sample(_permutation, generator, (), (("n", builtins.int(n)), ("dtype", dtype.np)))
    return to_out(_finish(a, device, requires_grad), out)


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    return rand(*input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    return randn(*input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randint_like(
    input, low=0, high=None, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None
) -> Tensor:
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype)


def normal(
    mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False
) -> Tensor:
    """Mirrors torch.normal: tensor or float ``mean``/``std`` (broadcast), or a ``size``."""
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        ref = mean if isinstance(mean, Tensor) else std
        shape = jnp.broadcast_shapes(tuple(getattr(mean, "shape", ())), tuple(getattr(std, "shape", ())))
        dtype = ref.dtype
        m = mean._value if isinstance(mean, Tensor) else mean
        s = std._value if isinstance(std, Tensor) else std
        if isinstance(std, Tensor) and not _is_traced(s) and bool(jnp.any(s < 0)):
            raise RuntimeError("normal expects all elements of std >= 0.0")
        return to_out(Tensor._make(_sample(_normal, generator, (m, s), (("shape", shape), ("dtype", dtype.np)))), out)
    if size is None:
        raise TypeError("normal() missing required argument 'size' when mean and std are numbers")
    dtype = dtype or D.get_default_dtype()
    a = _sample(_normal, generator, (mean, std), (("shape", shape_arg((size,))), ("dtype", dtype.np)))
    return to_out(_finish(a, device, requires_grad), out)


def _is_traced(a) -> bool:
    return isinstance(a, jax.core.Tracer)


def bernoulli(input, p=None, *, generator=None, out=None) -> Tensor:
    """Mirrors torch.bernoulli: draws 0/1 with probabilities ``input`` (same dtype as input)."""
    probs = input._value if p is None else jnp.full(input.shape, p, input.dtype.np)
    return to_out(Tensor._make(_sample(_bernoulli, generator, (probs,), (("dtype", input.dtype.np),))), out)


def multinomial(input, num_samples: int, replacement: bool = False, *, generator=None, out=None) -> Tensor:
    """Mirrors torch.multinomial (rows of unnormalized probabilities)."""
    key = _gen(generator).next_key()
    return to_out(
        Tensor._make(jitted(_multinomial, (("n", num_samples), ("replacement", replacement)))(key, input._value)), out
    )


def _multinomial(key, p, *, n, replacement):
    logits = jnp.log(p.astype(jnp.float32))
    if replacement:
        shape = (n, *p.shape[:-1])
        s = jax.random.categorical(key, logits, axis=-1, shape=shape)
        return jnp.moveaxis(s, 0, -1).astype(jnp.int64)
    g = jax.random.gumbel(key, p.shape) + logits  # Gumbel top-k samples without replacement
    return jax.lax.top_k(g, n)[1].astype(jnp.int64)


# in-place samplers, installed as Tensor methods


def _sample_into(self: Tensor, fn, args, static, generator):
    from ..autograd import grad_mode

    a = _sample(fn, generator, args, (("shape", tuple(self.shape)), ("dtype", self.dtype.np), *static))
    with grad_mode.no_grad():
        self._commit(Tensor._make(a))
    return self


def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator=None) -> Tensor:
    return _sample_into(self, _uniform, (a, b), (), generator)


def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    return _sample_into(self, _normal, (mean, std), (), generator)


def exponential_(self, lambd: float = 1.0, *, generator=None) -> Tensor:
    return _sample_into(self, _exponential, (lambd,), (), generator)


def random_(self, from_=0, to=None, *, generator=None) -> Tensor:
    if to is None:
        from_, to = 0, from_ if from_ else 2 ** min(self.dtype.itemsize * 8 - 1, 53)
    return _sample_into(self, _randint, (from_, to), (), generator)


def bernoulli_(self, p=0.5, *, generator=None) -> Tensor:
    from ..autograd import grad_mode

    probs = p._value if isinstance(p, Tensor) else jnp.full(self.shape, p, jnp.float32)
    a = _sample(_bernoulli, generator, (jnp.broadcast_to(probs, self.shape),), (("dtype", self.dtype.np),))
    with grad_mode.no_grad():
        self._commit(Tensor._make(a))
    return self


__all__ = [
    "tensor",
    "as_tensor",
    "asarray",
    "from_numpy",
    "zeros",
    "ones",
    "empty",
    "full",
    "zeros_like",
    "ones_like",
    "empty_like",
    "full_like",
    "arange",
    "range",
    "linspace",
    "logspace",
    "eye",
    "rand",
    "randn",
    "randint",
    "randperm",
    "rand_like",
    "randn_like",
    "randint_like",
    "normal",
    "bernoulli",
    "multinomial",
]
