"""The real Redis the multi-process and stolen-store tests use.

``SAFEREPORT_TEST_REDIS_URL`` names a Redis database these tests may empty
(default: database 7 on the local Redis). Without a reachable Redis they are
skipped and say why; ``SAFEREPORT_REQUIRE_REDIS=1`` turns the skip into a failure.
"""

from __future__ import annotations

import os

import pytest
import redis

REDIS_URL = os.environ.get("SAFEREPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("SAFEREPORT_REQUIRE_REDIS") == "1":
            raise
        pytest.skip(f"no Redis at {REDIS_URL} ({error}); set SAFEREPORT_TEST_REDIS_URL")
    return client
