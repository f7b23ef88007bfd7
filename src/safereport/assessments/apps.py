from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "safereport.assessments"
    label = "assessments"
    verbose_name = "Risk assessments"
