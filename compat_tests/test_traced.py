"""Whole training steps run eagerly and again under jax.jit with tracers in every storage.

This is the property that makes ``compile`` possible (DESIGN.md, "Rules that keep
every line traceable"): parameters, ``.grad`` and in-place updates all work when
the storages hold tracers, and give the eager numbers.
"""

from __future__ import annotations

import jax
import numpy as np
import pytest

import torchlike as torch

R = np.random.RandomState(3)


def run_traced(step, tensors, *args):
    """Run ``step(*args)`` once under jax.jit with the tensors' storages as traced state."""

    def pure(arrays, *a):
        for t, x in zip(tensors, arrays):
            t._storage.array = x
        out = step(*[torch.Tensor._make(v) for v in a])
        return out._value, [t._storage.array for t in tensors]

    saved = [t._storage.array for t in tensors]
    try:
        out, new = jax.jit(pure)(saved, *[a._value for a in args])
    finally:
        for t, x in zip(tensors, saved):
            t._storage.array = x
    for t, x in zip(tensors, new):
        t._storage.set(x)
    return out


def linear_step(w, b):
    def step(X, y):
        loss = ((X @ w + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w.sub_(0.1 * w.grad)
            b.sub_(0.1 * b.grad)
            w.grad = None
            b.grad = None
        return loss

    return step


def logistic_step(w, momentum):
    def step(X, y):
        p = torch.sigmoid(X @ w).clamp(1e-6, 1 - 1e-6)
        loss = -(y * p.log() + (1 - y) * (1 - p).log()).mean()
        loss.backward()
        with torch.no_grad():
            momentum.mul_(0.9).add_(w.grad)
            w.data.sub_(0.5 * momentum)
            w.grad.zero_()
            w[0] = w[0].clamp(-1, 1)
        return loss

    return step


@pytest.mark.parametrize("kind", ["linear", "logistic"])
def test_training_step_traced_matches_eager(kind):
    X = torch.tensor(R.standard_normal((32, 3)).astype(np.float32))
    y = torch.tensor((R.uniform(size=(32,)) > 0.5).astype(np.float32))
    results = []
    for traced in (False, True):
        w = torch.zeros(3, requires_grad=True)
        if kind == "linear":
            b = torch.zeros((), requires_grad=True)
            state, step = [w, b], linear_step(w, b)
        else:
            m = torch.zeros(3)
            w.grad = torch.zeros(3)
            state, step = [w, m, w.grad], logistic_step(w, m)
        losses = []
        for _ in range(4):
            if traced:
                losses.append(float(run_traced(step, state, X, y)))
            else:
                losses.append(step(X, y).item())
        results.append((losses, w.detach().numpy().copy()))
    (le, we), (lt, wt) = results
    np.testing.assert_allclose(lt, le, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(wt, we, rtol=1e-5, atol=1e-6)
    assert le[-1] < le[0]


def test_views_and_setitem_traced():
    def f(x):
        y = x * 1
        y[0] = 5.0
        y[:, 1].mul_(2)
        v = y.t()
        v[2].add_(1)
        return y

    x = torch.tensor(R.standard_normal((3, 3)).astype(np.float32))
    eager = f(x)
    traced = jax.jit(lambda a: f(torch.Tensor._make(a))._value)(x._value)
    np.testing.assert_allclose(np.asarray(traced), eager.numpy())


def test_concrete_value_inside_trace_is_a_clear_error():
    def f(a):
        t = torch.Tensor._make(a)
        if t.sum() > 0:  # needs a concrete value
            return t
        return t

    with pytest.raises(RuntimeError, match="traced"):
        jax.jit(f)(np.ones(3, np.float32))
