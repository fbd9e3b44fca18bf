"""save / load against real torch: files cross both ways, storages stay shared, bad files fail clearly.

torch-written checkpoints are also loaded in a subprocess where ``import torch`` fails, to prove
torchlike reads them with no torch installed.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import torchlike
from compat_tests.conftest import requires_torch
from compat_tests.harness import torch
from torchlike.utils import safetensors as tl_safetensors

pytestmark = requires_torch

DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool", "complex64"]


class Custom:
    """A global that weights_only loading must refuse."""

    def __init__(self, x):
        self.x = x


def _np(t):
    """numpy values of a torch or torchlike tensor (bfloat16 as float32)."""
    if hasattr(t, "detach") and type(t).__module__.startswith("torch"):
        t = t.detach()
        return (t.float() if t.dtype == torch.bfloat16 else t).numpy()
    a = np.asarray(t.detach()._value)
    return a.astype(np.float32) if a.dtype.name == "bfloat16" else a


def _torch_checkpoint():
    """A checkpoint as training scripts write it: model and optimizer state, nested values, views, dtypes."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3),
        torch.nn.BatchNorm2d(4),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(4 * 4 * 4, 2),
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model(torch.randn(2, 3, 6, 6)).sum().backward()
    opt.step()
    base = torch.arange(12.0).reshape(3, 4)
    return {
        "model": model.state_dict(),
        "optimizer": opt.state_dict(),
        "epoch": 3,
        "meta": {"name": "run", "lrs": [0.1, 0.01], "shape": (3, 4), "none": None, "blob": b"\x00\x01"},
        "shared": {"base": base, "row": base[1], "t": base.t(), "strided": base[:, ::2], "same": base},
        "dtypes": {d: (torch.arange(6) % 3).to(getattr(torch, d)).reshape(2, 3) for d in DTYPES},
        "param": torch.nn.Parameter(torch.ones(2, 2)),
    }


def _flat(obj, prefix=""):
    """Tensors of a nested checkpoint by path."""
    if isinstance(obj, dict):
        items = obj.items()
    elif isinstance(obj, (list, tuple)):
        items = enumerate(obj)
    else:
        return {prefix: obj}
    out = {}
    for k, v in items:
        out.update(_flat(v, f"{prefix}/{k}"))
    return out


_NO_TORCH_LOADER = """
import sys
sys.modules["torch"] = None  # any import of torch now fails
import numpy as np, pickle, torchlike
obj = torchlike.load(sys.argv[1])
def flat(o, p=""):
    it = o.items() if isinstance(o, dict) else enumerate(o) if isinstance(o, (list, tuple)) else None
    if it is None:
        return {p: o}
    out = {}
    for k, v in it:
        out.update(flat(v, f"{p}/{k}"))
    return out
res = {}
for k, v in flat(obj).items():
    if isinstance(v, torchlike.Tensor):
        a = np.asarray(v.detach()._value)
        res[k] = ("tensor", str(v.dtype), tuple(v.shape), a.astype(np.float32) if a.dtype.name == "bfloat16" else a,
                  type(v).__name__, v.requires_grad)
    else:
        res[k] = ("value", v)
obj["shared"]["row"].fill_(-1.0)  # storages stay shared: the base sees it
res["shared-after-write"] = np.asarray(obj["shared"]["base"]._value)
pickle.dump(res, open(sys.argv[2], "wb"))
"""


def test_torch_file_loads_without_torch(tmp_path):
    ckpt = _torch_checkpoint()
    path, out = tmp_path / "ckpt.pt", tmp_path / "out.pkl"
    torch.save(ckpt, path)
    subprocess.run([sys.executable, "-c", _NO_TORCH_LOADER, str(path), str(out)], check=True)
    with open(out, "rb") as f:
        got = pickle.load(f)
    want = _flat(ckpt)
    assert set(got) - {"shared-after-write"} == set(want)
    for k, v in want.items():
        if isinstance(v, torch.Tensor):
            kind, dtype, shape, values, cls, rg = got[k]
            assert (kind, dtype, shape, rg) == ("tensor", str(v.dtype), tuple(v.shape), v.requires_grad), k
            assert cls == ("Parameter" if isinstance(v, torch.nn.Parameter) else "Tensor"), k
            np.testing.assert_array_equal(values, _np(v), err_msg=k)
        else:
            assert got[k] == ("value", v), k
    expect = ckpt["shared"]["base"].clone()
    expect[1] = -1
    np.testing.assert_array_equal(got["shared-after-write"], expect.numpy())


def _torchlike_checkpoint():
    base = torchlike.arange(12.0).reshape(3, 4)
    return {
        "model": {"weight": torchlike.randn(3, 2), "bias": torchlike.zeros(3), "steps": torchlike.tensor(7)},
        "shared": {"base": base, "row": base[1], "t": base.t(), "strided": base[:, ::2], "same": base},
        "dtypes": {d: (torchlike.arange(6) % 3).to(getattr(torchlike, d)).reshape(2, 3) for d in DTYPES},
        "grad": torchlike.ones(2, requires_grad=True),
        "values": [1, 2.5, "s", None, (1, 2), {"nested": b"\x00"}, torchlike.Size([2, 3]), torchlike.float16],
    }


@pytest.mark.parametrize("target", ["path", "fileobj"])
def test_torchlike_file_loads_in_torch(tmp_path, target):
    ckpt = _torchlike_checkpoint()
    if target == "path":
        dest = tmp_path / "ckpt.pt"
        torchlike.save(ckpt, dest)
        got = torch.load(dest, weights_only=True)
        torch.load(dest, weights_only=True, mmap=True)  # storages are aligned as torch needs for mmap
    else:
        dest = io.BytesIO()
        torchlike.save(ckpt, dest)
        dest.seek(0)
        got = torch.load(dest, weights_only=True)
    want, have = _flat(ckpt), _flat(got)
    assert set(want) == set(have)
    for k, v in want.items():
        if isinstance(v, torchlike.Tensor):
            assert str(have[k].dtype) == str(v.dtype) and tuple(have[k].shape) == tuple(v.shape), k
            assert have[k].requires_grad == v.requires_grad, k
            assert have[k].stride() == v.stride() and have[k].storage_offset() == v.storage_offset(), k
            np.testing.assert_array_equal(_np(have[k]), _np(v), err_msg=k)
        elif isinstance(v, torchlike.dtype):
            assert have[k] is getattr(torch, v.name)
        else:
            assert have[k] == v and type(have[k]).__name__ == type(v).__name__, k
    shared = got["shared"]
    ptr = shared["base"].untyped_storage().data_ptr()
    assert all(t.untyped_storage().data_ptr() == ptr for t in shared.values())
    assert shared["same"] is shared["base"]


def test_round_trip_keeps_sharing():
    ckpt = _torchlike_checkpoint()
    buf = io.BytesIO()
    torchlike.save(ckpt, buf)
    buf.seek(0)
    got = torchlike.load(buf)
    for k, v in _flat(ckpt).items():
        if isinstance(v, torchlike.Tensor):
            np.testing.assert_array_equal(_np(_flat(got)[k]), _np(v), err_msg=k)
    got["shared"]["strided"].zero_()
    assert (
        got["shared"]["base"][:, ::2].abs().sum().item() == 0
        and got["shared"]["t"][2, 1].item() == 0
        and got["shared"]["t"][1, 1].item() == 5.0
    )
    assert got["shared"]["same"] is got["shared"]["base"]


def test_weights_only_refuses_globals(tmp_path):
    path = tmp_path / "custom.pt"
    torch.save({"obj": Custom(torch.ones(2))}, path)
    with pytest.raises(pickle.UnpicklingError) as torch_err:
        torch.load(path)
    with pytest.raises(pickle.UnpicklingError, match="compat_tests.test_serialization.Custom"):
        torchlike.load(path)
    assert "Custom" in str(torch_err.value)
    obj = torchlike.load(path, weights_only=False)["obj"]
    assert isinstance(obj, Custom) and isinstance(obj.x, torchlike.Tensor)


def _bad_files(tmp_path):
    good = tmp_path / "good.pt"
    torch.save({"w": torch.ones(100)}, good)
    data = good.read_bytes()
    cases = {
        "truncated": data[: len(data) // 2],
        "empty": b"",
        "not-a-checkpoint": b"hello, this is a text file\n" * 10,
    }
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("readme.txt", "a zip, but not a checkpoint")
    cases["foreign-zip"] = zbuf.getvalue()
    paths = {}
    for name, raw in cases.items():
        paths[name] = tmp_path / f"{name}.pt"
        paths[name].write_bytes(raw)
    return paths


def test_bad_files_raise_like_torch(tmp_path):
    for name, path in _bad_files(tmp_path).items():
        with pytest.raises(Exception) as want:
            torch.load(path)
        with pytest.raises(Exception) as got:
            torchlike.load(path)
        if name == "not-a-checkpoint":  # torch's legacy reader fails with a bare KeyError here
            assert isinstance(got.value, RuntimeError) and "not a PyTorch zip checkpoint" in str(got.value)
            continue
        assert type(got.value) is type(want.value), (name, got.value, want.value)
        assert "checkpoint" in str(got.value) or "empty" in str(got.value), (name, got.value)


def test_save_is_atomic(tmp_path):
    path = tmp_path / "ckpt.pt"
    torchlike.save({"w": torchlike.ones(3)}, path)
    before = path.read_bytes()

    class Boom:
        def __reduce__(self):
            raise RuntimeError("crash in the middle of saving")

    with pytest.raises(RuntimeError, match="crash in the middle"):
        torchlike.save({"w": torchlike.zeros(3), "boom": Boom()}, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["ckpt.pt"]  # no temporary file left behind
    np.testing.assert_array_equal(_np(torchlike.load(path)["w"]), np.ones(3, np.float32))


def test_safetensors_interop(tmp_path):
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    tensors = {d: (torchlike.arange(6) % 3).to(getattr(torchlike, d)).reshape(2, 3) for d in DTYPES if d != "bfloat16"}
    path = tmp_path / "w.safetensors"
    tl_safetensors.save_file(tensors, path, metadata={"format": "pt"})
    read = safetensors_numpy.load_file(str(path))
    for k, v in tensors.items():
        np.testing.assert_array_equal(read[k], _np(v), err_msg=k)
    theirs = tmp_path / "theirs.safetensors"
    safetensors_numpy.save_file(
        {"a": np.arange(6, dtype=np.float32).reshape(3, 2), "b": np.ones(2, np.int64)}, str(theirs)
    )
    got = tl_safetensors.load_file(theirs)
    assert got["a"].dtype == torchlike.float32 and got["b"].dtype == torchlike.int64
    np.testing.assert_array_equal(_np(got["a"]), np.arange(6, dtype=np.float32).reshape(3, 2))
    bf = tl_safetensors.load(tl_safetensors.save({"h": torchlike.ones(3, dtype=torchlike.bfloat16)}))
    assert bf["h"].dtype == torchlike.bfloat16
    with pytest.raises(ValueError, match="truncated"):
        tl_safetensors.load(path.read_bytes()[:4])


def _mlp(lib):
    return lib.nn.Sequential(lib.nn.Linear(5, 8), lib.nn.Tanh(), lib.nn.Linear(8, 3))


def test_model_state_dicts_cross(tmp_path):
    x = np.random.RandomState(0).standard_normal((4, 5)).astype(np.float32)
    torch.manual_seed(0)
    theirs = _mlp(torch)
    torch.save(theirs.state_dict(), tmp_path / "torch.pt")
    ours = _mlp(torchlike)
    sd = torchlike.load(tmp_path / "torch.pt")
    assert list(sd) == list(theirs.state_dict()) and sd._metadata == theirs.state_dict()._metadata
    ours.load_state_dict(sd)
    want = theirs(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(_np(ours(torchlike.tensor(x))), want, rtol=1e-6, atol=1e-6)

    torchlike.save(ours.state_dict(), tmp_path / "ours.pt")
    back = _mlp(torch)
    back.load_state_dict(torch.load(tmp_path / "ours.pt", weights_only=True))
    np.testing.assert_allclose(back(torch.tensor(x)).detach().numpy(), want, rtol=1e-6, atol=1e-6)


def test_whole_module_round_trip(tmp_path):
    model = _mlp(torchlike)
    torchlike.save(model, tmp_path / "model.pt")
    with pytest.raises(pickle.UnpicklingError, match="torchlike.nn.modules.container.Sequential"):
        torchlike.load(tmp_path / "model.pt")
    loaded = torchlike.load(tmp_path / "model.pt", weights_only=False)
    assert repr(loaded) == repr(model) and isinstance(loaded[0].weight, torchlike.nn.Parameter)
    x = torchlike.randn(2, 5)
    np.testing.assert_array_equal(_np(loaded(x)), _np(model(x)))
    loaded(x).sum().backward()
    assert loaded[0].weight.grad is not None


def _train(model, opt, sched, xs, ys, steps):
    for x, y in list(zip(xs, ys))[:steps]:
        opt.zero_grad()
        torchlike.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
        sched.step()


def test_training_checkpoint_resumes_exactly(tmp_path):
    """A checkpoint written mid-training (model, optimizer, scheduler) resumes to the uninterrupted run."""
    rng = np.random.RandomState(1)
    xs = [torchlike.tensor(rng.standard_normal((8, 5)).astype(np.float32)) for _ in range(10)]
    ys = [torchlike.tensor(rng.randint(0, 3, 8)) for _ in range(10)]

    def fresh():
        torchlike.manual_seed(0)
        model = _mlp(torchlike)
        opt = torchlike.optim.AdamW(model.parameters(), lr=1e-2, amsgrad=True)
        return model, opt, torchlike.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)

    model, opt, sched = fresh()
    _train(model, opt, sched, xs, ys, 10)

    first = fresh()
    _train(*first, xs[:5], ys[:5], 5)
    ckpt = {"model": first[0].state_dict(), "optimizer": first[1].state_dict(), "scheduler": first[2].state_dict()}
    torchlike.save(ckpt, tmp_path / "mid.pt")
    on_disk = torch.load(tmp_path / "mid.pt", weights_only=True)  # torch reads the optimizer layout too
    assert sorted(on_disk["optimizer"]["state"][0]) == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"]

    resumed = fresh()
    loaded = torchlike.load(tmp_path / "mid.pt")
    resumed[0].load_state_dict(loaded["model"])
    resumed[1].load_state_dict(loaded["optimizer"])
    resumed[2].load_state_dict(loaded["scheduler"])
    _train(*resumed, xs[5:], ys[5:], 5)
    for (name, p), q in zip(model.named_parameters(), resumed[0].parameters()):
        np.testing.assert_allclose(_np(q), _np(p), rtol=1e-6, atol=1e-7, err_msg=name)
    assert resumed[1].param_groups[0]["lr"] == opt.param_groups[0]["lr"]
