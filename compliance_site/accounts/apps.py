from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "compliance_site.accounts"
    label = "accounts"
    verbose_name = "Users and roles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import tokens  # noqa: F401  (every API token of a user is revoked when their password changes)
        from .middleware import stamp_session_at_sign_in

        user_logged_in.connect(stamp_session_at_sign_in, dispatch_uid="stamp_session_at_sign_in")
