"""The job queue's tests run a real worker: see sr_testing/worker.py."""

from sr_testing.worker import start_worker  # noqa: F401
