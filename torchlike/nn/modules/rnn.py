"""Recurrent layers: RNN, LSTM, GRU and their cells (mirrors torch/nn/modules/rnn.py).

Parameter names, shapes, init and gate orders are torch's, so state_dicts
interchange. A forward is one dispatched program for the whole stack (see
``torchlike/_ops/nn_rnn.py``); packed sequences run as masked scans over the
padded batch. ``flatten_parameters`` is a no-op (there is no cuDNN buffer).
"""

from __future__ import annotations

import math
import numbers
import warnings

from ..._ops import nn_rnn
from ..._ops.creation import empty
from ..._tensor import Tensor
from ...random import default_generator
from .. import init
from ..parameter import Parameter
from ..utils.rnn import PackedSequence, _batch_sizes, packed_layout
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


def _check_int(value, name: str) -> None:
    if not isinstance(value, int):
        raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be greater than zero")


class RNNBase(Module):
    """Mirrors torch.nn.RNNBase."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None) -> None:  # fmt: skip
        super().__init__()
        self.mode, self.input_size, self.hidden_size, self.num_layers = mode, input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.bidirectional, self.proj_size = bias, batch_first, bidirectional, proj_size
        if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
            raise ValueError(
                "dropout should be a number in range [0, 1] representing the probability of an element being zeroed"
            )
        self.dropout = float(dropout)
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
                f"num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                stacklevel=2,
            )
        if not isinstance(bias, bool):
            raise TypeError(f"bias should be of type bool, got: {type(bias).__name__}")
        if not isinstance(batch_first, bool):
            raise TypeError(f"batch_first should be of type bool, got: {type(batch_first).__name__}")
        _check_int(input_size, "input_size")
        _check_int(hidden_size, "hidden_size")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = _GATES[mode] * hidden_size
        real_hidden = proj_size if proj_size > 0 else hidden_size
        dirs = 2 if bidirectional else 1
        kw = {"device": device, "dtype": dtype}
        self._flat_weights_names, self._all_weights = [], []
        for layer in range(num_layers):
            for direction in range(dirs):
                layer_in = input_size if layer == 0 else real_hidden * dirs
                shapes = [("weight_ih_l{}{}", (gate_size, layer_in)), ("weight_hh_l{}{}", (gate_size, real_hidden))]
                if bias:
                    shapes += [("bias_ih_l{}{}", (gate_size,)), ("bias_hh_l{}{}", (gate_size,))]
                if proj_size > 0:
                    shapes += [("weight_hr_l{}{}", (proj_size, hidden_size))]
                suffix = "_reverse" if direction == 1 else ""
                names = [n.format(layer, suffix) for n, _ in shapes]
                for name, (_, shape) in zip(names, shapes):
                    setattr(self, name, Parameter(empty(shape, **kw)))
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self) -> list:
        return [getattr(self, n, None) for n in self._flat_weights_names]

    @property
    def all_weights(self) -> list:
        return [[getattr(self, w) for w in ws] for ws in self._all_weights]

    def flatten_parameters(self) -> None:
        """A no-op: parameters are never copied into a flat cuDNN buffer."""

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    def check_input(self, input: Tensor, batch_sizes) -> None:
        w = self._flat_weights[0]
        if input.dtype != w.dtype:
            raise ValueError(
                f"RNN input dtype ({input.dtype}) does not match weight dtype ({w.dtype}). Convert input: "
                f"input.to({w.dtype}), or convert model: model.to({input.dtype})"
            )
        expected = 2 if batch_sizes is not None else 3
        if input.dim() != expected:
            raise RuntimeError(f"input must have {expected} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got {input.size(-1)}"
            )

    def get_expected_hidden_size(self, input: Tensor, batch_sizes) -> tuple[int, int, int]:
        if batch_sizes is not None:
            mini_batch = batch_sizes[0]
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        dirs = 2 if self.bidirectional else 1
        return (self.num_layers * dirs, mini_batch, self.proj_size if self.proj_size > 0 else self.hidden_size)

    def check_hidden_size(self, hx: Tensor, expected, msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.size()) != tuple(expected):
            raise RuntimeError(msg.format(tuple(expected), list(hx.size())))

    def check_forward_args(self, input: Tensor, hidden, batch_sizes) -> None:
        self.check_input(input, batch_sizes)
        if hidden is not None:
            self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def _run(self, input, hx):
        """The shared forward: (output, h_n) or (output, (h_n, c_n)), with torch's checks and layouts."""
        lstm = self.mode == "LSTM"
        kind = {"LSTM": "LSTM", "GRU": "GRU"}.get(self.mode, "RNN")
        packed = isinstance(input, PackedSequence)
        h0, c0 = (hx if hx is not None else (None, None)) if lstm else (hx, None)
        if packed:
            data, bs_tensor, sorted_indices, unsorted_indices = input
            bs = _batch_sizes(input)
            self.check_forward_args_all(data, h0, c0, bs)
            gather, scatter, lengths = packed_layout(bs)
            perm = None if sorted_indices is None else sorted_indices
            layout = (gather, scatter, lengths, perm, unsorted_indices)
            x, unbatched = data, False
        else:
            if input.dim() not in (2, 3):
                what = "Expected input to be 2D or 3D, got {}D" + (" tensor instead" if kind == "RNN" else " instead")
                raise ValueError(f"{kind}: " + what.format(input.dim()))
            unbatched = input.dim() == 2
            self._check_hx_dims(h0, c0, unbatched)
            shape3 = input.shape if not unbatched else ((1,) + tuple(input.shape) if self.batch_first else
                                                        (input.shape[0], 1, input.shape[1]))  # fmt: skip
            self.check_forward_args_all(_Shaped(shape3, input.dtype), h0, c0, None, unbatched)
            layout, x = None, input
        dropout = self.training and self.dropout > 0 and self.num_layers > 1
        key = default_generator.next_key() if dropout else None
        out = nn_rnn.rnn_stack(
            x, h0, c0, self._flat_weights, mode=self.mode, layers=self.num_layers,
            dirs=2 if self.bidirectional else 1, has_bias=self.bias, proj=self.proj_size > 0,
            dropout_p=self.dropout, key=key, packed=layout, batch_first=self.batch_first and not packed,
            unbatched=unbatched,
        )  # fmt: skip
        output = PackedSequence(out[0], bs_tensor, sorted_indices, unsorted_indices) if packed else out[0]
        return output, ((out[1], out[2]) if lstm else out[1])

    def _check_hx_dims(self, h0, c0, unbatched: bool) -> None:
        want = 2 if unbatched else 3
        if h0 is None:
            return
        if self.mode == "LSTM":
            if h0.dim() != want or c0.dim() != want:
                raise RuntimeError(
                    f"For {'unbatched 2-D' if unbatched else 'batched 3-D'} input, hx and cx should also be "
                    f"{want}-D but got ({h0.dim()}-D, {c0.dim()}-D) tensors"
                )
        elif h0.dim() != want:
            raise RuntimeError(
                f"For {'unbatched 2-D' if unbatched else 'batched 3-D'} input, hx should also be {want}-D but got "
                f"{h0.dim()}-D tensor"
            )

    def check_forward_args_all(self, input, h0, c0, batch_sizes, unbatched: bool = False) -> None:
        """torch's check_forward_args on the (batched) input and initial states."""
        self.check_input(input, batch_sizes)
        if h0 is None:
            return
        lift = (lambda t: _Shaped((t.shape[0], 1, t.shape[1]), t.dtype)) if unbatched else (lambda t: t)
        expected = self.get_expected_hidden_size(input, batch_sizes)
        if self.mode != "LSTM":
            self.check_hidden_size(lift(h0), expected)
            return
        self.check_hidden_size(lift(h0), expected, "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(lift(c0), expected[:2] + (self.hidden_size,), "Expected hidden[1] size {}, got {}")


class _Shaped:
    """A shape and dtype standing in for a reshaped tensor in the checks."""

    def __init__(self, shape, dtype):
        self.shape, self.dtype = tuple(shape), dtype

    def dim(self) -> int:
        return len(self.shape)

    def size(self, d=None):
        return self.shape if d is None else self.shape[d]


class RNN(RNNBase):
    """Mirrors torch.nn.RNN (tanh or relu)."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__("RNN_TANH" if self.nonlinearity == "tanh" else "RNN_RELU", *args, **kwargs)

    def forward(self, input, hx=None):
        return self._run(input, hx)


class LSTM(RNNBase):
    """Mirrors torch.nn.LSTM (with proj_size)."""

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def forward(self, input, hx=None):
        return self._run(input, hx)


class GRU(RNNBase):
    """Mirrors torch.nn.GRU."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input, hx=None):
        return self._run(input, hx)


class RNNCellBase(Module):
    """Mirrors torch.nn.RNNCellBase."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device=None,
                 dtype=None) -> None:  # fmt: skip
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        kw = {"device": device, "dtype": dtype}
        self.weight_ih = Parameter(empty((num_chunks * hidden_size, input_size), **kw))
        self.weight_hh = Parameter(empty((num_chunks * hidden_size, hidden_size), **kw))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, **kw))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, **kw))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _step(self, mode: str, input: Tensor, states: tuple) -> Tensor | tuple:
        """Checks as torch's cells, then one dispatched step; ``states`` are (h,) or (h, c), entries may be None."""
        name = type(self).__name__
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        for i, s in enumerate(states):
            if s is not None and s.dim() not in (1, 2):
                what = "hidden" if len(states) == 1 else f"hx[{i}]"
                raise ValueError(f"{name}: Expected {what} to be 1D or 2D, got {s.dim()}D instead")
        if input.size(-1) != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.size(-1)} expected {self.input_size}")
        batch = input.size(0) if input.dim() == 2 else None
        for i, s in enumerate(states):
            if s is None:
                continue
            if s.dim() == 2 and batch is not None and s.size(0) != batch:
                raise RuntimeError(f"Input batch size {batch} doesn't match hidden{i} batch size {s.size(0)}")
            if s.size(-1) != self.hidden_size:
                raise RuntimeError(
                    f"hidden{i} has inconsistent hidden_size: got {s.size(-1)}, expected {self.hidden_size}"
                )
        h, c = states[0], (states[1] if len(states) > 1 else None)
        if h is None:
            from ..._ops.creation import zeros

            h = zeros(tuple(input.shape[:-1]) + (self.hidden_size,), dtype=input.dtype)
            c = h if mode == "LSTM" else None
        return nn_rnn.rnn_cell(input, h, c, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh, mode=mode)


class RNNCell(RNNCellBase):
    """Mirrors torch.nn.RNNCell."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device=None, dtype=None) -> None:  # fmt: skip
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        return self._step("RNN_TANH" if self.nonlinearity == "tanh" else "RNN_RELU", input, (hx,))


class LSTMCell(RNNCellBase):
    """Mirrors torch.nn.LSTMCell."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        return self._step("LSTM", input, (None, None) if hx is None else tuple(hx))


class GRUCell(RNNCellBase):
    """Mirrors torch.nn.GRUCell."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        return self._step("GRU", input, (hx,))
