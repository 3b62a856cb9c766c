"""The documents registry: what each program plugs into the shared documents app (docs/architecture.md).

The documents app renders, stores, versions and audits documents; it never imports a program. Each program
registers, from its own modules (imported by its AppConfig.ready(), as the admin's autodiscovery imports
each app's admin module):

- the record types a document can be about: `register_record("restatement", Restatement)`;
- its kinds of document: `register_kind(KindSpec(...))`: who may have one, what its snapshot is built from,
  how it is rendered (a PDF template; `tables` for XLSX, `docx` for Word, `bundle` for an export ZIP) and
  when it may be FINAL;
- how an export bundle's files are re-performed offline: `register_bundle_check(BundleCheck(...))`.

Plain dicts, filled in INSTALLED_APPS order (SPECS kept in the order of GeneratedDocument.Kind), so the
same on every start. Registering a key again replaces its entry, so a module imported twice (autoreload,
tests) changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from compliance_site.company.models import Company

from .models import GeneratedDocument

# What a document can be about: a key (the API's record_type) -> its model. The company is the shared one.
RECORD_MODELS: dict[str, type[models.Model]] = {"company": Company}

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}


@dataclass(frozen=True)
class KindSpec:
    """One kind of document: what it is about, who may have it, how its snapshot is built (the snapshot
    `build` returns is all the renderer reads), how it is rendered and when it may be FINAL."""

    kind: str  # a GeneratedDocument.Kind value
    label: str
    record: str  # a key of RECORD_MODELS
    output: str  # pdf, xlsx, docx or zip
    capabilities: tuple[str, ...]
    build: Callable  # (record, period, actor, now) -> dict, the snapshot's data
    title: Callable  # (record, period) -> str
    final_refusal: Callable  # (record, period, actor, now) -> str | None
    slug: str
    template: str = ""  # pdf: the template rendered from the snapshot
    period: str = ""  # "", "quarter" or "fiscal_year" (periods.py)
    approval_check: Callable | None = field(default=None)  # (snapshot) -> str | None, at render time
    tables: Callable | None = None  # xlsx: (snapshot data) -> {sheet: table}
    docx: Callable | None = None  # docx: (snapshot, reference, version, status, generated_at, ...) -> bytes
    bundle: Callable | None = None  # zip: (snapshot data, parts) -> None, adds the bundle's own files
    # A company-wide document summing every record of a program may need sight of all of them (a covered
    # executive must not read their own case even as a company-wide figure): (user) -> bool.
    company_wide_audience: Callable | None = None

    @property
    def model(self) -> type[models.Model]:
        return RECORD_MODELS[self.record]

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.output]


SPECS: dict[str, KindSpec] = {}


@dataclass(frozen=True)
class BundleCheck:
    """How `verify_bundle` re-performs a bundle's file without a database: `reperform(source, result)`
    says whether re-performing the bytes of `source` gives the bytes of `result` (it raises when the
    source cannot be re-performed at all). `readme` is what the bundle's README.txt says about it."""

    source: str  # a path in the ZIP, e.g. scenario/scenario.json
    result: str
    reperform: Callable[[bytes, bytes], bool]
    readme: str


BUNDLE_CHECKS: dict[str, BundleCheck] = {}


def register_record(name: str, model: type[models.Model]) -> None:
    current = RECORD_MODELS.get(name)
    if current is not None and current._meta.label != model._meta.label:
        raise ImproperlyConfigured(f"document record type {name!r} is already {current._meta.label}")
    RECORD_MODELS[name] = model
    RECORD_MODELS["company"] = RECORD_MODELS.pop("company")  # the programs' first, as the API lists them


def register_kind(*specs: KindSpec) -> None:
    for spec in specs:
        if spec.record not in RECORD_MODELS:
            raise ImproperlyConfigured(f"{spec.kind}: register the record type {spec.record!r} first")
        if spec.output not in MEDIA_TYPES:
            raise ImproperlyConfigured(f"{spec.kind}: unknown output {spec.output!r}")
        SPECS[spec.kind] = spec
    # Listed in the order of GeneratedDocument.Kind (the stored vocabulary), whichever program registers
    # first, so the pages and the API list the kinds the same way on every start.
    order = {value: index for index, value in enumerate(GeneratedDocument.Kind.values)}
    ordered = sorted(SPECS.values(), key=lambda s: order.get(s.kind, len(order)))
    SPECS.clear()
    SPECS.update((s.kind, s) for s in ordered)


def register_bundle_check(check: BundleCheck) -> None:
    BUNDLE_CHECKS[check.source] = check


def get_spec(kind: str) -> KindSpec:
    try:
        return SPECS[str(kind)]
    except KeyError:
        raise ValueError(f"unknown document kind {kind!r}") from None


def check_kinds(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: every stored kind of document has a registered KindSpec (a program left out of
    INSTALLED_APPS, or a kind added to GeneratedDocument.Kind and registered nowhere)."""
    return [
        checks.Warning(
            f"The document kind {kind!r} has no registered KindSpec: it cannot be requested or rendered.",
            hint="Register it with compliance_site.documents.registry.register_kind from its program.",
            id="documents.W001",
        )
        for kind in GeneratedDocument.Kind.values
        if kind not in SPECS
    ]
