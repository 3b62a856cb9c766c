from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "compliance_site.attachments"
    label = "attachments"
    verbose_name = "Attachments"
