"""Eager dispatch overhead per op on small tensors: torchlike vs real torch vs plain jax.numpy.

    python benchmarks/bench_dispatch.py [--size 16] [--markdown]

Forward: one op call (results are awaited at the end of each timed batch, so
JAX's async dispatch is counted fairly). Forward+backward: the op, ``.sum()``,
``.backward()`` and clearing ``.grad``; for JAX, ``jax.grad`` of the same
function, both un-jitted (what eager JAX costs) and jitted (the floor).
"""

from __future__ import annotations

import argparse
import time

import jax
import jax.numpy as jnp
import numpy as np

import torchlike

try:
    import torch
except ImportError:
    torch = None


def per_call(fn, n=300, repeat=7):
    """Best-of-``repeat`` seconds per call over batches of ``n`` calls."""
    for _ in range(20):
        out = fn()
    jax.block_until_ready(getattr(out, "_value", None)) if hasattr(out, "_value") else None
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(n):
            out = fn()
        if hasattr(out, "_value"):
            jax.block_until_ready(out._value)
        elif isinstance(out, jax.Array):
            out.block_until_ready()
        best = min(best, (time.perf_counter() - t0) / n)
    return best


OPS = {
    "add": (lambda x, w, i: x + w, lambda x, w, i: x + w),
    "matmul": (lambda x, w, i: x @ w, lambda x, w, i: x @ w),
    "sum": (lambda x, w, i: x.sum(), lambda x, w, i: x.sum()),
    "index (slice)": (lambda x, w, i: x[1:5, ::2], lambda x, w, i: x[1:5, ::2]),
    "index (tensor)": (lambda x, w, i: x[i], lambda x, w, i: x[i]),
}


def run(size: int):
    rng = np.random.RandomState(0)
    xn = rng.standard_normal((size, size)).astype(np.float32)
    wn = rng.standard_normal((size, size)).astype(np.float32)
    idx = np.array([0, 3, 2])
    return [dict(op=name, **bench_op(tl_op, jnp_op, xn, wn, idx)) for name, (tl_op, jnp_op) in OPS.items()]


def bench_op(tl_op, jnp_op, xn, wn, idx):
    """Timings of one op: torchlike, plain JAX and (when installed) torch."""
    row = {}
    x, w, i = torchlike.tensor(xn), torchlike.tensor(wn), torchlike.tensor(idx)
    row["torchlike fwd"] = per_call(lambda: tl_op(x, w, i))
    xg = torchlike.tensor(xn, requires_grad=True)

    def tl_fb():
        y = tl_op(xg, w, i).sum()
        y.backward()
        xg.grad = None
        return y

    row["torchlike fwd+bwd"] = per_call(tl_fb)
    xj, wj, ij = jnp.asarray(xn), jnp.asarray(wn), jnp.asarray(idx)
    row["jnp fwd"] = per_call(lambda: jnp_op(xj, wj, ij))
    grad_fn = jax.grad(lambda a: jnp_op(a, wj, ij).sum())
    row["jax.grad eager"] = per_call(lambda: grad_fn(xj), n=30, repeat=3)
    jitted = jax.jit(grad_fn)
    row["jax.grad jit"] = per_call(lambda: jitted(xj))
    if torch is not None:
        xt, wt, it = torch.tensor(xn), torch.tensor(wn), torch.tensor(idx)
        row["torch fwd"] = per_call(lambda: tl_op(xt, wt, it))
        xtg = torch.tensor(xn, requires_grad=True)

        def t_fb():
            y = tl_op(xtg, wt, it).sum()
            y.backward()
            xtg.grad = None
            return y

        row["torch fwd+bwd"] = per_call(t_fb)
    return row


def table(rows, size):
    us = lambda s: f"{s * 1e6:.1f}"  # noqa: E731
    head = (
        f"Eager dispatch, {size}x{size} float32, microseconds per call (best of 7 batches)\n\n"
        "| op | torchlike fwd | torch fwd | jnp fwd | fwd: torchlike/torch | fwd: torchlike/jnp "
        "| torchlike fwd+bwd | torch fwd+bwd | jax.grad eager | jax.grad jit | fwd+bwd: torchlike/torch |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for r in rows:
        tf, tb = r.get("torch fwd"), r.get("torch fwd+bwd")
        lines.append(
            f"| {r['op']} | {us(r['torchlike fwd'])} | {us(tf) if tf else '-'} | {us(r['jnp fwd'])} "
            f"| {r['torchlike fwd'] / tf:.2f}x | {r['torchlike fwd'] / r['jnp fwd']:.2f}x "
            f"| {us(r['torchlike fwd+bwd'])} | {us(tb) if tb else '-'} | {us(r['jax.grad eager'])} "
            f"| {us(r['jax.grad jit'])} | {r['torchlike fwd+bwd'] / tb:.2f}x |"
            if tf
            else f"| {r['op']} | {us(r['torchlike fwd'])} | - | {us(r['jnp fwd'])} | - | "
            f"{r['torchlike fwd'] / r['jnp fwd']:.2f}x | {us(r['torchlike fwd+bwd'])} | - | "
            f"{us(r['jax.grad eager'])} | {us(r['jax.grad jit'])} | - |"
        )
    return head + "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, default=16)
    args = p.parse_args()
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}, torch {torch.__version__ if torch else 'absent'}")
    print(table(run(args.size), args.size))


if __name__ == "__main__":
    main()
