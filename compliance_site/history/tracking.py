"""Declaring a row-event model: `row_events(Model, app_label=...)` is the base class of the model that keeps
every version of `Model`'s rows. Programs call it from their own `models/history.py`, the shared layer from
`compliance_site/history/models.py`."""

import pghistory
from django.db import connection


def _trackers():
    # Fresh instances per model: a tracker narrows its condition to the fields of the first model it serves.
    return (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())


def row_events(tracked, *, app_label: str):
    """An abstract event model recording the whole row of `tracked` on insert, on every change of any field
    and on delete (the deleted row), with the request or task context it was made in. Nothing references the
    tracked row by a constraint, so a deleted row keeps its history. A secret the model names in
    `SECRET_FIELDS` (a webhook address) is left out, as the audit trail leaves it out."""
    return pghistory.create_event_model(
        tracked,
        *_trackers(),
        exclude=list(getattr(tracked, "SECRET_FIELDS", ())) or None,
        app_label=app_label,
        model_name=f"{tracked.__name__}RowEventBase",
        obj_field=pghistory.ObjForeignKey(related_name="+", related_query_name="+"),
    )


def recorded() -> bool:
    """Row history is written by PostgreSQL triggers; other databases (`make test`'s SQLite) have none."""
    return connection.vendor == "postgresql"
