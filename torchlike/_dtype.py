"""dtype objects and torch's type-promotion rules (mirrors torch.dtype, torch.result_type)."""

from __future__ import annotations

import builtins

import jax.numpy as jnp
import numpy as np

_CATEGORY_BOOL, _CATEGORY_INT, _CATEGORY_FLOAT, _CATEGORY_COMPLEX = range(4)


class dtype:
    """A torch-style dtype; wraps a numpy/jax dtype (mirrors torch.dtype)."""

    __slots__ = ("name", "np", "category", "itemsize")

    def __init__(self, name: str, np_dtype, category: int):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.category = category
        self.itemsize = self.np.itemsize

    @property
    def is_floating_point(self) -> bool:
        return self.category == _CATEGORY_FLOAT

    @property
    def is_complex(self) -> bool:
        return self.category == _CATEGORY_COMPLEX

    @property
    def is_signed(self) -> bool:
        return self.name not in ("uint8", "bool")

    def to_real(self) -> dtype:
        return {complex64: float32, complex128: float64}.get(self, self)

    def to_complex(self) -> dtype:
        return {float64: complex128}.get(self, complex64) if self.category == _CATEGORY_FLOAT else self

    def __repr__(self):
        return f"torch.{self.name}"

    def __reduce__(self):
        return (_by_name, (self.name,))


float16 = half = dtype("float16", jnp.float16, _CATEGORY_FLOAT)
bfloat16 = dtype("bfloat16", jnp.bfloat16, _CATEGORY_FLOAT)
float32 = float = dtype("float32", np.float32, _CATEGORY_FLOAT)
float64 = double = dtype("float64", np.float64, _CATEGORY_FLOAT)
complex64 = cfloat = dtype("complex64", np.complex64, _CATEGORY_COMPLEX)
complex128 = cdouble = dtype("complex128", np.complex128, _CATEGORY_COMPLEX)
uint8 = dtype("uint8", np.uint8, _CATEGORY_INT)
int8 = dtype("int8", np.int8, _CATEGORY_INT)
int16 = short = dtype("int16", np.int16, _CATEGORY_INT)
int32 = int = dtype("int32", np.int32, _CATEGORY_INT)
int64 = long = dtype("int64", np.int64, _CATEGORY_INT)
bool = dtype("bool", np.bool_, _CATEGORY_BOOL)  # noqa: A001 - torch's name

_ALL = (float16, bfloat16, float32, float64, complex64, complex128, uint8, int8, int16, int32, int64, bool)
_FROM_NP = {d.np: d for d in _ALL}
_NAMES = {d.name: d for d in _ALL}


_SCALAR_TYPE_NAMES = {
    "float32": "Float",
    "float64": "Double",
    "float16": "Half",
    "bfloat16": "BFloat16",
    "int64": "Long",
    "int32": "Int",
    "int16": "Short",
    "int8": "Char",
    "uint8": "Byte",
    "bool": "Bool",
    "complex64": "ComplexFloat",
    "complex128": "ComplexDouble",
}


def scalar_type_name(d: dtype) -> str:
    """torch's C++ ScalarType name (``Float``, ``Long``, ...), as its error messages spell dtypes."""
    return _SCALAR_TYPE_NAMES.get(d.name, d.name)


def _by_name(name: str) -> dtype:
    return _NAMES[name]


def from_np(np_dtype) -> dtype:
    """The torchlike dtype of a numpy / jax dtype."""
    d = _FROM_NP.get(np_dtype)
    if d is not None:
        return d
    try:
        return _FROM_NP[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(f"unsupported dtype {np_dtype}") from None


_default_float = float32


def set_default_dtype(d: dtype) -> None:
    """Mirrors torch.set_default_dtype."""
    global _default_float
    if not isinstance(d, dtype) or d not in (float16, bfloat16, float32, float64):
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float = d


def get_default_dtype() -> dtype:
    """Mirrors torch.get_default_dtype."""
    return _default_float


def default_complex() -> dtype:
    return complex128 if _default_float is float64 else complex64


def promote_types(a: dtype, b: dtype) -> dtype:
    """Mirrors torch.promote_types."""
    if a is b:
        return a
    if a.category == b.category == _CATEGORY_FLOAT and {a, b} == {float16, bfloat16}:
        return float32
    if a.category == _CATEGORY_COMPLEX or b.category == _CATEGORY_COMPLEX:
        if float64 in (a, b) or complex128 in (a, b):
            return complex128
        return complex64
    return from_np(jnp.promote_types(a.np, b.np))


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    # c10's combine_categories: a lower-priority participant only matters when
    # it is of a higher category than the higher-priority one.
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.category == _CATEGORY_COMPLEX:
        return higher
    if lower.category == _CATEGORY_COMPLEX:
        return higher.to_complex() if higher.category == _CATEGORY_FLOAT else lower
    if higher.category == _CATEGORY_FLOAT:
        return higher
    if higher is bool or lower.category == _CATEGORY_FLOAT:
        return promote_types(higher, lower)
    return higher


def scalar_dtype(x) -> dtype:
    """The dtype torch gives a Python number taking part in an op."""
    if isinstance(x, (builtins.bool, np.bool_)):
        return bool
    if isinstance(x, (builtins.complex, np.complexfloating)):
        return default_complex()
    if isinstance(x, (builtins.float, np.floating)):
        return _default_float
    return int64


def result_type(*args) -> dtype:
    """torch.result_type over tensors and Python scalars (any number of them)."""
    if len(args) == 2:  # fast path: two tensors of one dtype
        a, b = args
        da, db = getattr(a, "dtype", None), getattr(b, "dtype", None)
        if da is db and isinstance(da, dtype):
            return da
    dim = zero = wrapped = None
    for a in args:
        if a is None:
            continue
        d = getattr(a, "dtype", None)
        if isinstance(d, dtype):
            if a.ndim > 0:
                dim = d if dim is None else promote_types(dim, d)
            else:
                zero = d if zero is None else promote_types(zero, d)
        else:
            s = scalar_dtype(a)
            wrapped = s if wrapped is None else promote_types(wrapped, s)
    return _combine(dim, _combine(zero, wrapped))


def can_cast(from_: dtype, to: dtype) -> bool:
    """Mirrors torch.can_cast: no category demotion."""
    return from_.category <= to.category


class finfo:
    """Mirrors torch.finfo."""

    def __init__(self, type: dtype | None = None):
        self.dtype = type or _default_float
        info = jnp.finfo(self.dtype.np)
        self.bits = info.bits
        self.eps = builtins.float(info.eps)
        self.max = builtins.float(info.max)
        self.min = builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.tiny)
        self.resolution = builtins.float(info.resolution)

    def __repr__(self):
        return (
            f"finfo(resolution={self.resolution}, min={self.min:e}, max={self.max:e}, eps={self.eps:e}, "
            f"smallest_normal={self.tiny:e}, tiny={self.tiny:e}, dtype={self.dtype.name})"
        )


class iinfo:
    """Mirrors torch.iinfo."""

    def __init__(self, type: dtype):
        self.dtype = type
        info = np.iinfo(type.np)
        self.bits, self.max, self.min = info.bits, builtins.int(info.max), builtins.int(info.min)

    def __repr__(self):
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype.name})"
