"""Small tensor methods torch has besides its op families: predicates (is_nonzero, is_signed, ...),
the legacy ``Tensor.new``, sum_to_size, fill_diagonal_, the view-scatter ops (select_scatter,
slice_scatter, diagonal_scatter, as_strided_scatter), more in-place samplers (log_normal_, cauchy_,
geometric_), poisson / binomial, and the memory no-ops (pin_memory, share_memory_).

A view-scatter op is the view's write-back as a function: ``select_scatter(x, src, 0, 1)`` is
``x`` with ``x.select(0, 1)`` replaced by ``src``, computed by ``write_steps`` over the same view
steps the view itself uses, so every view kind gets its scatter (and its gradient) for free.
"""

from __future__ import annotations

import builtins
import math
import weakref

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._dispatch import dispatch
from .._size import Size
from .._tensor import Tensor, _concrete, write_steps
from . import _views, creation, shape
from ._aliases import _slice
from ._pointwise_base import _cap
from ._util import check_tensor, shape_arg

# ---------------------------------------------------------------- predicates


def is_nonzero(input) -> bool:
    """Mirrors torch.is_nonzero."""
    n = input.numel()
    if n != 1:
        raise RuntimeError(
            f"Boolean value of Tensor with {'no values' if n == 0 else 'more than one value'} is ambiguous"
        )
    return builtins.bool(_concrete(input, "is_nonzero()").reshape(()) != 0)


def is_same_size(input, other) -> bool:
    """Mirrors torch.is_same_size."""
    return tuple(input.shape) == tuple(other.shape)


def is_signed(input) -> bool:
    """Mirrors torch.is_signed."""
    return input.dtype.is_signed


def is_inference(input) -> bool:
    """Mirrors torch.is_inference. Always False: torchlike's inference_mode is no_grad, so no tensor is an
    inference tensor."""
    return False


def get_device(input) -> int:
    """Mirrors torch.get_device: -1 on the CPU, else the device index."""
    d = input.device
    return -1 if d.type == "cpu" else (d.index or 0)


# ---------------------------------------------------------------- Tensor.new, sum_to_size, fill_diagonal_


def _new(self, *args, device=None):
    """Mirrors the legacy torch.Tensor.new: sizes give an uninitialized tensor, a sequence gives data."""
    if len(args) == 1 and isinstance(args[0], Tensor):
        if args[0].dtype is not self.dtype:
            raise TypeError(f"expected {self.dtype} (got {args[0].dtype})")
        return args[0].detach()
    if not args:
        return creation.empty(0, dtype=self.dtype, device=device or self.device)
    if len(args) == 1 and isinstance(args[0], Size) or all(isinstance(a, (builtins.int, np.integer)) for a in args):
        return creation.empty(*args, dtype=self.dtype, device=device or self.device)
    if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray)):
        return creation.tensor(args[0], dtype=self.dtype, device=device or self.device)
    raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")


def sum_to_size(self, *size):
    """Mirrors torch.Tensor.sum_to_size: sums the dims that ``size`` broadcasts."""
    size = shape_arg(size)
    have = tuple(self.shape)
    lead = len(have) - len(size)
    if lead < 0 or any(s != h and s != 1 for s, h in zip(size, have[lead:])):
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(have)}}}.")
    r = self.sum(tuple(range(lead))) if lead else self
    dims = tuple(i for i, (s, h) in enumerate(zip(size, have[lead:])) if s == 1 and h != 1)
    return r.sum(dims, keepdim=True) if dims else r


def _fill_where(x, mask, value):
    return jnp.where(mask, jnp.asarray(value).astype(x.dtype), x)


def fill_diagonal_(self, fill_value, wrap: bool = False):
    """Mirrors torch.Tensor.fill_diagonal_."""
    shp = tuple(self.shape)
    if len(shp) < 2:
        raise RuntimeError("dimensions must larger than 1")
    if len(shp) > 2 and len(set(shp)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    n = math.prod(shp)
    if len(shp) == 2:
        step = shp[1] + 1
        stop = n if wrap and shp[0] > shp[1] + 1 else min(shp) * shp[1]
    else:
        step, stop = sum(math.prod(shp[d + 1 :]) for d in range(len(shp))), n
    mask = np.zeros(n, bool)
    mask[0:stop:step] = True
    return self._commit(dispatch(_fill_where, (self, mask.reshape(shp), fill_value), (), "FillBackward"))


# ---------------------------------------------------------------- view scatters


def _scatter(input, src, view, name: str):
    """``input`` with the elements of ``view`` (a view of ``input``) replaced by ``src``."""
    if not isinstance(src, Tensor):
        raise TypeError(f"{name}(): argument 'src' (position 2) must be Tensor, not {type(src).__name__}")
    if tuple(src.shape) != tuple(view.shape):
        raise RuntimeError(
            f"expected src to have a size equal to the slice of self. src size = {list(src.shape)}, slice size = "
            f"{list(view.shape)}"
        )
    steps = view._steps  # ``view`` is a view of ``_detached(input)``, whose chain starts at ``input``'s value
    return dispatch(write_steps, (input, src), (("steps", steps),), "".join(p.capitalize() for p in name.split("_")))


def _detached(input):
    return Tensor._make(input._value)  # its views' steps start at ``input``'s value, not at its storage


def select_scatter(input, src, dim: int, index: int):
    """Mirrors torch.select_scatter."""
    return _scatter(input, src, shape.select(_detached(input), dim, index), "select_scatter")


def slice_scatter(input, src, dim: int = 0, start=None, end=None, step: int = 1):
    """Mirrors torch.slice_scatter."""
    return _scatter(input, src, _slice(_detached(input), dim, start, end, step), "slice_scatter")


def diagonal_scatter(input, src, offset: int = 0, dim1: int = 0, dim2: int = 1):
    """Mirrors torch.diagonal_scatter."""
    return _scatter(input, src, shape.diagonal(_detached(input), offset, dim1, dim2), "diagonal_scatter")


def _memory_order(t) -> tuple:
    """The dims of ``t`` from outermost to innermost in memory, when its layout is dense (so that torch's
    ``clone`` keeps it); else the row-major order a copy gets."""
    sizes, strides = tuple(t.shape), t.stride()
    perm = tuple(sorted(range(t.ndim), key=lambda d: -strides[d]))
    dense = _views._contiguous([sizes[d] for d in perm])
    if all(sizes[d] == 1 or strides[d] == s for d, s in zip(perm, dense)):
        return perm
    return tuple(range(t.ndim))


def as_strided_scatter(input, src, size, stride, storage_offset=None):
    """Mirrors torch.as_strided_scatter: strides count over a copy of ``input`` laid out as torch's clone."""
    perm = _memory_order(input)
    inv = tuple(int(i) for i in np.argsort(perm))
    flat = shape.permute(input, *perm)  # row-major in memory order
    view = shape.as_strided(_detached(flat), size, stride, storage_offset or 0)
    return shape.permute(_scatter(flat, src, view, "as_strided_scatter"), *inv)


# ---------------------------------------------------------------- samplers


def _log_normal(key, mean, std, *, shape, dtype):
    wide = jnp.float32 if dtype in (jnp.bfloat16, jnp.float16) else dtype
    return jnp.exp(mean + std * jax.random.normal(key, shape, wide)).astype(dtype)


def _cauchy(key, median, sigma, *, shape, dtype):
    wide = jnp.float32 if dtype in (jnp.bfloat16, jnp.float16) else dtype
    return (median + sigma * jax.random.cauchy(key, shape, wide)).astype(dtype)


def _geometric(key, p, *, shape, dtype):
    # the number of Bernoulli(p) trials up to the first success: ceil(log(u) / log(1 - p)), u in (0, 1)
    u = jax.random.uniform(key, shape, jnp.float64, minval=jnp.finfo(jnp.float64).tiny)
    return jnp.maximum(jnp.ceil(jnp.log(u) / jnp.log1p(-p)), 1).astype(dtype)


def log_normal_(self, mean: float = 1, std: float = 2, *, generator=None):
    """Mirrors torch.Tensor.log_normal_ (JAX's stream, not torch's)."""
    if self.dtype.category != D._CATEGORY_FLOAT:
        raise NotImplementedError(f"\"log_normal_cpu\" not implemented for '{_cap(self.dtype)}'")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std}")
    return creation._sample_into(self, _log_normal, (mean, std), (), generator)


def cauchy_(self, median: float = 0, sigma: float = 1, *, generator=None):
    """Mirrors torch.Tensor.cauchy_ (JAX's stream, not torch's)."""
    if self.dtype.category != D._CATEGORY_FLOAT:
        raise RuntimeError(
            "Cauchy distribution is a continuous probability distribution. dtype must be a floating point but you "
            f"specified {_C_NAMES.get(self.dtype.name, self.dtype.name)}"
        )
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma}")
    return creation._sample_into(self, _cauchy, (median, sigma), (), generator)


_C_NAMES = {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char"}
_C_NAMES["bool"] = "bool"


def geometric_(self, p: float, *, generator=None):
    """Mirrors torch.Tensor.geometric_ (JAX's stream, not torch's)."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
    return creation._sample_into(self, _geometric, (p,), (), generator)


def _poisson(key, rate, *, dtype):
    return jax.random.poisson(key, rate, rate.shape).astype(dtype)


def poisson(input, generator=None):
    """Mirrors torch.poisson (JAX's stream, not torch's)."""
    check_tensor(input, "poisson")
    if input.dtype.category != D._CATEGORY_FLOAT:
        raise NotImplementedError(f"\"poisson_cpu\" not implemented for '{_cap(input.dtype)}'")
    return Tensor._make(creation._sample(_poisson, generator, (input._value,), (("dtype", input.dtype.np),)))


def _binomial(key, count, prob, *, dtype):
    count, prob = jnp.broadcast_arrays(count, prob)
    return jax.random.binomial(key, count, prob, count.shape).astype(dtype)


def binomial(count, prob, generator=None):
    """Mirrors torch.binomial (JAX's stream, not torch's)."""
    check_tensor(count, "binomial", "count")
    if count.dtype.category != D._CATEGORY_FLOAT:
        raise ValueError(f"binomial only supports floating-point dtypes for count, got: {_cap(count.dtype)}")
    if prob.dtype is not count.dtype:
        raise RuntimeError(f"Found dtype {_cap(prob.dtype)} but expected {_cap(count.dtype)}")
    a = creation._sample(_binomial, generator, (count._value, prob._value), (("dtype", count.dtype.np),))
    return Tensor._make(a)


def _bernoulli_method(self, p=None, *, generator=None):
    return creation.bernoulli(self, p, generator=generator)


def _multinomial_method(self, num_samples: int, replacement: bool = False, *, generator=None):
    return creation.multinomial(self, num_samples, replacement, generator=generator)


# ---------------------------------------------------------------- memory no-ops

_SHARED: weakref.WeakSet = weakref.WeakSet()


def share_memory_(self):
    """Mirrors torch.Tensor.share_memory_: a no-op here (one process's JAX arrays) that marks the storage."""
    _SHARED.add(self._storage)
    return self


def is_shared(self) -> bool:
    return self._storage in _SHARED


def pin_memory(self, device=None):
    """Mirrors torch.Tensor.pin_memory: needs an accelerator, as in torch; then a copy."""
    from .. import cuda

    if not cuda.is_available():
        raise RuntimeError("Cannot access accelerator device when none is available.")
    return self.clone()


def is_pinned(self, device=None) -> bool:
    return False


__all__ = [
    "is_nonzero",
    "is_same_size",
    "is_signed",
    "is_inference",
    "get_device",
    "select_scatter",
    "slice_scatter",
    "diagonal_scatter",
    "as_strided_scatter",
    "poisson",
    "binomial",
]
METHODS = [n for n in __all__ if n not in ("poisson", "binomial")]
INPLACE: list = []
EXTRA_METHODS = {
    "new": _new,
    "sum_to_size": sum_to_size,
    "fill_diagonal_": fill_diagonal_,
    "log_normal_": log_normal_,
    "cauchy_": cauchy_,
    "geometric_": geometric_,
    "bernoulli": _bernoulli_method,
    "multinomial": _multinomial_method,
    "share_memory_": share_memory_,
    "is_shared": is_shared,
    "pin_memory": pin_memory,
    "is_pinned": is_pinned,
}
