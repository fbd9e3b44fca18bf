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


def _wait(out):
    if hasattr(out, "_value"):
        jax.block_until_ready(out._value)
    elif isinstance(out, jax.Array):
        out.block_until_ready()


def per_call(fns: dict, n=300, repeat=9, sizes=None) -> dict:
    """Best-of-``repeat`` seconds per call of each function, over batches of ``n`` calls.

    The functions take turns batch by batch, so load that comes and goes on the machine hits them
    alike (the dev machine's timings drift by 2x over seconds); ``sizes`` overrides ``n`` per name.
    """
    sizes = sizes or {}
    for fn in fns.values():
        for _ in range(20):
            out = fn()
        _wait(out)
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            k = sizes.get(name, n)
            t0 = time.perf_counter()
            for _ in range(k):
                out = fn()
            _wait(out)
            best[name] = min(best[name], (time.perf_counter() - t0) / k)
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
    """Timings of one op: torchlike, plain JAX and (when installed) torch, measured in turns."""
    x, w, i = torchlike.tensor(xn), torchlike.tensor(wn), torchlike.tensor(idx)
    xg = torchlike.tensor(xn, requires_grad=True)
    xj, wj, ij = jnp.asarray(xn), jnp.asarray(wn), jnp.asarray(idx)
    grad_fn = jax.grad(lambda a: jnp_op(a, wj, ij).sum())
    jitted = jax.jit(grad_fn)

    def backward(op, x, w, i):
        def step():
            y = op(x, w, i).sum()
            y.backward()
            x.grad = None
            return y

        return step

    fns = {
        "torchlike fwd": lambda: tl_op(x, w, i),
        "jnp fwd": lambda: jnp_op(xj, wj, ij),
        "torchlike fwd+bwd": backward(tl_op, xg, w, i),
        "jax.grad jit": lambda: jitted(xj),
    }
    if torch is not None:
        xt, wt, it = torch.tensor(xn), torch.tensor(wn), torch.tensor(idx)
        xtg = torch.tensor(xn, requires_grad=True)
        fns["torch fwd"] = lambda: tl_op(xt, wt, it)
        fns["torch fwd+bwd"] = backward(tl_op, xtg, wt, it)
    row = per_call(fns)
    row.update(per_call({"jax.grad eager": lambda: grad_fn(xj)}, n=30, repeat=3))  # retraces: slow
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
