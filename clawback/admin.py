from django.contrib import admin

from compliance_site.admin import ReadOnlyAdmin, ReadOnlyInline

from . import models

# Every clawback model is a regulated record: the case, its inputs (the engine reads them, an approval rests
# on them: docs/clawback-rules §1.12), the committee's decisions and votes, recusals (a recused member cannot
# vote) and recoveries. The admin shows them, voided rows included, and changes none: changes go through the
# records pages and the API, whose services validate, withdraw approvals and ask for the reason.


class OfficerPeriodInline(ReadOnlyInline):
    model = models.OfficerPeriod


class NamedExecutiveYearInline(ReadOnlyInline):
    model = models.NamedExecutiveYear


@admin.register(models.Executive)
class ExecutiveAdmin(ReadOnlyAdmin):
    list_display = ["name", "key", "title", "user", "company", "voided_at"]
    list_select_related = ["user", "company"]
    search_fields = ["name", "key", "title"]
    inlines = [OfficerPeriodInline, NamedExecutiveYearInline]


class MeasureValueInline(ReadOnlyInline):
    model = models.MeasureValue


@admin.register(models.Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["name", "key", "category", "company", "voided_at"]
    list_filter = ["category"]
    search_fields = ["name", "key"]
    inlines = [MeasureValueInline]


class AwardComponentInline(ReadOnlyInline):
    model = models.AwardComponent


class AwardCreditInline(ReadOnlyInline):
    model = models.AwardCredit


@admin.register(models.Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["key", "executive", "award_type", "basis", "performance_end", "unit", "received"]
    list_select_related = ["executive"]
    list_filter = ["award_type", "basis", "unit", "requires_estimate"]
    search_fields = ["key", "executive__name"]
    inlines = [AwardComponentInline, AwardCreditInline]


class EventInline(ReadOnlyInline):
    model = models.RestatementEvent


class RestatedValueInline(ReadOnlyInline):
    model = models.RestatedValue


class RecusalInline(ReadOnlyInline):
    model = models.Recusal


@admin.register(models.Restatement)
class RestatementAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "policy_version", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    inlines = [EventInline, RestatedValueInline, RecusalInline]


@admin.register(models.Recusal)
class RecusalAdmin(ReadOnlyAdmin):
    list_display = ["restatement", "user", "recorded_at"]
    list_select_related = ["restatement", "user"]
