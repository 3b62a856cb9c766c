from django.contrib import admin

from compliance_site.admin import ReadOnlyAdmin, ReadOnlyInline

from . import selectors_records  # noqa: F401  (registers the records' visibility rules at startup)
from .models import (
    Communication,
    DeadlineComputation,
    EarningsEvent,
    Exclusion,
    Incident,
    InformationRequest,
    KeepingCurrentConfirmation,
    MarketClosure,
    NonGaapDelegation,
    NonGaapReview,
    PolicyRecord,
    PublicStatement,
    SpokespersonAuthorization,
    StatementEvidence,
)

# Every Reg FD model is a regulated record, the trading calendar included: a closure moves the deadlines
# of open incidents, which only the calendar service recomputes (docs/regfd-rules §2.7). The admin shows
# them and changes none; closing an incident (disclosed, or not required on counsel's conclusion),
# correcting T0 and claiming an exclusion are the incident page's steps, each with its reason.


class ExclusionInline(ReadOnlyInline):
    model = Exclusion


class DeadlineComputationInline(ReadOnlyInline):
    model = DeadlineComputation


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "status", "due_at", "outcome"]
    list_filter = ["status", "outcome"]
    search_fields = ["reference", "title", "recipient_name"]
    inlines = [ExclusionInline, DeadlineComputationInline]


@admin.register(MarketClosure)
class MarketClosureAdmin(ReadOnlyAdmin):
    pass


# ---- Policy records: every change goes through regfd.services, which enforce the policy's rules (authorized
# officers only, sign-off before release...) that a raw admin form would skip.


@admin.register(SpokespersonAuthorization)
class SpokespersonAuthorizationAdmin(ReadOnlyAdmin):
    list_display = ["person", "authorized_by", "valid_from", "valid_until", "revoked_at"]
    list_select_related = ["person", "authorized_by"]
    search_fields = ["person__username", "person__last_name", "scope"]


@admin.register(KeepingCurrentConfirmation)
class KeepingCurrentConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["person", "period_label", "confirmed_at"]
    list_select_related = ["person"]
    list_filter = ["period_label"]


@admin.register(InformationRequest)
class InformationRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "requester_name",
        "requester_firm",
        "received_at",
        "received_by",
        "routed_to",
        "responded_at",
    ]
    list_select_related = ["received_by", "routed_to"]
    search_fields = ["requester_name", "requester_firm", "request"]


@admin.register(Communication)
class CommunicationAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "scheduled_at", "spokesperson", "spokesperson_authorized", "status"]
    list_select_related = ["spokesperson"]
    list_filter = ["kind", "status", "spokesperson_authorized"]
    search_fields = ["title", "participants"]


@admin.register(EarningsEvent)
class EarningsEventAdmin(ReadOnlyAdmin):
    list_display = ["period_label", "release_at", "release_timing", "nyse_notice_required", "nyse_notice_at"]
    search_fields = ["period_label"]


@admin.register(NonGaapReview)
class NonGaapReviewAdmin(ReadOnlyAdmin):
    list_display = [
        "measure",
        "document",
        "release_at",
        "equal_prominence",
        "signed_off_by",
        "signed_off_as",
        "signed_off_at",
    ]
    list_select_related = ["signed_off_by"]
    search_fields = ["measure", "document"]


@admin.register(NonGaapDelegation)
class NonGaapDelegationAdmin(ReadOnlyAdmin):
    list_display = ["id", "delegate", "delegator", "valid_from", "valid_until", "revoked_at"]
    list_select_related = ["delegate", "delegator"]
    search_fields = ["delegate__username", "delegate__last_name", "reason"]


@admin.register(PolicyRecord)
class PolicyRecordAdmin(ReadOnlyAdmin):
    list_display = ["kind", "summary", "occurred_at", "recorded_by"]
    list_select_related = ["recorded_by"]
    list_filter = ["kind"]
    search_fields = ["summary", "details"]


# ---- The library of public statements (docs/regfd-rules §2.9): added, attached and voided by its services.


@admin.register(PublicStatement)
class PublicStatementAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "published_at", "added_by", "voided_at"]
    list_select_related = ["added_by"]
    list_filter = ["kind"]
    search_fields = ["title", "where_published"]

    def get_queryset(self, request):
        # The list leaves out each statement's text (up to a million characters); its page reads it.
        return super().get_queryset(request).defer("text")


@admin.register(StatementEvidence)
class StatementEvidenceAdmin(ReadOnlyAdmin):
    list_display = ["incident", "statement", "attached_by", "attached_at", "voided_at"]
    list_select_related = ["incident", "statement", "attached_by"]
