"""save / load in PyTorch's own zip checkpoint format (mirrors torch.save / torch.load).

A checkpoint is a zip archive: ``<name>/data.pkl`` pickles the object with each
storage replaced by a persistent id ``('storage', torch.FloatStorage, key,
'cpu', numel)`` and each tensor by ``torch._utils._rebuild_tensor_v2(storage,
offset, size, stride, requires_grad, hooks)``; ``<name>/data/<key>`` holds the
storages' raw little-endian bytes, 64-byte aligned. Real ``torch.load`` reads
what ``save`` writes, ``load`` reads what ``torch.save`` writes, and neither
side needs the other installed. Tensors that share a storage stay shared.

``load`` defaults to ``weights_only=True``: a restricted unpickler that builds
tensors, containers and plain values and refuses every other global, naming it.
"""

from __future__ import annotations

import collections
import io
import os
import pickle
import struct
import tempfile
import zipfile

import jax.numpy as jnp
import numpy as np

from . import _dtype as D
from ._device import device as _device
from ._size import Size
from ._tensor import Tensor, _concrete

__all__ = ["load", "save"]

_STORAGE_TYPES = {
    "FloatStorage": D.float32,
    "DoubleStorage": D.float64,
    "HalfStorage": D.float16,
    "BFloat16Storage": D.bfloat16,
    "LongStorage": D.int64,
    "IntStorage": D.int32,
    "ShortStorage": D.int16,
    "CharStorage": D.int8,
    "ByteStorage": D.uint8,
    "BoolStorage": D.bool,
    "ComplexFloatStorage": D.complex64,
    "ComplexDoubleStorage": D.complex128,
}
_STORAGE_NAMES = {dt: name for name, dt in _STORAGE_TYPES.items()}
_ALIGNMENT = 64


def _np_dtype(dt: D.dtype) -> np.dtype:
    return dt.np.newbyteorder("<")


# ---------------------------------------------------------------------------- save


class _Global:
    """Pickles as ``GLOBAL module name``: lets torchlike write torch's globals without importing torch."""

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __call__(self, *args):
        raise TypeError(f"{self.module}.{self.name} is only meaningful inside a checkpoint")


_REBUILD_TENSOR = _Global("torch._utils", "_rebuild_tensor_v2")
_REBUILD_PARAMETER = _Global("torch._utils", "_rebuild_parameter")
_ORDERED_DICT = _Global("collections", "OrderedDict")
_TORCH_SIZE = _Global("torch", "Size")
_TORCH_DEVICE = _Global("torch", "device")


class _Pickler(pickle._Pickler):
    """The pure-Python pickler, taught to write torch's globals and tensors as torch does."""

    dispatch = dict(pickle._Pickler.dispatch)

    def __init__(self, file, protocol):
        super().__init__(file, protocol)
        self.storages: dict[int, tuple[str, object]] = {}  # id(Storage) -> (key, storage)

    def save_torch_global(self, obj: _Global) -> None:
        self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode())
        self.memoize(obj)

    dispatch[_Global] = save_torch_global

    def persistent_id(self, obj):
        if isinstance(obj, _StorageRef):
            key = self.storages.setdefault(id(obj.storage), (str(len(self.storages)), obj.storage))[0]
            dtype = D.from_np(obj.storage.array.dtype)
            if dtype not in _STORAGE_NAMES:
                raise pickle.PicklingError(f"torchlike.save: tensors of dtype {dtype} cannot be saved")
            return ("storage", _Global("torch", _STORAGE_NAMES[dtype]), key, "cpu", obj.storage.array.size)
        return None

    def reducer_override(self, obj):
        if isinstance(obj, Tensor):
            return _reduce_tensor(obj)
        if isinstance(obj, Size):
            return (_TORCH_SIZE, (tuple(obj),))
        if isinstance(obj, _device):
            return (_TORCH_DEVICE, (str(obj),))
        return NotImplemented

    def save_dtype(self, obj: D.dtype) -> None:
        self.write(pickle.GLOBAL + f"torch\n{obj.name}\n".encode())
        self.memoize(obj)

    dispatch[D.dtype] = save_dtype


class _StorageRef:
    """Stands for a Storage inside the pickle (saved by persistent id)."""

    def __init__(self, storage):
        self.storage = storage


def _reduce_tensor(t: Tensor):
    from .nn.parameter import Parameter

    _concrete(t, "torchlike.save")
    shape, strides, offset = t._layout() if t._steps else (tuple(t.shape), t.stride(), 0)
    hooks = (_ORDERED_DICT, ())
    args = (_StorageRef(t._storage), offset, tuple(shape), tuple(strides), False, _Reduced(hooks))
    if isinstance(t, Parameter):
        return (_REBUILD_PARAMETER, (_Reduced((_REBUILD_TENSOR, args)), t.requires_grad, _Reduced(hooks)))
    return (_REBUILD_TENSOR, args[:4] + (t.requires_grad,) + args[5:])


class _Reduced:
    """A (callable, args) pair pickled as that call (an OrderedDict(), a nested rebuild)."""

    def __init__(self, rv):
        self.rv = rv

    def __reduce__(self):
        return self.rv


def _zip_entry(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    start = zf.fp.tell() + 30 + len(name.encode())  # where the bytes land without an extra field
    pad = (-(start + 4)) % _ALIGNMENT  # torch pads with an "FB" extra field so storages are aligned
    info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
    zf.writestr(info, data)


def _write_archive(obj, f, name: str, protocol: int) -> None:
    buf = io.BytesIO()
    pickler = _Pickler(buf, protocol)
    pickler.dump(obj)
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as zf:
        _zip_entry(zf, f"{name}/data.pkl", buf.getvalue())
        _zip_entry(zf, f"{name}/.format_version", b"1")
        _zip_entry(zf, f"{name}/.storage_alignment", str(_ALIGNMENT).encode())
        _zip_entry(zf, f"{name}/byteorder", b"little")
        for key, storage in pickler.storages.values():
            array = np.asarray(_concrete(Tensor._make(storage.array), "torchlike.save"))
            _zip_entry(
                zf, f"{name}/data/{key}", np.ascontiguousarray(array, _np_dtype(D.from_np(array.dtype))).tobytes()
            )
        _zip_entry(zf, f"{name}/version", b"3\n")


def save(obj, f, pickle_module=None, pickle_protocol: int = 2, _use_new_zipfile_serialization: bool = True) -> None:
    """Mirrors torch.save: PyTorch's zip format, readable by ``torch.load(weights_only=True)``.

    Args:
        f: a path (written atomically: a temporary file in the same folder, then a rename, so a crash
            never leaves a half-written checkpoint) or a writable binary file object.
    """
    if not _use_new_zipfile_serialization:
        raise NotImplementedError("torchlike.save writes only the zip format (_use_new_zipfile_serialization=True)")
    if not isinstance(f, (str, os.PathLike)):
        _write_archive(obj, f, "archive", pickle_protocol)
        return
    path = os.fspath(f)
    folder = os.path.dirname(os.path.abspath(path))
    name = os.path.splitext(os.path.basename(path))[0] or "archive"
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            _write_archive(obj, out, name, pickle_protocol)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


# ---------------------------------------------------------------------------- load


class _StorageType:
    def __init__(self, dtype: D.dtype):
        self.dtype = dtype


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False, backward_hooks=None, metadata=None):
    from ._ops.shape import as_strided

    base = storage()  # the tensor that owns the storage, without view steps
    size, stride = tuple(size), tuple(stride)
    n = int(np.prod(size))
    if storage_offset == 0 and n == base.numel() and stride == _contiguous(size) and storage.first:
        storage.first = False  # the first tensor on a storage takes it whole, shaped as itself
        base._storage.array = base._storage.array.reshape(size)
        t = base
    else:
        storage.first = False
        t = as_strided(base, size, stride, storage_offset)
    if requires_grad and t.is_leaf:
        t.requires_grad_(True)
    return t


def _contiguous(size) -> tuple:
    out, acc = [], 1
    for n in reversed(size):
        out.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(out))


def _rebuild_parameter(data, requires_grad, backward_hooks, *state):
    from .nn.parameter import Parameter

    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    p = _rebuild_parameter(data, requires_grad, backward_hooks)
    for k, v in (state or {}).items():
        setattr(p, k, v)
    return p


def _torch_dtype(name: str):
    def find():
        return getattr(D, name)

    return find


_SAFE_GLOBALS = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("collections", "defaultdict"): collections.defaultdict,
    ("collections", "Counter"): collections.Counter,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("builtins", "bytearray"): bytearray,
    ("builtins", "complex"): complex,
    ("builtins", "slice"): slice,
    ("builtins", "range"): range,
    ("_codecs", "encode"): __import__("codecs").encode,  # how protocol 2 pickles bytes
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    ("torch._utils", "_rebuild_parameter_with_state"): _rebuild_parameter_with_state,
    ("torch", "Size"): Size,
    ("torch", "device"): _device,
}


class _LoadedStorage:
    """One storage of the archive, read on first use; every tensor on it shares one torchlike Storage."""

    def __init__(self, read, dtype: D.dtype, numel: int, map_location):
        self.read, self.dtype, self.numel, self.map_location = read, dtype, numel, map_location
        self.tensor = None
        self.first = True

    def __call__(self) -> Tensor:
        if self.tensor is None:
            raw = self.read()
            array = np.frombuffer(raw, _np_dtype(self.dtype), count=self.numel)
            self.tensor = Tensor._make(jnp.asarray(array))
        return self.tensor


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, read_record, map_location, weights_only: bool, **kwargs):
        super().__init__(file, **kwargs)
        self.read_record, self.map_location, self.weights_only = read_record, map_location, weights_only
        self.loaded: dict[str, _LoadedStorage] = {}

    def find_class(self, module: str, name: str):
        found = _SAFE_GLOBALS.get((module, name))
        if found is not None:
            return found
        if module == "torch" and name in _STORAGE_TYPES:
            return _StorageType(_STORAGE_TYPES[name])
        if module == "torch" and isinstance(getattr(D, name, None), D.dtype):
            return getattr(D, name)
        if self.weights_only:
            raise pickle.UnpicklingError(
                "Weights only load failed. Unsupported global: "
                f"GLOBAL {module}.{name} was not an allowed global by default. Re-running `torchlike.load` with "
                "`weights_only` set to `False` will likely succeed, but it can result in arbitrary code execution. "
                "Do it only if you got the file from a trusted source."
            )
        if module == "torch" or module.startswith("torch."):
            try:  # a torch class pickled by torch: use torchlike's twin where there is one
                return super().find_class("torchlike" + module[len("torch") :], name)
            except (ImportError, AttributeError):
                pass
        return super().find_class(module, name)

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"torchlike.load: unsupported persistent id {pid!r}")
        _, storage_type, key, location, numel = pid
        if key not in self.loaded:
            dtype = storage_type.dtype if isinstance(storage_type, _StorageType) else D.uint8
            self.loaded[key] = _LoadedStorage(
                lambda k=key: self.read_record(f"data/{k}"), dtype, int(numel), self.map_location
            )
        return self.loaded[key]


def _open_archive(f):
    start = f.tell()
    magic = f.read(4)
    f.seek(start)
    if not magic:
        raise EOFError("torchlike.load: the file is empty (Ran out of input)")
    try:
        zf = zipfile.ZipFile(f)
    except zipfile.BadZipFile as e:
        if magic == b"PK\x03\x04":
            raise RuntimeError(
                "torchlike.load: the checkpoint is truncated or corrupted "
                f"(PytorchStreamReader failed reading zip archive: {e})"
            ) from None
        raise RuntimeError(
            "torchlike.load: not a PyTorch zip checkpoint (torch.save's legacy format, written with "
            f"_use_new_zipfile_serialization=False, is not supported; the file starts with {magic!r})"
        ) from None
    pkls = [n for n in zf.namelist() if n.endswith("/data.pkl") and n.count("/") == 1]
    if not pkls:
        raise RuntimeError(
            f"torchlike.load: the zip archive has no '<name>/data.pkl' record, so it is not a PyTorch checkpoint "
            f"(it holds {zf.namelist()[:5]})"
        )
    return zf, pkls[0][: -len("data.pkl")]


def load(f, map_location=None, pickle_module=None, *, weights_only: bool | None = None, mmap=None, **pickle_load_args):
    """Mirrors torch.load for zip checkpoints written by torch.save or torchlike.save.

    Args:
        weights_only: True by default: only tensors, containers and plain values are built;
            any other global in the pickle raises ``pickle.UnpicklingError`` naming it.
        mmap: accepted; storages are read once into device arrays either way.
    """
    if weights_only is None:
        weights_only = os.environ.get("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0") in ("0", "")
    opened = None
    if isinstance(f, (str, os.PathLike)):
        f = opened = open(os.fspath(f), "rb")
    try:
        zf, prefix = _open_archive(f)
        with zf:

            def read(name: str) -> bytes:
                try:
                    return zf.read(prefix + name)
                except (KeyError, zipfile.BadZipFile, OSError, EOFError) as e:
                    raise RuntimeError(f"torchlike.load: cannot read record '{prefix + name}': {e}") from None

            data = read("data.pkl")
            byteorder = read("byteorder") if prefix + "byteorder" in zf.namelist() else b"little"
            if byteorder != b"little":
                raise RuntimeError(
                    f"torchlike.load: big-endian checkpoints are not supported (byteorder {byteorder!r})"
                )
            kwargs = {k: v for k, v in pickle_load_args.items() if k in ("encoding", "errors")}
            unpickler = _Unpickler(io.BytesIO(data), read, map_location, weights_only, **kwargs)
            try:
                result = unpickler.load()
            except pickle.UnpicklingError:
                raise
            except (EOFError, ValueError, struct.error, IndexError, KeyError) as e:
                raise pickle.UnpicklingError(
                    f"torchlike.load: corrupted data.pkl record ({type(e).__name__}: {e})"
                ) from None
            for s in unpickler.loaded.values():
                s()  # read every storage now: after this the file may go away
            return _map_location(result, map_location)
    finally:
        if opened is not None:
            opened.close()


def _map_location(obj, map_location):
    if map_location is None:
        return obj
    if callable(map_location) and not isinstance(map_location, (str, _device)):
        return obj  # every tensor already lives on the one device torchlike has here
    target = map_location.get("cpu", "cpu") if isinstance(map_location, dict) else map_location
    _device(target)  # validates the device string, as torch does
    return obj
