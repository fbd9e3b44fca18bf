"""class Tensor: a storage cell, a view chain into it, and autograd metadata.

DESIGN.md, "Tensor and storage": a tensor reads its array from its storage
through its view steps; an in-place op computes the new value functionally
and writes it back through those steps, so views and ``.data`` alias as in
torch while no JAX array is ever mutated. Most methods are ops installed
from ``torchlike._ops`` (see ``_ops/__init__.py``).
"""

from __future__ import annotations

import builtins
import math

import jax
import jax.numpy as jnp
import numpy as np

from . import _dispatch
from . import _dtype as D
from ._device import device as _device_cls
from ._device import of_array
from ._size import Size
from ._storage import Storage
from .autograd import grad_mode
from .autograd.graph import AccumulateGrad

# ---------------------------------------------------------------- view steps
# A view step is (fn, static): fn(array, **static) selects elements of its
# input, so the same chain applied to an iota of the base gives, for each view
# element, its flat position in the base. That one fact gives reads (apply the
# chain), writes (scatter at those positions) and strides, for every view kind.


def _apply_steps(a, steps):
    for fn, static in steps:
        a = fn(a, **dict(static))
    return a


def read_steps(a, *, steps):
    return _apply_steps(a, steps)


def _positions(shape, steps):
    n = int(np.prod(shape))
    iota = jnp.arange(n, dtype=jnp.int32 if n < 2**31 else jnp.int64).reshape(shape)
    return _apply_steps(iota, steps)


def write_steps(base, value, *, steps):
    """``base`` with the elements that ``steps`` select replaced by ``value``."""
    for i in range(len(steps) - 1, -1, -1):
        fn, static = steps[i]
        if hasattr(fn, "write"):  # a step that reinterprets elements (complex parts) has its own inverse
            parent = _apply_steps(base, steps[:i])
            inner = write_steps(fn(parent, **dict(static)), value, steps=steps[i + 1 :])
            return write_steps(base, fn.write(parent, inner, **dict(static)), steps=steps[:i])
    if not steps:
        return jnp.broadcast_to(value, base.shape).astype(base.dtype)
    pos = _positions(base.shape, steps)
    value = jnp.broadcast_to(value, pos.shape).astype(base.dtype)
    return base.ravel().at[pos.ravel()].set(value.ravel()).reshape(base.shape)


def _is_tracer(a) -> bool:
    return isinstance(a, jax.core.Tracer)


def _concrete(t: Tensor, what: str):
    a = t._value
    if _is_tracer(a):
        raise RuntimeError(
            f"{what} needs a concrete value, but this tensor is being traced (inside torchlike.compile or "
            "torchlike.func). Keep the value as a tensor (use torch.where or masks instead of Python "
            "branches), or move the call outside the compiled function."
        )
    return a


class Tensor:
    """Mirrors torch.Tensor."""

    __slots__ = (
        "_storage",
        "_steps",
        "_base",
        "_grad_fn",
        "_output_nr",
        "_requires_grad",
        "_grad",
        "_accum",
        "_cache",
        "_cache_src",
        "_gf_version",
        "_retains_grad",
        "__dict__",
        "__weakref__",
    )

    def __init__(self, *args, **kwargs):
        # torch.Tensor(data) / torch.Tensor(2, 3): a float tensor of the default dtype
        from ._ops.creation import empty, tensor

        if len(args) == 1 and not isinstance(args[0], (builtins.int, np.integer)):
            t = tensor(args[0], dtype=D.get_default_dtype())
        else:
            t = empty(*args, **kwargs)
        self._init(t._value)

    @classmethod
    def _make(cls, array, grad_fn=None, output_nr=0) -> Tensor:
        """A tensor with its own storage holding ``array`` (every op's output: kept call-free)."""
        t = object.__new__(cls)
        t._storage = Storage(array)
        t._steps = ()
        t._base = None
        t._grad_fn = grad_fn
        t._output_nr = output_nr
        t._requires_grad = False
        t._grad = None
        t._accum = None
        t._cache = t._cache_src = None
        t._gf_version = 0
        t._retains_grad = False
        return t

    def _init(self, array, grad_fn=None, output_nr=0):
        """Make ``self`` (an object a constructor made) what ``_make`` would build."""
        made = Tensor._make(array, grad_fn, output_nr)
        for slot in _STATE_SLOTS:
            setattr(self, slot, getattr(made, slot))

    # ------------------------------------------------------------ storage access
    @property
    def _value(self):
        """The current jax array (derived from the storage through the view steps)."""
        st = self._storage.array
        if not self._steps:
            return st
        if self._cache_src is not st:
            self._cache = _dispatch.jitted(read_steps, (("steps", self._steps),))(st)
            self._cache_src = st
        return self._cache

    def _write(self, array) -> None:
        """Write ``array`` through the view steps into the storage (no autograd)."""
        st = self._storage
        if self._steps:
            st.set(_dispatch.jitted(write_steps, (("steps", self._steps),))(st.array, array))
        else:
            if array.dtype != st.array.dtype or array.shape != st.array.shape:
                array = jnp.broadcast_to(array, st.array.shape).astype(st.array.dtype)
            st.set(array)

    def _view(self, fn, static: tuple = (), name: str | None = None) -> Tensor:
        """A tensor sharing this one's storage, seen through one more view step."""
        step = (fn, static)
        recorded = grad_mode._state.enabled and self.requires_grad
        # a step may compute its first value with its ints as traced operands (``fn.dynamic``), so that
        # ``x[i]`` for every i in a loop runs one program instead of compiling one per index
        split = fn.dynamic(static) if hasattr(fn, "dynamic") else None
        call, call_static, operands = split if split is not None else (fn, static, ())
        if recorded:
            r = _dispatch.dispatch(call, (self, *operands), call_static, name)
            value, grad_fn = r._value, r._grad_fn
        else:
            value, grad_fn = _dispatch.jitted(call, call_static)(self._value, *operands), None
        v = object.__new__(type(self) if type(self) is Tensor else Tensor)
        v._init(None, grad_fn, 0)
        v._storage = self._storage
        v._steps = self._steps + (step,)
        v._base = self if self._base is None else self._base
        v._cache, v._cache_src = value, self._storage.array
        if self._steps:
            v._cache_src = self._storage.array
        v._gf_version = self._storage.version
        return v

    @property
    def _version(self) -> int:
        return self._storage.version

    # ------------------------------------------------------------ autograd metadata
    @property
    def grad_fn(self):
        base = self._base
        if base is not None and self._gf_version != self._storage.version:
            self._gf_version = self._storage.version
            self._grad_fn = None
            if base.requires_grad and grad_mode._state.enabled:
                rel = self._steps[len(base._steps) :]
                self._grad_fn = _dispatch.dispatch(
                    read_steps, (base,), (("steps", rel),), "AsStridedBackward0"
                )._grad_fn
        return self._grad_fn

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad or self.grad_fn is not None

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Mirrors torch.Tensor.requires_grad_."""
        if self.grad_fn is not None:
            if requires_grad:
                return self
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
            )
        if requires_grad and not (self.dtype.is_floating_point or self.dtype.is_complex):
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        self._requires_grad = builtins.bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def output_nr(self) -> int:
        return self._output_nr

    def _edge(self):
        gf = self.grad_fn
        if gf is not None:
            return (gf, self._output_nr)
        if self._accum is None:
            self._accum = AccumulateGrad(self)
        return (self._accum, 0)

    @property
    def grad(self):
        if self.grad_fn is not None and not self._retains_grad:
            import warnings

            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
                "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
                "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor.",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}"
                )
            if value.shape != self.shape:
                raise RuntimeError(
                    f"assigned grad has data of a different size: expected {list(self.shape)}, got {list(value.shape)}"
                )
            if value.dtype != self.dtype:
                raise RuntimeError(
                    f"assigned grad has data of a different type: expected {self.dtype}, got {value.dtype}"
                )
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    def retain_grad(self) -> None:
        """Mirrors torch.Tensor.retain_grad."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.is_leaf or self._retains_grad:
            return
        self._retains_grad = True

        def hook(g):
            self._grad = g.detach().clone() if self._grad is None else self._grad + g.detach()

        self.grad_fn._retain[self._output_nr] = hook

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def register_hook(self, hook):
        """Mirrors torch.Tensor.register_hook: ``hook(grad) -> Tensor or None``."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        node, nr = self._edge()
        return node._add_pre_hook(nr, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None) -> None:
        """Mirrors torch.Tensor.backward."""
        from .autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # ------------------------------------------------------------ in-place commit
    def _check_inplace(self) -> None:
        if not grad_mode._state.enabled:
            return
        if self._grad_fn is None and self._base is None and self._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        base = self._base
        if base is not None and base.grad_fn is None and base._requires_grad:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")

    def _commit(self, result: Tensor) -> Tensor:
        """Make ``self`` hold ``result`` (an op's output computed from ``self``): the in-place step."""
        self._check_inplace()
        if result.shape != self.shape:
            raise RuntimeError(
                f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(result.shape)}"
            )
        if result.dtype != self.dtype:
            if not D.can_cast(result.dtype, self.dtype):
                raise RuntimeError(
                    f"result type {_type_name(result.dtype)} can't be cast to the desired output type {_type_name(self.dtype)}"
                )
            result = result.to(self.dtype)
        if self._steps and any(st == 0 and n > 1 for n, st in zip(*self._layout()[:2])):
            raise RuntimeError(
                "unsupported operation: more than one element of the written-to tensor refers to a single memory "
                "location. Please clone() the tensor before performing the operation."
            )
        recording = grad_mode._state.enabled
        base = self._base
        if base is not None and recording and (result.requires_grad or base.requires_grad):
            rel = self._steps[len(base._steps) :]
            new_base = _dispatch.dispatch(write_steps, (base, result), (("steps", rel),), "CopySlices")
            base._write(new_base._value)
            base._grad_fn, base._output_nr = new_base._grad_fn, 0
            self._gf_version = -1  # the view's grad_fn is rebuilt from the base's on next use
        else:
            self._write(result._value)
            if recording and base is None:
                self._grad_fn, self._output_nr = result._grad_fn, result._output_nr
            elif base is not None:
                self._gf_version = -1
        return self

    # ------------------------------------------------------------ .data, detach
    @property
    def data(self) -> Tensor:
        return self.detach()

    @data.setter
    def data(self, other: Tensor) -> None:
        if not isinstance(other, Tensor):
            raise TypeError(f"data must be a Tensor, got {type(other).__name__}")
        self._storage, self._steps = other._storage, other._steps
        self._cache_src = None

    def detach(self) -> Tensor:
        """Mirrors torch.Tensor.detach: shares storage, no autograd history."""
        t = object.__new__(Tensor)
        t._init(None)
        t._storage, t._steps = self._storage, self._steps
        return t

    def detach_(self) -> Tensor:
        self._grad_fn, self._base, self._requires_grad = None, None, False
        return self

    # ------------------------------------------------------------ metadata
    @property
    def shape(self) -> Size:
        return Size(self._value.shape)

    def size(self, dim: int | None = None):
        s = self._value.shape
        if dim is None:
            return Size(s)
        return s[_wrap_dim(dim, len(s))]

    @property
    def dtype(self) -> D.dtype:
        return D.from_np(self._value.dtype)

    @property
    def device(self) -> _device_cls:
        return of_array(self._value)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    @property
    def is_cpu(self) -> bool:
        return self.device.type == "cpu"

    @property
    def layout(self):
        return "torch.strided"

    def dim(self) -> int:
        return self._value.ndim

    ndimension = dim

    @property
    def ndim(self) -> int:
        return self._value.ndim

    def numel(self) -> int:
        return math.prod(self._value.shape)

    nelement = numel

    def element_size(self) -> int:
        return self.dtype.itemsize

    @property
    def itemsize(self) -> int:
        return self.dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self.numel() * self.dtype.itemsize

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def is_complex(self) -> bool:
        return self.dtype.is_complex

    def _positions(self) -> np.ndarray:
        with jax.ensure_compile_time_eval():  # static metadata: computable even while tracing
            return np.asarray(_positions(self._storage.array.shape, self._steps))

    def _layout(self):
        """(shape, strides, storage_offset) as torch computes them for this view of the storage."""
        from ._ops._views import view_meta

        meta = view_meta(self)
        if meta is not None:
            return meta
        shape, pos = tuple(self.shape), self._positions()  # an unknown step: read it off an iota
        strides = tuple(
            builtins.int(pos[(0,) * d + (1,) + (0,) * (len(shape) - d - 1)] - pos[(0,) * len(shape)])
            if n > 1
            else _contiguous_strides(shape)[d]
            for d, n in enumerate(shape)
        )
        return shape, strides, builtins.int(pos.ravel()[0]) if pos.size else 0

    def stride(self, dim: int | None = None):
        """Strides in elements, as torch computes them for this view of the storage."""
        st = self._layout()[1] if self._steps else _contiguous_strides(self.shape)
        return st if dim is None else st[_wrap_dim(dim, self.ndim)]

    def storage_offset(self) -> int:
        return self._layout()[2] if self._steps else 0

    def is_contiguous(self, memory_format=None) -> bool:
        if not self._steps:
            return True
        from ._ops._views import _is_contiguous

        shape, strides, _ = self._layout()
        return _is_contiguous(shape, strides)

    def contiguous(self, memory_format=None) -> Tensor:
        return self if self.is_contiguous() else self.clone()

    def data_ptr(self) -> int:
        return id(self._storage) + self.storage_offset() * self.dtype.itemsize

    def untyped_storage(self):
        return self._storage

    def is_set_to(self, other: Tensor) -> bool:
        return self._storage is other._storage and self._steps == other._steps

    # ------------------------------------------------------------ conversion
    def item(self):
        """Mirrors torch.Tensor.item."""
        if self.numel() != 1:
            raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to Scalar")
        return _concrete(self, "Tensor.item()").reshape(()).item()

    def tolist(self):
        return np.asarray(_concrete(self, "Tensor.tolist()")).tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """Mirrors torch.Tensor.numpy. The result is read-only where JAX shares memory: writes to it
        never reach the tensor (use in-place tensor ops for that)."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return np.asarray(_concrete(self, "Tensor.numpy()"))

    def __array__(self, dtype=None, copy=None):
        a = np.asarray(_concrete(self, "np.asarray(tensor)"))
        return a.astype(dtype) if dtype is not None else a

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._value.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return builtins.bool(_concrete(self, "bool(tensor)").reshape(()))

    def __float__(self) -> float:
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return builtins.float(_concrete(self, "float(tensor)").reshape(()).real)

    def __int__(self) -> int:
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return builtins.int(_concrete(self, "int(tensor)").reshape(()).real)

    def __complex__(self) -> complex:
        return builtins.complex(_concrete(self, "complex(tensor)").reshape(()))

    def __index__(self) -> int:
        if self.dtype.category != D._CATEGORY_INT or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(_concrete(self, "operator.index(tensor)").reshape(()))

    __hash__ = object.__hash__

    def __repr__(self, *, tensor_contents=None) -> str:
        from ._tensor_str import tensor_repr

        return tensor_repr(self, tensor_contents=tensor_contents)

    def __format__(self, spec: str) -> str:
        if self.ndim == 0 and not _is_tracer(self._value):
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __reduce_ex__(self, proto):
        return (_rebuild, (np.asarray(_concrete(self, "pickling a tensor")), self._requires_grad))

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        if not self.is_leaf:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment."
            )
        t = type(self).__new__(type(self))
        Tensor._init(t, self._value)
        t._requires_grad = self._requires_grad
        if self._grad is not None:
            t._grad = self._grad.__deepcopy__(memo)
        if self.__dict__:
            import copy

            t.__dict__.update(copy.deepcopy(self.__dict__, memo))
        memo[id(self)] = t
        return t

    # ------------------------------------------------------------ dtype / device moves
    def to(self, *args, **kwargs) -> Tensor:
        """Mirrors torch.Tensor.to(dtype) / to(device, dtype) / to(other)."""
        dtype, dev = kwargs.get("dtype"), kwargs.get("device")
        copy = kwargs.get("copy", False)
        for a in args:
            if isinstance(a, D.dtype):
                dtype = a
            elif isinstance(a, Tensor):
                dtype, dev = a.dtype, a.device
            elif isinstance(a, (str, _device_cls, builtins.int)):
                dev = _device_cls(a)
            elif a is not None:
                raise TypeError(f"to() received an invalid combination of arguments: {type(a).__name__}")
        from ._ops.creation import _move

        t = self
        if dev is not None and _device_cls(dev) != self.device:
            t = _move(t, _device_cls(dev))
        if dtype is not None and dtype != t.dtype:
            t = _dispatch.dispatch(_cast, (t,), (("dtype", dtype.np),), "ToCopyBackward0")
        if copy and t is self:
            t = self.clone()
        return t

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            return _TYPE_NAMES.get(self.dtype.name, "torch.Tensor")
        if isinstance(dtype, str):
            dtype = {v: k for k, v in _TYPE_NAMES.items()}[dtype]
            dtype = getattr(D, dtype)
        return self.to(dtype)

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

    def float(self):
        return self.to(D.float32)

    def double(self):
        return self.to(D.float64)

    def half(self):
        return self.to(D.float16)

    def bfloat16(self):
        return self.to(D.bfloat16)

    def long(self):
        return self.to(D.int64)

    def int(self):
        return self.to(D.int32)

    def short(self):
        return self.to(D.int16)

    def char(self):
        return self.to(D.int8)

    def byte(self):
        return self.to(D.uint8)

    def bool(self):
        return self.to(D.bool)

    def cfloat(self):
        return self.to(D.complex64)

    def cpu(self):
        return self.to("cpu")

    def cuda(self, device=None, non_blocking=False):
        return self.to(_device_cls("cuda", device if isinstance(device, builtins.int) else None))

    def clone(self, *, memory_format=None) -> Tensor:
        """Mirrors torch.Tensor.clone (differentiable copy)."""
        return _dispatch.dispatch(_identity, (self,), (), "CloneBackward0")


def _identity(x):
    return x + jnp.zeros((), x.dtype) if x.dtype != jnp.bool_ else x


def _cast(x, *, dtype):
    if jnp.issubdtype(x.dtype, jnp.floating) and jnp.issubdtype(dtype, jnp.integer) and dtype != jnp.int64:
        x = x.astype(jnp.int64)  # torch truncates to an integer first, so narrow types wrap around
    return x.astype(dtype)


def _rebuild(array, requires_grad):
    t = Tensor._make(jnp.asarray(array))
    t._requires_grad = requires_grad
    return t


_TYPE_NAMES = {
    "float32": "torch.FloatTensor",
    "float64": "torch.DoubleTensor",
    "float16": "torch.HalfTensor",
    "bfloat16": "torch.BFloat16Tensor",
    "int64": "torch.LongTensor",
    "int32": "torch.IntTensor",
    "int16": "torch.ShortTensor",
    "int8": "torch.CharTensor",
    "uint8": "torch.ByteTensor",
    "bool": "torch.BoolTensor",
}


_STATE_SLOTS = tuple(name for name in Tensor.__slots__ if not name.startswith("__"))

_type_name = D.scalar_type_name


def _contiguous_strides(shape) -> tuple:
    st, acc = [], 1
    for n in reversed(shape):
        st.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(st))


def _wrap_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n
