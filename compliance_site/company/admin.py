from django.contrib import admin

from compliance_site.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import BodyMembership, Company, FiscalPeriod, PolicyDistribution, PolicyVersion

# Regulated records, read-only here: the company profile (the exchange decides the listing rules), the fiscal
# calendar (the clawback look-back counts its completed fiscal years: docs/clawback-rules §1.5), the seats on
# the Board and its Compensation Committee (a decision's quorum and votes are read from them) and the
# policies the Board adopted with their distribution. They change on the company pages, through the
# services, each change audited with its actor.


class FiscalPeriodInline(ReadOnlyInline):
    model = FiscalPeriod


@admin.register(Company)
class CompanyAdmin(ReadOnlyAdmin):
    inlines = [FiscalPeriodInline]
    list_display = ["name", "ticker", "exchange"]


class PolicyDistributionInline(ReadOnlyInline):
    model = PolicyDistribution


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["kind", "version", "effective_date", "approved_on", "approved_by"]
    list_filter = ["kind"]
    inlines = [PolicyDistributionInline]


@admin.register(BodyMembership)
class BodyMembershipAdmin(ReadOnlyAdmin):
    list_display = ["member", "body", "chair", "independent", "starts_on", "ends_on"]
    list_filter = ["body", "chair", "independent"]
    list_select_related = ["member"]
