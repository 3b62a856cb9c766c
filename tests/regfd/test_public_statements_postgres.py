"""The library's full-text search on PostgreSQL (docs/regfd-rules §2.9), as PostgreSQL's English
configuration really behaves: words matched by their stems, common words ignored, the web-search syntax, the
best matches first, the matched words marked in the snippets, the GIN index used; a text with too many
distinct words to index refused in words; and every row an import, an attachment and a conclusion write
accounted for by the audit trail.

Run with PostgreSQL (`make test-services`, or DATABASE_URL=postgres://… with `-m services`); skipped on SQLite.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from compliance_site.attachments.models import Attachment
from compliance_site.history.accounting import unaccounted_row_changes
from regfd.models import Incident, PublicStatement
from regfd.selectors_statements import (
    search_statements,
    snippets,
    statements_visible_to,
    uses_full_text_search,
)
from regfd.services import conclude_materiality
from regfd.services.public_statements import attach_public_statement
from tests.regfd.incident_setup import report_recent
from tests.regfd.statements_setup import add_statement

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgresql(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search is PostgreSQL's (make test-services)")
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def library(users):
    now = timezone.now()
    secretary = users["secretary"]

    def add(title, text, days):
        return add_statement(secretary, title=title, text=text, published_at=now - timedelta(days=days))

    return {
        "outlook": add(
            "Allient lowers its revenue guidance",
            "Full-year revenue guidance would be lowered. The guidance reflects lower orders; revenue "
            "guidance for the fourth quarter is lowered too.",
            5,
        ),
        "call": add(
            "Q3 earnings call transcript",
            "Operator: welcome. CFO: margins improved; we are lowering costs. Revenue guidance is unchanged.",
            30,
        ),
        "guided": add("Investor day", "Management guided investors through the plant tour.", 60),
        "dividend": add("Dividend declared", "The board declared a quarterly dividend; revenue grew.", 10),
    }


def found(user, q) -> list[str]:
    return [s.title for s in search_statements(statements_visible_to(user), q=q)]


def test_postgresql_is_searched_with_full_text(library):
    assert uses_full_text_search(PublicStatement.objects.all())


def test_words_are_matched_by_their_english_stems(users, library):
    secretary = users["secretary"]
    # "lowered", "lowering" and "lower" share the stem "lower"; "margin" finds "margins".
    assert set(found(secretary, "lowering")) == {
        "Allient lowers its revenue guidance",
        "Q3 earnings call transcript",
    }
    assert found(secretary, "margin") == ["Q3 earnings call transcript"]
    assert found(secretary, "Dividends") == ["Dividend declared"]
    # A stem is a word form, not a meaning: "guidance" (guidanc) does not find "guided" (guid).
    assert "Investor day" not in found(secretary, "guidance")
    assert found(secretary, "guided") == ["Investor day"]


def test_every_word_must_appear_and_common_words_are_ignored(users, library):
    secretary = users["secretary"]
    # The call says "lowering" and "revenue guidance" too, but not "orders".
    assert found(secretary, "revenue guidance lowered orders") == ["Allient lowers its revenue guidance"]
    assert found(secretary, "revenue guidance dividend") == []
    # "would", "be" and "the" are English stop words: they neither match nor prevent a match.
    assert found(secretary, "the orders would be lowered") == ["Allient lowers its revenue guidance"]


def test_the_web_search_syntax_phrases_or_and_minus(users, library):
    secretary = users["secretary"]
    assert found(secretary, '"revenue guidance" -unchanged') == ["Allient lowers its revenue guidance"]
    assert found(secretary, '"guidance revenue"') == []
    assert set(found(secretary, "dividend or margins")) == {
        "Dividend declared",
        "Q3 earnings call transcript",
    }


def test_the_best_match_comes_first(users, library):
    # The outlook says "guidance" four times, title included; the call once.
    titles = found(users["secretary"], "revenue guidance")
    assert titles == ["Allient lowers its revenue guidance", "Q3 earnings call transcript"]
    ranks = [
        s.rank for s in search_statements(statements_visible_to(users["secretary"]), q="revenue guidance")
    ]
    assert ranks[0] > ranks[1] > 0


def test_the_snippet_marks_the_words_as_the_search_found_them(library):
    outlook = library["outlook"]
    parts = snippets([outlook], "lowering guidance")[outlook.pk]
    # "lowered" and "lower" both match "lowering": the headline marks every form its stem covers.
    assert {text.lower() for text, hit in parts if hit} == {"guidance", "lowered", "lower"}
    assert "\x02" not in "".join(text for text, _ in parts)


def test_the_search_uses_the_gin_index(users, library):
    rows = search_statements(statements_visible_to(users["secretary"]), q="revenue guidance")
    with connection.cursor() as cursor:
        # Only a bitmap scan is left to the planner, and the full-text condition is the only one an index can
        # answer: on a table this small it would otherwise read any index end to end and filter.
        for scan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        sql, params = rows.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "publicstatement_search_idx" in plan, plan


def test_a_text_with_too_many_distinct_words_to_index_is_refused_and_nothing_is_saved(users):
    # 90,000 distinct words in 720,000 characters: under the length limit, over what one index entry holds.
    text = " ".join(f"q{i:06x}" for i in range(90_000))
    with pytest.raises(ValidationError, match="too many distinct words"):
        add_statement(users["secretary"], text=text)
    assert not PublicStatement.all_objects.exists() and not Attachment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_every_row_written_is_accounted_for_by_the_audit_trail(users):
    since = timezone.now()
    incident = report_recent(users["employee"])
    statement = add_statement(users["secretary"])
    attach_public_statement(
        actor=users["counsel"], now=timezone.now(), incident=incident, statement=statement, note="Same words"
    )
    conclude_materiality(
        actor=users["counsel"],
        now=timezone.now(),
        incident=incident,
        conclusion=Incident.CounselConclusion.ALREADY_PUBLIC,
        rationale="Public in the release.",
        cited_statements=[statement],
    )
    ours = {"regfd.publicstatement", "regfd.statementevidence", "regfd.conclusioncitation"}
    assert [
        change.describe() for change in unaccounted_row_changes(since=since) if change.object_type in ours
    ] == []
