"""Activations, softmax family and dropout for nn.functional (mirrors torch.nn.functional).

Each activation is one pure jnp program dispatched once. Hyperparameters
(slopes, bounds, alpha) go in as traced operands, so new values never
recompile. The programs pick torch's subgradients at kinks with ``jnp.where``
on the same comparisons torch's backward kernels use (relu'(0) = 0, hardtanh
and hardsigmoid are flat at their bounds, leaky_relu takes the slope at 0, and
so on). Random ops draw from torchlike's global key (``torchlike.random``),
so they trace; their streams are JAX's, not torch's.
"""

from __future__ import annotations

import warnings

import jax
import jax.numpy as jnp

from .. import _dtype as D
from .._dispatch import dispatch
from ._nn_dropout import alpha_dropout, dropout, dropout1d, dropout2d, dropout3d, feature_alpha_dropout, uniform_noise
from ._pointwise_base import _cap
from ._util import check_tensor, wrap_dim
from .pointwise import relu as _relu_op
from .pointwise import sigmoid, tanh
from .reduce import log_softmax as _log_softmax_op
from .reduce import softmax as _softmax_op

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _run(fn, input, args, fname, name, inplace=False, kernel=None, static=()):
    """Dispatch activation program ``fn`` on ``input``; ``kernel`` names the float-only kernel torch reports."""
    check_tensor(input, fname)
    if kernel is not None and input.dtype.category < D._CATEGORY_FLOAT:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_cap(input.dtype)}'")
    out = dispatch(fn, (input, *args), static, name)
    return input._commit(out) if inplace else out


def _c(v, x):
    """A traced hyperparameter in ``x``'s dtype."""
    return jnp.asarray(v).astype(x.dtype)


# ---------------------------------------------------------------- relu family


def relu(input, inplace: bool = False):
    """Mirrors torch.nn.functional.relu."""
    out = _relu_op(input)
    return input._commit(out) if inplace else out


def relu_(input):
    """Mirrors torch.nn.functional.relu_."""
    return relu(input, inplace=True)


def _threshold(x, th, value):
    # threshold_backward: no gradient where x <= threshold
    return jnp.where(x > _c(th, x), x, _c(value, x))


def threshold(input, threshold: float, value: float, inplace: bool = False):
    """Mirrors torch.nn.functional.threshold."""
    return _run(_threshold, input, (threshold, value), "threshold", "ThresholdBackward0", inplace)


def threshold_(input, threshold: float, value: float):
    """Mirrors torch.nn.functional.threshold_."""
    return globals()["threshold"](input, threshold, value, inplace=True)


def _hardtanh(x, lo, hi):
    lo, hi = _c(lo, x), _c(hi, x)
    # hardtanh_backward: the gradient is 0 at and beyond the bounds
    return jnp.where((x > lo) & (x < hi), x, jnp.where(x <= lo, lo, hi))


def hardtanh(input, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False):
    """Mirrors torch.nn.functional.hardtanh."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _run(_hardtanh, input, (min_val, max_val), "hardtanh", "HardtanhBackward0", inplace)


def hardtanh_(input, min_val: float = -1.0, max_val: float = 1.0):
    """Mirrors torch.nn.functional.hardtanh_."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace: bool = False):
    """Mirrors torch.nn.functional.relu6 (hardtanh(0, 6), as torch computes it)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def _leaky_relu(x, slope):
    # leaky_relu_backward: the slope applies at 0
    return jnp.where(x > 0, x, x * _c(slope, x))


def leaky_relu(input, negative_slope: float = 0.01, inplace: bool = False):
    """Mirrors torch.nn.functional.leaky_relu."""
    return _run(_leaky_relu, input, (negative_slope,), "leaky_relu", "LeakyReluBackward0", inplace, "leaky_relu_cpu")


def leaky_relu_(input, negative_slope: float = 0.01):
    """Mirrors torch.nn.functional.leaky_relu_."""
    return leaky_relu(input, negative_slope, inplace=True)


def _prelu(x, w, *, shape):
    return jnp.where(x > 0, x, x * w.astype(x.dtype).reshape(shape))


def prelu(input, weight):
    """Mirrors torch.nn.functional.prelu (weight: one value, or one per channel of dim 1)."""
    check_tensor(input, "prelu")
    if weight.ndim > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.ndim}")
    channels = input.shape[1] if input.ndim >= 2 else 1
    n = weight.numel()
    if n != 1 and n != channels:
        raise RuntimeError(
            "Mismatch of parameter numbers and input channel size. Found parameter numbers = "
            f"{n} and channel size = {channels}."
        )
    shape = (n,) + (1,) * (input.ndim - 2) if input.ndim >= 2 and n > 1 else ()
    return dispatch(_prelu, (input, weight), (("shape", shape),), "PreluKernelBackward0")


def _rrelu_train(u, x, lower, upper):
    r = (_c(lower, u) + u * (_c(upper, u) - _c(lower, u))).astype(x.dtype)
    return jnp.where(x <= 0, x * r, x)


def rrelu(input, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False, inplace: bool = False):
    """Mirrors torch.nn.functional.rrelu: a random slope in [lower, upper] in training, their mean otherwise."""
    check_tensor(input, "rrelu")
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    if input.dtype.category < D._CATEGORY_FLOAT:
        raise NotImplementedError(f"\"rrelu_with_noise_out_cpu\" not implemented for '{_cap(input.dtype)}'")
    u = uniform_noise(input.shape, input.dtype.np)
    out = dispatch(_rrelu_train, (u, input, lower, upper), (), "RreluWithNoiseBackward0")
    return input._commit(out) if inplace else out


def rrelu_(input, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False):
    """Mirrors torch.nn.functional.rrelu_."""
    return rrelu(input, lower, upper, training, inplace=True)


# ---------------------------------------------------------------- exponential units


def _elu(x, alpha, scale, input_scale):
    neg = jnp.where(x > 0, 0, x)  # keeps exp from overflowing in the unused branch
    # elu_backward takes the negative branch at 0
    return jnp.where(x > 0, x * _c(scale, x), _c(alpha * scale, x) * jnp.expm1(neg * _c(input_scale, x)))


def _elu_family(input, alpha, scale, input_scale, name, inplace):
    return _run(_elu, input, (alpha, scale, input_scale), name, f"{name.capitalize()}Backward0", inplace, "elu_cpu")


def elu(input, alpha: float = 1.0, inplace: bool = False):
    """Mirrors torch.nn.functional.elu."""
    return _elu_family(input, alpha, 1.0, 1.0, "elu", inplace)


def elu_(input, alpha: float = 1.0):
    """Mirrors torch.nn.functional.elu_."""
    return elu(input, alpha, inplace=True)


def selu(input, inplace: bool = False):
    """Mirrors torch.nn.functional.selu."""
    return _elu_family(input, _SELU_ALPHA, _SELU_SCALE, 1.0, "elu", inplace)


def selu_(input):
    """Mirrors torch.nn.functional.selu_."""
    return selu(input, inplace=True)


def celu(input, alpha: float = 1.0, inplace: bool = False):
    """Mirrors torch.nn.functional.celu."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _elu_family(input, alpha, 1.0, 1.0 / alpha, "elu", inplace)


def celu_(input, alpha: float = 1.0):
    """Mirrors torch.nn.functional.celu_."""
    return celu(input, alpha, inplace=True)


def _gelu(x, *, tanh):
    return jax.nn.gelu(x, approximate=tanh)


def gelu(input, approximate: str = "none"):
    """Mirrors torch.nn.functional.gelu ('none': erf form, 'tanh': the tanh approximation)."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _run(
        _gelu, input, (), "gelu", "GeluBackward0", kernel="GeluKernelImpl", static=(("tanh", approximate == "tanh"),)
    )


def _silu(x):
    return x * jax.nn.sigmoid(x)


def silu(input, inplace: bool = False):
    """Mirrors torch.nn.functional.silu."""
    return _run(_silu, input, (), "silu", "SiluBackward0", inplace, "silu_cpu")


def _mish(x):
    return x * jnp.tanh(jax.nn.softplus(x))


def mish(input, inplace: bool = False):
    """Mirrors torch.nn.functional.mish."""
    return _run(_mish, input, (), "mish", "MishBackward0", inplace, "mish_cpu")


def _logsigmoid(x):
    return jax.nn.log_sigmoid(x)


def logsigmoid(input):
    """Mirrors torch.nn.functional.logsigmoid."""
    return _run(_logsigmoid, input, (), "log_sigmoid", "LogSigmoidBackward0", kernel="log_sigmoid_cpu")


def _softplus(x, beta, th):
    z = x * _c(beta, x)
    linear = z > _c(th, x)
    return jnp.where(linear, x, jnp.log1p(jnp.exp(jnp.where(linear, 0, z))) / _c(beta, x))


def softplus(input, beta: float = 1.0, threshold: float = 20.0):
    """Mirrors torch.nn.functional.softplus (linear where input * beta > threshold)."""
    return _run(_softplus, input, (beta, threshold), "softplus", "SoftplusBackward0", kernel="softplus_cpu")


# ---------------------------------------------------------------- hard and shrink functions


def _hardsigmoid(x):
    inside = (x > -3) & (x < 3)  # hardsigmoid_backward: flat at -3 and 3
    return jnp.where(inside, (x + 3) / 6, jnp.where(x <= -3, 0, 1).astype(x.dtype))


def hardsigmoid(input, inplace: bool = False):
    """Mirrors torch.nn.functional.hardsigmoid."""
    return _run(_hardsigmoid, input, (), "hardsigmoid", "HardsigmoidBackward0", inplace, "hardsigmoid_cpu")


def _hardswish(x):
    # hardswish_backward: 0 at and below -3, 1 at and above 3
    return jnp.where(x <= -3, jnp.zeros_like(x), jnp.where(x >= 3, x, x * (x + 3) / 6))


def hardswish(input, inplace: bool = False):
    """Mirrors torch.nn.functional.hardswish."""
    return _run(_hardswish, input, (), "hardswish", "HardswishBackward0", inplace, "hardswish_cpu")


def _hardshrink(x, lambd):
    lambd = _c(lambd, x)
    return jnp.where((x >= -lambd) & (x <= lambd), jnp.zeros_like(x), x)


def hardshrink(input, lambd: float = 0.5):
    """Mirrors torch.nn.functional.hardshrink."""
    return _run(_hardshrink, input, (lambd,), "hardshrink", "HardshrinkBackward0", kernel="hardshrink_cpu")


def _softshrink(x, lambd):
    lambd = _c(lambd, x)
    return jnp.where(x > lambd, x - lambd, jnp.where(x < -lambd, x + lambd, jnp.zeros_like(x)))


def softshrink(input, lambd: float = 0.5):
    """Mirrors torch.nn.functional.softshrink."""
    if input.dtype.category < D._CATEGORY_FLOAT:
        raise NotImplementedError(f"\"softshrink_check\" not implemented for '{_cap(input.dtype)}'")
    if lambd < 0:
        big = float(D.finfo(input.dtype).max)
        raise RuntimeError(
            f"lambda must be in range [0, {big:g}] for input dtype {_cap(input.dtype)}, but found {lambd:g}"
        )
    return _run(_softshrink, input, (lambd,), "softshrink", "SoftshrinkBackward0")


def _tanhshrink(x):
    return x - jnp.tanh(x)


def _softsign(x):
    return x / (1 + jnp.abs(x))


def _as_float(input):
    return input if input.dtype.category >= D._CATEGORY_FLOAT else input.to(D.get_default_dtype())


def tanhshrink(input):
    """Mirrors torch.nn.functional.tanhshrink."""
    return _run(_tanhshrink, _as_float(input), (), "tanhshrink", "SubBackward0")


def softsign(input):
    """Mirrors torch.nn.functional.softsign."""
    return _run(_softsign, _as_float(input), (), "softsign", "DivBackward0")


def _glu(x, *, axis):
    a, b = jnp.split(x, 2, axis=axis)
    return a * jax.nn.sigmoid(b)


def glu(input, dim: int = -1):
    """Mirrors torch.nn.functional.glu."""
    check_tensor(input, "glu")
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = wrap_dim(dim, input.ndim)
    if input.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {input.shape[d]}")
    if input.dtype.category < D._CATEGORY_FLOAT:
        raise NotImplementedError(f"\"glu\" not implemented for '{_cap(input.dtype)}'")
    return dispatch(_glu, (input,), (("axis", d),), "GluBackward0")


# ---------------------------------------------------------------- softmax family


def _get_softmax_dim(name: str, ndim: int) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument.",
        stacklevel=3,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim: int | None = None, _stacklevel: int = 3, dtype=None):
    """Mirrors torch.nn.functional.softmax (dim=None picks torch's legacy implicit dim, with its warning)."""
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim())
    return _softmax_op(input, dim, dtype=dtype)


def log_softmax(input, dim: int | None = None, _stacklevel: int = 3, dtype=None):
    """Mirrors torch.nn.functional.log_softmax."""
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim())
    return _log_softmax_op(input, dim, dtype=dtype)


def softmin(input, dim: int | None = None, _stacklevel: int = 3, dtype=None):
    """Mirrors torch.nn.functional.softmin: softmax of the negated input."""
    if dim is None:
        dim = _get_softmax_dim("softmin", input.dim())
    return _softmax_op(-input, dim, dtype=dtype)


def _gumbel_softmax(u, logits, tau, *, axis, hard):
    e = jnp.maximum(-jnp.log1p(-u), jnp.finfo(u.dtype).tiny)  # Exponential(1), never 0
    gumbels = -jnp.log(e).astype(logits.dtype)
    y = jax.nn.softmax((logits + gumbels) / _c(tau, logits), axis=axis)
    if not hard:
        return y
    index = jnp.argmax(y, axis=axis, keepdims=True)
    y_hard = jnp.arange(logits.shape[axis]).reshape([-1 if a == axis else 1 for a in range(logits.ndim)]) == index
    return y_hard.astype(y.dtype) - jax.lax.stop_gradient(y) + y  # the straight-through estimator


def gumbel_softmax(logits, tau: float = 1, hard: bool = False, eps: float = 1e-10, dim: int = -1):
    """Mirrors torch.nn.functional.gumbel_softmax (JAX's random stream)."""
    check_tensor(logits, "gumbel_softmax", "logits")
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    d = wrap_dim(dim, max(logits.ndim, 1))
    u = uniform_noise(logits.shape, logits.dtype.np)
    static = (("axis", d), ("hard", bool(hard)))
    return dispatch(_gumbel_softmax, (u, logits, tau), static, "AddBackward0" if hard else "SoftmaxBackward0")


__all__ = [
    "alpha_dropout",
    "celu",
    "celu_",
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "elu",
    "elu_",
    "feature_alpha_dropout",
    "gelu",
    "glu",
    "gumbel_softmax",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "hardtanh_",
    "leaky_relu",
    "leaky_relu_",
    "log_softmax",
    "logsigmoid",
    "mish",
    "prelu",
    "relu",
    "relu6",
    "relu_",
    "rrelu",
    "rrelu_",
    "selu",
    "selu_",
    "sigmoid",
    "silu",
    "softmax",
    "softmin",
    "softplus",
    "softshrink",
    "softsign",
    "tanh",
    "tanhshrink",
    "threshold",
    "threshold_",
]
