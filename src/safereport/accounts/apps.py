from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safereport.accounts"
    label = "accounts"
    verbose_name = "Organisations and staff"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out
        from huey import signals

        from safereport.accounts.keys import forget_on_logout
        from safereport.accounts.tasks import record_failure
        from safereport.jobs.queue import huey

        user_logged_out.connect(forget_on_logout, dispatch_uid="safereport-forget-staff-key")
        huey.signal(signals.SIGNAL_ERROR)(record_failure)
