"""The DataLoader worker process (mirrors torch.utils.data._utils.worker).

Imports only NumPy and the standard library: a worker loads this file on its own (see
``BOOTSTRAP``), so it never imports JAX unless the user's dataset code does. Results travel back
as pickled bytes on one pipe per worker, sent by a background thread so the worker keeps loading
the next batch while the main process is busy.
"""

from __future__ import annotations

import io
import os
import pickle
import queue
import random
import sys
import threading
import traceback
from dataclasses import dataclass

__all__ = ["WorkerInfo", "get_worker_info"]

MP_STATUS_CHECK_INTERVAL = 5.0

# Run by exec() in a fresh worker process: load the jax-free modules under their package names
# without importing the torchlike package, then enter the worker loop. Their relative imports
# (``from . import functional``) see bare stand-ins for the packages, removed afterwards so that
# user code importing torchlike later gets the real package (which reuses the loaded modules).
BOOTSTRAP = """
import importlib.util, sys, types
stand_ins = []
for name, path in modules:
    package = name.rpartition(".")[0]
    while package and package not in sys.modules:
        sys.modules[package] = types.ModuleType(package)
        sys.modules[package].__path__ = []
        stand_ins.append(package)
        package = package.rpartition(".")[0]
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
for package in stand_ins:
    del sys.modules[package]
sys.modules[modules[-1][0]]._worker_loop(*args)
"""


class WorkerInfo:
    """Mirrors torch.utils.data.WorkerInfo: id, num_workers, seed, dataset (read-only)."""

    __initialized = False

    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)
        self.__keys = tuple(kwargs.keys())
        self.__initialized = True

    def __setattr__(self, key, val):
        if self.__initialized:
            raise RuntimeError(f"Cannot assign attributes to {self.__class__.__name__} objects")
        return super().__setattr__(key, val)

    def __repr__(self):
        items = [f"{k}={getattr(self, k)}" for k in self.__keys]
        return f"{self.__class__.__name__}({', '.join(items)})"


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """Mirrors torch.utils.data.get_worker_info: the current worker's WorkerInfo, None in the main process."""
    return _worker_info


# Messages on the pipes hold only builtins and user objects: pickling one of this package's classes
# in a worker would import the torchlike package (pickle imports a class's top-level package).
RESUME = "resume"  # main -> worker (tasks are (idx, index) tuples, None stops the worker)
DATA, ERROR, STOP, RESUMED = range(4)  # worker -> main: (tag, idx, payload)


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    worker_id: int


@dataclass(frozen=True)
class _ResumeIteration:
    seed: int | None = None


class _KeyErrorMessage(str):
    """A str whose repr is itself, so a re-raised KeyError shows its traceback readably."""

    def __repr__(self):
        return self


class ExceptionWrapper:
    """An exception type and its formatted traceback, re-raised in the main process (torch._utils.ExceptionWrapper)."""

    def __init__(self, exc_info=None, where: str = "in background"):
        exc_info = exc_info or sys.exc_info()
        self.exc_type = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def fields(self) -> tuple:
        return (self.exc_type, self.exc_msg, self.where)

    @classmethod
    def from_fields(cls, exc_type, exc_msg, where) -> ExceptionWrapper:
        self = cls.__new__(cls)
        self.exc_type, self.exc_msg, self.where = exc_type, exc_msg, where
        return self

    def reraise(self):
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = _KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            raise self.exc_type(message=msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        raise exception


def _generate_state(base_seed: int, worker_id: int) -> list[int]:
    """The 4-word NumPy seed torch derives for a worker (a SeedSequence-style hash of base_seed, worker_id)."""
    mask = 0xFFFFFFFF
    mult_a, mult_b = 0x931E8875, 0x58F38DED
    const = [0x43B0D7E5]

    def hash32(value):
        value = (value ^ const[0]) & mask
        const[0] = (const[0] * mult_a) & mask
        value = (value * const[0]) & mask
        return (value ^ (value >> 16)) & mask

    def mix(x, y):
        r = ((0xCA01F9DD * x) & mask) - ((0x4973F715 * y) & mask)
        r &= mask
        return (r ^ (r >> 16)) & mask

    pool = [hash32(v) for v in (worker_id, base_seed & mask, base_seed >> 32, 0)]
    for src in range(4):
        for dst in range(4):
            if src != dst:
                pool[dst] = mix(pool[dst], hash32(pool[src]))
    state, const_b = [], 0x8B51F9DD
    for v in pool:
        v = (v ^ const_b) & mask
        const_b = (const_b * mult_b) & mask
        v = (v * const_b) & mask
        state.append((v ^ (v >> 16)) & mask)
    return state


def fetch(kind: int, dataset, dataset_iter, auto_collation: bool, collate_fn, drop_last: bool, index):
    """One batch (or sample) from a map-style (kind 0) or iterable (kind 1) dataset, collated."""
    if kind == 0:
        if not auto_collation:
            return collate_fn(dataset[index])
        if getattr(dataset, "__getitems__", None):
            return collate_fn(dataset.__getitems__(index))
        return collate_fn([dataset[i] for i in index])
    if not auto_collation:
        return collate_fn(next(dataset_iter))
    data = list(_take(dataset_iter, len(index)))
    if not data or (drop_last and len(data) < len(index)):
        raise StopIteration
    return collate_fn(data)


def _take(it, n):
    for _ in range(n):
        try:
            yield next(it)
        except StopIteration:
            return


class _Sender:
    """Pickles results and writes them to the result pipe from a background thread."""

    def __init__(self, conn, worker_id):
        self.conn, self.worker_id = conn, worker_id
        self.broken = False  # the main process closed its end: no one wants more batches
        self.queue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def put(self, item):
        self.queue.put(item)

    def _run(self):
        while (item := self.queue.get()) is not None:
            try:
                buf = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:
                where = f"in DataLoader worker process {self.worker_id} (pickling the batch)"
                error = (ERROR, item[1], ExceptionWrapper(where=where).fields())
                buf = pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                self.conn.send_bytes(buf)
            except OSError:
                self.broken = True
                return

    def close(self):
        self.queue.put(None)
        self.thread.join(timeout=MP_STATUS_CHECK_INTERVAL)


def _seed_worker(base_seed: int, worker_id: int) -> int:
    seed = base_seed + worker_id
    random.seed(seed)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(_generate_state(base_seed, worker_id))
    torchlike = sys.modules.get("torchlike")
    if torchlike is not None and hasattr(torchlike, "manual_seed"):  # only when the dataset's code uses it
        torchlike.manual_seed(seed)
    return seed


def _recv(conn, parent_pid: int):
    while not conn.poll(MP_STATUS_CHECK_INTERVAL):
        if os.getppid() == 1 or not _alive(parent_pid):
            return None
    try:
        return conn.recv()
    except (EOFError, OSError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


class _Unpickler(pickle.Unpickler):
    """Takes this package's modules from sys.modules: pickle would import the torchlike package (and JAX) first."""

    def find_class(self, module, name):
        if module.startswith(_PACKAGE) and module in sys.modules:
            return getattr(sys.modules[module], name)
        return super().find_class(module, name)


_PACKAGE = __name__.partition(".")[0] + "."  # torchlike's jax-free modules loaded by the bootstrap


def _worker_loop(payload: bytes, worker_id: int, index_conn, result_conn, parent_pid: int) -> None:
    global _worker_info
    sender = _Sender(result_conn, worker_id)
    where = f"in DataLoader worker process {worker_id}"
    init_error = dataset_iter = None
    try:
        kind, dataset, auto_collation, collate_fn, drop_last, base_seed, init_fn, num_workers = _Unpickler(
            io.BytesIO(payload)
        ).load()
        seed = _seed_worker(base_seed, worker_id)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
        if init_fn is not None:
            init_fn(worker_id)
        dataset_iter = iter(dataset) if kind == 1 else None
    except Exception:
        init_error = ExceptionWrapper(where=where).fields()
    iteration_end = False
    while (r := _recv(index_conn, parent_pid)) is not None:
        if r == RESUME:
            sender.put((RESUMED, None, None))
            iteration_end = False
            if init_error is None and kind == 1:
                dataset_iter = iter(dataset)
            continue
        if sender.broken:
            break
        if iteration_end:
            continue
        idx, index = r
        if init_error is not None:  # every request reports why the worker could not start
            sender.put((ERROR, idx, init_error))
            continue
        try:
            msg = (DATA, idx, fetch(kind, dataset, dataset_iter, auto_collation, collate_fn, drop_last, index))
        except StopIteration:
            if kind == 1:
                msg, iteration_end = (STOP, idx, worker_id), True
            else:
                msg = (ERROR, idx, ExceptionWrapper(where=where).fields())
        except Exception:
            msg = (ERROR, idx, ExceptionWrapper(where=where).fields())
        sender.put(msg)
        del msg, r
    sender.close()
