"""The reminders registry the programs fill at start-up (compliance_site.notifications.registry;
docs/architecture.md): which records are reminded of what, who receives each kind, and which saves
reschedule them."""

import pytest

from clawback.models import Decision, Impracticability, RecoveryClaim, RecoveryEvent, Restatement, Vote
from compliance_site.accounts.roles import Role
from compliance_site.company.models import FiscalPeriod
from compliance_site.notifications import registry, sources
from compliance_site.notifications.schedule import Kind
from regfd.models import Incident


@pytest.fixture
def saved_registry():
    saved_sources = dict(registry.SOURCES)
    saved_triggers = {model: dict(found) for model, found in registry.TRIGGERS.items()}
    yield
    registry.SOURCES.clear()
    registry.SOURCES.update(saved_sources)
    registry.TRIGGERS.clear()
    registry.TRIGGERS.update(saved_triggers)


def test_each_program_registers_the_sources_of_its_records():
    assert {model._meta.label: source.plans.__module__ for model, source in registry.SOURCES.items()} == {
        "clawback.Restatement": "clawback.reminders",
        "clawback.RecoveryClaim": "clawback.reminders",
        "clawback.Decision": "clawback.reminders",
        "regfd.Incident": "regfd.reminders",
    }


def test_every_reminder_kind_has_one_source_and_its_recipients():
    roles = {}
    for source in sources.sources():
        for kind, holders in source.roles.items():
            assert kind not in roles, f"{kind} is planned by two sources"
            roles[kind] = tuple(holders)
    assert roles == {
        Kind.INCIDENT_DUE: (Role.SECRETARY,),
        Kind.INCIDENT_OVERDUE: (Role.OFFICER, Role.COUNSEL),
        Kind.REVIEW_DUE: (Role.COMMITTEE,),
        Kind.FISCAL_YEAR_END: (Role.SECRETARY, Role.COMMITTEE),
        Kind.RECOVERY_APPROACHING: (Role.SECRETARY, Role.COMMITTEE),
        Kind.RECOVERY_OUTSTANDING: (Role.SECRETARY, Role.COMMITTEE),
        # A vote of the body: only its members still to vote receive them (`excluded_users`).
        Kind.VOTE_OPEN: (Role.BOARD, Role.COMMITTEE),
        Kind.VOTE_CLOSING: (Role.BOARD, Role.COMMITTEE),
    }
    series = {(source.model, kind) for source in sources.sources() for _, kind in source.series}
    assert series == {(Incident, Kind.INCIDENT_OVERDUE), (Restatement, Kind.REVIEW_DUE)}


def test_the_saves_and_deletes_that_reschedule_reminders():
    def names(model, *, deleted):
        return {records.__name__ for records in registry.triggers_for(model, deleted=deleted)}

    assert names(Incident, deleted=False) == {"_the_incident"}
    assert names(Restatement, deleted=False) == {"_case_and_claims"}
    assert names(RecoveryClaim, deleted=False) == {"_the_claim"}
    assert names(FiscalPeriod, deleted=False) == {"_active_cases_of"}
    for model in (RecoveryEvent, Impracticability):
        assert names(model, deleted=False) == names(model, deleted=True) == {"_claim_of"}
    assert names(Incident, deleted=True) == set()
    assert names(Decision, deleted=False) == {"_the_vote"} and names(Vote, deleted=False) == {"_vote_of"}


def test_a_record_nobody_registered_has_no_reminders(saved_registry):
    with pytest.raises(TypeError, match="no reminders are defined for FiscalPeriod"):
        sources.plans_for(FiscalPeriod(), now=None, config=sources.current_config())
    with pytest.raises(TypeError, match="no reminders are defined for str"):
        registry.source_for("not a record")


def test_a_historical_model_of_the_same_name_triggers_nothing():
    """A data migration (or its test) saves the historical model: another class, whatever its label."""
    historical = type("Incident", (), {"_meta": Incident._meta})
    assert registry.triggers_for(historical, deleted=False) == []
    with pytest.raises(TypeError):
        registry.source_for(historical())


def test_registering_again_replaces(saved_registry):
    source = registry.SOURCES[Incident]
    [records] = registry.triggers_for(Incident, deleted=False)
    registry.register_source(source)
    registry.register_trigger(Incident, records)
    assert registry.SOURCES[Incident] is source
    assert registry.triggers_for(Incident, deleted=False) == [records]
