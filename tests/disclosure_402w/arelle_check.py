"""Reading a generated Inline XBRL document back with Arelle, offline (no internet, no SEC taxonomy).

Arelle (`arelle-release`, a development dependency only: the application never imports it) is run through
its supported API, `arelle.api.Session` with `RuntimeOptions(internetConnectivity="offline")`, on a file
written to a temporary directory, with its own cache directory there, so nothing is downloaded or shared.

Two ways, because the SEC's ECD and DEI schemas cannot be fetched:

- **bare**: the document's schema references fail to load (`IOerror`) and every fact is reported without a
  schema definition (`ix11.12.1.2:missingReferences`). Arelle still parses the ix:header (contexts, their
  entity, period and dimensions, units) and every fact with its transformation applied
  (`ixt:num-dot-decimal`, `ixt:date-monthname-day-year-en`, `ixt:fixed-true`/`-false`), and reports a
  transformation that fails. With no concept, it does NOT check a fact's contextRef or unitRef, its type,
  its period type or its dimensions: the tests check references themselves (test_ixbrl_document.py).
- **stand-in**: the cache is seeded, at the SEC's own addresses, with stand-in schemas (`stand_in_schemas`)
  declaring the sixteen elements, the two axes and the company's members with the types the ECD and DEI
  taxonomies are read to give them (dates, monetary amounts, text blocks, strings, booleans; every element a
  duration; `ecd:RestatementDateAxis` typed by `xs:date`, `ecd:IndividualAxis` explicit). Arelle then runs its
  full XBRL 2.1, Dimensions 1.0 and Inline XBRL 1.1 validation: contextRef and unitRef resolved, a monetary
  fact in an ISO 4217 unit with decimals, each value valid for its type, period types matching, typed
  members valid dates, explicit members defined. This checks the document against those types, NOT against
  the SEC's published schemas, their labels, their definition linkbase (which axes each element takes) or
  the EDGAR Filer Manual (Arelle's EDGAR plugin is not installed): those need the taxonomy and EDGAR.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from arelle.api.Session import Session
from arelle.logging.handlers.StructuredMessageLogHandler import StructuredMessageLogHandler
from arelle.RuntimeOptions import RuntimeOptions

from clawback import disclosure_ixbrl as ixbrl

# What a bare run reports only because the taxonomy is out of reach.
OFFLINE_ONLY = {"IOerror", "ix11.12.1.2:missingReferences"}
STAND_IN_HOST = "https://stand-in.invalid/extension.xsd"


@dataclass(frozen=True)
class ArelleFact:
    concept: str  # prefix:localName as the document spells it (namespace checked separately)
    namespace: str
    context: str
    entity: tuple[str, str]
    start: date | None
    end: date | None  # the last day (Arelle reports the instant after it)
    dims: dict  # {"ecd:IndividualAxis": "alnt:DanaWhitfieldMember", "ecd:RestatementDateAxis": "2026-05-01"}
    value: str
    unit: tuple[str, ...]
    decimals: str | None
    defined: bool  # Arelle found the element's definition


def run_arelle(document: str, workdir: Path, *, cache: Path | None = None):
    """(messages, facts) of Arelle validating `document` offline; `cache`: a seeded cache directory."""
    path = workdir / "item402w.htm"
    path.write_text(document, encoding="ascii")
    options = RuntimeOptions(
        entrypointFile=str(path),
        internetConnectivity="offline",
        keepOpen=True,
        validate=True,
        disablePersistentConfig=True,
        cacheDirectory=str(cache or workdir / "empty-cache"),
    )
    handler = StructuredMessageLogHandler()
    with Session() as session:
        session.run(options, logHandler=handler)
        messages = [
            (m["levelname"], m["messageCode"], str(m["msg"]))
            for m in session.get_log_messages()
            if m["levelname"] in ("ERROR", "WARNING", "CRITICAL")
        ]
        facts = [_fact(f) for model in session.get_models() for f in model.facts]
    return messages, facts


def _fact(f) -> ArelleFact:
    context = f.context  # None when the contextRef names no context (a broken document)
    dims = {}
    for dimension, value in context.qnameDims.items() if context is not None else ():
        dims[str(dimension)] = value.typedMember.stringValue if value.isTyped else str(value.memberQname)
    unit = f.unit
    return ArelleFact(
        concept=str(f.qname),
        namespace=f.qname.namespaceURI,
        context=f.contextID,
        entity=context.entityIdentifier if context is not None else ("", ""),
        start=context.startDatetime.date() if context is not None else None,
        end=(context.endDatetime - timedelta(days=1)).date() if context is not None else None,
        dims=dims,
        value=f.value,
        unit=tuple(str(m) for m in unit.measures[0]) if unit is not None else (),
        decimals=f.decimals,
        defined=f.concept is not None,
    )


# --- The stand-in schemas ------------------------------------------------------------------------------

_HEAD = """<?xml version="1.0" encoding="utf-8"?>
<!-- A stand-in for tests, not the SEC's schema: the elements with the types the tests read them to have. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xbrli="http://www.xbrl.org/2003/instance"
  xmlns:xbrldt="http://xbrl.org/2005/xbrldt" xmlns:dtr-types="http://www.xbrl.org/dtr/type/2022-03-31"
  xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink"
  targetNamespace="{namespace}" elementFormDefault="qualified" attributeFormDefault="unqualified">
<xs:import namespace="http://www.xbrl.org/2003/instance"
  schemaLocation="http://www.xbrl.org/2003/xbrl-instance-2003-12-31.xsd"/>
<xs:import namespace="http://xbrl.org/2005/xbrldt" schemaLocation="http://www.xbrl.org/2005/xbrldt-2005.xsd"/>
<xs:import namespace="http://www.xbrl.org/dtr/type/2022-03-31"
  schemaLocation="https://www.xbrl.org/dtr/type/2022-03-31/types.xsd"/>
{imports}"""
_TYPES = {
    ixbrl.MONEY: "xbrli:monetaryItemType",
    ixbrl.DATE: "xbrli:dateItemType",
    ixbrl.NAME: "xbrli:stringItemType",
    ixbrl.BLOCK: "dtr-types:textBlockItemType",
    ixbrl.FLAG: "xbrli:booleanItemType",
}


def _item(name: str, item_type: str, *, group: str = "xbrli:item", extra: str = "") -> str:
    return (
        f'<xs:element id="{name}" name="{name}" type="{item_type}" substitutionGroup="{group}" '
        f'xbrli:periodType="duration" nillable="true"{extra}/>\n'
    )


def stand_in_schemas(tagged: ixbrl.Tagged, cache: Path) -> Path:
    """Seed `cache` with stand-ins of the ECD and DEI schemas at the SEC's addresses, and of the company's
    extension (its members of ecd:IndividualAxis), which the stand-in ECD schema imports."""
    local = {name.partition(":")[2]: spec for name, spec in ixbrl.ELEMENTS.items()}
    ecd = [_item(n, _TYPES[s.kind]) for n, s in local.items() if f"ecd:{n}" in ixbrl.ELEMENTS]
    ecd += [
        _item(
            "RestatementDateAxis",
            "xbrli:stringItemType",
            group="xbrldt:dimensionItem",
            extra=' abstract="true" xbrldt:typedDomainRef="#RestatementDateAxis.domain"',
        ),
        '<xs:element id="RestatementDateAxis.domain" name="RestatementDateAxis.domain" type="xs:date"/>\n',
        _item(
            "IndividualAxis", "xbrli:stringItemType", group="xbrldt:dimensionItem", extra=' abstract="true"'
        ),
        _item("AllIndividualsMember", "dtr-types:domainItemType", extra=' abstract="true"'),
    ]
    dei = [_item(n, _TYPES[s.kind]) for n, s in local.items() if f"dei:{n}" in ixbrl.ELEMENTS]
    members = [
        _item(m.qname.partition(":")[2], "dtr-types:domainItemType", extra=' abstract="true"')
        for m in tagged.members
    ]
    extension = f'<xs:import namespace="{tagged.extension_namespace}" schemaLocation="{STAND_IN_HOST}"/>\n'
    files = {
        ixbrl.ECD_SCHEMA: _HEAD.format(namespace=ixbrl.ECD_NS, imports=extension) + "".join(ecd),
        ixbrl.DEI_SCHEMA: _HEAD.format(namespace=ixbrl.DEI_NS, imports="") + "".join(dei),
        STAND_IN_HOST: _HEAD.format(namespace=tagged.extension_namespace, imports="") + "".join(members),
    }
    for url, text in files.items():
        scheme, _, rest = url.partition("://")
        path = cache.joinpath(scheme, *rest.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "</xs:schema>\n", encoding="utf-8")
    return cache
