from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "safereport.disclosures"
    label = "disclosures"
    verbose_name = "Disclosures"

    def ready(self) -> None:
        from safereport.disclosures import timeline  # noqa: F401 - registers its timeline events
