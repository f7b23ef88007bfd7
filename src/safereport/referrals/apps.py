from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "safereport.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from safereport.referrals import timeline  # noqa: F401 - registers its timeline events
