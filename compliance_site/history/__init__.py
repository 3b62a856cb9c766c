"""Row-level history: every insert, change and delete of a regulated row, recorded by PostgreSQL triggers
(django-pghistory), so a change that skips `save()` and its signals (a queryset `.update()`, raw SQL, a
database console) is still on record, and the rows no audit-trail entry accounts for can be reported
(`manage.py audit_row_changes`; docs/architecture.md, "Row history").

The shared layer keeps the mechanism (`tracking.py`), the event models of the shared apps (`models.py`), the
request context (`middleware.py`) and the accounting (`accounting.py`); each program declares the event
models of its own records in its `models/history.py`. On SQLite nothing is installed: the event tables
exist but stay empty.
"""
