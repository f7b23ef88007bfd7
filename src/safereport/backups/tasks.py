"""The backups app's work for the job queue (``safereport worker``).

* ``prune_backups``: every day (and whenever called), deletes the backup
  files in ``SAFEREPORT_BACKUP_DIR`` older than the retention window (the
  longest retention period any organisation has now), so that no backup
  outlives the promise the deletion page makes.
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab

from safereport.backups import archive
from safereport.jobs.queue import periodic_job


@periodic_job(crontab(hour="4", minute="17"), retries=3, retry_delay=600)
def prune_backups() -> None:
    archive.prune(timezone.now())
