"""Row-event models declared from a list (`compliance_site.db.row_event_models`): each is bound under the
name `<Model>RowEvent` in the module that lists its record, as if written out, and no record of these apps
is left without one (docs/architecture.md, "Row history")."""

import pytest
from django.apps import apps
from pghistory.models import Event

from clawback.models import history as clawback_history
from compliance_site.history import models as shared_history
from compliance_site.history.accounting import event_models


@pytest.mark.parametrize("module", [clawback_history, shared_history], ids=lambda m: m.__name__)
def test_each_event_model_is_bound_by_the_name_of_its_record(module):
    declared = {name: value for name, value in vars(module).items() if name.endswith("RowEvent")}
    assert declared
    for name, model in declared.items():
        assert name == f"{model.pgh_tracked_model.__name__}RowEvent"
        assert model.__module__ == module.__name__
        assert apps.get_model(model._meta.app_label, name) is model


@pytest.mark.parametrize("app_label", ["clawback", "documents", "notifications"])
def test_every_record_of_the_app_has_row_events(app_label):
    tracked = {model.pgh_tracked_model for model in event_models()}
    records = [m for m in apps.get_app_config(app_label).get_models() if not issubclass(m, Event)]
    assert records
    assert [m.__name__ for m in records if m not in tracked] == []
