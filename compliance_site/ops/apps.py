from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "compliance_site.ops"
    label = "ops"
    verbose_name = "Operations"
