"""Packed and padded sequences (mirrors torch.nn.utils.rnn).

A PackedSequence holds torch's layout: ``data`` is the time-major
concatenation of the steps of sequences sorted by decreasing length, and
``batch_sizes`` (int64, concrete) counts the sequences alive at each step.
Packing needs concrete lengths (the packed size depends on them), as torch
needs them on the CPU; the data itself may be traced. Each conversion is one
dispatched gather, so gradients flow through packing and padding.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import jax.numpy as jnp
import numpy as np

from ... import _dtype as D
from ..._dispatch import dispatch
from ..._tensor import Tensor, _concrete

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpad_sequence",
    "pack_sequence",
    "unpack_sequence",
]


def _tensor(a) -> Tensor:
    """An int64 tensor of ``a`` that remembers its numpy value, so that it stays known under tracing."""
    from ..._ops.creation import tensor

    a = np.asarray(a, np.int64)
    t = tensor(a)
    t._static_value = a
    return t


def _static(t, what: str) -> np.ndarray:
    """The concrete value of an index tensor (batch sizes, lengths): remembered, else read (not under tracing)."""
    known = getattr(t, "_static_value", None)
    return known if known is not None else np.asarray(_concrete(t, what))


class PackedSequence_(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(PackedSequence_):
    """Mirrors torch.nn.utils.rnn.PackedSequence."""

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise AssertionError("Expected data to be a list or tuple of length 2")
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs) -> PackedSequence:
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        move = lambda t: None if t is None else t.to(data.device)  # noqa: E731
        return type(self)(data, self.batch_sizes, move(self.sorted_indices), move(self.unsorted_indices))

    def cuda(self, *args, **kwargs) -> PackedSequence:
        return self.to(*args, device="cuda", **kwargs)

    def cpu(self, *args, **kwargs) -> PackedSequence:
        return self.to(*args, device="cpu", **kwargs)

    def pin_memory(self) -> PackedSequence:
        return self

    def is_pinned(self) -> bool:
        return False

    @property
    def is_cuda(self) -> bool:
        return self.data.is_cuda


def _add_casts():
    for name, dt in (("double", D.float64), ("float", D.float32), ("half", D.float16), ("long", D.int64),
                     ("int", D.int32), ("short", D.int16), ("char", D.int8), ("byte", D.uint8)):  # fmt: skip
        fn = lambda self, dt=dt: self.to(dtype=dt)  # noqa: E731
        fn.__name__ = name
        setattr(PackedSequence, name, fn)


_add_casts()


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """Mirrors torch.nn.utils.rnn.invert_permutation."""
    if permutation is None:
        return None
    known = getattr(permutation, "_static_value", None)
    if known is not None:
        return _tensor(np.argsort(known, kind="stable"))
    return dispatch(_invert, (permutation,))


def _invert(p):
    return jnp.zeros_like(p).at[p].set(jnp.arange(p.shape[0], dtype=p.dtype))


@functools.lru_cache(maxsize=256)
def packed_layout(batch_sizes: tuple) -> tuple:
    """(gather (T, B), scatter (N,), lengths (B,)) index arrays between packed data and the sorted padded batch.

    ``gather[t, b]`` is the row of data holding step t of sequence b (N, one past the end, where it is padding);
    ``scatter`` lists the flat (t * B + b) positions of the valid steps in packed order.
    """
    bs = np.asarray(batch_sizes, np.int64)
    B = int(bs[0]) if len(bs) else 0
    offsets = np.concatenate([[0], np.cumsum(bs)[:-1]])
    b = np.arange(B)
    valid = b[None, :] < bs[:, None]
    gather = np.where(valid, offsets[:, None] + b[None, :], int(bs.sum())).astype(np.int32)
    scatter = np.nonzero(valid.ravel())[0].astype(np.int32)
    lengths = valid.sum(0).astype(np.int32)
    return gather, scatter, lengths


def _batch_sizes(seq: PackedSequence) -> tuple:
    return tuple(int(s) for s in _static(seq.batch_sizes, "a PackedSequence's batch_sizes"))


def _pack(x, idx, *, batch_first):
    if batch_first:
        x = jnp.swapaxes(x, 0, 1)
    return x.reshape((-1,) + x.shape[2:])[idx]


def _pad(data, gather, unsorted, value, *, batch_first):
    padded = jnp.concatenate([data, jnp.full((1,) + data.shape[1:], value, data.dtype)])[gather]
    if unsorted is not None:
        padded = padded[:, unsorted]
    return jnp.swapaxes(padded, 0, 1) if batch_first else padded


def pack_padded_sequence(input: Tensor, lengths, batch_first: bool = False, enforce_sorted: bool = True):
    """Mirrors torch.nn.utils.rnn.pack_padded_sequence."""
    if isinstance(lengths, Tensor):
        lengths = _static(lengths, "pack_padded_sequence's lengths")
    lengths = np.asarray(lengths, np.int64).reshape(-1)
    sorted_indices = None
    if not enforce_sorted:
        order = np.argsort(-lengths, kind="stable")
        lengths, sorted_indices = lengths[order], _tensor(order)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    batch = input.shape[0 if batch_first else 1]
    if len(lengths) != batch:
        raise RuntimeError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {len(lengths)} (batch_size={batch})"
        )
    if len(lengths) and lengths.min() <= 0:
        raise RuntimeError(
            "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0"
        )
    if np.any(np.diff(lengths) > 0):
        raise RuntimeError(
            "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass "
            "`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if "
            "you do not need ONNX exportability."
        )
    T = input.shape[1 if batch_first else 0]
    if len(lengths) and lengths[0] > T:
        raise RuntimeError(f"Expected sequence length to be larger than or equal to {lengths[0]}, but got {T}")
    batch_sizes = (np.arange(int(lengths[0]) if len(lengths) else 0)[:, None] < lengths[None, :]).sum(1)
    _, scatter, _ = packed_layout(tuple(batch_sizes.tolist()))
    data = dispatch(_pack, (input, scatter), (("batch_first", bool(batch_first)),), "PackPaddedSequenceBackward0")
    return PackedSequence(data, _tensor(batch_sizes), sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """Mirrors torch.nn.utils.rnn.pad_packed_sequence."""
    bs = _batch_sizes(sequence)
    max_len = len(bs)
    if total_length is not None:
        if total_length < max_len:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in input, but got "
                f"total_length={total_length} and max sequence length being {max_len}"
            )
        bs = bs + (0,) * (total_length - max_len)
    gather, _, lengths = packed_layout(bs)
    unsorted = sequence.unsorted_indices
    args = (sequence.data, gather, unsorted, padding_value)
    padded = dispatch(_pad, args, (("batch_first", bool(batch_first)),), "CopySlices")
    if unsorted is not None:
        lengths = lengths[_static(unsorted, "a PackedSequence's unsorted_indices")]
    return padded, _tensor(lengths)


def _pad_list(value, *seqs, batch_first, left):
    T = max(s.shape[0] for s in seqs)
    rows = []
    for s in seqs:
        pad = [(T - s.shape[0], 0) if left else (0, T - s.shape[0])] + [(0, 0)] * (s.ndim - 1)
        rows.append(jnp.pad(s, pad, constant_values=value))
    return jnp.stack(rows, 0 if batch_first else 1)


def pad_sequence(sequences, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:  # fmt: skip
    """Mirrors torch.nn.utils.rnn.pad_sequence."""
    if isinstance(sequences, Tensor):
        sequences = sequences.unbind(0)
    sequences = tuple(sequences)
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    trail = tuple(sequences[0].shape[1:])
    for s in sequences[1:]:
        if tuple(s.shape[1:]) != trail:
            for d, (a, b) in enumerate(zip(s.shape[1:], trail)):
                if a != b:
                    raise RuntimeError(
                        f"The size of tensor a ({b}) must match the size of tensor b ({a}) at non-singleton "
                        f"dimension {d + 1}"
                    )
            raise RuntimeError(f"pad_sequence: sequences have different numbers of dimensions ({s.dim()})")
    static = (("batch_first", bool(batch_first)), ("left", padding_side == "left"))
    return dispatch(_pad_list, (padding_value, *sequences), static, "StackBackward0")


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False) -> list[Tensor]:
    """Mirrors torch.nn.utils.rnn.unpad_sequence (which, as torch's, transposes a time-major input in place)."""
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    lengths = _static(lengths, "unpad_sequence's lengths").reshape(-1)
    if len(lengths) != padded_sequences.shape[0]:
        raise ValueError(
            f"zip() argument 2 is {'shorter' if len(lengths) < padded_sequences.shape[0] else 'longer'} than argument 1"
        )
    return [padded_sequences[i, : int(n)] for i, n in enumerate(lengths)]


def pack_sequence(sequences: list[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Mirrors torch.nn.utils.rnn.pack_sequence."""
    lengths = [v.size(0) for v in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """Mirrors torch.nn.utils.rnn.unpack_sequence."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
