from django.apps import AppConfig


class StaffHomeConfig(AppConfig):
    """The staff home: what is waiting for the person signed in, gathered from
    every app (cases, disclosures, referrals, matching), and her alert settings.
    It stands above the apps it reads, so none of them imports it."""

    name = "safereport.staffhome"
    label = "staffhome"
    verbose_name = "Staff home"
