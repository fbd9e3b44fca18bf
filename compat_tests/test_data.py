"""torchlike.utils.data against torch.utils.data: datasets, samplers, collate, DataLoader (and its workers).

Worker processes unpickle the datasets below by importing this module, so it imports neither
torch nor torchlike (the ``torch`` and ``tl`` fixtures do) nor, in a worker, pytest: a worker that
only loads NumPy data then starts without JAX, in a fraction of a second.
"""

from __future__ import annotations

import collections
import importlib
import os
import random
import sys
import time
import warnings

import numpy as np

if "pytest" in sys.modules:
    import pytest
else:  # a DataLoader worker importing this module for its datasets: skip pytest's ~0.5 s import

    class _Anything:
        def __getattr__(self, name):
            return self

        def __call__(self, *args, **kwargs):
            return args[0] if len(args) == 1 and callable(args[0]) and not kwargs else self

    pytest = _Anything()
Point = collections.namedtuple("Point", "x y")


@pytest.fixture(scope="module")
def torch():
    import torch
    import torch.utils.data

    return torch


@pytest.fixture(scope="module")
def tl():
    import torchlike

    return torchlike


# ---------------------------------------------------------------- datasets the workers import


class DictDataset:
    """Map-style: dict samples of a float32 array, an int and a string."""

    def __init__(self, n=20):
        self.x = np.arange(n * 3, dtype=np.float32).reshape(n, 3)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"x": self.x[i], "y": int(i), "name": f"s{i}"}


class FailingDataset(DictDataset):
    def __getitem__(self, i):
        if i == 5:
            raise ValueError("sample 5 is corrupt")
        return super().__getitem__(i)


class DyingDataset(DictDataset):
    def __getitem__(self, i):
        if i == 5:
            os._exit(3)
        return super().__getitem__(i)


class SlowDataset(DictDataset):
    def __getitem__(self, i):
        if i == 0:
            time.sleep(0.8)
        return super().__getitem__(i)


_init_calls = []


def record_init(worker_id):
    _init_calls.append(worker_id)


class WorkerReport:
    """Map-style: what the worker that loaded sample i knows (pid, init calls, seeds, JAX imported)."""

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return (i, os.getpid(), len(_init_calls), "jax" in sys.modules)


class ReportsJax:
    """Wraps a dataset: each sample also says whether the process that loaded it imported JAX."""

    def __init__(self, inner):
        self.inner = inner

    def __len__(self):
        return len(self.inner)

    def __getitem__(self, i):
        return self.inner[i], "jax" in sys.modules


# A worker has already loaded these two jax-free modules; import_module takes them from sys.modules
# (``from torchlike.utils.data import ...`` would import torchlike, hence JAX, in the worker).
_IterableDataset = importlib.import_module("torchlike.utils.data.dataset").IterableDataset
_get_worker_info = importlib.import_module("torchlike.utils.data._worker").get_worker_info


class ShardedRange(_IterableDataset):
    """Iterable-style: splits range(n) between workers via get_worker_info, and reports the worker's seeds."""

    def __init__(self, n=10):
        self.n = n

    def __iter__(self):
        info = _get_worker_info()
        wid, nw, seed = (0, 1, 0) if info is None else (info.id, info.num_workers, info.seed)
        for v in range(wid, self.n, nw):
            yield {"v": v, "wid": wid, "seed": seed, "np": int(np.random.randint(1 << 30)), "py": random.random()}

    def __len__(self):
        return self.n


# ---------------------------------------------------------------- helpers


def describe(x, lib):
    """A plain structure for comparing torch and torchlike outputs (tensors become dtype, shape, values)."""
    if isinstance(x, lib.Tensor):
        return ("tensor", str(x.dtype).split(".")[-1], tuple(x.shape), np.asarray(x.detach()).tolist())
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return (type(x).__name__, *(describe(v, lib) for v in x))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [describe(v, lib) for v in x])
    if isinstance(x, dict):
        return ("dict", {k: describe(v, lib) for k, v in x.items()})
    if isinstance(x, np.ndarray):
        return ("ndarray", str(x.dtype), x.tolist())
    return (type(x).__name__, x)


def both(torch, tl, fn):
    """fn(lib) on both libraries: (torch description, torchlike description), or the exceptions raised."""
    out = []
    for lib in (torch, tl):
        try:
            out.append(describe(fn(lib), lib))
        except Exception as e:  # noqa: BLE001 - the exception itself is compared
            out.append((type(e), str(e)))
    return out


# ---------------------------------------------------------------- collate


def _tensors(lib):
    return [lib.ones(2, 3), lib.zeros(2, 3)]


COLLATE = {
    "floats": lambda lib: [1.0, 2.5, -3.0],
    "ints": lambda lib: [1, 2, 3],
    "bools": lambda lib: [True, False],
    "int_then_float": lambda lib: [1, 2.5],
    "np_f32": lambda lib: [np.ones((2, 3), np.float32), np.zeros((2, 3), np.float32)],
    "np_u8_i16": lambda lib: [np.arange(4, dtype=np.uint8), np.arange(4, dtype=np.uint8)],
    "np_scalars": lambda lib: [np.float32(1.5), np.float32(2)],
    "np_int32_scalars": lambda lib: [np.int32(1), np.int32(2)],
    "np_bool_scalars": lambda lib: [np.bool_(True), np.bool_(False)],
    "strings": lambda lib: ["a", "bc"],
    "bytes": lambda lib: [b"a", b"b"],
    "tensors": _tensors,
    "tuple_mixed": lambda lib: [(np.zeros(2), 1, "a", 0.5), (np.ones(2), 2, "b", 1.5)],
    "nested_dict": lambda lib: [
        {"a": {"b": 1.0, "c": [1, 2]}, "s": "x", "t": lib.ones(2)},
        {"a": {"b": 2.0, "c": [3, 4]}, "s": "y", "t": lib.zeros(2)},
    ],
    "namedtuple": lambda lib: [Point(1, np.float64(2.0)), Point(3, np.float64(4.0))],
    "list_of_lists": lambda lib: [[1, 2], [3, 4]],
    "ordered_dict": lambda lib: [collections.OrderedDict(a=1, b=2.0), collections.OrderedDict(a=3, b=4.0)],
    "error_shape_mismatch": lambda lib: [np.zeros(3), np.zeros(4)],
    "error_ragged_lists": lambda lib: [[1, 2], [1]],
    "error_object": lambda lib: [object(), object()],
    "error_string_array": lambda lib: [np.array(["a"]), np.array(["b"])],
}


@pytest.mark.parametrize("row", list(COLLATE))
def test_default_collate(torch, tl, row):
    t, ours = both(torch, tl, lambda lib: lib.utils.data.default_collate(COLLATE[row](lib)))
    if row.startswith("error"):
        assert isinstance(t[0], type) and t == ours
    else:
        assert t == ours


CONVERT = {
    "np_array": lambda lib: np.arange(3, dtype=np.int16),
    "np_scalar": lambda lib: np.float32(2.5),
    "python_numbers": lambda lib: (1, 2.5, "s"),
    "dict_nested": lambda lib: {"a": np.ones(2), "b": [np.int64(3), 4], "p": Point(np.zeros(1), 1)},
    "string_array": lambda lib: np.array(["a", "b"]),
    "tensor": lambda lib: lib.ones(2),
}


@pytest.mark.parametrize("row", list(CONVERT))
def test_default_convert(torch, tl, row):
    t, ours = both(torch, tl, lambda lib: lib.utils.data.default_convert(CONVERT[row](lib)))
    assert t == ours


# ---------------------------------------------------------------- samplers


@pytest.mark.parametrize("n,batch_size", [(10, 3), (9, 3), (1, 4), (0, 2)])
def test_sequential_and_batch_samplers(torch, tl, n, batch_size):
    for drop_last in (False, True):
        t, ours = (
            lib.utils.data.BatchSampler(lib.utils.data.SequentialSampler(range(n)), batch_size, drop_last)
            for lib in (torch, tl)
        )
        assert list(t) == list(ours) and len(t) == len(ours)


@pytest.mark.parametrize("n,replicas,drop_last", [(10, 3, False), (10, 3, True), (10, 4, True), (2, 4, False)])
def test_distributed_sampler(torch, tl, n, replicas, drop_last):
    per_rank = []
    for rank in range(replicas):
        t, ours = (
            lib.utils.data.DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
            for lib in (torch, tl)
        )
        assert list(t) == list(ours) and len(t) == len(ours)
        s = tl.utils.data.DistributedSampler(range(n), replicas, rank, seed=7, drop_last=drop_last)
        again = tl.utils.data.DistributedSampler(range(n), replicas, rank, seed=7, drop_last=drop_last)
        assert list(s) == list(again) and len(list(s)) == len(s)
        per_rank.append(list(s))
    flat = sorted(sum(per_rank, []))
    assert set(flat) <= set(range(n)) and (drop_last or set(flat) == set(range(n)))
    s.set_epoch(1)
    assert list(s) != per_rank[-1] or n <= replicas
    with pytest.raises(ValueError, match="Invalid rank 3"):
        tl.utils.data.DistributedSampler(range(n), 3, 3)


def test_random_samplers(tl):
    data = tl.utils.data
    perm = list(data.RandomSampler(range(10), generator=tl.Generator().manual_seed(3)))
    assert sorted(perm) == list(range(10)) and perm != list(range(10))
    assert perm == list(data.RandomSampler(range(10), generator=tl.Generator().manual_seed(3)))
    tl.manual_seed(0)
    a = list(data.RandomSampler(range(10)))
    tl.manual_seed(0)
    assert a == list(data.RandomSampler(range(10)))
    longer = list(data.RandomSampler(range(10), num_samples=25))
    assert len(longer) == 25 and sorted(longer[:10]) == sorted(longer[10:20]) == list(range(10))
    drawn = list(data.RandomSampler(range(5), replacement=True, num_samples=40))
    assert len(drawn) == 40 and set(drawn) <= set(range(5))
    sub = list(data.SubsetRandomSampler(range(10, 110, 10)))
    assert sorted(sub) == list(range(10, 110, 10))
    weighted = list(data.WeightedRandomSampler([0.0, 1.0, 0.0, 2.0], 30))
    assert len(weighted) == 30 and set(weighted) <= {1, 3}
    assert sorted(data.WeightedRandomSampler([1.0, 1.0, 1.0], 3, replacement=False)) == [0, 1, 2]


def test_random_sampler_epochs_advance_the_generator(tl):
    """Each epoch draws its seed from the generator (as torch's samplers do), so epochs differ and a
    re-seeded generator replays the same epochs."""
    data = tl.utils.data
    gen = tl.Generator().manual_seed(7)
    sampler = data.RandomSampler(range(1000), generator=gen)
    first, second = list(sampler), list(sampler)
    assert sorted(first) == sorted(second) == list(range(1000)) and first != second
    gen.manual_seed(7)
    assert list(sampler) == first and list(sampler) == second
    tl.manual_seed(1)
    epochs = [list(data.RandomSampler(range(1000))) for _ in range(2)]
    assert epochs[0] != epochs[1]
    tl.manual_seed(1)
    assert [list(data.RandomSampler(range(1000))) for _ in range(2)] == epochs


SAMPLER_ERRORS = {
    "random_replacement": lambda d: d.RandomSampler(range(3), replacement=1),
    "random_num_samples": lambda d: d.RandomSampler(range(3), num_samples=0),
    "weighted_num_samples": lambda d: d.WeightedRandomSampler([1.0], True),
    "weighted_2d": lambda d: d.WeightedRandomSampler([[1.0, 2.0]], 2),
    "weighted_replacement": lambda d: d.WeightedRandomSampler([1.0], 1, replacement=None),
    "batch_size": lambda d: d.BatchSampler(range(3), 0, False),
    "batch_drop_last": lambda d: d.BatchSampler(range(3), 2, 1),
    "weighted_too_many": lambda d: list(d.WeightedRandomSampler([1.0, 1.0], 3, replacement=False)),
}


@pytest.mark.parametrize("row", list(SAMPLER_ERRORS))
def test_sampler_errors(torch, tl, row):
    t, ours = both(torch, tl, lambda lib: SAMPLER_ERRORS[row](lib.utils.data))
    assert t == ours


# ---------------------------------------------------------------- datasets


@pytest.mark.parametrize(
    "n,lengths", [(10, [3, 7]), (10, [0.3, 0.3, 0.4]), (10, [0.25, 0.75]), (10, [0.07] * 10 + [0.3]), (10, [2, 2])]
)
def test_random_split(torch, tl, n, lengths):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t, ours = both(torch, tl, lambda lib: [len(s) for s in lib.utils.data.random_split(range(n), lengths)])
    assert t == ours
    if not isinstance(ours[0], type):
        parts = tl.utils.data.random_split(range(n), lengths, generator=tl.Generator().manual_seed(1))
        again = tl.utils.data.random_split(range(n), lengths, generator=tl.Generator().manual_seed(1))
        assert sorted(i for p in parts for i in p) == list(range(n))
        assert [list(p) for p in parts] == [list(p) for p in again]


def test_concat_stack_subset_chain(torch, tl):
    def run(lib):
        d = lib.utils.data
        cat = d.ConcatDataset([range(3), range(10, 14)]) + range(20, 22)
        items = [cat[i] for i in (0, 2, 3, 6, 7, 8, -1, -9)]
        stacked = d.StackDataset(range(3), range(3, 6))
        named = d.StackDataset(a=range(2), b=range(2, 4))
        sub = d.Subset(range(10, 20), [9, 0, 4])
        return [len(cat), items, cat.cumulative_sizes, stacked[1], named.__getitems__([0, 1]), list(sub), len(sub)]

    t, ours = both(torch, tl, run)
    assert t == ours
    for idx in (-10, 9):
        t, ours = both(torch, tl, lambda lib: lib.utils.data.ConcatDataset([range(3), range(6)])[idx])
        assert t[0] is ours[0] and t[1] == ours[1]


def test_tensor_dataset_and_chain(torch, tl):
    def run(lib):
        ds = lib.utils.data.TensorDataset(lib.arange(6), lib.arange(12.0).reshape(6, 2))
        return [len(ds), ds[2], list(lib.utils.data.DataLoader(ds, batch_size=4))]

    t, ours = both(torch, tl, run)
    assert t == ours
    t, ours = both(torch, tl, lambda lib: lib.utils.data.TensorDataset(lib.ones(2), lib.ones(3)))
    assert t == ours


# ---------------------------------------------------------------- DataLoader in this process

LOADERS = {
    "batch4": dict(batch_size=4),
    "drop_last": dict(batch_size=6, drop_last=True),
    "no_batching": dict(batch_size=None),
    "custom_collate": dict(batch_size=5, collate_fn=lambda b: [s["y"] for s in b]),
    "batch_sampler": dict(batch_sampler=[[0, 3], [5, 1, 2]]),
    "sampler": dict(batch_size=3, sampler=[4, 2, 0, 1]),
    "error_shuffle_and_sampler": dict(shuffle=True, sampler=[0]),
    "error_batch_sampler_and_size": dict(batch_size=2, batch_sampler=[[0]]),
    "error_none_and_drop_last": dict(batch_size=None, drop_last=True),
    "error_workers": dict(num_workers=-1),
    "error_prefetch": dict(prefetch_factor=2),
    "error_persistent": dict(persistent_workers=True),
    "error_context": dict(multiprocessing_context="spawn"),
    "error_bad_context": dict(num_workers=1, multiprocessing_context="thread"),
}


@pytest.mark.parametrize("row", list(LOADERS))
def test_dataloader_single_process(torch, tl, row):
    def run(lib):
        loader = lib.utils.data.DataLoader(DictDataset(11), **LOADERS[row])
        return [len(loader), list(loader)]

    t, ours = both(torch, tl, run)
    assert t == ours


class CountedIterable:
    """An IterableDataset-like stream that reports a length shorter than what it yields."""

    def __init__(self, lib):
        self.lib = lib

    def make(self):
        class Stream(self.lib.utils.data.IterableDataset):
            def __iter__(self):
                return iter(range(7))

            def __len__(self):
                return 5

        return Stream()


def test_iterable_dataset_len_and_warning(torch, tl):
    for lib in (torch, tl):
        ds = CountedIterable(lib).make()
        loader = lib.utils.data.DataLoader(ds, batch_size=2)
        assert len(loader) == 3 and len(lib.utils.data.DataLoader(ds, batch_size=2, drop_last=True)) == 2
        assert [b.tolist() for b in loader] == [[0, 1], [2, 3], [4, 5], [6]]
        loader = lib.utils.data.DataLoader(ds, batch_size=None)
        assert len(loader) == 5
        with pytest.warns(UserWarning, match="was reported to be 5"):
            assert list(loader) == list(range(7))
        with pytest.raises(ValueError, match="expected unspecified shuffle option"):
            lib.utils.data.DataLoader(ds, shuffle=True)
    assert tl.utils.data.get_worker_info() is None


def test_worker_seed_state_matches_torch(torch, tl):
    from torch.utils.data._utils.worker import _generate_state

    from torchlike.utils.data._worker import _generate_state as ours

    for base, wid in [(0, 0), (12345, 1), (2**62 + 17, 3), (2**53 - 1, 7)]:
        assert ours(base, wid) == _generate_state(base, wid)


# ---------------------------------------------------------------- worker processes (few and small: each starts processes)


def test_workers_match_single_process(tl):
    data = tl.utils.data
    ref = [describe(b, tl) for b in data.DataLoader(DictDataset(), batch_size=3)]
    got = [describe(b, tl) for b in data.DataLoader(DictDataset(), batch_size=3, num_workers=2)]
    assert got == ref
    ds = data.TensorDataset(tl.arange(10), tl.arange(20.0).reshape(10, 2))
    loader = data.DataLoader(ds, batch_size=4, num_workers=2, in_order=False, prefetch_factor=3)
    batches = list(loader)
    assert sorted(b[0].tolist() for b in batches) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert all(b[1].dtype == tl.float32 and (b[1][:, 0] == 2 * b[0]).all() for b in batches)


def test_worker_error_is_reraised(tl):
    loader = tl.utils.data.DataLoader(FailingDataset(), batch_size=2, num_workers=2)
    with pytest.raises(ValueError, match="Caught ValueError in DataLoader worker process [01]") as info:
        list(loader)
    assert "Original Traceback (most recent call last)" in str(info.value)
    assert "sample 5 is corrupt" in str(info.value)


def test_dead_worker_and_timeout(tl):
    loader = tl.utils.data.DataLoader(DyingDataset(), batch_size=2, num_workers=2, timeout=60)
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited unexpectedly"):
        list(loader)
    loader = tl.utils.data.DataLoader(SlowDataset(), batch_size=2, num_workers=1, timeout=0.2)
    with pytest.raises(RuntimeError, match="DataLoader timed out after 0.2 seconds"):
        next(iter(loader))


def test_iterable_sharding_and_seeds(torch, tl):
    from torch.utils.data._utils.worker import _generate_state

    gen = tl.Generator().manual_seed(5)
    loader = tl.utils.data.DataLoader(ShardedRange(), batch_size=None, num_workers=2, generator=gen)
    rows = list(loader)
    assert sorted(r["v"] for r in rows) == list(range(10))
    assert {r["wid"] for r in rows} == {0, 1}
    for wid in (0, 1):
        mine = [r for r in rows if r["wid"] == wid]
        base = mine[0]["seed"] - wid
        rs, py = np.random.RandomState(_generate_state(base, wid)), random.Random(base + wid)
        assert [r["np"] for r in mine] == [int(rs.randint(1 << 30)) for _ in mine]
        assert [r["py"] for r in mine] == [py.random() for _ in mine]
    again = tl.utils.data.DataLoader(ShardedRange(), batch_size=None, num_workers=2, generator=gen)
    assert {r["seed"] for r in again} != {r["seed"] for r in rows}


def test_persistent_workers_and_init_fn(tl):
    loader = tl.utils.data.DataLoader(
        WorkerReport(), batch_size=2, num_workers=2, persistent_workers=True, worker_init_fn=record_init
    )
    first = [b for b in loader]
    second = [b for b in loader]
    pids = [b[1].tolist() for b in first]
    assert pids == [b[1].tolist() for b in second] and pids[0] != pids[1]
    assert all(b[2].tolist() == [1, 1] for b in first + second)  # init ran once per worker
    assert not any(b[3].any() for b in first)  # workers loading NumPy data never import JAX
    assert [b[0].tolist() for b in second] == [[0, 1], [2, 3]]


def test_vision_datasets_in_workers_do_not_import_jax(tl):
    """A torchlike.vision dataset with transforms loads in workers without torchlike's package (and JAX)."""
    vision = importlib.import_module("torchlike.vision")
    vt = vision.transforms
    fake = vision.datasets.FakeData(
        size=6,
        image_size=(3, 8, 8),
        num_classes=4,
        transform=vt.Compose([vt.ToTensor(), vt.Normalize([0.5] * 3, [0.25] * 3)]),
    )
    single = list(tl.utils.data.DataLoader(ReportsJax(fake), batch_size=3))
    multi = list(tl.utils.data.DataLoader(ReportsJax(fake), batch_size=3, num_workers=2))
    assert not any(jax_flags.any() for (_x, _y), jax_flags in multi)
    for ((xs, ys), _), ((xm, ym), _) in zip(single, multi):
        assert xm.dtype == tl.float32 and tuple(xm.shape) == (3, 3, 8, 8)
        np.testing.assert_allclose(np.asarray(xm), np.asarray(xs), rtol=1e-6)
        assert ym.tolist() == ys.tolist()


def test_many_batches_take_the_jitted_transfer(tl):
    """After a batch signature is hot, batches reach the device through one jitted identity: same values."""
    dl = importlib.import_module("torchlike.utils.data.dataloader")
    x = np.arange(40 * 8 * 3, dtype=np.float32).reshape(40 * 8, 3)
    y = np.arange(40 * 8)
    loader = tl.utils.data.DataLoader([(x[i], int(y[i])) for i in range(len(y))], batch_size=8)  # NumPy samples
    batches = list(loader)
    assert dl._to_device._cache_size() >= 1
    np.testing.assert_array_equal(np.concatenate([np.asarray(b[0]) for b in batches]), x)
    np.testing.assert_array_equal(np.concatenate([np.asarray(b[1]) for b in batches]), y)
    assert batches[-1][0].dtype == tl.float32 and batches[-1][1].dtype == tl.int64
