from django.apps import AppConfig


class CompanyConfig(AppConfig):
    name = "compliance_site.company"
    label = "company"
    verbose_name = "Company profile"
