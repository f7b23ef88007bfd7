from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "safereport.jobs"
    label = "jobs"
    verbose_name = "Job queue"
