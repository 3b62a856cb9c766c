from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "compliance_site.accounts"
    label = "accounts"
    verbose_name = "Users and roles"

    def ready(self):
        from . import tokens  # noqa: F401  (every API token of a user is revoked when their password changes)
