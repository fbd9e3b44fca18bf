"""RNN / LSTM / GRU, their cells and nn.utils.rnn against torch: outputs, final states, gradients, state_dicts.

Each layer row copies torch's state_dict into torchlike (so the parameter
names, shapes and gate orders must be torch's) and compares outputs and the
gradients w.r.t. inputs, initial states and every parameter, eagerly and
traced. A row compiles the whole stack's scan forward and backward, so the
rows are few and rich: several options per row.
"""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from compat_tests.harness import Case
from compat_tests.nn_harness import LayerCase, check_init, check_layer

R = np.random.RandomState(0)


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


def _utils(m):
    """nn.utils.rnn of the library the module comes from."""
    return __import__(type(m).__module__.split(".")[0]).nn.utils.rnn


def _packed_lstm(m, a, b, c, h0, c0):
    """Unsorted sequences packed, with initial states (given in the caller's batch order)."""
    U = _utils(m)
    packed = U.pack_sequence([a, b, c], enforce_sorted=False)
    out, (h, cn) = m(packed, (h0, c0))
    padded, lengths = U.pad_packed_sequence(out, batch_first=True, padding_value=-2.0, total_length=7)
    return out.data, out.batch_sizes, out.sorted_indices, out.unsorted_indices, h, cn, padded, lengths


def _packed_rnn(m, x):
    """Sorted lengths from a padded batch_first tensor, no initial state."""
    U = _utils(m)
    out, h = m(U.pack_padded_sequence(x, [4, 4, 2], batch_first=True))
    return out.data, h, U.pad_packed_sequence(out)[0]


LAYERS = [
    LayerCase(
        "lstm-bidirectional-2layer-proj-initial-states",
        lambda lib: lib.nn.LSTM(3, 6, 2, bidirectional=True, proj_size=4),
        f32(5, 2, 3),
        f32(4, 2, 4),
        f32(4, 2, 6),
        call=lambda m, x, h, c: m(x, (h, c)),
        modes=("train",),
    ),
    LayerCase(
        "gru-batch-first-initial-state",
        lambda lib: lib.nn.GRU(3, 5, 2, batch_first=True),
        f32(2, 4, 3),
        f32(2, 2, 5),
        modes=("eval",),
        traced=False,  # the same code paths run traced in other rows
    ),
    LayerCase(
        # dropout=1 zeroes the second layer's input in train mode: deterministic, so values compare
        "rnn-relu-nobias-bidirectional-unbatched-dropout",
        lambda lib: lib.nn.RNN(3, 4, 2, nonlinearity="relu", bias=False, bidirectional=True, dropout=1.0),
        f32(5, 3),
        f32(4, 4),
        modes=("train",),
    ),
    LayerCase(
        "lstm-packed-unsorted-bidirectional",
        lambda lib: lib.nn.LSTM(3, 4, 2, bidirectional=True),
        f32(3, 3),
        f32(6, 3),
        f32(2, 3),
        f32(4, 3, 4),
        f32(4, 3, 4),
        call=_packed_lstm,
        modes=("train",),
    ),
    LayerCase(
        "rnn-tanh-packed-sorted-batch-first",
        lambda lib: lib.nn.RNN(3, 4, batch_first=True),
        f32(3, 4, 3),
        call=_packed_rnn,
        modes=("eval",),
        traced=False,  # the same code paths run traced in other rows
    ),
    LayerCase(
        "lstm-cell",
        lambda lib: lib.nn.LSTMCell(3, 4),
        f32(2, 3),
        f32(2, 4),
        f32(2, 4),
        call=lambda m, x, h, c: m(x, (h, c)),
        modes=("train",),
    ),
    LayerCase(
        "gru-cell-unbatched-nobias",
        lambda lib: lib.nn.GRUCell(3, 4, bias=False),
        f32(3),
        f32(4),
        modes=("train",),
        traced=False,  # the same code paths run traced in other rows
    ),
    LayerCase(
        "rnn-cell-relu", lambda lib: lib.nn.RNNCell(3, 4, nonlinearity="relu"), f32(2, 3), modes=("eval",), traced=False
    ),
    LayerCase(
        "lstm-error-hidden-size",
        lambda lib: lib.nn.LSTM(3, 4),
        f32(5, 2, 3),
        f32(1, 2, 5),
        f32(1, 2, 4),
        call=lambda m, x, h, c: m(x, (h, c)),
        modes=("train",),
    ),
    LayerCase("gru-error-input-size", lambda lib: lib.nn.GRU(4, 4), f32(5, 2, 3), modes=("train",)),
    LayerCase("rnn-error-4d-input", lambda lib: lib.nn.RNN(3, 4), f32(1, 5, 2, 3), modes=("train",)),
    LayerCase("gru-error-proj-size", lambda lib: lib.nn.GRU(3, 4, proj_size=2), f32(5, 2, 3), modes=("train",)),
    LayerCase("lstm-error-proj-too-big", lambda lib: lib.nn.LSTM(3, 4, proj_size=4), f32(5, 2, 3), modes=("train",)),
    LayerCase("cell-error-hidden-batch", lambda lib: lib.nn.GRUCell(3, 4), f32(2, 3), f32(3, 4), modes=("train",)),
]


@pytest.mark.parametrize("case", LAYERS, ids=repr)
def test_layer(case):
    check_layer(case)


def test_init():
    """uniform(-1/sqrt(hidden), 1/sqrt(hidden)) for every parameter, torch's names and shapes."""
    check_init(lambda lib: lib.nn.LSTM(8, 16, bidirectional=True, proj_size=4), seeds=(0,))


def _seq_utils(lib, a, b, c, x):
    U = lib.nn.utils.rnn
    p = U.pack_sequence([a, b, c], enforce_sorted=False)
    padded, lengths = U.pad_packed_sequence(p, batch_first=True, padding_value=-1.0, total_length=7)
    q = U.pack_padded_sequence(x, [5, 3, 3, 1])
    return (
        tuple(p),
        (padded, lengths),
        tuple(q),
        U.pad_packed_sequence(q),
        U.pad_sequence([a, b, c], batch_first=True, padding_value=2.0, padding_side="left"),
        U.unpack_sequence(p),
        U.unpad_sequence(U.pad_sequence([a, b, c]), lengths),
        U.invert_permutation(p.sorted_indices),
    )


UTILS = [
    # gradients through packing and padding are checked by the packed layer rows
    Case("pack-pad-unpack", _seq_utils, f32(3, 2), f32(5, 2), f32(3, 2), f32(5, 4, 2), grad=False),
    Case(
        "pack-error-unsorted",
        lambda lib, x: lib.nn.utils.rnn.pack_padded_sequence(x, [2, 5]),
        f32(5, 2, 1),
    ),
    Case("pack-error-zero-length", lambda lib, x: lib.nn.utils.rnn.pack_padded_sequence(x, [5, 0]), f32(5, 2)),
    Case("pack-error-lengths-count", lambda lib, x: lib.nn.utils.rnn.pack_padded_sequence(x, [5]), f32(5, 2)),
    Case(
        "pad-error-total-length",
        lambda lib, a: lib.nn.utils.rnn.pad_packed_sequence(lib.nn.utils.rnn.pack_sequence([a]), total_length=2),
        f32(3, 2),
    ),
    Case(
        "pad-sequence-error-side",
        lambda lib, a: lib.nn.utils.rnn.pad_sequence([a], padding_side="middle"),
        f32(3, 2),
    ),
    Case("pad-sequence-error-empty", lambda lib: lib.nn.utils.rnn.pad_sequence([])),
    Case(
        "pad-sequence-error-trailing",
        lambda lib, a, b: lib.nn.utils.rnn.pad_sequence([a, b]),
        f32(3, 2),
        f32(3, 3),
    ),
]


@pytest.mark.parametrize("case", UTILS, ids=repr)
def test_utils(case, compat):
    compat(case)


def test_packed_sequence_api():
    """PackedSequence is a 4-tuple with torch's fields; casts move data only; rnn attributes as torch; dropout
    between layers draws fresh masks from the RNG state in train mode and is off in eval mode."""
    U = torchlike.nn.utils.rnn
    p = U.pack_sequence([torchlike.ones(3, 2), torchlike.ones(2, 2)])
    assert p._fields == ("data", "batch_sizes", "sorted_indices", "unsorted_indices")
    d = p.double()
    assert d.data.dtype == torchlike.float64 and d.batch_sizes is p.batch_sizes and p.to(torchlike.float32) is p
    assert p.batch_sizes.dtype == torchlike.int64 and p.batch_sizes.tolist() == [2, 2, 1]
    m = torchlike.nn.LSTM(2, 3, 2, proj_size=1, bias=False, dropout=0.5)
    names = ["weight_ih_l0", "weight_hh_l0", "weight_hr_l0", "weight_ih_l1", "weight_hh_l1", "weight_hr_l1"]
    assert m._flat_weights_names == names and m.all_weights[1][0] is m.weight_ih_l1
    assert m.flatten_parameters() is None
    with torchlike.no_grad():
        (out, (h, c)), (out2, _) = m(p), m(p)
    assert isinstance(out, U.PackedSequence) and h.shape == (2, 2, 1) and c.shape == (2, 2, 3)
    assert not np.allclose(out.data.numpy(), out2.data.numpy())
    m.eval()
    with torchlike.no_grad():
        np.testing.assert_array_equal(m(p)[0].data.numpy(), m(p)[0].data.numpy())
