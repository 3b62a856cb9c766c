"""The recovery engine's words on the pages and in the documents, as people read them (clawback.wording)."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from compliance_site.lib import numbers

from .. import wording
from ..models import Measure

register = template.Library()


@register.filter
def explain(text, measure_names=None):
    """`{{ step|explain:names }}`: an explanation step or warning of the engine in plain words."""
    return wording.plain_explanation(text, measure_names)


@register.filter
def measure_names(record) -> dict[str, str]:
    """`{% with names=case|measure_names %}`: the company's measures, key -> name, for `explain`."""
    company = getattr(record, "company", record)
    return dict(Measure.objects.filter(company=company).values_list("key", "name"))


@register.filter
def status_label(code) -> str:
    """An award's outcome by its label: "reasonable_estimate_required" -> "Estimate required"."""
    return wording.STATUS_LABELS.get(str(code), str(code))


@register.filter
def award_figure(value, unit) -> str:
    """An award's figure in its unit: "$1,200,000.00" in US dollars, "6,000 units" in shares or units."""
    if numbers.to_decimal(value) is None:
        return numbers.MISSING
    return numbers.usd(value) if unit == "USD" else f"{numbers.num(value)} units"


@register.filter
def worksheet_rows(determination) -> list[dict]:
    """A determination's awards, its frozen inputs beside its result, as the Board's document shows them
    (clawback.documents.snapshots.worksheet): the executive by name, type, basis and outcome by label, the
    measure by name, the formula and the engine's explanation in words."""
    from ..documents.snapshots import measure_names, worksheet

    names = measure_names(determination.restatement)
    rows, _ = worksheet(determination.inputs or {}, determination.result or {}, names)
    return rows


register.filter("number", numbers.num)
register.filter("dollars", numbers.usd)


@register.filter
def code_marks(text) -> str:
    """`{{ column.help|code_marks }}`: a help text, escaped, its `backticked` words (a column, a value to
    type) set as code."""
    return mark_safe(_BACKTICKED.sub(r"<code>\1</code>", escape(str(text or ""))))  # noqa: S308


_BACKTICKED = re.compile(r"`([^`]+)`")
