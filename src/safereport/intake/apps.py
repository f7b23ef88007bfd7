from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "safereport.intake"
    label = "intake"
    verbose_name = "Public reporting"
