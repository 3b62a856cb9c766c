from django.contrib import admin
from django.utils import timezone

from . import models
from .services.records import cases_affected_by, recheck_approvals

# The admin is the administrators' repair tool. Committee and secretary work goes through the records
# pages and the API, whose services validate awards by the scenario rules; changes here are audited too
# (the audit trail hooks every save), but only model validation applies.


class RechecksApprovals:
    """A repair to a case's input withdraws the approvals resting on it at once, as a service's change does
    (`records.recheck_approvals`). Engine inputs are voided through the records pages with a reason, never
    deleted: the admin lists voided rows too and offers no delete."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        recheck_approvals(cases_affected_by(form.instance), actor=request.user, now=timezone.now())

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        manager = getattr(self.model, "all_objects", self.model._default_manager)
        return manager.get_queryset()


class NoDeleteInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_delete_permission(self, request, obj=None):
        return False


class OfficerPeriodInline(NoDeleteInline):
    model = models.OfficerPeriod


class NamedExecutiveYearInline(admin.TabularInline):
    model = models.NamedExecutiveYear
    extra = 0


@admin.register(models.Executive)
class ExecutiveAdmin(RechecksApprovals, admin.ModelAdmin):
    list_display = ["name", "key", "title", "user", "company"]
    list_select_related = ["user", "company"]
    search_fields = ["name", "key", "title"]
    inlines = [OfficerPeriodInline, NamedExecutiveYearInline]


class MeasureValueInline(NoDeleteInline):
    model = models.MeasureValue


@admin.register(models.Measure)
class MeasureAdmin(RechecksApprovals, admin.ModelAdmin):
    list_display = ["name", "key", "category", "company"]
    list_filter = ["category"]
    search_fields = ["name", "key"]
    inlines = [MeasureValueInline]


class AwardComponentInline(NoDeleteInline):
    model = models.AwardComponent


class AwardCreditInline(NoDeleteInline):
    model = models.AwardCredit


@admin.register(models.Award)
class AwardAdmin(RechecksApprovals, admin.ModelAdmin):
    list_display = ["key", "executive", "award_type", "basis", "performance_end", "unit", "received"]
    list_select_related = ["executive"]
    list_filter = ["award_type", "basis", "unit", "requires_estimate"]
    search_fields = ["key", "executive__name"]
    autocomplete_fields = ["executive", "measure"]
    inlines = [AwardComponentInline, AwardCreditInline]


class EventInline(NoDeleteInline):
    model = models.RestatementEvent


class RestatedValueInline(NoDeleteInline):
    model = models.RestatedValue


@admin.register(models.Restatement)
class RestatementAdmin(RechecksApprovals, admin.ModelAdmin):
    list_display = ["title", "kind", "status", "policy_version", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    inlines = [EventInline, RestatedValueInline]
    filter_horizontal = ["covered_executives"]
    readonly_fields = ["no_indemnification_confirmed_at", "no_indemnification_confirmed_by", "created_at"]


admin.site.register(models.Recusal)
