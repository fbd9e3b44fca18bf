"""Op families and their installation as Tensor methods and operators.

Each family module defines its functions (torch's names and signatures) and
lists which of them are also Tensor methods (``METHODS``) and which get an
in-place ``name_`` variant (``INPLACE``). One op, three faces: the function,
the method, the operator.
"""

from __future__ import annotations

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from . import (
    _aliases,
    _linalg_matmul,
    _tensor_extras,
    complex,
    construct,
    creation,
    index,
    linalg,
    nn_aliases,
    pointwise,
    reduce,
    shape,
    special,
    stats,
)
from ._util import is_number

FAMILIES = (
    pointwise,
    reduce,
    shape,
    index,
    linalg,
    creation,
    special,
    complex,
    stats,
    construct,
    nn_aliases,  # torch.* forms of nn ops (torch.conv2d, torch.dropout, ...)
    _aliases,  # generated: torch.abs_ ... and the *_copy functions
    _tensor_extras,
)


def _inplace(fn, name):
    def method(self, *args, **kwargs):
        return self._commit(fn(self, *args, **kwargs))

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"In-place version of Tensor.{fn.__name__} (mirrors torch.Tensor.{name})."
    return method


def _inplace_view(fn, name):
    """``t.squeeze_()`` and friends: ``t`` itself becomes the view."""

    def method(self, *args, **kwargs):
        v = fn(self, *args, **kwargs)
        self._steps, self._base = v._steps, v._base
        self._grad_fn, self._output_nr = v._grad_fn, v._output_nr
        self._cache, self._cache_src, self._gf_version = v._cache, v._cache_src, v._gf_version
        return self

    method.__name__ = method.__qualname__ = name
    return method


def _operand(x):
    if isinstance(x, Tensor) or is_number(x):
        return x
    if isinstance(x, np.ndarray):
        return creation.tensor(x)
    return None


def _binary(fn, reflected=False):
    def op(self, other):
        other = _operand(other)
        if other is None:
            return NotImplemented
        return fn(other, self) if reflected else fn(self, other)

    return op


def _invert(self):
    if self.dtype is D.bool:
        return pointwise.logical_not(self)
    return pointwise.bitwise_not(self)


def _ioperator(fn):
    def op(self, other):
        other = _operand(other)
        if other is None:
            return NotImplemented
        return self._commit(fn(self, other))

    return op


_OPERATORS = {
    "add": pointwise.add,
    "sub": pointwise.sub,
    "mul": pointwise.mul,
    "truediv": pointwise.div,
    "floordiv": pointwise.floor_divide,
    "mod": pointwise.remainder,
    "pow": pointwise.pow,
    "matmul": linalg.matmul,
    "and": pointwise.bitwise_and,
    "or": pointwise.bitwise_or,
    "xor": pointwise.bitwise_xor,
    "lshift": pointwise.bitwise_left_shift,
    "rshift": pointwise.bitwise_right_shift,
}


def _logical_or_bitwise(logical, bitwise):
    def op(a, b):
        da = a.dtype if isinstance(a, Tensor) else D.scalar_dtype(a)
        db = b.dtype if isinstance(b, Tensor) else D.scalar_dtype(b)
        return (logical if da is D.bool and db is D.bool else bitwise)(a, b)

    return op


def _T(self):
    if self.ndim not in (0, 2):
        import warnings

        warnings.warn(
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and it will "
            "throw an error in a future release. Consider `x.mT` to transpose batches of matrices or "
            "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.",
            UserWarning,
            stacklevel=2,
        )
    return shape.permute(self, *range(self.ndim - 1, -1, -1))


def install() -> None:
    for mod in FAMILIES:
        for name in getattr(mod, "METHODS", ()):
            setattr(Tensor, name, getattr(mod, name))
        for name in getattr(mod, "INPLACE", ()):
            setattr(Tensor, name + "_", _inplace(getattr(mod, name), name + "_"))
    ops = dict(_OPERATORS)
    ops["and"] = _logical_or_bitwise(pointwise.logical_and, pointwise.bitwise_and)
    ops["or"] = _logical_or_bitwise(pointwise.logical_or, pointwise.bitwise_or)
    ops["xor"] = _logical_or_bitwise(pointwise.logical_xor, pointwise.bitwise_xor)
    for name, fn in ops.items():
        setattr(Tensor, f"__{name}__", _binary(fn))
        setattr(Tensor, f"__r{name}__", _binary(fn, reflected=True))
        setattr(Tensor, f"__i{name}__", _ioperator(fn))
    _linalg_matmul.mixed_operator = Tensor.__matmul__  # x @ 2, x @ ndarray: the generic operator
    Tensor.__matmul__ = _linalg_matmul.matmul_operator
    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        setattr(Tensor, f"__{name}__", _binary(getattr(pointwise, name)))
    Tensor.__getitem__ = index.getitem
    Tensor.__setitem__ = index.setitem
    Tensor.T = property(_T)
    Tensor.mT = property(shape.matrix_transpose)
    Tensor.H = property(lambda self: shape.adjoint(self) if self.ndim == 2 else _T(self))
    Tensor.mH = property(shape.adjoint)
    Tensor.where = lambda self, condition, other: pointwise.where(condition, self, other)
    Tensor.__neg__ = pointwise.neg
    Tensor.__abs__ = pointwise.abs
    Tensor.__pos__ = lambda self: self
    Tensor.__invert__ = _invert
    Tensor.__array_priority__ = 1000
    for kind in ("tensor", "zeros", "ones", "empty", "full"):
        setattr(Tensor, f"new_{kind}", creation._new(kind))
    for name in pointwise.TENSOR_ONLY:
        setattr(Tensor, name, getattr(pointwise, name))
    for name in ("squeeze", "unsqueeze", "t", "transpose", "swapaxes", "swapdims"):
        setattr(Tensor, name + "_", _inplace_view(getattr(shape, name), name + "_"))
    for name in ("uniform_", "normal_", "exponential_", "random_", "bernoulli_"):
        setattr(Tensor, name, getattr(creation, name))
    for mod in FAMILIES:
        for name, fn in getattr(mod, "EXTRA_METHODS", {}).items():
            setattr(Tensor, name, fn)
