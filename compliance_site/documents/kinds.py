"""What each kind of document is about, who may have it, what it is rendered from and when it may be FINAL.

The table itself is `registry.SPECS`, filled by the programs at start-up (docs/architecture.md): adding a
document is one `register_kind` in the program, one snapshot builder there and one template. This module is
what the services, the rendering, the pages and the API read (and the name settings.SPECTACULAR_SETTINGS
gives for the record types' enum).
"""

from .periods import fiscal_year, parse_quarter
from .registry import RECORD_MODELS, SPECS, KindSpec, get_spec

__all__ = ["RECORD_MODELS", "SPECS", "KindSpec", "clean_period", "get_spec"]


def clean_period(spec: KindSpec, record, period: str) -> str:
    """The period normalized, or ValueError with a message a person can act on."""
    period = (period or "").strip()
    if spec.period == "":
        return ""
    if spec.period == "quarter":
        parse_quarter(period.upper())
        return period.upper()
    fiscal_year(record, period)
    return period
