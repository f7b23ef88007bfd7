from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "safereport.survey"
    label = "survey"
    verbose_name = "Barriers-to-reporting survey and analysis"
