"""default_collate / default_convert at the NumPy level (mirrors torch.utils.data._utils.collate).

This module imports only NumPy and the standard library: DataLoader workers load it on its own
(without importing torchlike, hence without JAX), collate samples into NumPy batches there, and
the main process turns the NumPy leaves into tensors with ``to_tensors``.
"""

from __future__ import annotations

import collections.abc
import copy
import re
import sys

import numpy as np

__all__: list[str] = []

np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


def _tensor_type():
    """torchlike.Tensor when torchlike is imported in this process, else a type nothing is an instance of."""
    mod = sys.modules.get("torchlike._tensor")
    return mod.Tensor if mod is not None else _NoTensor


class _NoTensor:
    pass


def _stack_np(batch):
    try:
        return np.stack(batch, 0)
    except ValueError:
        first = batch[0].shape
        for i, b in enumerate(batch):
            if b.shape != first:
                raise RuntimeError(
                    f"stack expects each tensor to be equal size, but got {list(first)} at entry 0 "
                    f"and {list(b.shape)} at entry {i}"
                ) from None
        raise


def _collate_ints(batch):
    a = np.asarray(batch)
    if a.dtype.kind in "iu":  # torch.tensor(list of ints) is int64
        return a.astype(np.int64, copy=False)
    if a.dtype.kind == "f":  # an int first, then floats: torch.tensor infers the default float dtype
        return a.astype(np.float32)
    return a


def _rebuild_mapping(elem, items):
    try:
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)  # the mapping type may carry extra attributes
            clone.update(items)
            return clone
        return type(elem)(items)
    except TypeError:
        return items


def _rebuild_sequence(elem, items):
    try:
        if isinstance(elem, collections.abc.MutableSequence):
            clone = copy.copy(elem)
            for i, item in enumerate(items):
                clone[i] = item
            return clone
        return type(elem)(items)
    except TypeError:
        return items


def collate(batch, tensor_fn=None):
    """default_collate with NumPy leaves; ``tensor_fn`` stacks a list of tensors (None: as NumPy)."""
    elem = batch[0]
    if isinstance(elem, _tensor_type()):
        if tensor_fn is not None:
            return tensor_fn(batch)
        return _stack_np([np.asarray(b) for b in batch])
    if isinstance(elem, np.ndarray):
        if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
            raise TypeError(default_collate_err_msg_format.format(elem.dtype))
        return _stack_np(batch)
    if isinstance(elem, (np.bool_, np.number, np.object_)):
        return np.asarray(batch)
    if isinstance(elem, float):
        return np.asarray(batch, dtype=np.float64)
    if isinstance(elem, int):
        return _collate_ints(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        return _rebuild_mapping(elem, {key: collate([d[key] for d in batch], tensor_fn) for key in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(collate(samples, tensor_fn) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(b) != size for b in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        items = [collate(samples, tensor_fn) for samples in zip(*batch)]
        return items if isinstance(elem, tuple) else _rebuild_sequence(elem, items)
    raise TypeError(default_collate_err_msg_format.format(type(elem)))


def convert(data, tensors_to_numpy=True):
    """default_convert with NumPy leaves: NumPy scalars become 0-d arrays, containers are rebuilt."""
    if isinstance(data, _tensor_type()):
        return np.asarray(data) if tensors_to_numpy else data
    kind = type(data)
    if kind.__module__ == "numpy" and kind.__name__ not in ("str_", "string_", "bytes_"):
        if kind.__name__ == "ndarray" and np_str_obj_array_pattern.search(data.dtype.str) is not None:
            return data
        return np.asarray(data)
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {key: convert(data[key], tensors_to_numpy) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return kind(*(convert(d, tensors_to_numpy) for d in data))
    if isinstance(data, tuple):
        return [convert(d, tensors_to_numpy) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_sequence(data, [convert(d, tensors_to_numpy) for d in data])
    return data


def to_tensors(data, make_tensors, arrays=True):
    """Replace the array leaves of a collated (``arrays=True``) or converted batch by tensors.

    ``make_tensors`` turns the list of all leaves into tensors in one call (one batched host-to-device
    transfer per batch instead of one per leaf). After convert, only arrays of NumPy's own types are
    tensors-to-be (as in torch's default_convert).
    """
    leaves: list = []
    _walk(data, leaves.append, arrays)
    if not leaves:
        return data
    made = iter(make_tensors(leaves))
    return _walk(data, lambda _leaf: next(made), arrays)


def _walk(data, visit, arrays):
    """Rebuild ``data`` with each tensor-to-be leaf replaced by ``visit(leaf)``, in a fixed order."""
    if isinstance(data, np.ndarray):
        if (arrays or type(data).__module__ == "numpy") and np_str_obj_array_pattern.search(data.dtype.str) is None:
            return visit(data)
        return data
    if isinstance(data, (str, bytes)) or not isinstance(data, (collections.abc.Mapping, collections.abc.Sequence)):
        return data
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {key: _walk(data[key], visit, arrays) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(_walk(d, visit, arrays) for d in data))
    items = [_walk(d, visit, arrays) for d in data]
    return tuple(items) if isinstance(data, tuple) else _rebuild_sequence(data, items)
