from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .forms import AttachmentForm
from .selectors import attachment_visible_to, attachments_for, may_attach, resolve_record
from .services import add_attachment


@login_required
def download(request, pk):
    attachment = attachment_visible_to(request.user, pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.media_type,
    )


@login_required
def record_attachments(request, record_type, record_id):
    record = resolve_record(request.user, record_type=record_type, record_id=record_id)
    return render(
        request,
        "attachments/attachment_list.html",
        {
            "record": record,
            "attachments": attachments_for(record),
            "can_attach": may_attach(request.user, record),
            "form": AttachmentForm(),
            "record_type": record_type,
        },
    )


@login_required
@require_POST
def upload(request, record_type, record_id):
    record = resolve_record(request.user, record_type=record_type, record_id=record_id)
    if not may_attach(request.user, record):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        supersedes = None
        if form.cleaned_data.get("supersedes"):
            supersedes = attachments_for(record).filter(pk=form.cleaned_data["supersedes"]).first()
            if supersedes is None:
                messages.error(request, "No such attachment on this record to replace.")
                return redirect("attachments:record", record_type=record_type, record_id=record_id)
        try:
            attachment = add_attachment(
                actor=request.user,
                record=record,
                uploaded=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                supersedes=supersedes,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, f"{attachment.original_name} attached (SHA-256 {attachment.sha256[:12]}…)."
            )
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{field}: {error}")
    return redirect("attachments:record", record_type=record_type, record_id=record_id)
