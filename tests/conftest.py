"""Fixtures for the whole suite. Core tests need none of the Django ones."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

sys.path.insert(0, str(Path(__file__).parent))

# CI is a gate: the same examples every run, so a red run can be reproduced.
# Locally Hypothesis keeps exploring new examples.
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    # A shared 2-core CI machine can make generation slow; that is not a defect.
    suppress_health_check=[HealthCheck.too_slow],
)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def _let_the_suite_empty_the_log(sender, connection, **kwargs):  # type: ignore[no-untyped-def]
    """Django empties the database with TRUNCATE between transactional tests; the
    log's trigger refuses it unless a superuser session says so (migration 0003)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET safereport.ledger_truncate = 'allowed'")


if os.environ.get("DJANGO_SETTINGS_MODULE"):
    from django.db.backends.signals import connection_created

    connection_created.connect(_let_the_suite_empty_the_log)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(request: pytest.FixtureRequest) -> None:
    """Lower the staff password KDF cost in tests only (never in settings)."""
    if request.config.pluginmanager.hasplugin("django") and os.environ.get(
        "DJANGO_SETTINGS_MODULE"
    ):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["sr_testing.hashers.FastArgon2PasswordHasher"]


@pytest.fixture
def personas(db):  # type: ignore[no-untyped-def]
    from sr_testing.personas import make_personas

    return make_personas()


@pytest.fixture(autouse=True)
def _cheap_key_derivation(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Lower the Argon2id cost of staff keys and receipts in tests only: the
    Django side's vault is swapped for one built with weak_kdf_for_tests."""
    if not (
        request.config.pluginmanager.hasplugin("django")
        and os.environ.get("DJANGO_SETTINGS_MODULE")
    ):
        yield
        return
    from safereport.accounts import keys
    from sr_testing.vaults import cheap_vault

    keys.use_vault(cheap_vault())
    yield
    keys.use_vault(None)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """On SQLite the test database is a file, not memory, so that a real job worker
    (tests/jobs, another process) can open it too."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


def _queue_without_worker() -> None:
    """Tasks go to a queue in memory that nothing runs (the moment before a
    worker picks them up)."""
    from huey.storage import MemoryStorage

    from safereport.jobs.queue import QUEUE_NAME, huey

    huey.immediate = False
    huey.storage = MemoryStorage(QUEUE_NAME)


def _django_configured(config: pytest.Config) -> bool:
    return config.pluginmanager.hasplugin("django") and bool(
        os.environ.get("DJANGO_SETTINGS_MODULE")
    )


@pytest.fixture(autouse=True, scope="session")
def _no_jobs_while_the_test_database_is_made(request: pytest.FixtureRequest) -> None:
    """Making the test database queues work (the migration's log entry asks for
    a tree head): it goes nowhere, as on a fresh install before its worker runs,
    and nothing is written to a queue file on disk."""
    if _django_configured(request.config):
        _queue_without_worker()


@pytest.fixture(autouse=True)
def _jobs_run_at_once(request: pytest.FixtureRequest) -> None:
    """In each test, queued tasks run at once, in the test's own process (Huey's
    immediate mode). Tests that run a real worker process
    (``sr_testing.worker.start_worker``) or none (``no_worker_yet``) switch it off."""
    if _django_configured(request.config):
        from safereport.jobs.queue import huey

        huey.immediate = True


@pytest.fixture
def no_worker_yet() -> Iterator[None]:
    """Tasks are queued (in memory) and nothing runs them: the moment before a
    worker picks them up. The transparency tests use it so the log is signed
    only when a test says so (``do_sign_tree_head``), as a worker would later."""
    _queue_without_worker()
    # Left so through the test's teardown (a transactional test's flush runs the
    # post-migrate log entry, which must not sign a head either); the next test
    # starts in immediate mode again (_jobs_run_at_once).
    yield


@pytest.fixture(autouse=True, scope="session")
def _static_files_collected(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """``collectstatic`` once per session into a folder of its own, as every
    install does: pages link the hashed names, WhiteNoise serves the
    compressed copies (never a stale manifest from someone's demo data)."""
    if not _django_configured(request.config):
        yield
        return
    from django.core.management import call_command
    from django.test.utils import override_settings

    collected = override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static"))
    collected.enable()
    call_command("collectstatic", "--noinput", verbosity=0)
    yield
    collected.disable()


# A real SMTP server on localhost for mail tests (aiosmtpd).
from sr_testing.mail import smtp_server  # noqa: E402, F401


@pytest.fixture(autouse=True)
def _cheap_proof_of_work(request: pytest.FixtureRequest) -> None:
    """Proofs of work in tests only (never in settings): 8 bits (256 hashes on
    average) instead of 16, a 1-second wait without JavaScript, and a load
    threshold no ordinary test reaches. Issuing, solving, checking and spending
    are the real code; tests/intake/test_proof_of_work.py sets its own load."""
    if _django_configured(request.config):
        settings = request.getfixturevalue("settings")
        settings.POW_BASE_BITS = 8
        settings.POW_BASE_WAIT_SECONDS = 1
        settings.POW_LOAD_THRESHOLD = 100_000
