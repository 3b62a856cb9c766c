from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from compliance_site.accounts.permissions import has_capability
from compliance_site.accounts.visibility import can_view, visible_queryset

from .models import Attachment

# Attaching evidence to a record is a change to that program's records.
MANAGE_CAPABILITY = {"clawback": "clawback.manage", "regfd": "regfd.manage", "company": "company.manage"}


def resolve_record(user, *, record_type: str, record_id: str):
    """The record `app_label.model` #id if the user may see it, else 404 (never reveal it exists)."""
    try:
        model = apps.get_model(record_type)
    except (LookupError, ValueError):
        raise Http404("Unknown record type") from None
    is_id = str(record_id).isascii() and str(record_id).isdigit()
    record = visible_queryset(user, model).filter(pk=record_id).first() if is_id else None
    if record is None:
        raise Http404("No such record")
    return record


def may_attach(user, record) -> bool:
    capability = MANAGE_CAPABILITY.get(record._meta.app_label)
    return capability is not None and has_capability(user, capability)


def attachments_for(record):
    content_type = ContentType.objects.get_for_model(type(record))
    return (
        Attachment.objects.filter(content_type=content_type, object_id=str(record.pk))
        .select_related("uploaded_by", "superseded_by")
        .order_by("original_name", "-version")
    )


def attachment_visible_to(user, pk) -> Attachment:
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None or attachment.record is None or not can_view(user, attachment.record):
        raise Http404("No such attachment")
    return attachment
