"""Mirrors torch.return_types: the named tuples returned by ops such as ``max(dim)`` and ``aminmax``."""

from __future__ import annotations

import collections


def _structseq_repr(self) -> str:
    fields = ",\n".join(f"{k}={v!r}" for k, v in zip(self._fields, self))
    return f"{type(self).__module__}.{type(self).__name__}(\n{fields})"


def _return_type(name: str, fields=("values", "indices")) -> type:
    cls = collections.namedtuple(name, fields, module=__name__)
    cls.__repr__ = _structseq_repr
    return cls


max = _return_type("max")  # noqa: A001 - torch's name
min = _return_type("min")  # noqa: A001 - torch's name
median = _return_type("median")
nanmedian = _return_type("nanmedian")
mode = _return_type("mode")
kthvalue = _return_type("kthvalue")
topk = _return_type("topk")
sort = _return_type("sort")
cummax = _return_type("cummax")
cummin = _return_type("cummin")
aminmax = _return_type("aminmax", ("min", "max"))

__all__ = ["max", "min", "median", "nanmedian", "mode", "kthvalue", "topk", "sort", "cummax", "cummin", "aminmax"]
