"""torch.autograd.functional: jacobian, hessian, vjp, jvp built on autograd.grad."""

from __future__ import annotations


def _tuple(x):
    from .._tensor import Tensor

    return (x,) if isinstance(x, Tensor) else tuple(x)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """Mirrors torch.autograd.functional.vjp: returns (outputs, vjp)."""
    from . import grad

    is_tensor = not isinstance(inputs, (tuple, list))
    inputs = tuple(i.detach().requires_grad_(True) for i in _tuple(inputs))
    out = func(*inputs)
    g = grad(
        _tuple(out),
        inputs,
        None if v is None else _tuple(v),
        create_graph=create_graph,
        allow_unused=True,
        materialize_grads=True,
    )
    return out.detach() if not create_graph else out, g[0] if is_tensor else g


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """Mirrors torch.autograd.functional.jacobian (row by row, reverse mode)."""
    from .. import stack
    from . import grad

    is_tensor = not isinstance(inputs, (tuple, list))
    inputs = tuple(i.detach().requires_grad_(True) for i in _tuple(inputs))
    out = func(*inputs)
    outs = _tuple(out)
    jac = []
    for o in outs:
        flat = o.reshape(-1)
        rows = [
            grad(
                flat[k], inputs, retain_graph=True, create_graph=create_graph, allow_unused=True, materialize_grads=True
            )
            for k in range(flat.numel())
        ]
        per_input = []
        for j, inp in enumerate(inputs):
            if rows:
                per_input.append(stack([r[j] for r in rows]).reshape(*o.shape, *inp.shape))
            else:
                from .. import zeros

                per_input.append(zeros(*o.shape, *inp.shape, dtype=inp.dtype))
        jac.append(per_input[0] if is_tensor else tuple(per_input))
    return jac[0] if not isinstance(out, (tuple, list)) else tuple(jac)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    """Mirrors torch.autograd.functional.hessian."""
    from . import grad

    def jac_fn(*xs):
        return grad(func(*xs), xs, create_graph=True)[0] if len(xs) == 1 else grad(func(*xs), xs, create_graph=True)

    return jacobian(jac_fn, inputs, create_graph=create_graph)
