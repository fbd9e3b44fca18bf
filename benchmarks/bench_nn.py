"""nn layers in a training step: torchlike eager (and compiled) vs real torch, same machine, same run.

    python benchmarks/bench_nn.py [--repeat 5] [--steps 10]

Each section is a function returning table rows (dicts with the columns of
``print_table``); ``SECTIONS`` lists them, so a section is added by writing one
function and appending it. Times are milliseconds per forward+backward step
(best of ``--repeat`` batches of ``--steps`` steps, results awaited).
"""

from __future__ import annotations

import argparse
import time

import jax
import numpy as np

import torchlike

try:
    import torch
except ImportError:
    torch = None


def step_ms(step, steps: int, repeat: int) -> float:
    """Best-of-``repeat`` milliseconds per call of ``step`` (which returns something to wait on)."""
    for _ in range(3):
        _wait(step())
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(steps):
            out = step()
        _wait(out)
        best = min(best, (time.perf_counter() - t0) / steps)
    return best * 1e3


def _wait(out):
    if isinstance(out, torchlike.Tensor):
        jax.block_until_ready(out._value)


def print_table(rows) -> None:
    """Rows as a markdown table, with torchlike/torch ratios."""
    print("| model | torchlike eager (ms) | torchlike compiled (ms) | torch (ms) | eager / torch | compiled / torch |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        comp = r.get("compiled")
        comp_s = f"{comp:.2f}" if comp is not None else "n/a"
        ratio_c = f"{comp / r['torch']:.2f}x" if comp is not None and r.get("torch") else "n/a"
        ratio_e = f"{r['eager'] / r['torch']:.2f}x" if r.get("torch") else "n/a"
        torch_s = f"{r['torch']:.2f}" if r.get("torch") else "n/a"
        print(f"| {r['model']} | {r['eager']:.2f} | {comp_s} | {torch_s} | {ratio_e} | {ratio_c} |")


# ---------------------------------------------------------------- conv net


def conv_net(lib, batchnorm: bool = True):
    """conv-bn-relu x3 (the last two strided) + global average pool + linear, built from ``lib.nn``."""
    nn = lib.nn
    layers = []
    for cin, cout, stride in ((3, 16, 1), (16, 32, 2), (32, 64, 2)):
        layers += [nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=not batchnorm)]
        layers += [nn.BatchNorm2d(cout)] if batchnorm else []
        layers += [nn.ReLU()]
    layers += [nn.MaxPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)]
    return nn.Sequential(*layers)


def _train_step(lib, model, x, y):
    def step():
        for p in model.parameters():
            p.grad = None
        loss = lib.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        return loss

    return step


def bench_conv(steps: int, repeat: int, batch: int = 32):
    """Forward+backward of ``conv_net`` on a (batch, 3, 32, 32) float32 input."""
    rng = np.random.RandomState(0)
    xn = rng.standard_normal((batch, 3, 32, 32)).astype(np.float32)
    yn = rng.randint(0, 10, batch)
    rows = []
    for bn in (True, False):
        name = f"conv net ({'conv-bn-relu' if bn else 'conv-relu'} x3, pool, linear), batch {batch}, 3x32x32"
        model = conv_net(torchlike, bn)
        x, y = torchlike.tensor(xn), torchlike.tensor(yn)
        row = {"model": name, "eager": step_ms(_train_step(torchlike, model, x, y), steps, repeat)}
        row["compiled"] = _compiled_ms(model, x, y, steps, repeat)
        if torch is not None:
            tm = conv_net(torch, bn)
            row["torch"] = step_ms(_train_step(torch, tm, torch.tensor(xn), torch.tensor(yn)), steps, repeat)
        rows.append(row)
    return rows


def _compiled_ms(model, x, y, steps, repeat):
    """The same step through torchlike.compile, or None where compile is not available."""
    compile_ = getattr(torchlike, "compile", None)
    if compile_ is None:
        return None
    try:
        step = compile_(_train_step(torchlike, model, x, y))
        return step_ms(step, steps, repeat)
    except Exception as e:  # compile is someone else's work in progress: report, don't fail the benchmark
        print(f"(compiled step unavailable: {type(e).__name__}: {e})")
        return None


# ---------------------------------------------------------------- LSTM (nn-seq)


def _lstm_step(lstm, x):
    def step():
        for p in lstm.parameters():
            p.grad = None
        out, (h, _) = lstm(x)
        (out.sum() + h.sum()).backward()
        return lstm.weight_ih_l0.grad  # the last gradient written: waiting on it waits for the backward

    return step


def bench_lstm(steps: int, repeat: int, seq: int = 64, batch: int = 32, inp: int = 128, hidden: int = 256):
    """Forward+backward of a 1-layer LSTM on a (seq, batch, inp) input; torchlike runs it as one scan program."""
    xn = np.random.RandomState(0).standard_normal((seq, batch, inp)).astype(np.float32)
    model, x = torchlike.nn.LSTM(inp, hidden), torchlike.tensor(xn)
    row = {"model": f"LSTM({inp}, {hidden}), seq {seq}, batch {batch}"}
    row["eager"] = step_ms(_lstm_step(model, x), steps, repeat)
    row["compiled"] = None
    if getattr(torchlike, "compile", None) is not None:
        try:
            row["compiled"] = step_ms(torchlike.compile(_lstm_step(model, x)), steps, repeat)
        except Exception as e:  # compile is someone else's work in progress: report, don't fail the benchmark
            print(f"(compiled LSTM step unavailable: {type(e).__name__}: {e})")
    if torch is not None:
        row["torch"] = step_ms(_lstm_step(torch.nn.LSTM(inp, hidden), torch.tensor(xn)), steps, repeat)
    return [row]


SECTIONS = [bench_conv, bench_lstm]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows = []
    for section in SECTIONS:
        rows += section(args.steps, args.repeat)
    print(f"jax {jax.__version__} ({jax.default_backend()}), torch {torch.__version__ if torch else 'not installed'}")
    print_table(rows)


if __name__ == "__main__":
    main()
