"""Tensor printing: ``repr(tensor)`` and ``set_printoptions`` (mirrors torch._tensor_str).

Everything here formats a numpy copy of the tensor's value with Python's own
float formatting, as torch does, so the text matches torch character for
character. No torchlike op is called, so printing never records autograd and
never compiles anything; a tensor whose value is a JAX tracer prints its
dtype and shape instead of its values.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math

import jax
import numpy as np

from . import _dtype as D

_DEFAULT_COMPLEX = {D.float64: D.complex128}


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()

_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set options for printing tensors. Mirrors torch.set_printoptions.

    As in torch, every call also sets ``sci_mode`` (back to automatic when not given).
    """
    if profile in _PROFILES:
        for name, value in _PROFILES[profile].items():
            setattr(PRINT_OPTS, name, value)
    given = {"precision": precision, "threshold": threshold, "edgeitems": edgeitems, "linewidth": linewidth}
    for name, value in given.items():
        if value is not None:
            setattr(PRINT_OPTS, name, value)
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """The current print options, as keyword arguments for set_printoptions. Mirrors torch._tensor_str."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    """Temporarily change the print options. Mirrors torch._tensor_str.printoptions."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


# ---------------------------------------------------------------- formatting one element


class _Formatter:
    """Chooses one width and style (int, fixed, scientific) for all elements of a real array."""

    def __init__(self, values: np.ndarray, floating: bool):
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        if not floating:
            self.max_width = max([1] + [len(str(v)) for v in values.ravel().tolist()])
        else:
            self._scan_floats(values.ravel())

    def _scan_floats(self, values: np.ndarray) -> None:
        nonzero_finite = values[np.isfinite(values) & (values != 0)]
        if nonzero_finite.size == 0:
            return
        self.int_mode = bool(np.all(nonzero_finite == np.ceil(nonzero_finite)))
        self.sci_mode = _auto_sci_mode(np.abs(nonzero_finite)) if PRINT_OPTS.sci_mode is None else PRINT_OPTS.sci_mode
        # an integral float is printed with a trailing '.', which the width must count
        extra = 1 if self.int_mode and not self.sci_mode else 0
        spec = self._spec()
        self.max_width = max(len(format(v, spec)) + extra for v in nonzero_finite.tolist())

    def _spec(self) -> str:
        if self.sci_mode:
            return f".{PRINT_OPTS.precision}e"
        return ".0f" if self.int_mode else f".{PRINT_OPTS.precision}f"

    def width(self) -> int:
        return self.max_width

    def format(self, value) -> str:
        if not self.floating:
            text = str(value)
        elif self.int_mode and not self.sci_mode:
            text = format(value, ".0f") + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = format(value, self._spec())
        return text.rjust(self.max_width)


def _auto_sci_mode(magnitudes: np.ndarray) -> bool:
    lo, hi = float(magnitudes.min()), float(magnitudes.max())
    return hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4


def _element_formatter(summary: np.ndarray, floating: bool, is_complex: bool):
    """A function formatting one element (a Python scalar), and the width it takes in a row."""
    if not is_complex:
        fmt = _Formatter(summary, floating)
        return fmt.format, fmt.width() + 2
    re, im = _Formatter(summary.real, True), _Formatter(summary.imag, True)

    def format_complex(value: complex) -> str:
        imag = (im.format(value.imag) + "j").lstrip()
        return re.format(value.real) + ("" if imag[0] in "+-" else "+") + imag

    # the row width counts ', ' after each element and the 'j' of the imaginary part
    return format_complex, re.width() + 2 + im.width() + 1


# ---------------------------------------------------------------- laying out arrays


def _summarized(a: np.ndarray) -> np.ndarray:
    """The elements a summarized print shows (the edge items of every dimension)."""
    e = PRINT_OPTS.edgeitems
    if not e:
        return a  # only '...' is shown; the formatter then decides nothing visible
    keep = [np.r_[0:e, n - e : n] if n > 2 * e else np.arange(n) for n in a.shape]
    return a[np.ix_(*keep)]


def _edge_indices(n: int, summarize: bool):
    """Indices shown along a dimension of length n, with None where '...' goes."""
    e = PRINT_OPTS.edgeitems
    if summarize and n > 2 * e:
        return list(range(e)) + [None] + list(range(n - e, n))
    return list(range(n))


def _vector_str(a: list, indent: int, summarize: bool, fmt, element_width: int) -> str:
    if summarize and not PRINT_OPTS.edgeitems:
        items = ["..."]
    else:
        items = [" ..." if i is None else fmt(a[i]) for i in _edge_indices(len(a), summarize)]
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_width))
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nd_str(a: np.ndarray, indent: int, summarize: bool, fmt, element_width: int) -> str:
    if a.ndim == 0:
        return fmt(a.item())
    if a.ndim == 1:
        return _vector_str(a.tolist(), indent, summarize, fmt, element_width)
    slices = [
        "..." if i is None else _nd_str(a[i], indent + 1, summarize, fmt, element_width)
        for i in _edge_indices(len(a), summarize)
    ]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def _as_python_precision(a: np.ndarray, dtype: D.dtype) -> np.ndarray:
    """``a`` with floats widened to float64 (complex to complex128): the values ``tensor.item()`` gives."""
    if dtype.is_complex:
        return a.astype(np.complex128)
    return a.astype(np.float64) if dtype.is_floating_point else a


def _tensor_str(a: np.ndarray, dtype: D.dtype, indent: int) -> str:
    if a.size == 0:
        return "[]"
    summarize = a.size > PRINT_OPTS.threshold
    a = _as_python_precision(a, dtype)
    summary = _summarized(a) if summarize else a
    fmt, element_width = _element_formatter(summary, dtype.is_floating_point, dtype.is_complex)
    return _nd_str(a, indent, summarize, fmt, element_width)


# ---------------------------------------------------------------- suffixes and the whole repr


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append ', suffix' for each suffix, starting a new line where one would pass linewidth."""
    parts = [text]
    last_line_len = len(text) - text.rfind("\n") + 1  # torch's count, off by two on one-line text
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    return "".join(parts) + ")"


def _has_default_dtype(dtype: D.dtype) -> bool:
    default = D.get_default_dtype()
    return dtype in (default, _DEFAULT_COMPLEX.get(default, D.complex64), D.int64, D.bool)


def _value_suffixes(t, a: np.ndarray) -> list[str]:
    suffixes = []
    if t.device.type != "cpu":
        suffixes.append(f"device='{t.device}'")
    if a.size == 0:
        # nothing to infer the dtype from, so even int64 is shown
        if a.ndim != 1:
            suffixes.append(f"size={tuple(a.shape)}")
        if t.dtype != D.get_default_dtype():
            suffixes.append(f"dtype={t.dtype}")
        return suffixes
    if not PRINT_OPTS.edgeitems:
        suffixes.append(f"size={tuple(a.shape)}")
    if not _has_default_dtype(t.dtype):
        suffixes.append(f"dtype={t.dtype}")
    return suffixes


def _autograd_suffixes(t) -> list[str]:
    try:
        grad_fn = t.grad_fn
    except RuntimeError:
        return ["grad_fn=<Invalid>"]
    if grad_fn is not None:
        return [f"grad_fn=<{grad_fn.name().rsplit('::', 1)[-1]}>"]
    return ["requires_grad=True"] if t.requires_grad else []


def tensor_repr(t, *, tensor_contents: str | None = None) -> str:
    """``repr(t)``, as torch prints it. Mirrors torch._tensor_str._str."""
    name = type(t).__name__
    prefix = "tensor(" if name in ("Tensor", "Parameter") else f"{name}("
    indent = len(prefix)
    value = t._value
    if isinstance(value, jax.core.Tracer):
        dims = ", ".join(str(n) for n in value.shape)
        text, suffixes = f"<traced {t.dtype.name}[{dims}]>", []
    else:
        a = np.asarray(value)
        text = tensor_contents if tensor_contents is not None else _tensor_str(a, t.dtype, indent)
        suffixes = _value_suffixes(t, a)
    return _add_suffixes(prefix + text, suffixes + _autograd_suffixes(t), indent)
