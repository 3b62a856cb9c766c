from django.contrib import admin

from .models import Company, FiscalPeriod, PolicyVersion


class FiscalPeriodInline(admin.TabularInline):
    model = FiscalPeriod
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    inlines = [FiscalPeriodInline]
    list_display = ["name", "ticker", "exchange"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["kind", "version", "effective_date", "approved_on", "approved_by"]
    list_filter = ["kind"]

    def has_delete_permission(self, request, obj=None):
        return False
