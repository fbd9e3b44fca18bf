"""The optimizer step alone on ~10M parameters: torchlike eager and "compiled" vs torch foreach and plain optax.

    python benchmarks/bench_optim.py [--layers 10] [--width 1000]

The parameters are Linear-shaped tensors (``layers`` weights of width x width
and their biases) with fixed gradients. Timed per step, after warm-up:

- torchlike eager: ``opt.step()`` (one cached jitted program per param group);
- torchlike compiled: what ``torchlike.compile`` will do: a ``jax.jit`` of a
  function that puts the parameter, gradient, state and hyperparameter arrays
  into their storages, runs ``opt.step()`` and reads the storages back, with
  the parameters and state donated;
- torch: ``foreach=True`` (torch's multi-tensor implementation), best of default threads and one thread;
- optax: the matching ``optax`` optimizer's update and ``apply_updates`` under
  one ``jax.jit`` with donation.
"""

from __future__ import annotations

import argparse
import time

import jax
import numpy as np
import optax

import torchlike

try:
    import torch
except ImportError:
    torch = None

CONFIGS = {
    "SGD momentum": (
        "SGD",
        {"lr": 0.01, "momentum": 0.9},
        lambda: optax.sgd(0.01, momentum=0.9),
    ),
    "AdamW": ("AdamW", {"lr": 1e-3, "weight_decay": 1e-2}, lambda: optax.adamw(1e-3, weight_decay=1e-2)),
}


def shapes(layers: int, width: int):
    return [s for _ in range(layers) for s in ((width, width), (width,))]


def per_step(fn, sync, n=10, repeat=5):
    """Best-of-``repeat`` seconds per step over batches of ``n`` steps."""
    for _ in range(3):
        fn()
    sync()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        sync()
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def bench_torchlike(name, kwargs, params, grads):
    ps = [torchlike.tensor(p, requires_grad=True) for p in params]
    for p, g in zip(ps, grads):
        p.grad = torchlike.tensor(g)
    opt = getattr(torchlike.optim, name)(ps, **kwargs)
    sync = lambda: jax.block_until_ready([p._value for p in ps])  # noqa: E731
    eager = per_step(opt.step, sync)

    # "compiled": the storages become jit arguments; params and state are donated
    grad_st = [p.grad._storage for p in ps]
    state_st = [p._storage for p in ps] + [t._storage for st in opt.state.values() for t in st.values()]
    state_st += [t._storage for h in opt._hyper for t in h.tensors.values()]

    def pure(arrays, grad_arrays):
        for s, a in zip(state_st + grad_st, list(arrays) + list(grad_arrays)):
            s.array = a
        opt.step()
        return [s.array for s in state_st]

    step = jax.jit(pure, donate_argnums=0)
    saved = [s.array for s in state_st + grad_st]
    arrays, gs = [jax.numpy.array(s.array, copy=True) for s in state_st], [s.array for s in grad_st]
    box = [arrays]

    def run():
        box[0] = step(box[0], gs)

    try:
        compiled = per_step(run, lambda: jax.block_until_ready(box[0]))
    finally:
        for s, a in zip(state_st + grad_st, saved):
            s.array = a
    return eager, compiled


def bench_torch(name, kwargs, params, grads):
    """torch's foreach step, best of its default thread count and one thread (on a loaded machine torch's
    intra-op threads can spin against other processes and run many times slower than one thread)."""
    ps = [torch.tensor(p, requires_grad=True) for p in params]
    for p, g in zip(ps, grads):
        p.grad = torch.tensor(g)
    opt = getattr(torch.optim, name)(ps, foreach=True, **kwargs)
    threads = torch.get_num_threads()
    best = per_step(opt.step, lambda: None)
    try:
        torch.set_num_threads(1)
        best = min(best, per_step(opt.step, lambda: None))
    finally:
        torch.set_num_threads(threads)
    return best


def bench_optax(make, params, grads):
    tx = make()
    ps = [jax.numpy.asarray(p) for p in params]
    gs = [jax.numpy.asarray(g) for g in grads]
    box = [(ps, tx.init(ps))]

    def update(carry, grads):
        p, s = carry
        updates, s = tx.update(grads, s, p)
        return optax.apply_updates(p, updates), s

    step = jax.jit(update, donate_argnums=0)

    def run():
        box[0] = step(box[0], gs)

    return per_step(run, lambda: jax.block_until_ready(box[0]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--layers", type=int, default=10)
    ap.add_argument("--width", type=int, default=1000)
    args = ap.parse_args()
    rng = np.random.RandomState(0)
    sh = shapes(args.layers, args.width)
    params = [rng.standard_normal(s).astype(np.float32) * 0.05 for s in sh]
    grads = [rng.standard_normal(s).astype(np.float32) * 0.01 for s in sh]
    n = sum(int(np.prod(s)) for s in sh)
    dev = jax.devices()[0]
    print(
        f"jax {jax.__version__} on {dev.platform} ({dev.device_kind}), torch {torch.__version__ if torch else 'absent'}"
    )
    print(f"\nOptimizer step, {n / 1e6:.1f}M float32 parameters in {len(sh)} tensors, ms per step (best of 5x10)\n")
    print(
        "| optimizer | torchlike eager | torchlike compiled | torch foreach | optax jit "
        "| eager/torch | compiled/torch | eager/optax | compiled/optax |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for label, (name, kwargs, make) in CONFIGS.items():
        eager, compiled = bench_torchlike(name, kwargs, params, grads)
        tt = bench_torch(name, kwargs, params, grads) if torch else float("nan")
        ox = bench_optax(make, params, grads)
        ms = lambda s: f"{s * 1e3:.2f}"  # noqa: E731
        print(
            f"| {label} | {ms(eager)} | {ms(compiled)} | {ms(tt)} | {ms(ox)} | {eager / tt:.2f}x "
            f"| {compiled / tt:.2f}x | {eager / ox:.2f}x | {compiled / ox:.2f}x |"
        )


if __name__ == "__main__":
    main()
