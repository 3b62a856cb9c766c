"""Hostile input gets a clear 4xx and changes nothing; exports never carry live spreadsheet formulas.

- a NUL character in any page's query string, or in a posted form field: 400 (compliance_site/middleware.py);
- far dates in the audit filters (`date_to=9999-12-31`): a form error (400), never an OverflowError;
- JSON nested 5,000 deep, on the token endpoint too: 400 in the API's error format (compliance_site/api/parsers.py);
- a user name over 255 characters on the token endpoint and the login page: refused before django-axes records it;
- a small XLSX that expands to hundreds of MB: refused before openpyxl opens it; reading is bounded in time;
- 9 MB of incident text: 413 (DATA_UPLOAD_MAX_MEMORY_SIZE);
- `=HYPERLINK(...)` in a name: quoted in the audit CSV and the clawback exports (compliance_site/lib/cells.py).
"""

import csv
import io
import json
import time
import zipfile

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from clawback.models import Executive
from clawback.services.exports import export_list
from clawback.services.imports import files
from clawback.services.imports.files import ImportFileError, read_table
from compliance_site.api.parsers import MAX_DEPTH, nesting_depth
from compliance_site.audit.models import AuditEvent
from compliance_site.lib.cells import safe_cell
from regfd.models import Incident
from tests.api.conftest import INCIDENT_INPUT
from tests.clients import api_error
from tests.foundation.test_permission_matrix import EXPECTED, ROLES

FORMULA = '=HYPERLINK("http://x","y")'


def _client(user=None, *, api=False):
    client = (APIClient if api else Client)(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _database_state():
    return (AuditEvent.objects.count(), Incident.objects.count(), AccessAttempt.objects.count())


# ---- NUL characters --------------------------------------------------------------------------------------

# Every page of the permission matrix that some role opens with a 200, as that role.
PAGES = sorted(key for key, row in EXPECTED.items() if not row.api and 200 in row.roles.values())


@pytest.mark.parametrize("key", PAGES)
def test_a_nul_in_any_page_query_string_is_a_400(key, world):
    row = EXPECTED[key]
    who = next(role for role in ROLES if row.roles[role] == 200)
    url = row.url(world)
    before = _database_state()
    for query in ("q=a%00b", "status=%00", "page=%00", "a%00=1"):
        response = _client(world.users[who]).get(f"{url}{'&' if '?' in url else '?'}{query}")
        assert response.status_code == 400, f"{url} {query}: {response.status_code}"
        assert "errors/400.html" in [t.name for t in response.templates]
    assert _database_state() == before


def test_a_nul_in_an_api_query_string_is_a_400_in_the_api_format(users):
    client = _client(api=True)
    client.force_authenticate(users["admin"])
    for url in ("/api/regfd/incidents/?q=a%00b", "/api/audit/events/?actor=%00"):
        api_error(client.get(url), 400)


def test_a_nul_in_a_posted_form_field_is_a_400_and_nothing_is_saved(users):
    before = _database_state()
    data = {**INCIDENT_INPUT, "title": "Call\x00", "time_zone": "America/New_York"}
    data |= {"disclosed_at": "2026-03-02T10:00", "learned_at": "2026-03-02T11:00"}
    response = _client(users["secretary"]).post(reverse("regfd:incident-report"), data)
    assert response.status_code == 400
    assert _database_state() == before


def test_a_nul_in_api_json_is_a_400(users):
    client = _client(api=True)
    client.force_authenticate(users["secretary"])
    body = json.dumps({**INCIDENT_INPUT, "information": "a\x00b"})
    before = _database_state()
    api_error(client.post("/api/regfd/incidents/", body, content_type="application/json"), 400)
    assert _database_state() == before


# ---- Far dates in the audit filters ----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["date_to=9999-12-31", "date_from=0001-01-01", "date_from=9999-12-31"])
def test_far_dates_in_the_audit_filters_are_a_form_error_not_a_500(query, users):
    auditor = _client(users["auditor"])
    page = auditor.get(f"{reverse('audit:event-list')}?{query}")
    assert page.status_code == 400
    assert "Enter a date between" in page.content.decode()
    export = auditor.get(f"{reverse('audit:event-export', args=['csv'])}?{query}")
    assert export.status_code == 400


@pytest.mark.parametrize("query", ["date_to=9999-12-31", "date_from=0001-01-01"])
def test_far_dates_in_the_audit_api_never_500(query, users):
    client = _client(api=True)
    client.force_authenticate(users["auditor"])
    assert client.get(f"/api/audit/events/?{query}").status_code in (200, 400)


# ---- JSON nesting ----------------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def test_json_nested_5000_deep_is_a_400_even_unauthenticated_on_the_token_endpoint(users):
    before = _database_state()
    for body in ("[" * 5000 + "]" * 5000, _nested(5000)):
        response = _client().post("/api/auth/token/", body, content_type="application/json")
        assert "nested more than" in api_error(response, 400)["message"]
    assert _database_state() == before


def test_json_nested_too_deep_is_a_400_on_any_endpoint_and_changes_nothing(users):
    client = _client(api=True)
    client.force_authenticate(users["secretary"])
    body = json.dumps(INCIDENT_INPUT)[:-1] + ', "extra": ' + _nested(MAX_DEPTH + 1) + "}"
    before = _database_state()
    api_error(client.post("/api/regfd/incidents/", body, content_type="application/json"), 400)
    assert _database_state() == before


def test_nesting_depth_ignores_brackets_in_strings_and_stops_early():
    assert nesting_depth('{"a": ["[[[[", {"b": "}}]]"}]}') == 3
    assert nesting_depth('"\\"[[["') == 0
    assert nesting_depth("[" * 100_000, stop_at=MAX_DEPTH) == MAX_DEPTH + 1


def test_ordinary_json_still_parses(users):
    client = _client(api=True)
    client.force_authenticate(users["admin"])
    response = client.patch("/api/me/", {"first_name": "Ada"}, format="json")
    assert response.status_code == 200, response.content


# ---- Over-long user names --------------------------------------------------------------------------------


def test_a_username_over_255_characters_is_a_400_on_the_token_endpoint(users):
    before = _database_state()
    for content_type in ("application/json", "application/x-www-form-urlencoded"):
        data = {"username": "u" * 300, "password": "x"}
        body = json.dumps(data) if content_type == "application/json" else f"username={'u' * 300}&password=x"
        error = api_error(_client().post("/api/auth/token/", body, content_type=content_type), 400)
        assert "username" in error["fields"]
    assert _database_state() == before  # django-axes recorded nothing (its column holds 255 characters)


def test_a_username_over_255_characters_is_a_form_error_on_the_login_page(users):
    before = _database_state()
    response = _client().post(reverse("accounts:login"), {"username": "u" * 300, "password": "x"})
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert _database_state() == before


# ---- Large bodies ----------------------------------------------------------------------------------------

NINE_MB = "x" * (9 * 1024 * 1024)


def test_nine_mb_of_incident_text_through_the_api_is_a_413(users):
    client = _client(api=True)
    client.force_authenticate(users["secretary"])
    before = _database_state()
    body = json.dumps({**INCIDENT_INPUT, "information": NINE_MB})
    api_error(client.post("/api/regfd/incidents/", body, content_type="application/json"), 413)
    assert _database_state() == before


def test_nine_mb_of_incident_text_through_the_form_is_a_413(users):
    data = {**INCIDENT_INPUT, "information": NINE_MB, "time_zone": "America/New_York"}
    data |= {"disclosed_at": "2026-03-02T10:00", "learned_at": "2026-03-02T11:00"}
    before = _database_state()
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        client = _client(users["secretary"])
        if content_type == "multipart/form-data":
            response = client.post(reverse("regfd:incident-report"), data)
        else:
            body = "&".join(f"{k}={v}" for k, v in data.items())
            response = client.post(reverse("regfd:incident-report"), body, content_type=content_type)
        assert response.status_code == 413, content_type
        assert "errors/400.html" in [t.name for t in response.templates]
    assert _database_state() == before


# ---- XLSX bombs ------------------------------------------------------------------------------------------


def _workbook(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet(content: bytes, sheet_xml: bytes) -> bytes:
    """The workbook `content` with its first sheet's XML replaced."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item.filename, data)
    return out.getvalue()


SHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><dimension ref="%s"/><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>key</t></is></c></row>%s</sheetData></worksheet>'
)


def test_a_small_xlsx_that_expands_to_hundreds_of_mb_is_refused_before_it_is_opened():
    # 200 MB of whitespace inside the sheet's XML: the file itself is a few hundred KB.
    bomb = _with_sheet(_workbook([["key"]]), SHEET % (b"A1", b" " * (200 * 1024 * 1024)))
    assert len(bomb) < files.MAX_BYTES
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="expands to more than 20 MB"):
        read_table(bomb, fmt="xlsx")
    assert time.monotonic() - started < 5


def test_a_forged_dimension_and_a_far_cell_do_not_tie_up_the_worker():
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    content = _with_sheet(_workbook([["key"]]), SHEET % (b"A1:XFD1048576", far))
    started = time.monotonic()
    header, table = read_table(content, fmt="xlsx")
    assert time.monotonic() - started < 20
    assert header[0] == "key" and len(header) == files.MAX_COLUMNS
    assert table == []  # the far cell is beyond the columns read; every row between is empty


def test_reading_a_workbook_is_bounded_in_time(monkeypatch):
    content = _workbook([["key"]] + [[str(n)] for n in range(3000)])
    monkeypatch.setattr(files, "MAX_READ_SECONDS", 0.0)
    with pytest.raises(ImportFileError, match="seconds to read"):
        read_table(content, fmt="xlsx")


def test_an_ordinary_workbook_still_reads():
    header, table = read_table(
        _workbook([["key", "name"], ["ceo", "Avery"], [], ["cfo", "Blake"]]), fmt="xlsx"
    )
    assert header == ["key", "name"]
    assert [(n, row["key"]) for n, row in table] == [(2, "ceo"), (4, "cfo")]


# ---- Spreadsheet formulas in exports ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (FORMULA, "'" + FORMULA),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-1200.50", "-1200.50"),
        ("Avery Chen", "Avery Chen"),
        (-5, -5),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_a_formula_in_a_name_is_quoted_in_the_audit_csv(world):
    world.executive.name = FORMULA
    world.executive.save()
    response = _client(world.users["auditor"]).get(reverse("audit:event-export", args=["csv"]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    reprs = [row["object_repr"] for row in rows if FORMULA in row["object_repr"]]
    assert reprs and all(r.startswith("'") for r in reprs)
    for row in rows:
        assert not any(cell.startswith(("=", "+", "@")) for cell in row.values())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_formula_in_a_name_is_quoted_in_the_clawback_exports(fmt, world):
    world.executive.name = FORMULA
    world.executive.save()
    content, _, _ = export_list(
        actor=world.users["auditor"],
        company=world.company,
        kind="executives",
        fmt=fmt,
        queryset=Executive.objects.all(),
    )
    if fmt == "csv":
        cells = [c for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for c in row]
    else:
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert "'" + FORMULA in cells
    assert FORMULA not in cells
