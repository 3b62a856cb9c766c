"""The Inline XBRL document read back by Arelle, offline (docs/clawback-rules §1.10, "Tagged for EDGAR").

What Arelle checks here and what it cannot without the SEC's taxonomy is stated in
tests/disclosure_402w/arelle_check.py: read bare, Arelle parses every context, unit and fact and applies every
transformation, and the facts it finds are ours (element, namespace, context, entity, period, dimensions,
value, unit, decimals); with stand-in schemas declaring the elements' types, its full XBRL 2.1, Dimensions and
Inline XBRL validation finds nothing wrong, and it does find a broken document wrong. Not checked: the SEC's
own schemas, labels and definition linkbase, and the EDGAR Filer Manual's rules.
"""

import html
import re
from decimal import Decimal

import pytest

from clawback import disclosure_ixbrl as ixbrl
from tests.disclosure_402w.arelle_check import OFFLINE_ONLY, run_arelle, stand_in_schemas
from tests.disclosure_402w.ixbrl_setup import demo_year, no_recovery_year

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["demo", "no_recovery"])
def year(request):
    if request.param == "demo":
        return demo_year()
    return no_recovery_year(request.getfixturevalue("users"))


def _text(value: str) -> list[str]:
    """A text block as Arelle reads it (its XHTML) back to our lines."""
    return [html.unescape(line).strip() for line in re.split(r"<[^>]+>", value) if line.strip()]


def _dims(context: ixbrl.Context) -> dict:
    """The dimensions of one of our contexts as Arelle names them."""
    dims = {}
    if context.restatement_date is not None:
        dims["ecd:RestatementDateAxis"] = context.restatement_date.isoformat()
    if context.member is not None:
        dims["ecd:IndividualAxis"] = context.member.qname
    return dims


def test_arelle_offline_reads_back_every_fact_as_tagged(year, tmp_path):
    tagged = year.tagged
    messages, found = run_arelle(tagged.xhtml, tmp_path)
    codes = [code for _, code, _ in messages]
    # Only what the unreachable taxonomy explains: the two schemas, then each fact without its definition.
    assert set(codes) <= OFFLINE_ONLY, messages
    assert codes.count("IOerror") == 2 and codes.count("ix11.12.1.2:missingReferences") == len(tagged.facts)

    contexts = {c.id: c for c in tagged.contexts}
    assert len(found) == len(tagged.facts)
    for theirs, fact in zip(found, tagged.facts, strict=True):
        prefix, _, local = fact.element.partition(":")
        assert theirs.concept == fact.element
        assert theirs.namespace == ixbrl.NAMESPACES[prefix] and local
        assert theirs.context == fact.context
        assert theirs.entity == (ixbrl.CIK_SCHEME, tagged.filer.cik.zfill(10))
        assert (theirs.start, theirs.end) == (tagged.fiscal_year_start, tagged.fiscal_year_end)
        assert theirs.dims == _dims(contexts[fact.context])
        if fact.numeric:
            assert Decimal(theirs.value) == Decimal(fact.value)
            assert theirs.unit == ("iso4217:USD",) and theirs.decimals == "2"
        elif fact.element.endswith("TextBlock"):
            assert _text(theirs.value) == fact.value.splitlines()
            assert theirs.unit == ()
        else:
            assert theirs.value == fact.value and theirs.unit == ()


def test_with_stand_in_schemas_arelle_validates_the_document_without_a_finding(year, tmp_path):
    cache = stand_in_schemas(year.tagged, tmp_path / "cache")
    messages, found = run_arelle(year.tagged.xhtml, tmp_path, cache=cache)
    assert messages == []
    assert all(f.defined for f in found) and len(found) == len(year.tagged.facts)


def test_arelle_finds_a_broken_document_wrong(tmp_path, db):
    tagged = demo_year().tagged
    broken = (
        tagged.xhtml.replace('contextRef="c-2026-04-15"', 'contextRef="c-nowhere"', 1)
        .replace('unitRef="usd"', 'unitRef="eur"', 1)
        .replace(">445,000.00<", ">445,000.0x<", 1)
        .replace(">alnt:DanaWhitfieldMember<", ">alnt:NobodyMember<", 1)
    )
    cache = stand_in_schemas(tagged, tmp_path / "cache")
    messages, _ = run_arelle(broken, tmp_path, cache=cache)
    codes = {code for _, code, _ in messages}
    assert "ix11.10.1.1:transformValueError" in codes
    assert any("contextReference" in code for code in codes), codes
    assert any("unitReference" in code for code in codes), codes
    assert any("ExplicitMember" in code for code in codes), codes
