"""Building a model: seconds to construct (and initialize) a ResNet, torchlike vs torch.

Each library runs in a fresh process, so "first" includes everything a user's script pays on its
first model (for torchlike, the XLA programs it compiles along the way); "again" builds a second
model in the same process. torch's model comes from torchvision (loaded as compat_tests does).

    python benchmarks/bench_build.py [--models resnet18 resnet50]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHILD = """
import json, sys, time
lib, name = sys.argv[1], sys.argv[2]
if lib == "torch":
    import torch
    torch.set_num_threads(1)
    from compat_tests._torchvision import models
else:
    import torchlike
    from torchlike.vision import models
build = getattr(models, name)
t0 = time.perf_counter()
build()
t1 = time.perf_counter()
build()
t2 = time.perf_counter()
print(json.dumps({"first": t1 - t0, "again": t2 - t1}))
"""


def timed(lib: str, name: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, lib, name], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", nargs="+", default=["resnet18", "resnet50"])
    args = parser.parse_args()
    print(
        "| model | torchlike first (s) | torchlike again (s) | torch first (s) | torch again (s) | again: torchlike / torch |"
    )
    print("|---|---|---|---|---|---|")
    for name in args.models:
        tl, t = timed("torchlike", name), timed("torch", name)
        print(
            f"| {name} | {tl['first']:.2f} | {tl['again']:.2f} | {t['first']:.2f} | {t['again']:.2f} "
            f"| {tl['again'] / t['again']:.1f}x |"
        )


if __name__ == "__main__":
    main()
