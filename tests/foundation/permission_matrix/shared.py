"""Rows for the shared parts: the site, accounts, audit, company, attachments, operations, notifications,
generated documents, the API root and schema, and the admin site."""

from django.urls import reverse
from django.utils import timezone

from compliance_site.accounts.roles import Role, roles_with
from compliance_site.notifications.models import WebhookEndpoint

from .table import (
    ADMIN_LOGIN_PREFIX,
    ATTACHMENT,
    INCIDENT,
    POLICY,
    ROLES,
    among,
    api,
    by_capability,
    everyone,
    post_only,
    table,
    visible_incident,
    web,
)
from .world_records import record_query, seat, world_document


def chat_channel(w):
    """A chat channel of the world's company (compliance_site/notifications/webhooks/)."""
    return WebhookEndpoint.objects.get_or_create(
        company=w.company,
        name="Disclosure committee channel",
        defaults={
            "kind": "slack",
            "url": "https://hooks.slack.com/services/T0/B0/matrix",
            "url_hint": "https://hooks.slack.com/…trix",
            "url_set_at": timezone.now(),
            "created_at": timezone.now(),
            "updated_at": timezone.now(),
        },
    )[0]


def _audit_history_url(w):
    return reverse("audit:record-history", args=[w.event.object_type, w.event.object_id])


# Generated documents over the API (compliance_site/documents/api/): roles holding the capabilities of some
# kind of document reach the endpoints (403 for the others); the world's document is a Reg FD incident
# record, which the roles with only clawback documents cannot see (404).
DOCUMENT_ROLES = roles_with("clawback.export") | roles_with("regfd.export")
WORLD_DOCUMENT = {
    role: 200 if Role(role) in roles_with("regfd.export") else 404 if Role(role) in DOCUMENT_ROLES else 403
    for role in ROLES
}
REGFD_EXPORTERS_SEE_THE_DOCUMENT = among(roles_with("regfd.export"), no=404)

ROWS = table(
    # ---- site ----
    web("dashboard", everyone(200)),
    web("healthz", everyone(200), anon=200),
    web("glossary", everyone(200)),
    # ---- accounts ----
    web("accounts:login", everyone((302, "/")), anon=200, note="redirect_authenticated_user"),
    web("accounts:logout", everyone(405), anon=405, note="POST only"),
    web("accounts:password-change", everyone(200)),
    web("accounts:preferences", everyone(200)),
    api("api-token", everyone(405), anon=405, note="POST only, open to all"),
    api("accounts-api:me", everyone(200)),
    api("accounts-api:token-list", everyone(200)),
    api("accounts-api:token-detail", everyone(405), "0123456789abcdef", note="DELETE only"),
    api("accounts-api:logout", everyone(405), note="POST only"),
    api("accounts-api:logout-all", everyone(405), note="POST only"),
    # ---- audit ----
    web("audit:event-list", by_capability("audit.view")),
    web("audit:event-export", by_capability("audit.export"), "csv"),
    web("audit:record-history", by_capability("audit.view"), make_url=_audit_history_url),
    api("audit-api:event-list", by_capability("audit.view")),
    api("audit-api:event-detail", by_capability("audit.view"), lambda w: w.event),
    # ---- company ----
    web("company:profile", by_capability("company.view")),
    web("company:edit", by_capability("company.manage")),
    web("company:period-add", by_capability("company.manage")),
    web("company:policy-add", by_capability("company.manage")),
    web("company:policy-detail", by_capability("company.view"), POLICY),
    api("company-api:company", by_capability("company.view")),
    api("company-api:fiscal-period-list", by_capability("company.view")),
    api("company-api:policy-list", by_capability("company.view")),
    api("company-api:policy-detail", by_capability("company.view"), POLICY),
    # seats on the Board and its Compensation Committee: everyone reads, company.manage adds and ends
    web("company:seat-list", by_capability("company.view")),
    web("company:seat-add", by_capability("company.manage")),
    web("company:seat-end", by_capability("company.manage"), seat),
    api("company-api:seat-list", by_capability("company.view"), query="?body=board&on=2026-01-01"),
    api("company-api:seat-detail", by_capability("company.view"), seat),
    post_only(api, everyone(405), {"company-api:seat-end": (seat,)}),
    # ---- attachments (who may see the record may see its files) ----
    web("attachments:download", visible_incident(), ATTACHMENT),
    web("attachments:record", visible_incident(), "regfd.incident", INCIDENT),
    post_only(web, everyone(405), {"attachments:upload": ("regfd.incident", INCIDENT)}),
    api("attachments-api:attachment-list", visible_incident(), query=record_query),
    api("attachments-api:attachment-detail", visible_incident(), ATTACHMENT),
    api("attachments-api:attachment-download", visible_incident(), ATTACHMENT),
    # ---- operations and notifications ----
    web("ops:status", by_capability("ops.view")),
    post_only(
        web, by_capability("ops.view", yes=405), {"ops:reminder-retry": (1,), "ops:webhook-retry": (1,)}
    ),
    web("notifications:list", by_capability("notifications.view")),
    post_only(
        web,
        by_capability("notifications.view", yes=405),
        {"notifications:read": (1,), "notifications:read-all": ()},
    ),
    # the company's chat channels (Slack, Teams): those who manage the company
    web("notifications:webhook-list", by_capability("company.manage")),
    web("notifications:webhook-add", by_capability("company.manage")),
    web("notifications:webhook-edit", by_capability("company.manage"), chat_channel),
    api("notifications-api:webhook-endpoint-list", by_capability("company.manage")),
    api("notifications-api:webhook-endpoint-detail", by_capability("company.manage"), chat_channel),
    api("notifications-api:notification-list", by_capability("notifications.view")),
    post_only(
        api,
        everyone(405),
        {
            "notifications-api:notification-mark-read": (1,),
            "notifications-api:notification-mark-all-read": (),
        },
    ),
    # ---- calendar feeds: a feed opens by its link's secret alone; a link is made and turned off by POST ----
    web("calendar_feed:feed", everyone(404), "not-a-calendar-link", anon=404, note="the link is the key"),
    post_only(web, everyone(405), {"calendar_feed:link-create": (), "calendar_feed:link-revoke": ()}),
    # ---- generated documents and dashboards ----
    web("documents:document-list", by_capability("clawback.export")),
    web("documents:document-detail", REGFD_EXPORTERS_SEE_THE_DOCUMENT, world_document),
    web("documents:document-status", REGFD_EXPORTERS_SEE_THE_DOCUMENT, world_document),
    web("documents:document-download", REGFD_EXPORTERS_SEE_THE_DOCUMENT, world_document),
    post_only(
        web,
        everyone(405),
        {"documents:document-request": (), "documents:document-regenerate": (world_document,)},
    ),
    web("documents:branding", by_capability("accounts.manage")),
    web("documents:dashboards", among(roles_with("clawback.view") | roles_with("regfd.view"))),
    api("documents-api:document-list", among(DOCUMENT_ROLES)),
    api("documents-api:document-kinds", among(DOCUMENT_ROLES)),
    api("documents-api:document-detail", WORLD_DOCUMENT, world_document),
    api("documents-api:document-status", WORLD_DOCUMENT, world_document),
    api("documents-api:document-download", WORLD_DOCUMENT, world_document),
    post_only(api, everyone(405), {"documents-api:document-regenerate": (world_document,)}),
    # ---- the API's own pages ----
    api("api-schema", everyone(200)),
    api("api-docs", everyone(200)),
    # ---- the admin site: Administrators only ----
    web(
        "admin:index",
        by_capability("accounts.manage", no=(302, ADMIN_LOGIN_PREFIX)),
        anon=(302, ADMIN_LOGIN_PREFIX),
    ),
)
