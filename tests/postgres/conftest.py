"""Fixtures the PostgreSQL fault and guarantee tests share."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from partnership_hub.extensions import limiter
from tests.conftest import REQUIRE_SERVICES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from faults import RedisServer  # noqa: E402 - one Redis of its own, shared with bench/faults.py


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of the test's own (the fault script's: its own port), to stop and start again."""
    if shutil.which("redis-server") is None:
        if REQUIRE_SERVICES:  # CI: a missing service fails the run, it is never skipped
            pytest.fail("redis-server is not installed (REQUIRE_SERVICES=1)")
        pytest.skip("redis-server is not installed")
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        limiter._storage_dead = False  # one limiter object serves every app of the test session
