"""The tape against torch: backward, grad, hooks, retain_grad, grad modes, in-place and views, Function, errors."""

from __future__ import annotations

import numpy as np
import pytest

from compat_tests.harness import Case

R = np.random.RandomState(1)
X = R.standard_normal((3, 4)).astype(np.float32)
V = R.standard_normal(4).astype(np.float32)


def leaf(lib, a, requires_grad=True):
    return lib.tensor(a, requires_grad=requires_grad)


def backward_twice(lib, a):
    x = leaf(lib, a)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return x.grad


def backward_twice_error(lib, a):
    x = leaf(lib, a)
    y = (x.exp() * 2).sum()
    y.backward()
    y.backward()


def non_scalar(lib, a):
    leaf(lib, a).mul(2).backward()


def with_gradient(lib, a, g):
    x = leaf(lib, a)
    (x * 3).backward(g)
    return x.grad


def no_grad_root(lib, a):
    leaf(lib, a, False).sum().backward()


def hooks(lib, a):
    x = leaf(lib, a)
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g * 10)
    x.register_hook(lambda g: g + 1)
    (y * y).sum().backward()
    return x.grad, y.grad, y.is_leaf, y.retains_grad


def node_prehook(lib, a):
    x = leaf(lib, a)
    y = x.exp()
    seen = []
    y.grad_fn.register_prehook(lambda gs: (seen.append(gs[0].detach().clone()), (gs[0] * 3,))[1])
    (y * y).sum().backward()
    return x.grad, seen[0]


def hook_remove(lib, a):
    x = leaf(lib, a)
    h = x.register_hook(lambda g: g * 0)
    h.remove()
    (x * 2).sum().backward()
    return x.grad


def grad_create_graph(lib, a):
    x = leaf(lib, a)
    y = (x**3).sum()
    (g,) = lib.autograd.grad(y, x, create_graph=True)
    (gg,) = lib.autograd.grad((g * g).sum(), x)
    return g.detach(), gg, g.requires_grad


def hessian_vector(lib, a, v):
    x = leaf(lib, a)
    y = (x.sin() * x).sum()
    (g,) = lib.autograd.grad(y, x, create_graph=True)
    (hv,) = lib.autograd.grad(g, x, grad_outputs=lib.tensor(v))
    return hv


def grad_unused(lib, a):
    x, z = leaf(lib, a), leaf(lib, a)
    return lib.autograd.grad((x * 2).sum(), [x, z])


def grad_allow_unused(lib, a):
    x, z = leaf(lib, a), leaf(lib, a)
    gx, gz = lib.autograd.grad((x * 2).sum(), [x, z], allow_unused=True)
    return gx, gz is None


def grad_materialize(lib, a):
    x, z = leaf(lib, a), leaf(lib, a)
    return lib.autograd.grad((x * 2).sum(), [x, z], materialize_grads=True)


def grad_nonleaf(lib, a):
    x = leaf(lib, a)
    y = x.exp()
    return lib.autograd.grad((y * y).sum(), y)


def backward_inputs(lib, a):
    x, z = leaf(lib, a), leaf(lib, a)
    (x * z).sum().backward(inputs=[z])
    return x.grad is None, z.grad


def accumulate_in_place(lib, a):
    x = leaf(lib, a)
    (x * 2).sum().backward()
    g = x.grad
    (x * 3).sum().backward()
    return g, x.grad is g


def flags(lib, a):
    x = leaf(lib, a)
    c = lib.tensor(a)
    y = x * c
    with lib.no_grad():
        z = x * 2
    return (
        x.is_leaf,
        y.is_leaf,
        y.requires_grad,
        c.requires_grad,
        (c * 2).requires_grad,
        z.requires_grad,
        z.is_leaf,
        y.grad_fn.name(),
        x.grad_fn is None,
        len(y.grad_fn.next_functions) > 0,
    )


def grad_fn_names(lib, a):
    x = leaf(lib, a)
    return [
        t.grad_fn.name() for t in (x + 1, x - x, x * x, x / 2, -x, x.exp(), x.sum(), x.mean(), x[0], x.t(), x.view(-1))
    ]


def modes(lib, a):
    x = leaf(lib, a)
    out = []
    with lib.no_grad():
        out.append((x * 2).requires_grad)
        with lib.enable_grad():
            out.append((x * 2).requires_grad)
    with lib.set_grad_enabled(False):
        out.append((x * 2).requires_grad)
    out.append(lib.is_grad_enabled())
    lib.set_grad_enabled(False)
    out.append(lib.is_grad_enabled())
    lib.set_grad_enabled(True)
    with lib.inference_mode():
        out.append((x * 2).requires_grad)

    @lib.no_grad()
    def f(t):
        return t * 2

    @lib.enable_grad()
    def g(t):
        return t * 2

    out.append(f(x).requires_grad)
    with lib.no_grad():
        out.append(g(x).requires_grad)
    out.append(lib.is_grad_enabled())
    return out


def detach_shares(lib, a):
    x = leaf(lib, a)
    d = x.detach()
    d.add_(1)
    x.data.mul_(2)
    return x.detach().clone(), d.requires_grad


def leaf_inplace_error(lib, a):
    leaf(lib, a).mul_(2)


def leaf_view_inplace_error(lib, a):
    leaf(lib, a)[0].mul_(2)


def leaf_inplace_no_grad(lib, a):
    x = leaf(lib, a)
    with lib.no_grad():
        x.mul_(2)
        x[0] = 7.0
    (x * x).sum().backward()
    return x.detach(), x.grad, x.is_leaf


def nonleaf_inplace(lib, a):
    x = leaf(lib, a)
    y = x * 2
    y.add_(x)
    y.mul_(3)
    y.exp_()
    y.sum().backward()
    return y.detach(), x.grad, y.grad_fn.name()


def view_inplace(lib, a):
    x = leaf(lib, a)
    y = x * 1
    v = y[1]
    v.mul_(3)
    y[:, 0] = 0.0
    (y * y).sum().backward()
    return y.detach(), v.detach(), x.grad


def setitem_grad_value(lib, a, b):
    x, w = leaf(lib, a), leaf(lib, b)
    y = x.clone()
    y[0] = w
    y[1:, 1] = w[1:3] * 2
    (y * y).sum().backward()
    return y.detach(), x.grad, w.grad


def view_then_base_inplace(lib, a):
    x = leaf(lib, a)
    y = x.exp()
    v = y[:, :2]
    y.mul_(2)
    return (v * v).sum(), v.detach()


def requires_grad_int(lib, a):
    lib.tensor([1, 2]).requires_grad_()


def requires_grad_nonleaf(lib, a):
    x = leaf(lib, a)
    (x * 2).requires_grad_(False)


def requires_grad_set(lib, a):
    x = lib.tensor(a)
    x.requires_grad = True
    (x * x).sum().backward()
    return x.grad, x.requires_grad_(False).requires_grad


def custom_function(lib, a):
    class Cube(lib.autograd.Function):
        @staticmethod
        def forward(ctx, t, k):
            ctx.save_for_backward(t)
            ctx.k = k
            return t**3 * k

        @staticmethod
        def backward(ctx, g):
            (t,) = ctx.saved_tensors
            return 3 * t**2 * ctx.k * g, None

    x = leaf(lib, a)
    y = Cube.apply(x, 2.0)
    y.sum().backward()
    return y.detach(), x.grad, y.grad_fn.name(), (Cube.apply(lib.tensor(a), 2.0)).requires_grad


def custom_function_setup_context(lib, a):
    class Mul(lib.autograd.Function):
        @staticmethod
        def forward(t, s):
            return t * s

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[1])
            ctx.flags = None

        @staticmethod
        def backward(ctx, g):
            (s,) = ctx.saved_tensors
            return g * s, g * 0

    x, s = leaf(lib, a), leaf(lib, a * 2)
    Mul.apply(x, s).sum().backward()
    return x.grad, s.grad


def grad_dtype_mismatch(lib, a):
    x = leaf(lib, a)
    y = x.double() * 2
    y.sum().backward()
    return x.grad


def broadcast_grads(lib, a, v):
    x, b = leaf(lib, a), leaf(lib, v)
    ((x + b) * b).sum().backward()
    return x.grad, b.grad


def int_output_no_grad(lib, a):
    x = leaf(lib, a)
    return (x > 0).requires_grad, x.long().requires_grad, x.argmax().requires_grad if hasattr(x, "argmax") else False


def retain_graph_reuse(lib, a):
    x = leaf(lib, a)
    y = x.sigmoid()
    z1, z2 = (y * 2).sum(), (y * 3).sum()
    z1.backward(retain_graph=True)
    z2.backward()
    return x.grad


def grad_of_grad_none(lib, a):
    x = leaf(lib, a)
    (x * 2).sum().backward()
    return x.grad.requires_grad, x.grad.grad_fn is None


CASES = [
    Case("backward-twice-retain", backward_twice, X, grad=False),
    Case("backward-twice-error", backward_twice_error, X, grad=False),
    Case("non-scalar-error", non_scalar, X, grad=False),
    Case("with-gradient", with_gradient, X, X * 2, grad=False),
    Case("no-grad-root-error", no_grad_root, X, grad=False),
    Case("hooks-retain-grad", hooks, X, grad=False),
    Case("hook-remove", hook_remove, X, grad=False),
    Case("node-prehook", node_prehook, X, grad=False),
    Case("grad-create-graph", grad_create_graph, X, grad=False),
    Case("hessian-vector", hessian_vector, V, V * 0.5, grad=False),
    Case("grad-unused-error", grad_unused, X, grad=False),
    Case("grad-allow-unused", grad_allow_unused, X, grad=False),
    Case("grad-materialize", grad_materialize, X, grad=False),
    Case("grad-nonleaf", grad_nonleaf, X, grad=False),
    Case("backward-inputs", backward_inputs, X, grad=False),
    Case("accumulate-in-place", accumulate_in_place, X, grad=False),
    Case("flags", flags, X, grad=False),
    Case("grad-fn-names", grad_fn_names, X, grad=False),
    Case("grad-modes", modes, X, grad=False),
    Case("detach-shares-storage", detach_shares, X, grad=False),
    Case("leaf-inplace-error", leaf_inplace_error, X, grad=False),
    Case("leaf-view-inplace-error", leaf_view_inplace_error, X, grad=False),
    Case("leaf-inplace-no-grad", leaf_inplace_no_grad, X, grad=False),
    Case("nonleaf-inplace", nonleaf_inplace, X, grad=False),
    Case("view-inplace-copyslices", view_inplace, X, grad=False),
    Case("setitem-grad-value", setitem_grad_value, X, V, grad=False),
    Case("view-after-base-inplace", view_then_base_inplace, X),
    Case("requires-grad-int-error", requires_grad_int, X, grad=False),
    Case("requires-grad-nonleaf-error", requires_grad_nonleaf, X, grad=False),
    Case("requires-grad-setter", requires_grad_set, X, grad=False),
    Case("custom-function", custom_function, X, grad=False),
    Case("custom-function-setup-context", custom_function_setup_context, X, grad=False),
    Case("grad-dtype-cast", grad_dtype_mismatch, X, grad=False),
    Case("broadcast-grads", broadcast_grads, X, V, grad=False),
    Case("int-outputs-no-grad", int_output_no_grad, X, grad=False),
    Case("retain-graph-reuse", retain_graph_reuse, X, grad=False),
    Case("grad-has-no-history", grad_of_grad_none, X, grad=False),
]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_autograd(case, compat):
    compat(case)


def test_nonleaf_grad_warns():
    import torchlike as torch

    x = torch.ones(2, requires_grad=True)
    y = x * 2
    with pytest.warns(UserWarning, match="not a leaf"):
        assert y.grad is None


def test_vjp_is_jitted_and_cached():
    """Per-op backward is a cached jitted jax.vjp, not a fresh trace per call (DESIGN.md)."""
    import torchlike as torch
    from torchlike import _dispatch

    x = torch.ones(3, requires_grad=True)
    (x * 2).sum().backward()
    n = len(_dispatch._vjp_cache)
    for _ in range(3):
        (x * 2).sum().backward()
    assert len(_dispatch._vjp_cache) == n


OUT_CASES = [
    Case(
        "out-grad-error",
        lambda lib, a, b: lib.add(a, b, out=lib.zeros(3)),
        np.ones(3, np.float32),
        np.ones(3, np.float32),
    ),
    Case(
        "out-no-grad",
        lambda lib, a, b: lib.mul(a, b, out=lib.zeros(3)),
        np.ones(3, np.float32),
        np.ones(3, np.float32),
        grad=False,
    ),
]


@pytest.mark.parametrize("case", OUT_CASES, ids=repr)
def test_out(case, compat):
    compat(case)
