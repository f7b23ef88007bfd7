from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safereport.accounts"
    label = "accounts"
    verbose_name = "Organisations and staff"
