"""Grad-mode switches (mirrors torch.autograd.grad_mode)."""

from __future__ import annotations

import functools
import threading


class _State(threading.local):
    enabled = True
    inference = False


_state = _State()


def is_grad_enabled() -> bool:
    """Mirrors torch.is_grad_enabled."""
    return _state.enabled


def is_inference_mode_enabled() -> bool:
    return _state.inference


class _Mode:
    """A context manager that is also a decorator, like torch's grad modes."""

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.clone():
                return fn(*args, **kwargs)

        return wrapper

    def clone(self):
        return type(self)()

    def __enter__(self):
        self._prev = (_state.enabled, _state.inference)
        self._apply()

    def __exit__(self, *exc):
        _state.enabled, _state.inference = self._prev
        return False


class no_grad(_Mode):
    """Mirrors torch.no_grad."""

    def _apply(self):
        _state.enabled = False


class enable_grad(_Mode):
    """Mirrors torch.enable_grad."""

    def _apply(self):
        _state.enabled = True


class set_grad_enabled(_Mode):
    """Mirrors torch.set_grad_enabled: takes effect on construction, as in torch."""

    def __init__(self, mode: bool):
        self._prev = (_state.enabled, _state.inference)
        self.mode = bool(mode)
        _state.enabled = self.mode

    def __call__(self, fn):
        _state.enabled = self._prev[0]  # used as a decorator: undo the constructor's switch
        return super().__call__(fn)

    def clone(self):
        return set_grad_enabled(self.mode)

    def __enter__(self):
        _state.enabled = self.mode

    def _apply(self):
        _state.enabled = self.mode


class inference_mode(_Mode):
    """Mirrors torch.inference_mode (here: no_grad; tensors stay usable later)."""

    def __init__(self, mode: bool = True):
        self.mode = mode

    def __call__(self, fn=None):
        if not callable(fn):
            raise TypeError("inference_mode used as a decorator must wrap a function")
        return super().__call__(fn)

    def clone(self):
        return inference_mode(self.mode)

    def _apply(self):
        if self.mode:
            _state.enabled, _state.inference = False, True
