from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "safereport.liaison"
    label = "liaison"
    verbose_name = "Police liaison"
