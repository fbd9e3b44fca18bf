"""Regenerate compat_tests/references/ from real torch: ``python -m compat_tests.record``."""

from __future__ import annotations

import os
import sys

import pytest


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    return pytest.main([here, "-q", "--record-references", *(sys.argv[1:] or ["-n", "2"])])


if __name__ == "__main__":
    sys.exit(main())
