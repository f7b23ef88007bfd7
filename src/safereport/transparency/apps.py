from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "safereport.transparency"
    label = "transparency"
    verbose_name = "Transparency log and public statistics"
