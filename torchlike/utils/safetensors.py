"""Read and write ``.safetensors`` files (mirrors ``safetensors.torch``: save_file, load_file, save, load).

The format: an 8-byte little-endian header length, a JSON header mapping each name to
``{"dtype", "shape", "data_offsets": [begin, end]}`` (plus optional ``"__metadata__"``
of strings), then the raw little-endian bytes. Hugging Face weights load with no
extra dependency.
"""

from __future__ import annotations

import json
import os
import struct
import tempfile

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _concrete

__all__ = ["load", "load_file", "save", "save_file"]

_CODES = {
    "F64": D.float64,
    "F32": D.float32,
    "F16": D.float16,
    "BF16": D.bfloat16,
    "I64": D.int64,
    "I32": D.int32,
    "I16": D.int16,
    "I8": D.int8,
    "U8": D.uint8,
    "BOOL": D.bool,
    "C64": D.complex64,
}
_NAMES = {dt: code for code, dt in _CODES.items()}


def save(tensors: dict[str, Tensor], metadata: dict[str, str] | None = None) -> bytes:
    """The bytes of a safetensors file holding ``tensors`` (mirrors safetensors.torch.save)."""
    header: dict = {}
    if metadata is not None:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise ValueError("safetensors metadata must map str to str")
        header["__metadata__"] = dict(metadata)
    chunks, offset = [], 0
    for name, t in tensors.items():
        if not isinstance(t, Tensor):
            raise ValueError(f"Key `{name}` is invalid, expected a torchlike.Tensor but received {type(t)}")
        if t.dtype not in _NAMES:
            raise ValueError(f"safetensors cannot store tensor `{name}` of dtype {t.dtype}")
        raw = np.ascontiguousarray(np.asarray(_concrete(t, "safetensors.save")), t.dtype.np.newbyteorder("<")).tobytes()
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned, as the reference writer does
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def save_file(tensors: dict[str, Tensor], filename, metadata: dict[str, str] | None = None) -> None:
    """Write ``tensors`` to a safetensors file, atomically (mirrors safetensors.torch.save_file)."""
    data = save(tensors, metadata)
    path = os.fspath(filename)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=os.path.dirname(os.path.abspath(path))
    )
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _parse(data: bytes):
    if len(data) < 8:
        raise ValueError("safetensors: file too small to hold a header (truncated?)")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError(f"safetensors: header of {n} bytes runs past the end of a {len(data)}-byte file (truncated?)")
    try:
        header = json.loads(data[8 : 8 + n])
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"safetensors: invalid JSON header ({e})") from None
    return header, memoryview(data)[8 + n :]


def load(data: bytes) -> dict[str, Tensor]:
    """Tensors from the bytes of a safetensors file (mirrors safetensors.torch.load)."""
    header, body = _parse(data)
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        code = info.get("dtype")
        if code not in _CODES:
            raise ValueError(f"safetensors: tensor `{name}` has unsupported dtype {code!r}")
        dt, shape = _CODES[code], tuple(info["shape"])
        begin, end = info["data_offsets"]
        if end > len(body) or end - begin != int(np.prod(shape, dtype=np.int64)) * dt.itemsize:
            raise ValueError(
                f"safetensors: tensor `{name}` ({code}, shape {list(shape)}) has invalid offsets {[begin, end]}"
            )
        array = np.frombuffer(body[begin:end], dt.np.newbyteorder("<")).reshape(shape)
        out[name] = Tensor._make(jnp.asarray(array))
    return out


def load_file(filename, device="cpu") -> dict[str, Tensor]:
    """Tensors from a safetensors file (mirrors safetensors.torch.load_file)."""
    with open(os.fspath(filename), "rb") as f:
        return load(f.read())
