"""One generic register for records that are listed, filtered, shown, created, changed and voided.

A register is declared once (`Register`: the selector deciding who sees which rows, its search and its
order) and served twice, from the same declaration: over the API by a `RegisterViewSet` and on the pages by
`RecordList`, `RecordDetail` and `RecordForm`. Each state change is one `Write` (API) or `Action`/
`RecordForm` (pages) calling one service, so a register is a few lines of configuration and a register that
needs more overrides one method. See docs/architecture.md ("Registers").

    compliance_site.registers.register   Register, ServiceCall: shared by both sides
    compliance_site.registers.api        RegisterViewSet, Write, Void, HasAnyCapability, reads
    compliance_site.registers.views      RecordList, RecordDetail, RecordForm, Action, Filter
    templates/registers/                 list.html, detail.html, form.html, action.html
"""

from .register import Register, ServiceCall

__all__ = ["Register", "ServiceCall"]
