from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "safereport.disclosures"
    label = "disclosures"
    verbose_name = "Disclosures"
