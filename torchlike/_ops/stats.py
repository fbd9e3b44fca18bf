"""Statistics and searching: histc, histogram, bincount, bucketize, searchsorted, isin, cov, corrcoef, diff,
dist, trapezoid / trapz, cumulative_trapezoid, renorm.

Histograms, counts and searches are jnp programs through ``dispatch``; torch's composite ops (cov,
corrcoef, diff, dist, the trapezoid rules) are compositions of torchlike ops, so their promotion and
gradients are those ops'. Checks that need the data (negative counts or weights, a non-finite range) run
only where the values are concrete; under tracing they are skipped, as DESIGN.md asks. ``bincount``'s
output length depends on the data: under tracing it needs ``minlength``.
"""

from __future__ import annotations

import builtins
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .. import return_types
from .._dispatch import dispatch, not_differentiable
from .._tensor import Tensor, _is_tracer
from ..autograd import grad_mode
from ._reduce_base import _cap, _is_float
from ._util import check_tensor, is_number, to_out, wrap_dim

histogram_type = return_types._return_type("histogram", ("hist", "bin_edges"))


def _concrete(t: Tensor):
    """The tensor's values as numpy, or None under tracing (value checks are then skipped)."""
    return None if _is_tracer(t._value) else np.asarray(t._value)


def _traced_error(what: str, how: str):
    raise RuntimeError(
        f"{what} has a data-dependent output shape, which cannot be traced (inside torchlike.compile or "
        f"torchlike.func). {how}"
    )


# ---------------------------------------------------------------- histc, histogram


def _bins_of(x, edges, *, linear):
    """Bin of each element of ``x`` and whether it is counted (inside the edges; NaN never is)."""
    n = edges.shape[0] - 1
    lo, hi = edges[0], edges[-1]
    if linear:  # histc: torch's plain linear interpolation, in the input dtype
        pos = ((x - lo) * n / (hi - lo)).astype(jnp.int64)
    else:  # histogram: consistent with the returned edges
        pos = jnp.searchsorted(edges, x, side="right").astype(jnp.int64) - 1
    pos = jnp.clip(pos, 0, n - 1)  # the last bin includes its right edge
    return pos, (x >= lo) & (x <= hi)


def _count(x, w, edges, *, linear, density):
    x = x.reshape(-1)
    pos, valid = _bins_of(x, edges, linear=linear)
    w = jnp.ones_like(x) if w is None else w.reshape(-1)
    hist = jnp.zeros(edges.shape[0] - 1, x.dtype).at[pos].add(jnp.where(valid, w, 0))
    if density:
        hist = hist / jnp.sum(hist) / jnp.diff(edges)
    return hist


def _linspace(lo, hi, *, n, dtype):
    """torch's linspace kernel (computed in the output dtype, the second half counted back from ``hi``)."""
    s, e = jnp.asarray(lo).astype(dtype), jnp.asarray(hi).astype(dtype)
    step = (e - s) / max(n - 1, 1)
    i = jnp.arange(n).astype(dtype)
    return jnp.where(i < n // 2, s + step * i, e - step * (n - 1 - i))


def _histc(x, lo, hi, *, bins, from_data):
    if from_data and x.size:
        lo, hi = jnp.min(x).astype(jnp.float64), jnp.max(x).astype(jnp.float64)
    same = lo == hi
    lo, hi = jnp.where(same, lo - 1, lo), jnp.where(same, hi + 1, hi)
    return _count(x, None, _linspace(lo, hi, n=bins + 1, dtype=x.dtype), linear=True, density=False)


def _check_bins(bins: int):
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")


def histc(input, bins: int = 100, min=0, max=0, *, out=None):  # noqa: A002 - torch's names
    """Mirrors torch.histc (float inputs; the result carries no gradient, as in torch)."""
    check_tensor(input, "histc")
    if not _is_float(input.dtype):
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for '{_cap(input.dtype)}'")
    _check_bins(bins)
    lo, hi = builtins.float(min), builtins.float(max)
    from_data = lo == hi
    a = _concrete(input) if from_data and input.numel() else None
    if a is not None:  # torch's range checks, where the data is concrete
        lo, hi = builtins.float(a.min()), builtins.float(a.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{lo:g}, {hi:g}] is not finite")
    if lo >= hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    from_data = from_data and a is None  # traced: the program reads the range from the data
    static = (("bins", builtins.int(bins)), ("from_data", from_data))
    with grad_mode.no_grad():
        return to_out(dispatch(_histc, (input, np.float64(lo), np.float64(hi)), static), out)


def _data_edges(x, *, bins):
    lo, hi = (jnp.min(x), jnp.max(x)) if x.size else (jnp.zeros((), x.dtype), jnp.ones((), x.dtype))
    lo, hi = lo.astype(jnp.float64), hi.astype(jnp.float64)
    same = lo == hi
    return _linspace(jnp.where(same, lo - 0.5, lo), jnp.where(same, hi + 0.5, hi), n=bins + 1, dtype=x.dtype)


def _histogram(x, edges, w, *, density):
    return _count(x, w, edges, linear=False, density=density), edges


def _histogram_data(x, w, *, bins, density):
    edges = _data_edges(x, bins=bins)
    return _count(x, w, edges, linear=False, density=density), edges


def _range_edges(input, bins, range):  # noqa: A002
    lo, hi = range
    for v in (lo, hi):
        if isinstance(v, Tensor) and _is_tracer(v._value):
            raise RuntimeError(
                "histogram(): a tensor-valued range sets the bin edges from data, which cannot be traced "
                "(inside torchlike.compile or torchlike.func); pass Python floats."
            )
    lo, hi = builtins.float(lo), builtins.float(hi)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histogramdd: dimension 0's range [{lo:g}, {hi:g}] is not finite")
    if lo > hi:
        raise RuntimeError(
            f"torch.histogramdd: min should not exceed max, but got min {lo:g} max {hi:g} for dimension 0"
        )
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    from .creation import linspace

    return linspace(lo, hi, bins + 1, dtype=input.dtype)


def histogram(input, bins=100, *, range=None, weight=None, density: bool = False, out=None):  # noqa: A002
    """Mirrors torch.histogram: ``(hist, bin_edges)``; ``bins`` a count or a tensor of edges. Like torch's,
    the result has no derivative (backward through it raises)."""
    check_tensor(input, "histogram")
    if not _is_float(input.dtype) or input.dtype in (D.float16, D.bfloat16):
        name = "histogram_cpu" if isinstance(bins, Tensor) else "histogramdd"
        raise NotImplementedError(f"\"{name}\" not implemented for '{_cap(input.dtype)}'")
    if weight is not None:
        if weight.dtype != input.dtype:
            raise RuntimeError(
                "torch.histogramdd: if weight tensor is provided, input tensor and weight tensor should have the "
                f"same dtype, but got input({input.dtype.name.replace('float32', 'float')}), and "
                f"weight({weight.dtype.name.replace('float64', 'double')})"
            )
        if tuple(weight.shape) != tuple(input.shape):
            raise RuntimeError(
                "torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor "
                f"excluding its innermost dimension, but got input with shape {list(input.shape)} and weight with "
                f"shape {list(weight.shape)}"
            )
    static = (("density", builtins.bool(density)),)
    x, w = input.detach(), None if weight is None else weight.detach()
    if isinstance(bins, Tensor):
        if bins.ndim != 1 or bins.numel() == 0 or bins.dtype != input.dtype:
            raise RuntimeError(
                "torch.histogram(): bins tensor should have one dimension, at least one element and the input's dtype"
            )
        _check_bins(bins.numel() - 1)
        r = dispatch(_histogram, (x, bins.detach(), w), static)
    else:
        _check_bins(bins)
        if range is not None:
            r = dispatch(_histogram, (x, _range_edges(input, bins, range), w), static)
        else:
            a = _concrete(input) if input.numel() else None
            if a is not None and not np.isfinite([a.min(), a.max()]).all():
                raise RuntimeError(f"torch.histogramdd: dimension 0's range [{a.min():g}, {a.max():g}] is not finite")
            r = dispatch(_histogram_data, (x, w), static + (("bins", builtins.int(bins)),))
    args = (input, bins, weight)
    r = tuple(not_differentiable(t, args, "histogram") for t in r)
    return histogram_type(*to_out(r, out))


# ---------------------------------------------------------------- bincount


def _bincount(x, w, *, length, dtype):
    w = jnp.ones(x.shape, dtype) if w is None else w.astype(dtype)
    return jnp.zeros(length, dtype).at[x].add(w, mode="drop")


def bincount(input, weights=None, minlength: int = 0):
    """Mirrors torch.bincount.

    Args:
        minlength: the output has ``max(input) + 1`` entries, or ``minlength`` if more, so its length
            depends on the data. Eagerly it is read from the data, as in torch. Under tracing
            (torchlike.compile, torchlike.func) the data cannot be read: the call needs ``minlength > 0``
            and returns exactly ``minlength`` entries, the caller promising ``input < minlength``
            (values at or past it are dropped, not counted).
    """
    check_tensor(input, "bincount")
    if input.dtype.category != D._CATEGORY_INT:
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for '{_cap(input.dtype)}'")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if input.ndim != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is not None and (weights.ndim != 1 or weights.shape[0] != input.shape[0]):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    a = _concrete(input)
    if a is None:
        if minlength == 0:
            _traced_error("bincount", "Pass minlength (> every value) to give the output a static length.")
        length = minlength
    else:
        if a.size and a.min() < 0:
            raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
        length = builtins.max(builtins.int(a.max()) + 1 if a.size else 0, minlength)
    dt = D.int64 if weights is None else D.float32 if weights.dtype is D.float32 else D.float64
    args = (input, None if weights is None else weights.detach())
    r = dispatch(_bincount, args, (("length", length), ("dtype", dt.np)))
    return not_differentiable(r, (input, weights), "_bincount")


# ---------------------------------------------------------------- bucketize, searchsorted, isin


def _search(seq, v, sorter, *, side, dtype):
    ct = jnp.promote_types(seq.dtype, v.dtype)
    seq, v = seq.astype(ct), v.astype(ct)
    if sorter is not None:
        seq = jnp.take_along_axis(seq, sorter, -1)
    if seq.ndim == 1:
        return jnp.searchsorted(seq, v, side=side).astype(dtype)
    lead = seq.shape[:-1]
    f = jax.vmap(lambda s, x: jnp.searchsorted(s, x, side=side))
    r = f(seq.reshape(-1, seq.shape[-1]), v.reshape(math.prod(lead), -1))
    return r.reshape(v.shape).astype(dtype)


def _value(v):
    if isinstance(v, Tensor):
        return v
    from .creation import tensor

    return tensor(v, dtype=D.scalar_dtype(v))


def searchsorted(
    sorted_sequence, input, *, out_int32: bool = False, right: bool = False, side=None, out=None, sorter=None
):
    """Mirrors torch.searchsorted (``input`` a tensor or a number)."""
    check_tensor(sorted_sequence, "searchsorted", "sorted_sequence")
    scalar = not isinstance(input, Tensor)
    v = _value(input)
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError(
                "torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True"
            )
        right = side == "right"
    if sorted_sequence.ndim == 0:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension"
        )
    if sorted_sequence.ndim > 1:
        if scalar or v.ndim == 0:
            raise RuntimeError(
                "torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension is 1, but we "
                f"got boundaries tensor dim({sorted_sequence.ndim}) and input value's dim({v.ndim}) numel({v.numel()})"
            )
        if tuple(sorted_sequence.shape[:-1]) != tuple(v.shape[:-1]) or sorted_sequence.ndim != v.ndim:
            raise RuntimeError(
                "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of "
                "boundaries tensor and input value tensor must match, but we got boundaries tensor "
                f"{list(sorted_sequence.shape)} and input value tensor {list(v.shape)}"
            )
    if sorter is not None:
        if sorter.dtype is not D.int64:
            raise RuntimeError(
                "torch.searchsorted(): sorter must be a tensor of long dtype but got " + sorter.dtype.name
            )
        if tuple(sorter.shape) != tuple(sorted_sequence.shape):
            raise RuntimeError(
                "torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor "
                f"{list(sorted_sequence.shape)}and got sorter tensor {list(sorter.shape)}"
            )
    if D.bool in (sorted_sequence.dtype, v.dtype):
        raise NotImplementedError("\"searchsorted_out_cpu\" not implemented for 'Bool'")
    static = (("side", "right" if right else "left"), ("dtype", np.int32 if out_int32 else np.int64))
    return to_out(dispatch(_search, (sorted_sequence, v, sorter), static), out)


def bucketize(input, boundaries, *, out_int32: bool = False, right: bool = False, out=None):
    """Mirrors torch.bucketize (``input`` a tensor or a number)."""
    check_tensor(boundaries, "bucketize", "boundaries")
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right, out=out)


def _isin(e, t, *, invert):
    ct = jnp.promote_types(e.dtype, t.dtype)
    r = jnp.isin(e.astype(ct), t.astype(ct).reshape(-1))
    return ~r if invert else r


def isin(elements, test_elements, *, assume_unique: bool = False, invert: bool = False):
    """Mirrors torch.isin (either argument may be a number)."""
    if is_number(elements) and is_number(test_elements):
        raise TypeError("isin() received an invalid combination of arguments: at least one must be a Tensor")
    e, t = _value(elements), _value(test_elements)
    for a in (e, t):
        if a.dtype is D.bool:
            raise RuntimeError("Unsupported input type encountered for isin(): Bool")
    return dispatch(_isin, (e, t), (("invert", builtins.bool(invert)),))


# ---------------------------------------------------------------- cov, corrcoef


def _check_weights(w, kind: str, n: int, integral: bool):
    if w.ndim > 1:
        raise RuntimeError(
            f"cov(): expected {kind} to have one or fewer dimensions but got {kind} with {w.ndim} dimensions"
        )
    ok = w.dtype.category == D._CATEGORY_INT if integral else _is_float(w.dtype) and not w.is_complex()
    if not ok:
        want = "integral" if integral else "floating point"
        raise RuntimeError(f"cov(): expected {kind} to have {want} dtype but got {kind} with {_cap(w.dtype)} dtype")
    if w.numel() != n:
        raise RuntimeError(
            f"cov(): expected {kind} to have the same numel as there are observations in the input but got "
            f"{w.numel()} != {n}"
        )
    a = _concrete(w)
    if n and a is not None and a.min() < 0:
        raise RuntimeError(f"cov(): {kind} cannot be negative")


def cov(input, *, correction: int = 1, fweights=None, aweights=None):
    """Mirrors torch.cov (rows are variables, columns observations)."""
    from . import linalg, pointwise
    from .creation import tensor, zeros_like

    check_tensor(input, "cov")
    if input.ndim > 2:
        raise RuntimeError(
            f"cov(): expected input to have two or fewer dimensions but got an input with {input.ndim} dimensions"
        )
    if input.dtype is D.bool:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = input if input.ndim == 2 else input.reshape(1, -1)
    n = x.shape[1]
    w = None
    if fweights is not None:
        _check_weights(fweights, "fweights", n, integral=True)
        w = fweights
    if aweights is not None:
        _check_weights(aweights, "aweights", n, integral=False)
        w = aweights if w is None else w * aweights
    w_sum = tensor(n) if w is None else w.sum()
    if w is not None and (s := _concrete(w_sum)) is not None and s == 0:
        raise RuntimeError("cov(): weights sum to zero, can't be normalized")
    avg = (x if w is None else x * w).sum(1) / w_sum
    if w is None:
        nf = tensor(n - correction)
    elif correction == 0:
        nf = w_sum
    elif aweights is None:
        nf = w_sum - correction
    elif fweights is None and n == 1 and correction == 1:
        nf = tensor(0)
    else:
        nf = w_sum - correction * (w * aweights).sum() / w_sum
    f = _concrete(nf)
    if f is None or f <= 0:
        if f is not None:
            warnings.warn(
                "cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of "
                "observations.",
                UserWarning,
                stacklevel=2,
            )
        nf = pointwise.where(nf > 0, nf, 0)
    if n == 1 and (fweights is None) != (aweights is None):
        xc = zeros_like(x) if _is_float(x.dtype) else zeros_like(x, dtype=D.float32)
    else:
        xc = x - avg.unsqueeze(1)
    c = linalg.mm(xc, (xc if w is None else xc * w).t().conj())
    return pointwise.true_divide(c, nf).squeeze()


def corrcoef(input):
    """Mirrors torch.corrcoef."""
    check_tensor(input, "corrcoef")
    if input.ndim > 2:
        raise RuntimeError(
            f"corrcoef(): expected input to have two or fewer dimensions but got an input with {input.ndim} dimensions"
        )
    c = cov(input)
    if c.ndim == 0:
        return c / c
    d = c.diagonal()
    std = (d.real if d.is_complex() else d).sqrt()
    c = c / std.view(-1, 1) / std.view(1, -1)
    return c.clip(-1, 1)


# ---------------------------------------------------------------- diff, dist


def diff(input, n: int = 1, dim: int = -1, prepend=None, append=None):
    """Mirrors torch.diff."""
    from .shape import cat

    check_tensor(input, "diff")
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = wrap_dim(dim, input.ndim)
    parts = []
    for extra in (prepend, input, append):
        if extra is None:
            continue
        if extra is not input:
            if extra.ndim != input.ndim:
                raise RuntimeError("diff expects prepend or append to be the same dimension as input")
            for i in builtins.range(input.ndim):
                if i != d and extra.shape[i] != input.shape[i]:
                    raise RuntimeError(
                        "diff expects the shape of tensor to prepend or append to match that of input except along "
                        f"the differencing dimension; input.size({i}) = {input.shape[i]}, but got "
                        f"tensor.size({i}) = {extra.shape[i]}"
                    )
        parts.append(extra)
    x = cat(parts, d) if len(parts) > 1 else input
    for _ in builtins.range(builtins.min(n, x.shape[d])):
        m = x.shape[d] - 1
        hi, lo = x.narrow(d, 1, m), x.narrow(d, 0, m)
        x = hi.logical_xor(lo) if x.dtype is D.bool else hi - lo
    return x


def dist(input, other, p=2):
    """Mirrors torch.dist: the p-norm of ``input - other``."""
    from .linalg import vector_norm

    check_tensor(input, "dist")
    d = input - other
    if not _is_float(d.dtype):
        raise RuntimeError(
            f"norm(): input dtype should be either floating point or complex. Got {_cap(d.dtype)} instead."
        )
    return vector_norm(d, builtins.float(p))


# ---------------------------------------------------------------- trapezoid rules


def _dx(y: Tensor, x: Tensor, d: int, fname: str) -> Tensor:
    if y.dtype is D.bool or x.dtype is D.bool:
        raise RuntimeError(f"{fname}: received a bool input for `x` or `y`, but bool is not supported")
    if x.ndim == 1:
        if x.shape[0] != y.shape[d]:
            raise RuntimeError(f"{fname}: There must be one `x` value for each sample point")
        x = x.view(*[x.shape[0] if i == d else 1 for i in builtins.range(y.ndim)])
    elif x.ndim < y.ndim:
        x = x.view(*([1] * (y.ndim - x.ndim)), *x.shape)
    m = builtins.max(x.shape[d] - 1, 0)
    return x.narrow(d, builtins.min(1, x.shape[d]), m) - x.narrow(d, 0, m)


def _check_dx(y: Tensor, dx, fname: str):
    if y.dtype is D.bool:
        raise RuntimeError(f"{fname}: received a bool input for `y`, but bool is not supported")
    if isinstance(dx, (builtins.bool, complex)):
        raise RuntimeError(f"{fname}: Currently, we only support dx as a real number.")


def _pair(y: Tensor, d: int):
    m = builtins.max(y.shape[d] - 1, 0)
    return y.narrow(d, 0, m) + y.narrow(d, builtins.min(1, y.shape[d]), m)


def _xy(fname, y, x, dx):
    check_tensor(y, fname, "y")
    if x is not None and not isinstance(x, Tensor):
        raise TypeError(f"{fname}(): argument 'x' must be Tensor, not {type(x).__name__}")
    if x is not None and dx is not None:
        raise TypeError(f"{fname}() received an invalid combination of arguments: pass either x or dx")


def trapezoid(y, x=None, *, dx=None, dim: int = -1):
    """Mirrors torch.trapezoid: ``trapezoid(y, x)`` or ``trapezoid(y, dx=1)``."""
    from .creation import zeros

    _xy("trapezoid", y, x, dx)
    d = wrap_dim(dim, y.ndim)
    if y.shape[d] == 0:
        return zeros(*[s for i, s in enumerate(y.shape) if i != d], dtype=y.dtype)
    if x is not None:
        return (_pair(y, d) * _dx(y, x, d, "trapezoid")).sum(d) / 2.0
    dx = 1 if dx is None else dx
    _check_dx(y, dx, "trapezoid")
    return (y.sum(d) - (y.select(d, 0) + y.select(d, -1)) * 0.5) * builtins.float(dx)


def trapz(y, x=None, *, dx=None, dim: int = -1):
    """Mirrors torch.trapz (trapezoid's older name)."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y, x=None, *, dx=None, dim: int = -1):
    """Mirrors torch.cumulative_trapezoid."""
    _xy("cumulative_trapezoid", y, x, dx)
    d = wrap_dim(dim, y.ndim)
    if x is not None:
        return (_pair(y, d) * _dx(y, x, d, "cumulative_trapezoid")).cumsum(d) / 2.0
    dx = 1 if dx is None else dx
    _check_dx(y, dx, "cumulative_trapezoid")
    return (builtins.float(dx) / 2.0 * _pair(y, d)).cumsum(d)


# ---------------------------------------------------------------- renorm


def _renorm(x, *, p, axis, maxnorm):
    axes = tuple(i for i in builtins.range(x.ndim) if i != axis)
    a = jnp.abs(x.astype(jnp.promote_types(x.dtype, jnp.float32)))
    if p == math.inf:
        norm = jnp.max(a, axes, keepdims=True)
    else:
        s = jnp.sum(a**p, axes, keepdims=True)
        pos = s > 0  # the root's gradient at 0 is inf: keep it out of the unused branch
        norm = jnp.where(pos, jnp.where(pos, s, 1) ** (1 / p), 0)
    factor = jnp.where(norm > maxnorm, maxnorm / (norm + 1e-7), 1)
    return (x * factor).astype(x.dtype)


def renorm(input, p, dim: int, maxnorm):
    """Mirrors torch.renorm: each slice along ``dim`` whose p-norm exceeds ``maxnorm`` is scaled down to it."""
    check_tensor(input, "renorm")
    p, maxnorm = builtins.float(p), builtins.float(maxnorm)
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm:g}")
    if input.ndim <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.ndim} dimensions")
    if not _is_float(input.dtype):
        raise RuntimeError(f"\"renorm_out\" not implemented for '{_cap(input.dtype)}'")
    static = (("p", p), ("axis", wrap_dim(dim, input.ndim)), ("maxnorm", maxnorm))
    return dispatch(_renorm, (input,), static, "RenormBackward0")


__all__ = [
    "histc",
    "histogram",
    "bincount",
    "bucketize",
    "searchsorted",
    "isin",
    "cov",
    "corrcoef",
    "diff",
    "dist",
    "trapezoid",
    "trapz",
    "cumulative_trapezoid",
    "renorm",
]
METHODS = ["histc", "histogram", "bincount", "cov", "corrcoef", "diff", "dist", "renorm"]
INPLACE = ["renorm"]
