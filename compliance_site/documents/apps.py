from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "compliance_site.documents"
    label = "documents"
    verbose_name = "Generated documents"
