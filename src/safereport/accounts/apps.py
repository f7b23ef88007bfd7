from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safereport.accounts"
    label = "accounts"
    verbose_name = "Organisations and staff"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from safereport.accounts.keys import forget_on_logout

        user_logged_out.connect(forget_on_logout, dispatch_uid="safereport-forget-staff-key")
