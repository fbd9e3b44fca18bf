"""Generated alias families: torch's top-level in-place functions (``torch.abs_(x)`` is
``x.abs_()``), the ``*_copy`` view-copy functions (``torch.permute_copy`` is ``permute`` then a copy),
and the split / narrow variants that torch names separately (``split_with_sizes``, ``unsafe_split``,
``hsplit``, ``narrow_copy``).

Each family is one generic wrapper and a table of names; nothing here computes on its own.
"""

from __future__ import annotations

import builtins

from .._dispatch import not_differentiable
from .._tensor import _wrap_dim
from ..autograd import grad_mode
from . import complex as _complex
from . import shape
from ._util import check_tensor, to_out

# ---------------------------------------------------------------- torch.X_(input, ...) -> input.X_(...)

# (torch.relu_ is nn_aliases.py's, from nn.functional)
INPLACE_FUNCTIONS = """
abs_ acos_ acosh_ addmv_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ as_strided_ asin_ asinh_ atan_
atanh_ ceil_ clamp_ clamp_max_ clamp_min_ clip_ cos_ cosh_ deg2rad_ detach_ erf_ erfc_ exp2_ exp_ expm1_ fill_
fix_ floor_ frac_ gcd_ i0_ index_put_ lcm_ ldexp_ log10_ log1p_ log2_ log_ logit_ nan_to_num_ neg_ negative_
rad2deg_ reciprocal_ round_ rsqrt_ sigmoid_ sin_ sinc_ sinh_ sqrt_ square_ tan_ tanh_ trunc_ xlogy_ zero_
""".split()


def _inplace_function(name: str):
    def fn(input, *args, **kwargs):
        check_tensor(input, name)
        return getattr(input, name)(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Mirrors torch.{name} (calls Tensor.{name})."
    return fn


globals().update({n: _inplace_function(n) for n in INPLACE_FUNCTIONS})


def fill(input, value):
    """Mirrors torch.fill: a new tensor like ``input`` filled with ``value``."""
    return input.clone().fill_(value)


def _as_strided_(self, size, stride, storage_offset=None):
    from . import _inplace_view

    return _inplace_view(shape.as_strided, "as_strided_")(self, size, stride, storage_offset)


# ---------------------------------------------------------------- split and narrow variants


def split_with_sizes(input, split_sizes, dim: int = 0) -> tuple:
    """Mirrors torch.split_with_sizes."""
    return shape.split(input, list(split_sizes), dim)


def _check_split_dims(name: str, input, need: int, dim: int, ios) -> int:
    if input.ndim < need:
        raise RuntimeError(
            f"torch.{name} requires a tensor with at least {need} dimension{'s' if name == 'dsplit' else ''}, but got "
            f"a tensor with {input.ndim} dimensions!"
        )
    if isinstance(ios, builtins.int):
        n = input.shape[dim]
        if ios == 0 or n % ios:
            raise RuntimeError(
                f"torch.{name} attempted to split along dimension {dim}, but the size of the dimension {n} is not "
                f"divisible by the split_size {ios}!"
            )
    return dim


def hsplit(input, indices_or_sections) -> tuple:
    """Mirrors torch.hsplit (dim 1, or dim 0 for 1-d tensors)."""
    d = _check_split_dims("hsplit", input, 1, 1 if input.ndim > 1 else 0, indices_or_sections)
    return shape.tensor_split(input, indices_or_sections, d)


def vsplit(input, indices_or_sections) -> tuple:
    """Mirrors torch.vsplit (dim 0)."""
    d = _check_split_dims("vsplit", input, 2, 0, indices_or_sections)
    return shape.tensor_split(input, indices_or_sections, d)


def dsplit(input, indices_or_sections) -> tuple:
    """Mirrors torch.dsplit (dim 2)."""
    d = _check_split_dims("dsplit", input, 3, 2, indices_or_sections)
    return shape.tensor_split(input, indices_or_sections, d)


# torch's unsafe_* variants skip its view bookkeeping; here they are the ordinary views
unsafe_chunk = shape.chunk
unsafe_split = shape.split
unsafe_split_with_sizes = split_with_sizes


# ---------------------------------------------------------------- *_copy: the view, then a copy


def _slice(input, dim: int = 0, start=None, end=None, step: int = 1):
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    d = _wrap_dim(dim, input.ndim)
    return input[(slice(None),) * d + (slice(start, end, step),)]


def _no_complex_grad(input):
    if grad_mode.is_grad_enabled() and input.requires_grad:
        raise RuntimeError(
            "view_as_complex_copy does not support automatic differentiation for outputs with complex dtype."
        )
    return input


_COPY_VIEWS = {
    "alias_copy": lambda input: input,
    "as_strided_copy": shape.as_strided,
    "diagonal_copy": shape.diagonal,
    "expand_copy": lambda input, size, *, implicit=False: shape.expand(input, *size),
    "narrow_copy": shape.narrow,
    "permute_copy": lambda input, dims: shape.permute(input, *dims),
    "select_copy": shape.select,
    "slice_copy": _slice,
    "split_copy": shape.split,
    "split_with_sizes_copy": split_with_sizes,
    "squeeze_copy": shape.squeeze,
    "t_copy": shape.t,
    "transpose_copy": shape.transpose,
    "unbind_copy": shape.unbind,
    "unfold_copy": shape.unfold,
    "unsqueeze_copy": shape.unsqueeze,
    "view_copy": lambda input, size: shape.view(input, size),
    "view_as_real_copy": _complex.view_as_real,
    "view_as_complex_copy": lambda input: _complex.view_as_complex(_no_complex_grad(input)),
}


def _copy_function(name: str, view):
    def fn(input, *args, out=None, **kwargs):
        check_tensor(input, name)
        r = view(input, *args, **kwargs)
        r = tuple(t.clone() for t in r) if isinstance(r, (tuple, list)) else r.clone()
        return to_out(r, out)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Mirrors torch.{name}: torch.{name[:-5]} as a new tensor."
    return fn


globals().update({n: _copy_function(n, v) for n, v in _COPY_VIEWS.items()})


def detach_copy(input, *, out=None):
    """Mirrors torch.detach_copy: a detached copy whose grad_fn, as torch's, raises on backward."""
    check_tensor(input, "detach_copy")
    return to_out(not_differentiable(input.detach().clone(), (input,), "detach_copy"), out)


__all__ = [
    *INPLACE_FUNCTIONS,
    "fill",
    *_COPY_VIEWS,
    "detach_copy",
    "split_with_sizes",
    "hsplit",
    "vsplit",
    "dsplit",
    "unsafe_chunk",
    "unsafe_split",
    "unsafe_split_with_sizes",
]
METHODS = ["split_with_sizes", "hsplit", "vsplit", "dsplit", "unsafe_chunk", "unsafe_split", "unsafe_split_with_sizes"]
INPLACE: list = []
EXTRA_METHODS = {"narrow_copy": globals()["narrow_copy"], "as_strided_": _as_strided_}
