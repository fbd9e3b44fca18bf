"""The main job's training, step by step, against real torch.

examples/train_classifier.py is a PyTorch script whose only torchlike-specific lines are its
imports. Here its source runs twice, once as written and once with the imports pointed at torch;
both models start from torch's initial weights and see the same batches (no shuffle, no dropout,
so no random stream is involved), and the losses and final weights must agree step by step:
conv, batch norm (train and eval), pooling, cross-entropy with label smoothing, AdamW and a
cosine schedule all together.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import torchlike

torch = pytest.importorskip("torch")

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "train_classifier.py")
TORCH_IMPORTS = {
    "import torchlike as torch": "import torch",
    "from torchlike import nn": "from torch import nn",
    "from torchlike.utils.data": "from torch.utils.data",
}


def _load(lib_name: str) -> dict:
    """The script's module namespace, as written (torchlike) or with its imports pointed at torch."""
    src = open(SCRIPT).read()
    if lib_name == "torch":
        for ours, theirs in TORCH_IMPORTS.items():
            assert ours in src
            src = src.replace(ours, theirs)
    namespace = {"__name__": f"train_classifier_{lib_name}"}
    exec(compile(src, SCRIPT, "exec"), namespace)
    return namespace


def _train(lib, script: dict, weights: dict, steps: int):
    x, y = script["make_glyphs"](512, seed=0)
    model = script["SmallCNN"]()
    model.head[1].p = 0.0  # dropout draws from each library's own stream
    model.load_state_dict({k: lib.tensor(v) for k, v in weights.items()})
    optimizer = lib.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=1e-4)
    scheduler = lib.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    loss_fn = lib.nn.CrossEntropyLoss(label_smoothing=0.05)
    losses = []
    for i in range(steps):
        model.train()
        j = (i * 64) % 512
        optimizer.zero_grad()
        loss = loss_fn(model(x[j : j + 64]), y[j : j + 64])
        loss.backward()
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
    model.eval()
    with lib.no_grad():
        logits = model(x[:128])
    state = {k: np.asarray(v.detach().numpy()) for k, v in model.state_dict().items()}
    return np.array(losses), np.asarray(logits.detach().numpy()), state


def test_main_job_trains_like_torch():
    ours, theirs = _load("torchlike"), _load("torch")
    torch.manual_seed(0)
    weights = {k: v.detach().numpy().copy() for k, v in theirs["SmallCNN"]().state_dict().items()}
    steps = 25  # float32 rounding differences grow chaotically after ~30 Adam steps at lr 1e-2
    tl_losses, tl_logits, tl_state = _train(torchlike, ours, weights, steps)
    t_losses, t_logits, t_state = _train(torch, theirs, weights, steps)
    assert t_losses[-1] < 0.8 * t_losses[0]  # it trains
    np.testing.assert_allclose(tl_losses, t_losses, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(tl_logits, t_logits, rtol=1e-2, atol=2e-3)
    assert tl_state.keys() == t_state.keys()
    for k in t_state:
        np.testing.assert_allclose(tl_state[k], t_state[k], rtol=1e-2, atol=2e-3, err_msg=k)
