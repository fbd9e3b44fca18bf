"""Placeholder: save / load are being written."""

from __future__ import annotations


def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True):
    raise NotImplementedError("torchlike.save is being written")


def load(f, map_location=None, pickle_module=None, *, weights_only=True, mmap=None, **pickle_load_args):
    raise NotImplementedError("torchlike.load is being written")
