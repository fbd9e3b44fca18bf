"""Finite-difference checks of the tape's gradients (mirrors torch.autograd.gradcheck).

Slow mode only: ``fast_mode=True`` runs the same full check. Checks needing forward-mode AD or batched
(vmapped) gradients through the tape raise NotImplementedError, as torchlike has neither yet.
"""

from __future__ import annotations

import warnings

import jax.numpy as jnp
import numpy as np

from . import graph

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """Mirrors torch.autograd.gradcheck.GradcheckError."""


def _tensor():
    from .._tensor import Tensor

    return Tensor


def _as_tuple(x) -> tuple:
    if isinstance(x, tuple):
        return x
    return tuple(x) if isinstance(x, list) else (x,)


def _differentiable_outputs(x) -> tuple:
    return tuple(o for o in _as_tuple(x) if o.requires_grad)


def _diff_inputs(inputs) -> list:
    return [a for a in inputs if isinstance(a, _tensor()) and a.requires_grad]


def _inexact(t) -> bool:
    return isinstance(t, _tensor()) and (t.dtype.is_floating_point or t.dtype.is_complex)


def _unsupported(**flags) -> None:
    for name, value in flags.items():
        if value:
            raise NotImplementedError(
                f"{name}=True is not supported: torchlike has no forward-mode AD or batched (vmapped) gradients "
                "through its autograd tape yet."
            )


# ---------------------------------------------------------------- public entry points


def gradcheck(
    func,
    inputs,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked: bool | None = None,
) -> bool:
    """Mirrors torch.autograd.gradcheck (slow mode; ``fast_mode`` runs the same full check)."""
    if not (check_forward_ad or check_backward_ad):
        raise AssertionError("Expected at least one of check_forward_ad or check_backward_ad to be True")
    if check_batched_grad and not check_backward_ad:
        raise AssertionError("Setting check_batched_grad=True requires check_backward_ad to be True")
    if check_batched_forward_grad and not check_forward_ad:
        raise AssertionError("Setting check_batched_forward_grad=True requires check_forward_ad to be True")
    _unsupported(
        check_forward_ad=check_forward_ad,
        check_batched_grad=check_batched_grad,
        check_batched_forward_grad=check_batched_forward_grad,
    )
    try:
        return _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad, check_grad_dtypes, masked)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def gradgradcheck(
    func,
    inputs,
    grad_outputs=None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool = False,
) -> bool:
    """Mirrors torch.autograd.gradgradcheck: gradcheck of the first-order gradients built with create_graph.

    Args:
        gen_non_contig_grad_outputs: accepted; torchlike tensors have no memory layout to vary.
    """
    if not (check_fwd_over_rev or check_rev_over_rev):
        raise AssertionError("Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True")
    if check_undefined_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_undefined_grad=True requires check_rev_over_rev to be True")
    if check_batched_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_batched_grad=True requires check_rev_over_rev to be True")
    _unsupported(check_fwd_over_rev=check_fwd_over_rev, check_batched_grad=check_batched_grad)
    from .. import autograd

    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        grad_outputs = tuple(_random_like(o) for o in _differentiable_outputs(func(*inputs)))
    else:
        grad_outputs = _as_tuple(grad_outputs)
    n_out = len(grad_outputs)
    # gradcheck perturbs the values in place; which arguments require grad is remembered here
    diff_inputs = {i for i, x in enumerate(inputs) if isinstance(x, _tensor()) and x.requires_grad}
    diff_grad_outputs = {i for i, x in enumerate(grad_outputs) if x.requires_grad}

    def first_order_grads(*args):
        ins = tuple(x.requires_grad_() if i in diff_inputs else x for i, x in enumerate(args[:-n_out]))
        outs = _differentiable_outputs(func(*ins))
        gos = tuple(x.requires_grad_() if i in diff_grad_outputs else x for i, x in enumerate(args[-n_out:]))
        wrt = tuple(x for i, x in enumerate(ins) if i in diff_inputs)
        grads = autograd.grad(outs, wrt, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(
        first_order_grads,
        inputs + grad_outputs,
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
        nondet_tol=nondet_tol,
        check_undefined_grad=check_undefined_grad,
        check_grad_dtypes=check_grad_dtypes,
        fast_mode=fast_mode,
        masked=masked,
    )


def _random_like(x):
    """A grad_output in [-1, 1) drawn from the global generator, as torch.testing.make_tensor draws it."""
    import torchlike

    dtype = x.dtype if _inexact(x) else torchlike.float64
    if not dtype.is_complex:
        return torchlike.empty(x.shape, dtype=dtype).uniform_(-1, 1).requires_grad_()
    real = torchlike.float64 if dtype == torchlike.complex128 else torchlike.float32
    parts = torchlike.empty((*x.shape, 2), dtype=real).uniform_(-1, 1)
    return torchlike.view_as_complex(parts).requires_grad_()


# ---------------------------------------------------------------- the check


def _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad, check_grad_dtypes, masked):
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    func_out = func(*inputs)
    outputs = _differentiable_outputs(func_out)
    complex_out = [i for i, o in enumerate(outputs) if o.is_complex()]
    if any(o.is_complex() for o in _as_tuple(func_out)):
        # complex outputs are checked as two real functions, imaginary part first (as torch)
        for part, test_imag in (("imag", True), ("real", False)):
            fn = _apply_to_complex_outputs(func, part)
            out = fn(*inputs)
            _slow_check(fn, out, inputs, _differentiable_outputs(out), eps, rtol, atol, nondet_tol,
                        check_grad_dtypes, complex_out, test_imag)  # fmt: skip
    else:
        _slow_check(func, func_out, inputs, outputs, eps, rtol, atol, nondet_tol, check_grad_dtypes, [], False)
    _test_backward_mul_by_grad_output(outputs, inputs, masked)
    if check_undefined_grad:
        _test_undefined_backward_mode(func, outputs, inputs)
    return True


def _check_inputs(inputs) -> None:
    import torchlike

    found = False
    for idx, inp in enumerate(inputs):
        if not (isinstance(inp, _tensor()) and inp.requires_grad):
            continue
        if inp.dtype not in (torchlike.float64, torchlike.complex128):
            warnings.warn(
                f"Input #{idx} requires gradient and is not a double precision floating point or complex. This "
                "check will likely fail if all the inputs are not of double precision floating point or complex. ",
                stacklevel=4,
            )
        if not all(st > 0 or sz <= 1 for st, sz in zip(inp.stride(), inp.shape)):
            raise RuntimeError(
                f"The {idx}th input has a dimension with stride 0. gradcheck only supports inputs that are "
                "non-overlapping to be able to compute the numerical gradients correctly. You should call "
                ".contiguous on the input before passing it to gradcheck."
            )
        found = True
    if not found:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them have requires_grad=True."
        )


def _apply_to_complex_outputs(func, part: str):
    import torchlike

    op = getattr(torchlike, part)

    def wrapped(*inputs):
        return tuple(op(o) if o.is_complex() else o for o in _as_tuple(func(*inputs)))

    return wrapped


def _slow_check(func, func_out, inputs, outputs, eps, rtol, atol, nondet_tol, check_grad_dtypes, complex_out, imag):
    func_out = _as_tuple(func_out)
    numerical = _numerical_jacobians(func, inputs, func_out, eps)  # [input][inexact output]
    if not outputs:
        if any(bool(jnp.any(j != 0)) for per_input in numerical for j in per_input):
            raise GradcheckError("Numerical gradient for function expected to be zero")
        return
    keep = [o.requires_grad for o in func_out if _inexact(o)]
    numerical = [[j for j, k in zip(per_input, keep) if k] for per_input in numerical]
    Tensor = _tensor()
    for i, o in enumerate(outputs):
        analytical = _analytical_jacobians(inputs, o, nondet_tol, check_grad_dtypes)
        for j, a in enumerate(analytical):
            n = numerical[j][i]
            dtype = jnp.promote_types(a.dtype, n.dtype)
            if not bool(jnp.allclose(a.astype(dtype), n.astype(dtype), rtol, atol)):
                prefix = ""
                if i in complex_out:
                    prefix = f"While considering the {'imaginary' if imag else 'real'} part of complex outputs only, "
                raise GradcheckError(
                    f"{prefix}Jacobian mismatch for output {i:d} with respect to input {j:d},\n"
                    f"numerical:{Tensor._make(n)}\nanalytical:{Tensor._make(a)}\n"
                )


def _numerical_jacobians(func, inputs, func_out, eps) -> list:
    """Central differences, one input element at a time: per input, one (input numel, output numel) per output."""
    outs = [o for o in func_out if _inexact(o)]
    result = []
    for inp in _diff_inputs(inputs):
        data = inp.data  # shares the storage: func sees the perturbed values through ``inp`` itself
        orig = data._value
        cols = []
        for k in range(orig.size):
            idx = np.unravel_index(k, orig.shape)
            col = _central_difference(func, inputs, data, orig, idx, eps, eps)
            if jnp.iscomplexobj(orig):  # the conjugate Wirtinger derivative, as torch
                col = [
                    dx + dy * 1j
                    for dx, dy in zip(col, _central_difference(func, inputs, data, orig, idx, eps * 1j, eps))
                ]
            cols.append(col)
        jacs = []
        for i, o in enumerate(outs):
            dtype = orig.dtype if jnp.iscomplexobj(orig) else o.dtype.np
            if cols:
                jacs.append(jnp.stack([c[i] for c in cols]).astype(dtype))
            else:
                jacs.append(jnp.zeros((0, o.numel()), dtype))
        result.append(jacs)
    return result


def _central_difference(func, inputs, data, orig, idx, delta, eps) -> list:
    data._write(orig.at[idx].add(-delta))
    before = [o._value for o in _as_tuple(func(*inputs)) if _inexact(o)]
    data._write(orig.at[idx].add(delta))
    after = [o._value for o in _as_tuple(func(*inputs)) if _inexact(o)]
    data._write(orig)
    for a, b in zip(before, after):
        _check_same_dtype_and_shape(a, b, idx, eps)
    return [((b - a) / (2 * eps)).reshape(-1) for a, b in zip(before, after)]


def _check_same_dtype_and_shape(a, b, idx, eps) -> None:
    from .._dtype import from_np
    from .._size import Size

    on = f"on index {tuple(int(i) for i in idx)} "
    if a.shape != b.shape:
        raise AssertionError(
            f"Expected `func` to return outputs with the same shape when inputs are perturbed {on}by {eps}, but "
            f"got: shapes {Size(a.shape)} and {Size(b.shape)}."
        )
    if a.dtype != b.dtype:
        raise AssertionError(
            f"Expected `func` to return outputs with the same dtype when inputs are perturbed {on}by {eps}, but "
            f"got: dtypes {from_np(a.dtype)} and {from_np(b.dtype)}."
        )


def _analytical_jacobians(inputs, output, nondet_tol, check_grad_dtypes) -> list:
    """Per differentiable input, the (input numel, output numel) Jacobian from one backward per output element."""
    diff = _diff_inputs(inputs)
    first = _stack_rows(_jacobian_rows(output, diff), diff, check_grad_dtypes)
    second = _stack_rows(_jacobian_rows(output, diff), diff, check_grad_dtypes)
    for j1, j2 in zip(first, second):
        if j1.size and float(jnp.max(jnp.abs(j1 - j2))) > nondet_tol:
            raise GradcheckError(
                "Backward is not reentrant, i.e., running backward with same input and grad_output multiple times "
                "gives different values, although analytical gradient matches numerical gradient."
                f"The tolerance for nondeterminism was {nondet_tol}."
            )
    return first


def _jacobian_rows(output, diff) -> list:
    """Row ``k`` of each input's Jacobian is the gradient for the one-hot grad_output at element ``k``."""
    from .. import autograd

    Tensor = _tensor()
    shape, dtype = tuple(output.shape), output.dtype.np
    rows = []
    for k in range(output.numel()):
        one_hot = jnp.zeros(shape, dtype).at[np.unravel_index(k, shape)].set(1)
        grads = autograd.grad(output, diff, Tensor._make(one_hot), retain_graph=True, allow_unused=True)
        rows.append([None if g is None else g._value for g in grads])
    return rows


def _stack_rows(rows, diff, check_grad_dtypes) -> list:
    jacs = []
    for i, inp in enumerate(diff):
        cols = []
        for row in rows:
            g = row[i]
            if g is None:
                cols.append(jnp.zeros(inp.numel(), inp.dtype.np))
                continue
            if tuple(g.shape) != tuple(inp.shape):
                raise GradcheckError("Analytical gradient has incorrect size")
            if g.dtype != inp.dtype.np and check_grad_dtypes:
                raise GradcheckError("Gradient has dtype mismatch")
            cols.append(g.reshape(-1).astype(inp.dtype.np))
        jacs.append(jnp.stack(cols, axis=1) if cols else jnp.zeros((inp.numel(), 0), inp.dtype.np))
    return jacs


# ---------------------------------------------------------------- the checks after the Jacobians


def _test_backward_mul_by_grad_output(outputs, inputs, masked) -> None:
    from .. import autograd

    diff = _diff_inputs(inputs)
    if not diff:
        raise GradcheckError("no Tensors requiring grad found in input")
    Tensor = _tensor()
    zeros = [Tensor._make(jnp.zeros(o.shape, o.dtype.np)) for o in outputs]
    grads = autograd.grad(outputs, diff, zeros, allow_unused=True) if outputs else [None] * len(diff)
    for gi, di in zip(grads, diff):
        if gi is None:
            continue
        g = gi._value
        zero = jnp.allclose(g, 0) if masked else jnp.all(g == 0)
        if not bool(zero):
            raise GradcheckError("backward not multiplied by grad_output")
        if gi.dtype != di.dtype:
            raise GradcheckError("grad is incorrect type")
        if gi.shape != di.shape:
            raise GradcheckError("grad is incorrect size")


def _test_undefined_backward_mode(func, outputs, inputs) -> None:
    """Every backward must accept undefined (None) output gradients: all of them, then one at a time."""
    diff = _diff_inputs(inputs)
    if not diff:
        raise GradcheckError("no Tensors requiring grad found in input")
    undefined = [None]  # None: every output gradient undefined
    if len(_differentiable_outputs(func(*inputs))) > 1:
        undefined += range(len(outputs))
    for which in undefined:
        outs = [o for o in _differentiable_outputs(func(*inputs)) if isinstance(o, _tensor())]
        grads = [
            None if which is None or i == which else graph.filled(tuple(o.shape), o.dtype.np, 0)
            for i, o in enumerate(outs)
        ]
        try:
            got = graph.run_backward([o._edge() for o in outs], grads, inputs=[t._edge() for t in diff])
        except RuntimeError as e:
            _warn_bc_breaking()
            raise GradcheckError(
                'Expected backward function to handle undefined output grads. Please look at "Notes about '
                'undefined output gradients" in "tools/autograd/derivatives.yaml"'
            ) from e
        for g in got:
            if g is not None and not bool(jnp.all(getattr(g, "_value", g) == 0)):
                _warn_bc_breaking()
                raise GradcheckError(
                    "Expected all input grads to be undefined or zero when all output grads are undefined or "
                    'zero. Please look at "Notes about undefined output gradients" in '
                    '"tools/autograd/derivatives.yaml"'
                )


def _warn_bc_breaking() -> None:
    warnings.warn(
        "Backwards compatibility: New undefined gradient support checking feature is enabled by default, but it "
        "may break existing callers of this function. If this is true for you, you can call this function with "
        '"check_undefined_grad=False" to disable the feature',
        stacklevel=4,
    )
