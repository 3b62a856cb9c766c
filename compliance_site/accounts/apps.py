from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "compliance_site.accounts"
    label = "accounts"
    verbose_name = "Users and roles"
