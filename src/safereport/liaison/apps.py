from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "safereport.liaison"
    label = "liaison"
    verbose_name = "Police liaison"

    def ready(self) -> None:
        from safereport.liaison import timeline  # noqa: F401 - registers its timeline events
