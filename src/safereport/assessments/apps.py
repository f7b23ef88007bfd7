from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "safereport.assessments"
    label = "assessments"
    verbose_name = "Risk assessments"

    def ready(self) -> None:
        from safereport.assessments import timeline  # noqa: F401 - registers its timeline events
