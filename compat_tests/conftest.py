"""pytest wiring for the compat harness: the ``compat`` fixture and ``--record-references``."""

from __future__ import annotations

import os

import jax
import pytest

from compat_tests import harness

# XLA compiles dominate this suite's time (every op, shape and static argument is a program), and
# values are compared with tolerances: compiling without XLA's optimization passes makes the suite
# about a quarter faster. TORCHLIKE_TEST_XLA_OPT=1 runs it with the optimizations users get.
if os.environ.get("TORCHLIKE_TEST_XLA_OPT") != "1":
    jax.config.update("jax_disable_most_optimizations", True)

_refs = harness.References()


def pytest_addoption(parser):
    parser.addoption(
        "--record-references",
        action="store_true",
        help="store torch's results in compat_tests/references/ (needs torch)",
    )


def pytest_configure(config):
    # nn_harness.check_layer(case) has no fixture to ask, so the flag is also kept here (xdist workers too)
    harness.RECORD = config.getoption("--record-references")


@pytest.fixture
def compat(request):
    """``compat(case)`` checks one Case against torch (or its recording)."""
    record = request.config.getoption("--record-references")
    module = request.module.__name__.rsplit(".", 1)[-1]

    def run(case):
        harness.check(case, module, _refs, record)

    return run


def pytest_sessionfinish(session, exitstatus):
    if session.config.getoption("--record-references"):
        _refs.save()


requires_torch = pytest.mark.skipif(not harness.HAVE_TORCH, reason="compares against live torch")
