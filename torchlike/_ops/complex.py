"""Complex numbers: real / imag views, conj (a lazy view, as torch's conj bit), angle, complex,
polar, view_as_real / view_as_complex.

``x.real``, ``x.imag``, ``x.conj()``, ``view_as_real`` and ``view_as_complex`` are views: steps in
the tensor's view chain (``Tensor._view``) that reinterpret elements instead of selecting them.
Each such step carries a ``write`` rule (the new input for a new output), which
``_tensor.write_steps`` uses to write back through it, and a layout rule in ``_views._RULES`` giving
torch's strides and storage offset (in units of the view's own dtype).
"""

from __future__ import annotations

import math

import jax.numpy as jnp
from jax import lax

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor
from . import _views
from ._pointwise_base import _cap, _check_broadcast, _float_of, _unary
from ._util import check_tensor, to_out

# ---------------------------------------------------------------- view steps


def _v_real(a):
    return jnp.real(a)


def _v_imag(a):
    return jnp.imag(a)


def _v_conj(a):
    return jnp.conj(a)


def _v_as_real(a):
    return jnp.stack([jnp.real(a), jnp.imag(a)], axis=-1)


def _v_as_complex(a):
    return lax.complex(a[..., 0], a[..., 1])


_v_real.write = lambda parent, value: lax.complex(value.astype(jnp.real(parent).dtype), jnp.imag(parent))
_v_imag.write = lambda parent, value: lax.complex(jnp.real(parent), value.astype(jnp.real(parent).dtype))
_v_conj.write = lambda parent, value: jnp.conj(value).astype(parent.dtype)
_v_as_real.write = lambda parent, value: lax.complex(value[..., 0], value[..., 1]).astype(parent.dtype)
_v_as_complex.write = lambda parent, value: _v_as_real(value).astype(parent.dtype)


def _m_part(imag):
    def rule(layout):
        sizes, strides, offset = layout
        return sizes, tuple(2 * s for s in strides), 2 * offset + imag

    return rule


def _m_as_real(layout):
    sizes, strides, offset = layout
    return (*sizes, 2), (*(2 * s for s in strides), 1), 2 * offset


def _m_as_complex(layout):
    sizes, strides, offset = layout
    return sizes[:-1], tuple(s // 2 for s in strides[:-1]), offset // 2


_views._RULES.update(
    {
        _v_real: _m_part(0),
        _v_imag: _m_part(1),
        _v_conj: lambda layout: layout,
        _v_as_real: _m_as_real,
        _v_as_complex: _m_as_complex,
    }
)

# ---------------------------------------------------------------- conj and neg bits


def _bits(t: Tensor) -> tuple:
    """(conj bit, neg bit) of ``t``: a conj step flips the first; the imag of a conj view has the second."""
    conj = neg = False
    for fn, _ in t._steps:
        if fn is _v_conj:
            conj = not conj
        elif fn is _v_imag:
            neg, conj = conj, False
        elif fn is _v_real or fn is _v_as_real:
            conj = False
    return conj, neg


def is_conj(input) -> bool:
    """Mirrors torch.is_conj."""
    return input.dtype.is_complex and _bits(input)[0]


def is_neg(input) -> bool:
    """Mirrors torch.is_neg."""
    return _bits(input)[1]


def conj(input):
    """Mirrors torch.conj: a lazy conjugate view of a complex tensor; ``input`` itself otherwise."""
    check_tensor(input, "conj")
    if not input.dtype.is_complex:
        return input
    return input._view(_v_conj, (), "ConjBackward0")


def resolve_conj(input):
    """Mirrors torch.resolve_conj: a materialized copy of a conj view, else ``input``."""
    return input.clone() if is_conj(input) else input


def resolve_neg(input):
    """Mirrors torch.resolve_neg: a materialized copy of a negative view, else ``input``."""
    return input.clone() if is_neg(input) else input


def _conj_physical(x):
    return jnp.conj(x)


def conj_physical(input, *, out=None):
    """Mirrors torch.conj_physical: the conjugate as a new tensor (``input`` itself for real tensors)."""
    check_tensor(input, "conj_physical")
    if not input.dtype.is_complex:
        return to_out(input, out) if out is not None else input
    return to_out(dispatch(_conj_physical, (input,), (), "ConjPhysicalBackward0"), out)


def conj_physical_(input):
    """Mirrors torch.conj_physical_."""
    if not input.dtype.is_complex:
        return input
    return input._commit(conj_physical(input))


# ---------------------------------------------------------------- real, imag


def real(input):
    """Mirrors torch.real: a view of the real parts (``input`` itself for real tensors)."""
    check_tensor(input, "real")
    if not input.dtype.is_complex:
        return input
    return input._view(_v_real, (), "RealBackward0")


def imag(input):
    """Mirrors torch.imag: a view of the imaginary parts."""
    check_tensor(input, "imag")
    if not input.dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return input._view(_v_imag, (), "ImagBackward0")


def _setter(part):
    def set_part(self, value):
        from .creation import tensor

        part(self).copy_(value if isinstance(value, Tensor) else tensor(value))

    return set_part


def _angle(x, *, dtype):
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        return jnp.angle(x)
    x = x.astype(dtype)
    zero = jnp.zeros_like(x)
    # torch: pi for negatives, nan stays nan, and a zero gradient everywhere
    return lax.stop_gradient(jnp.where(jnp.isnan(x), x, jnp.where(x < 0, jnp.asarray(math.pi, dtype), zero)))


def angle(input, *, out=None):
    """Mirrors torch.angle."""
    check_tensor(input, "angle")
    dt = input.dtype.to_real() if input.dtype.is_complex else _float_of(input.dtype)
    return to_out(dispatch(_angle, (input,), (("dtype", dt.np),), "AngleBackward0"), out)


# ---------------------------------------------------------------- building complex tensors


def _check_parts(a, b, fname):
    for arg, x, pos in (("real", a, 1), ("imag", b, 2)) if fname == "complex" else (("abs", a, 1), ("angle", b, 2)):
        if not isinstance(x, Tensor):
            raise TypeError(f"{fname}(): argument '{arg}' (position {pos}) must be Tensor, not {type(x).__name__}")
    if a.dtype not in (D.float32, D.float64, D.float16) or b.dtype not in (D.float32, D.float64, D.float16):
        raise RuntimeError(
            f"Expected both inputs to be Half, Float or Double tensors but got {_cap(a.dtype)} and {_cap(b.dtype)}"
        )
    if a.dtype is not b.dtype:
        raise RuntimeError(
            f"Expected object of scalar type {_cap(a.dtype)} but got scalar type {_cap(b.dtype)} for second argument"
        )
    if a.dtype is D.float16:
        raise NotImplementedError("complex32 (torch.chalf) is not supported by torchlike")
    _check_broadcast(a, b)
    return D.complex128 if a.dtype is D.float64 else D.complex64


def _complex(a, b, *, dtype):
    a, b = jnp.broadcast_arrays(a, b)
    return lax.complex(a, b).astype(dtype)


def _polar(r, theta, *, dtype):
    r, theta = jnp.broadcast_arrays(r, theta)
    return lax.complex(r * jnp.cos(theta), r * jnp.sin(theta)).astype(dtype)


def complex(real, imag, *, out=None):  # noqa: A001 - torch's name
    """Mirrors torch.complex: ``real + 1j * imag``."""
    dt = _check_parts(real, imag, "complex")
    return to_out(dispatch(_complex, (real, imag), (("dtype", dt.np),), "ComplexBackward0"), out)


def polar(abs, angle, *, out=None):  # noqa: A002 - torch's names
    """Mirrors torch.polar: ``abs * (cos(angle) + 1j * sin(angle))``."""
    dt = _check_parts(abs, angle, "polar")
    return to_out(dispatch(_polar, (abs, angle), (("dtype", dt.np),), "PolarBackward0"), out)


def view_as_real(input):
    """Mirrors torch.view_as_real: a float view with a trailing dim of 2 (real, imag)."""
    check_tensor(input, "view_as_real")
    if not input.dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    if is_conj(input):
        raise RuntimeError(
            "view_as_real doesn't work on unresolved conjugated tensors.  To resolve the conjugate tensor so you can "
            "view it as real, use self.resolve_conj(); however, be warned that the resulting tensor will NOT alias "
            "the original."
        )
    return input._view(_v_as_real, (), "ViewAsRealBackward0")


def view_as_complex(input):
    """Mirrors torch.view_as_complex: a complex view of a float tensor whose last dim is (real, imag)."""
    check_tensor(input, "view_as_complex")
    if input.dtype not in (D.float32, D.float64, D.float16):
        raise RuntimeError(
            "view_as_complex is only supported for half, float and double tensors, but got a tensor of scalar "
            f"type: {_cap(input.dtype)}"
        )
    if input.dtype is D.float16:
        raise NotImplementedError("complex32 (torch.chalf) is not supported by torchlike")
    if input.ndim == 0:
        raise RuntimeError("Input tensor must have one or more dimensions")
    if input.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    strides = input.stride()
    if strides[-1] != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % 2 for s in strides[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    if input.storage_offset() % 2:
        raise RuntimeError("Tensor must have a storage_offset divisible by 2")
    return input._view(_v_as_complex, (), "ViewAsComplexBackward0")


def _cdouble(self, memory_format=None):
    return self.to(D.complex128)


def _is_real(x):
    return jnp.imag(x) == 0 if jnp.issubdtype(x.dtype, jnp.complexfloating) else jnp.ones(x.shape, bool)


def isreal(input):
    """Mirrors torch.isreal."""
    check_tensor(input, "isreal")
    return dispatch(_unary, (input,), (("f", _is_real), ("dtype", input.dtype.np)))


__all__ = [
    "real",
    "imag",
    "angle",
    "conj",
    "conj_physical",
    "conj_physical_",
    "resolve_conj",
    "resolve_neg",
    "is_conj",
    "is_neg",
    "complex",
    "polar",
    "view_as_real",
    "view_as_complex",
    "isreal",
]
METHODS = ["angle", "conj", "conj_physical", "resolve_conj", "resolve_neg", "is_conj", "is_neg", "isreal"]
INPLACE: list = []
EXTRA_METHODS = {
    "conj_physical_": conj_physical_,
    "real": property(real, _setter(real)),
    "imag": property(imag, _setter(imag)),
    "cdouble": _cdouble,
}
