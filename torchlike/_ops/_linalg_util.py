"""Checks and helpers shared by the linear algebra modules (``_linalg_*``, gathered in ``linalg``).

torch's error texts name dtypes as ScalarType names (Float, Long) or C++ types
(float, long int); shape checks run on ``_Spec`` (shape, dtype, requires_grad)
so that matmul can check a path before it reshapes anything.
"""

from __future__ import annotations

import collections
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor

_HI = lax.Precision.HIGHEST


class LinAlgError(RuntimeError):
    """Mirrors torch.linalg.LinAlgError (a RuntimeError)."""


_SCALAR = {
    "float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16", "int64": "Long",
    "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
    "complex64": "ComplexFloat", "complex128": "ComplexDouble",
}  # fmt: skip
_CPP = {
    "float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
    "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
    "bool": "bool", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>",
}  # fmt: skip

_Spec = collections.namedtuple("_Spec", "shape dtype requires_grad")


def _sn(x) -> str:
    """torch's ScalarType name of a tensor's (or spec's) dtype: Float, Long, ..."""
    return _SCALAR[x.dtype.name]


def _cn(x) -> str:
    """The C++ type name torch prints in some messages: float, long int, ..."""
    return _CPP[x.dtype.name]


def _x(shape) -> str:
    return "x".join(str(s) for s in shape)


def _spec(t: Tensor) -> _Spec:
    return _Spec(tuple(t.shape), t.dtype, t.requires_grad)


def _tensors(fname: str, *pairs) -> None:
    for pos, (x, arg) in enumerate(pairs, 1):
        if not isinstance(x, Tensor):
            fname = fname.replace(".", "_")
            raise TypeError(f"{fname}(): argument '{arg}' (position {pos}) must be Tensor, not {type(x).__name__}")


def _kernel(x, kernel: str) -> None:
    if x.dtype is D.bool:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _check_float(x, fname: str, low_precision: str | None = None) -> None:
    """Float or complex only. ``low_precision`` says how torch refuses half and bfloat16: None (it accepts
    them), "error" (a RuntimeError) or the name of the CPU kernel that lacks them (a NotImplementedError)."""
    if x.dtype.category < D._CATEGORY_FLOAT:
        raise RuntimeError(f"{fname}: Expected a floating point or complex tensor as input. Got {_sn(x)}")
    if low_precision and x.dtype in (D.float16, D.bfloat16):
        if low_precision != "error":
            raise NotImplementedError(f"\"{low_precision}\" not implemented for '{_sn(x)}'")
        raise RuntimeError(f"{fname}: Low precision dtypes not supported. Got {_sn(x)}")


def _check_matrix(x, fname: str, square: bool = False) -> None:
    if x.ndim < 2:
        raise RuntimeError(f"{fname}: The input tensor A must have at least 2 dimensions.")
    if square and x.shape[-1] != x.shape[-2]:
        m, n = x.shape[-2:]
        raise RuntimeError(f"{fname}: A must be batches of square matrices, but they are {m} by {n} matrices")


def _check_linalg(x, fname: str, square: bool = False, low_precision: str | None = None) -> None:
    _tensors(fname, (x, "A"))
    _check_matrix(x, fname, square)
    _check_float(x, fname, low_precision)


def _broadcast(a: tuple, b: tuple) -> tuple:
    """torch's infer_size: the broadcast shape, or its error."""
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton dimension {i}"
            )
    return tuple(y if x == 1 else x for x, y in zip(a, b))


def _check_expand(shape: tuple, target: tuple) -> None:
    """``shape`` must broadcast to ``target`` (torch's expand error otherwise)."""
    if len(shape) > len(target):
        raise RuntimeError(
            f"The expanded size of the tensor ({len(target)}) must be greater or equal to the number of dimensions in "
            f"the tensor ({len(shape)})"
        )
    off = len(target) - len(shape)
    for i, s in enumerate(shape):
        if s != 1 and s != target[off + i]:
            raise RuntimeError(
                f"The expanded size of the tensor ({target[off + i]}) must match the existing size ({s}) at "
                f"non-singleton dimension {off + i}.  Target sizes: {list(target)}.  Tensor sizes: {list(shape)}"
            )


def _mT(x):
    return jnp.swapaxes(x, -1, -2)


def _mH(x):
    return jnp.conj(_mT(x)) if jnp.iscomplexobj(x) else _mT(x)


def _mm(a, b):
    return jnp.matmul(a, b, precision=_HI)


def _traced(t: Tensor) -> bool:
    return isinstance(t._value, jax.core.Tracer)


def _raise_on_info(info: Tensor, fname: str, message) -> None:
    """Raise LinAlgError for the first failed matrix in ``info`` (nonzero codes); eager only."""
    if _traced(info):
        return
    codes = np.asarray(info._value)
    if not codes.any():
        return
    flat = codes.reshape(-1)
    b = int(np.flatnonzero(flat)[0])
    batch = f"(Batch element {b}): " if codes.ndim else ""
    raise LinAlgError(f"{fname}: {batch}{message(int(flat[b]))}")


def _deprecated(message: str) -> None:
    """torch's deprecation UserWarning, pointing at the caller of the deprecated function."""
    warnings.warn(message, UserWarning, stacklevel=3)
