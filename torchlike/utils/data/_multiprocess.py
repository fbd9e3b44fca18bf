"""DataLoader worker processes and the iterator that feeds them (torch's _MultiProcessingDataLoaderIter).

Workers never fork this process (JAX is multithreaded: forking it can deadlock). By default they
start from a forkserver that preloads only NumPy, run the jax-free ``_worker`` loop, collate to
NumPy there, and this process turns the NumPy leaves into tensors. Each worker re-imports the
main script (as with torch's ``spawn``), so keep heavy work under ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import importlib
import io
import itertools
import multiprocessing
import os
import pickle
import sys
import time
from multiprocessing import connection as mp_connection

import numpy as np

from ..._tensor import Tensor
from . import _collate, _worker
from ._worker import ExceptionWrapper
from .dataloader import _BaseDataLoaderIter, _make_tensors, default_collate, default_convert
from .dataset import TensorDataset, _rebuild_with_arrays

__all__: list[str] = []

# ---------------------------------------------------------------- worker processes

_WORKER_MODULES = tuple(
    (mod.__name__, mod.__file__) for mod in (_collate, sys.modules[TensorDataset.__module__], _worker)
)
# torchlike.vision's datasets and transforms are jax-free too: workers load them the same way when a
# payload refers to them (in import order; the worker loop stays last)
_VISION = "torchlike.vision."
_VISION_MODULES = tuple(
    _VISION + name
    for name in (
        "transforms._functional_array",
        "transforms._functional_pil",
        "transforms.functional",
        "transforms.transforms",
        "datasets.vision",
        "datasets.folder",
        "datasets.mnist",
        "datasets.cifar",
        "datasets.fakedata",
    )
)


def _worker_modules(payload: bytes) -> tuple:
    if _VISION.encode() not in payload:
        return _WORKER_MODULES
    vision = tuple((name, importlib.import_module(name).__file__) for name in _VISION_MODULES)
    return _WORKER_MODULES[:-1] + vision + _WORKER_MODULES[-1:]


_default_context = None


def _get_default_context():
    """A forkserver that preloads NumPy only: not ``__main__`` (the default), which may have started JAX."""
    global _default_context
    if _default_context is None:
        _default_context = multiprocessing.get_context("forkserver")
        _default_context.set_forkserver_preload(["numpy", "numpy.random"])
    return _default_context


class _PayloadPickler(pickle.Pickler):
    """Sends TensorDatasets to workers as NumPy arrays, so workers need neither torchlike nor JAX."""

    def reducer_override(self, obj):
        if isinstance(obj, TensorDataset) and type(obj).__getitem__ is TensorDataset.__getitem__:
            state = dict(obj.__dict__)
            state["tensors"] = tuple(np.asarray(t.detach()) if isinstance(t, Tensor) else t for t in obj.tensors)
            return (_rebuild_with_arrays, (type(obj), state))
        return NotImplemented


def _payload(objects, numpy_datasets: bool) -> bytes:
    buf = io.BytesIO()
    (_PayloadPickler if numpy_datasets else pickle.Pickler)(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(objects)
    return buf.getvalue()


def _start_worker(ctx, payload: bytes, worker_id: int):
    index_r, index_w = ctx.Pipe(duplex=False)
    result_r, result_w = ctx.Pipe(duplex=False)
    args = (payload, worker_id, index_r, result_w, os.getpid())
    modules = _worker_modules(payload)
    w = ctx.Process(target=exec, args=(_worker.BOOTSTRAP, {"modules": modules, "args": args}), daemon=True)
    try:
        w.start()
    finally:
        index_r.close()
        result_w.close()
    return w, index_w, result_r


def _decode(msg):
    """A worker's (tag, idx, payload) as torch's (idx, data) with its marker objects."""
    tag, idx, payload = msg
    if tag == _worker.DATA:
        return idx, payload
    if tag == _worker.ERROR:
        return idx, ExceptionWrapper.from_fields(*payload)
    if tag == _worker.STOP:
        return idx, _worker._IterableDatasetStopIteration(payload)
    return _worker._ResumeIteration(), None


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    """Worker processes fed through one index pipe each; results come back on one pipe each."""

    def __init__(self, loader) -> None:
        super().__init__(loader)
        self._prefetch_factor = loader.prefetch_factor
        self._in_order = loader.in_order
        ctx = loader.multiprocessing_context or _get_default_context()
        worker_collate, self._tensor_leaves = {
            default_collate: (_collate.collate, True),
            default_convert: (_collate.convert, False),
        }.get(self._collate_fn, (self._collate_fn, None))
        objects = (
            self._dataset_kind,
            self._dataset,
            self._auto_collation,
            worker_collate,
            self._drop_last,
            self._base_seed,
            loader.worker_init_fn,
            self._num_workers,
        )
        payload = _payload(objects, numpy_datasets=self._tensor_leaves is not None)
        self._shutdown = False
        self._workers, self._index_conns, self._result_conns = [], [], {}
        try:
            for i in range(self._num_workers):
                w, index_conn, result_conn = _start_worker(ctx, payload, i)
                self._workers.append(w)
                self._index_conns.append(index_conn)
                self._result_conns[result_conn] = i
        except BaseException:
            self._shutdown_workers()
            raise
        self._reset(loader, first_iter=True)

    def _reset(self, loader, first_iter=False) -> None:
        super()._reset(loader, first_iter)
        self._send_idx = 0
        self._rcvd_idx = 0
        self._task_info = {}
        self._tasks_outstanding = 0
        self._workers_status = [True] * self._num_workers
        self._workers_num_tasks = [0] * self._num_workers
        self._worker_queue_idx_cycle = itertools.cycle(range(self._num_workers))
        if not first_iter:
            for conn in self._index_conns:
                conn.send(_worker.RESUME)
            waiting = self._num_workers
            while waiting > 0:  # results still in flight from the last epoch are dropped
                idx, _ = self._get_data()
                waiting -= isinstance(idx, _worker._ResumeIteration)
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _get_data(self):
        deadline = time.monotonic() + self._timeout if self._timeout > 0 else None
        while True:
            sentinels = {w.sentinel: i for i, w in enumerate(self._workers) if self._workers_status[i]}
            wait = _worker.MP_STATUS_CHECK_INTERVAL if deadline is None else max(0.0, deadline - time.monotonic())
            ready = mp_connection.wait([*self._result_conns, *sentinels], wait)
            for conn in ready:  # results first: a worker may have sent its last batch, then exited
                if conn in self._result_conns:
                    worker_id = self._result_conns[conn]
                    try:
                        return _decode(pickle.loads(conn.recv_bytes()))
                    except (EOFError, OSError):
                        del self._result_conns[conn]
                        conn.close()
                        if self._workers_status[worker_id]:
                            self._raise_dead([worker_id])
            dead = [sentinels[s] for s in ready if s in sentinels and not self._workers[sentinels[s]].is_alive()]
            if dead:
                self._raise_dead(dead)
            if deadline is not None and time.monotonic() >= deadline:
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")

    def _raise_dead(self, worker_ids):
        for i in worker_ids:
            self._mark_worker_as_unavailable(i)
        pids = ", ".join(str(self._workers[i].pid) for i in worker_ids)
        codes = ", ".join(str(self._workers[i].exitcode) for i in worker_ids)
        raise RuntimeError(f"DataLoader worker (pid(s) {pids}) exited unexpectedly (exit code(s) {codes})")

    def _next_data(self):
        while True:
            while self._rcvd_idx < self._send_idx:
                info = self._task_info.get(self._rcvd_idx)
                if info:
                    if len(info) == 2 or self._workers_status[info[0]]:  # has data or its worker is active
                        break
                    del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            if len(self._task_info[self._rcvd_idx]) == 2:
                worker_id, data = self._task_info.pop(self._rcvd_idx)
                self._rcvd_idx += 1
                return self._process_data(data, worker_id)
            idx, data = self._get_data()
            self._tasks_outstanding -= 1
            if isinstance(data, _worker._IterableDatasetStopIteration):
                if self._persistent_workers:
                    self._workers_status[data.worker_id] = False
                else:
                    self._mark_worker_as_unavailable(data.worker_id)
                self._try_put_index()
                continue
            if idx != self._rcvd_idx and self._in_order:
                self._task_info[idx] += (data,)
                continue
            worker_id = self._task_info.pop(idx)[0]
            if idx == self._rcvd_idx:
                self._rcvd_idx += 1
            return self._process_data(data, worker_id)

    def _try_put_index(self) -> None:
        max_tasks = self._prefetch_factor * self._num_workers
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):  # the next active worker, if any
            worker_id = next(self._worker_queue_idx_cycle)
            if self._workers_status[worker_id] and (
                self._in_order or self._workers_num_tasks[worker_id] < max_tasks // sum(self._workers_status)
            ):
                break
        else:
            return
        try:
            self._index_conns[worker_id].send((self._send_idx, index))
        except OSError:  # the worker died: _get_data reports it
            pass
        self._task_info[self._send_idx] = (worker_id,)
        self._workers_num_tasks[worker_id] += 1
        self._tasks_outstanding += 1
        self._send_idx += 1

    def _process_data(self, data, worker_id):
        self._workers_num_tasks[worker_id] -= 1
        self._try_put_index()
        if isinstance(data, ExceptionWrapper):
            data.reraise()
        if self._tensor_leaves is not None:
            data = _collate.to_tensors(data, _make_tensors, arrays=self._tensor_leaves)
        return data

    def _mark_worker_as_unavailable(self, worker_id: int) -> None:
        try:
            self._index_conns[worker_id].send(None)
        except OSError:
            pass
        self._workers_status[worker_id] = False

    def _shutdown_workers(self) -> None:
        if self._shutdown:
            return
        self._shutdown = True
        for conn in self._index_conns:
            try:
                conn.send(None)
                conn.close()
            except OSError:
                pass
        for conn in self._result_conns:  # unblocks a worker still writing a batch nobody will read
            conn.close()
        self._result_conns = {}
        for w in self._workers:
            w.join(timeout=_worker.MP_STATUS_CHECK_INTERVAL)
            if w.is_alive():
                w.terminate()
                w.join(timeout=_worker.MP_STATUS_CHECK_INTERVAL)

    def __del__(self) -> None:
        try:
            self._shutdown_workers()
        except Exception:  # interpreter shutdown: modules may already be gone
            pass
