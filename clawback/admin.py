from django.contrib import admin

from .models import (
    Award,
    Executive,
    Measure,
    MeasureValue,
    OfficerPeriod,
    Recusal,
    Restatement,
    RestatementEvent,
)


class OfficerPeriodInline(admin.TabularInline):
    model = OfficerPeriod
    extra = 0


@admin.register(Executive)
class ExecutiveAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "title", "user"]
    search_fields = ["name", "key"]
    inlines = [OfficerPeriodInline]


class MeasureValueInline(admin.TabularInline):
    model = MeasureValue
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "category"]
    inlines = [MeasureValueInline]


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["key", "executive", "award_type", "basis", "performance_end", "unit", "received"]
    list_select_related = ["executive"]
    list_filter = ["award_type", "basis"]
    search_fields = ["key", "executive__name"]


class EventInline(admin.TabularInline):
    model = RestatementEvent
    extra = 0


@admin.register(Restatement)
class RestatementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "created_at"]
    inlines = [EventInline]
    filter_horizontal = ["covered_executives"]


admin.site.register(Recusal)
