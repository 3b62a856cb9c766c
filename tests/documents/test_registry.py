"""The documents registry the programs fill at start-up (compliance_site.documents.registry;
docs/architecture.md): every stored kind has its spec, in a fixed order, and registering again changes
nothing."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from compliance_site.company.models import Company
from compliance_site.documents import registry
from compliance_site.documents.kinds import RECORD_MODELS, SPECS, get_spec
from compliance_site.documents.models import GeneratedDocument


@pytest.fixture
def saved_registry():
    """The registry as the programs left it, put back after the test."""
    specs, records, checks = dict(registry.SPECS), dict(registry.RECORD_MODELS), dict(registry.BUNDLE_CHECKS)
    yield
    for live, saved in ((registry.SPECS, specs), (registry.RECORD_MODELS, records),
                        (registry.BUNDLE_CHECKS, checks)):  # fmt: skip
        live.clear()
        live.update(saved)


def test_every_stored_kind_is_registered_by_its_program_in_the_stored_order():
    assert list(SPECS) == GeneratedDocument.Kind.values
    assert registry.check_kinds() == []
    owners = {kind: spec.build.__module__.split(".")[0] for kind, spec in SPECS.items()}
    assert {kind for kind, owner in owners.items() if owner == "regfd"} == {
        "regfd_incident",
        "regfd_quarterly_log",
        "bundle_period",
    }
    assert set(owners.values()) == {"clawback", "regfd"}


def test_the_record_types_and_what_each_kind_renders_with():
    assert [(name, model._meta.label) for name, model in RECORD_MODELS.items()] == [
        ("restatement", "clawback.Restatement"),
        ("event_study", "clawback.EventStudy"),
        ("incident", "regfd.Incident"),
        ("company", "company.Company"),
    ]
    for spec in SPECS.values():
        writer = {"pdf": spec.template, "xlsx": spec.tables, "docx": spec.docx, "zip": spec.bundle}[
            spec.output
        ]
        assert writer, f"{spec.kind} has nothing to render its {spec.output} with"
    assert [spec.kind for spec in SPECS.values() if spec.company_wide_audience] == [
        "clawback_402w",
        "clawback_402w_xlsx",
        "clawback_402w_docx",
    ]
    assert set(registry.BUNDLE_CHECKS) == {"scenario/scenario.json"}


def test_registering_again_replaces_and_keeps_the_order(saved_registry):
    spec = get_spec("regfd_incident")
    before = list(SPECS)
    registry.register_kind(spec)
    registry.register_record("incident", spec.model)
    assert list(SPECS) == before and SPECS["regfd_incident"] is spec


def test_a_record_type_cannot_change_model_and_a_kind_needs_its_record_type(saved_registry):
    with pytest.raises(ImproperlyConfigured, match="already regfd.Incident"):
        registry.register_record("incident", Company)
    orphan = registry.KindSpec(
        kind="third_program_record",
        label="A third program's record",
        record="preclearance",
        output="pdf",
        capabilities=(),
        build=lambda r, p, actor, now: {},
        title=lambda r, p: "",
        final_refusal=lambda r, p, actor, now: None,
        slug="preclearance",
    )
    with pytest.raises(ImproperlyConfigured, match="register the record type 'preclearance' first"):
        registry.register_kind(orphan)


def test_an_unregistered_kind_is_reported_by_the_system_check(saved_registry):
    del registry.SPECS["bundle_period"]
    [warning] = registry.check_kinds()
    assert warning.id == "documents.W001" and "'bundle_period'" in warning.msg
    with pytest.raises(ValueError, match="unknown document kind 'bundle_period'"):
        get_spec("bundle_period")
