"""autograd's checking and debugging tools against torch: gradcheck, gradgradcheck, anomaly mode."""

from __future__ import annotations

import importlib
import warnings

import numpy as np
import pytest

from compat_tests.conftest import requires_torch
from compat_tests.harness import Case

R = np.random.RandomState(3)
A = R.uniform(0.5, 1.5, (2, 3))
B = R.uniform(0.5, 1.5, (3, 2))
V = R.uniform(0.5, 1.5, 3)
W = R.standard_normal((2, 3))
C = R.standard_normal(3) + 1j * R.standard_normal(3)


def leaves(lib, *arrays):
    return tuple(lib.tensor(a, requires_grad=True) for a in arrays)


def square(lib, *, wrong=False, detached=False):
    """x ** 2 as a custom Function: a correct backward, a wrong one, or one without a double backward."""

    class Square(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            if detached:
                x = x.detach()
            return g * x * (3 if wrong else 2)

    return Square


def two_outputs(lib):
    """A Function with two outputs whose backward takes undefined (None) output grads."""

    class Split(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            ctx.save_for_backward(x)
            return x * 2, x.exp()

        @staticmethod
        def backward(ctx, g1, g2):
            (x,) = ctx.saved_tensors
            out = lib.zeros_like(x)
            if g1 is not None:
                out = out + g1 * 2
            if g2 is not None:
                out = out + g2 * x.exp()
            return out

    return Split


def linear_tanh(lib, x, w, b):
    return lib.tanh(lib.nn.functional.linear(x, w, b))


FUNCS = {
    "pointwise": (lambda lib, x: lib.sin(x) * lib.exp(x) + x.sqrt(), (A,)),
    "binary-broadcast": (lambda lib, x, v: x * v + x / v - v**2, (A, V)),
    "matmul": (lambda lib, x, y: x @ y, (A, B)),
    "reductions": (lambda lib, x: (x.sum(1), x.mean(), x.prod(0), lib.logsumexp(x, 1)), (A,)),
    "softmax-norm": (lambda lib, x: (lib.softmax(x, 1), x.norm()), (A,)),
    "linear-tanh": (linear_tanh, (A, W, W[:, 0].copy())),
    "custom-function": (lambda lib, x: square(lib).apply(x), (A,)),
    "two-outputs-undefined-grads": (lambda lib, x: two_outputs(lib).apply(x), (V,)),
    "unused-input": (lambda lib, x, y: x * 2, (A, B)),
    "output-without-grad": (lambda lib, x: (x * 2, x.detach()), (A,)),
    "complex-outputs": (lambda lib, x: ((x * (1 + 2j)).exp(), (x * (1 - 1j)) ** 2, x.sin()), (V,)),
}


def run_gradcheck(fn, arrays, second_order=False):
    def case(lib):
        inputs = leaves(lib, *arrays)
        check = lib.autograd.gradgradcheck if second_order else lib.autograd.gradcheck
        return check(lambda *xs: fn(lib, *xs), inputs)

    return case


def wrong_backward(lib, raise_exception):
    (x,) = leaves(lib, V)
    try:
        return lib.autograd.gradcheck(square(lib, wrong=True).apply, x, raise_exception=raise_exception)
    except RuntimeError as e:
        mod = importlib.import_module(lib.__name__ + ".autograd.gradcheck")
        return type(e).__name__, isinstance(e, mod.GradcheckError), str(e)


def wrong_double_backward(lib):
    (x,) = leaves(lib, V)
    lib.manual_seed(0)
    first = lib.autograd.gradcheck(square(lib, detached=True).apply, x)
    second = lib.autograd.gradgradcheck(square(lib, detached=True).apply, x, raise_exception=False)
    try:
        lib.autograd.gradgradcheck(square(lib, detached=True).apply, x)
    except RuntimeError as e:
        return first, second, type(e).__name__, str(e).split("\n")[0]


def detached_output(lib):
    (x,) = leaves(lib, V)
    try:
        lib.autograd.gradcheck(lambda x: x.detach() * 2, x)
    except RuntimeError as e:
        return type(e).__name__, str(e)


def float32_inputs(lib):
    x = lib.tensor(V.astype(np.float32), requires_grad=True)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        ok = lib.autograd.gradcheck(lambda x: x * x, x, raise_exception=False)
    return ok, [(r.category.__name__, str(r.message)) for r in w]


def input_errors(lib, which):
    if which == "none-requires-grad":
        return lib.autograd.gradcheck(lambda x: x * 2, lib.tensor(V))
    x = lib.tensor(V).expand(2, 3).requires_grad_()
    return lib.autograd.gradcheck(lambda x: x * 2, x)


def module_paths(lib):
    mod = importlib.import_module(lib.__name__ + ".autograd.gradcheck")
    anomaly = importlib.import_module(lib.__name__ + ".autograd.anomaly_mode")
    return (
        type(lib.autograd.gradcheck).__name__,
        mod.gradcheck is lib.autograd.gradcheck,
        mod.GradcheckError.__mro__[1].__name__,
        anomaly.detect_anomaly is lib.autograd.detect_anomaly,
        anomaly.set_detect_anomaly is lib.autograd.set_detect_anomaly,
    )


# ---------------------------------------------------------------- anomaly mode

NAN_BACKWARDS = {
    "sqrt-at-zero": lambda lib, x: (lib.sqrt(x) * 0).sum(),
    "log-times-sqrt": lambda lib, x: (x.sqrt() * x.log()).sum(),
    "div-second-input": lambda lib, x: lib.zeros_like(x).div(x).sum(),
    "custom-function": lambda lib, x: square(lib).apply(x * float("nan")).sum(),
}


def anomaly_nan(fn):
    def case(lib):
        x = lib.zeros(3, dtype=lib.float64, requires_grad=True)
        fn(lib, x).backward()  # anomaly mode off: no error
        plain = x.grad
        x.grad = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                with lib.autograd.detect_anomaly():
                    fn(lib, x).backward()
            except RuntimeError as e:
                return plain, type(e).__name__, str(e)
        return plain, None, None

    return case


def anomaly_states(lib):
    seen = [(lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled())]
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        with lib.autograd.detect_anomaly(check_nan=False):
            seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
            with lib.autograd.set_detect_anomaly(False):
                seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
            seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
        lib.autograd.set_detect_anomaly(True)  # applied on construction, as a plain call
        seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
        lib.set_anomaly_enabled(False)
        seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
    return seen, [(r.category.__name__, str(r.message)) for r in w]


def anomaly_disabled_inside(lib):
    x = lib.zeros(3, dtype=lib.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with lib.autograd.detect_anomaly():
            with lib.autograd.set_detect_anomaly(False):
                (lib.sqrt(x) * 0).sum().backward()
            (x * 2).sum().backward()  # no NaN: anomaly mode on, no error
    return x.grad


def anomaly_check_nan_off(lib):
    x = lib.zeros(3, dtype=lib.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with lib.autograd.detect_anomaly(check_nan=False):
            (lib.sqrt(x) * 0).sum().backward()
    return x.grad


def anomaly_create_graph(lib):
    x = lib.zeros(3, dtype=lib.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with lib.autograd.detect_anomaly():
            lib.autograd.grad((lib.sqrt(x) * 0).sum(), x, create_graph=True)


def anomaly_decorator(lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")

        @lib.autograd.detect_anomaly()
        def f(x):
            return x

    return f


CASES = [
    *[Case(f"gradcheck-{k}", run_gradcheck(fn, arrays), grad=False, traced=False) for k, (fn, arrays) in FUNCS.items()],
    *[
        Case(f"gradgradcheck-{k}", run_gradcheck(FUNCS[k][0], FUNCS[k][1], True), grad=False, traced=False)
        for k in ("pointwise", "binary-broadcast", "matmul", "reductions", "linear-tanh", "custom-function")
    ],
    Case("gradcheck-wrong-backward", lambda lib: wrong_backward(lib, True), grad=False, traced=False),
    Case("gradcheck-wrong-backward-no-raise", lambda lib: wrong_backward(lib, False), grad=False, traced=False),
    Case("gradgradcheck-no-double-backward", wrong_double_backward, grad=False, traced=False),
    Case("gradcheck-detached-output", detached_output, grad=False, traced=False),
    Case("gradcheck-float32-warns", float32_inputs, grad=False, traced=False),
    Case(
        "gradcheck-no-grad-input-error", lambda lib: input_errors(lib, "none-requires-grad"), grad=False, traced=False
    ),
    Case("gradcheck-stride-zero-error", lambda lib: input_errors(lib, "stride-zero"), grad=False, traced=False),
    Case("module-paths", module_paths, grad=False, traced=False),
    *[Case(f"anomaly-nan-{k}", anomaly_nan(fn), grad=False, traced=False) for k, fn in NAN_BACKWARDS.items()],
    Case("anomaly-states-and-warning", anomaly_states, grad=False, traced=False),
    Case("anomaly-disabled-inside", anomaly_disabled_inside, grad=False, traced=False),
    Case("anomaly-check-nan-off", anomaly_check_nan_off, grad=False, traced=False),
    Case("anomaly-create-graph-error", anomaly_create_graph, grad=False, traced=False),
    Case("anomaly-decorator-error", anomaly_decorator, grad=False, traced=False),
]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_autograd_tools(case, compat):
    compat(case)


@requires_torch
@pytest.mark.xfail(
    strict=True,
    reason="torchlike's tape returns the conjugate of torch's gradient for complex leaves (JAX's convention), "
    "and complex abs() has no backward: gradcheck reports the mismatch where torch returns True",
)
@pytest.mark.parametrize("fn", [lambda z: (z * z).real, lambda z: z.abs()], ids=["square-real", "abs"])
def test_gradcheck_complex_inputs(fn):
    import torch

    import torchlike

    assert torch.autograd.gradcheck(fn, torch.tensor(C, requires_grad=True))
    assert torchlike.autograd.gradcheck(fn, torchlike.tensor(C, requires_grad=True))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"check_forward_ad": True},
        {"check_batched_grad": True},
        {"check_forward_ad": True, "check_batched_forward_grad": True},
    ],
)
def test_gradcheck_unsupported_modes(kwargs):
    """Forward-mode AD and batched grads through the tape do not exist in torchlike yet: a clear error."""
    import torchlike

    (x,) = leaves(torchlike, V)
    with pytest.raises(NotImplementedError, match=next(iter(kwargs))):
        torchlike.autograd.gradcheck(lambda x: x * 2, x, **kwargs)
    with pytest.raises(NotImplementedError, match="check_fwd_over_rev"):
        torchlike.autograd.gradgradcheck(lambda x: x * 2, x, check_fwd_over_rev=True)


def test_anomaly_check_skips_tracers():
    """Under jax.jit the values are tracers: the NaN check is skipped, not a concretization error."""
    import jax

    import torchlike

    def f(a):
        x = torchlike.Tensor._make(a).requires_grad_()
        (torchlike.sqrt(x) * 0).sum().backward()
        return x.grad._value

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torchlike.autograd.detect_anomaly():
            out = jax.jit(f)(np.zeros(3))
    assert np.isnan(np.asarray(out)).all()
