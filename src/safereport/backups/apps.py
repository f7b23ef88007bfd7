from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "safereport.backups"
    label = "backups"
    verbose_name = "Encrypted backups and restore"
