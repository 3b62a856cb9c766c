"""Who sees the library of public statements, and how it is searched (docs/regfd-rules §2.9).

The library, the evidence attached to incidents and the conclusions' citations are for the program's officers
(regfd.view); nobody else sees them, as they see no incident but their own reports.

Search: PostgreSQL's full-text search where the database is PostgreSQL (English stemming and stop words, a
web-search query: `"gross margin" -dividend`, `backlog or orders`; ranked; a GIN index on the statement's
words), and on SQLite (`make test`, `make run`) every word of the query must appear, whatever its case.
`uses_full_text_search` is the one place that chooses.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import Prefetch, Q, QuerySet, Value
from django.db.models.functions import Greatest, Length, Lower, StrIndex, Substr
from django.utils.html import escape

from compliance_site.accounts.permissions import has_capability
from compliance_site.accounts.visibility import visible_to
from compliance_site.registers import Register

from .models import ConclusionCitation, Incident, PublicStatement, StatementEvidence
from .models.public_statements import SEARCH_CONFIG, search_vector

# A snippet's matched words are marked with these (control characters the stored text never holds: see
# compliance_site.lib.document_text.tidy) and shown as highlighted text on the pages.
MARK_START, MARK_END = "\x02", "\x03"
_MARKED = re.compile(f"{MARK_START}(.*?){MARK_END}", re.DOTALL)
# What a word of a query may start or end with that is not part of it: `guidance.`, `'well`, `$412`.
_EDGE_PUNCTUATION = "\"'“”‘’.,;:!?()[]{}<>$€£"
_PHRASE_OR_WORD = re.compile(r'"([^"]+)"|(\S+)')
# The SQLite snippet: this many characters before the first match, and in all.
_BEFORE, _LENGTH = 120, 360
_FIRST_WORD, _LAST_WORD = re.compile(r"^\S*\s+"), re.compile(r"\s+\S*$")


def _reads_library(user) -> bool:
    return has_capability(user, "regfd.view")


@visible_to(PublicStatement)
def statements_visible_to(user, *, include_voided: bool = False) -> QuerySet[PublicStatement]:
    """The library, for the program's officers. A statement's text (up to a million characters) is left out
    of the rows: the statement's page reads it with `statement_detail`."""
    manager = PublicStatement.all_objects if include_voided else PublicStatement.objects
    qs = manager.select_related("added_by", "source_file", "voided_by").defer("text")
    return qs if _reads_library(user) else qs.none()


def statement_detail(user, pk) -> PublicStatement | None:
    """The statement `pk` with its text (voided ones too: their page says so), or None if the user may not
    see it."""
    qs = PublicStatement.all_objects.select_related("added_by", "source_file", "voided_by")
    return qs.filter(pk=pk).first() if _reads_library(user) else None


@visible_to(StatementEvidence)
def evidence_visible_to(user, *, include_voided: bool = False) -> QuerySet[StatementEvidence]:
    """The statements attached to incidents, for the program's officers (who see every incident)."""
    manager = StatementEvidence.all_objects if include_voided else StatementEvidence.objects
    qs = manager.select_related("incident", "statement", "attached_by", "voided_by").defer("statement__text")
    return qs if _reads_library(user) else qs.none()


@visible_to(ConclusionCitation)
def citations_visible_to(user) -> QuerySet[ConclusionCitation]:
    qs = ConclusionCitation.objects.select_related("incident", "statement").defer("statement__text")
    return qs if _reads_library(user) else qs.none()


def evidence_of(incident: Incident) -> tuple[list[StatementEvidence], list[StatementEvidence]]:
    """The incident's evidence: the live links and the removed (voided) ones, each by when they were
    attached, read at once."""
    rows = list(
        StatementEvidence.all_objects.filter(incident=incident)
        .select_related("statement", "attached_by", "voided_by")
        .defer("statement__text")
        .order_by("attached_at", "id")
    )
    return [row for row in rows if not row.is_voided], [row for row in rows if row.is_voided]


def attached_statements(incident: Incident) -> QuerySet[PublicStatement]:
    """The live statements attached to the incident as live evidence: what its conclusion may cite."""
    return (
        PublicStatement.objects.filter(evidence__incident=incident, evidence__voided_at__isnull=True)
        .defer("text")
        .order_by("published_at", "id")
    )


def cited_statements_prefetch() -> Prefetch:
    """Counsel's cited statements, for pages and the API that show incidents with their conclusion."""
    return Prefetch(
        "counsel_cited_statements",
        queryset=PublicStatement.all_objects.defer("text").order_by("published_at", "id"),
    )


# ---- Search ---------------------------------------------------------------------------------------------


def uses_full_text_search(queryset: QuerySet) -> bool:
    """True where the library is searched with PostgreSQL's full-text search, False where every word must
    simply appear (SQLite): the one place the search backend is chosen."""
    return connections[queryset.db].vendor == "postgresql"


def search_terms(q: str) -> list[str]:
    """The words and quoted phrases of a query, without the punctuation around them."""
    terms = []
    for phrase, word in _PHRASE_OR_WORD.findall(q):
        term = " ".join(phrase.split()) if phrase else word.strip(_EDGE_PUNCTUATION)
        if term:
            terms.append(term)
    return terms


def _full_text_query(q: str) -> SearchQuery:
    return SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)


def search_statements(qs: QuerySet[PublicStatement], *, q: str = "", kind: str = "") -> QuerySet:
    """The statements of `kind` matching `q`, best match first (on PostgreSQL, `rank`), then the latest
    published; without `q`, the latest published first."""
    if kind:
        qs = qs.filter(kind=kind)
    q = " ".join(q.split())
    if not q:
        return qs.order_by("-published_at", "-id")
    if uses_full_text_search(qs):
        # `search_vector()` is the GIN index's own expression: the match is answered from the index.
        query, vector = _full_text_query(q), search_vector()
        return (
            qs.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(search=query)
            .order_by("-rank", "-published_at", "-id")
        )
    for term in search_terms(q) or [q]:
        qs = qs.filter(Q(title__icontains=term) | Q(text__icontains=term))
    return qs.order_by("-published_at", "-id")


def snippets(statements, q: str) -> dict[int, list[tuple[str, bool]]]:
    """{statement id: [(text, is a match), ...]}: a few lines of each statement around what matched `q`, in
    one query for the whole page (so a page costs the same whatever its length). PostgreSQL marks the
    matched words as its search found them (stems included); SQLite shows the text around the first
    word's first occurrence and marks every word of the query."""
    ids = [statement.pk for statement in statements]
    q = " ".join(q.split())
    if not ids or not q:
        return {}
    rows = PublicStatement.all_objects.filter(pk__in=ids)
    if uses_full_text_search(rows):
        headline = SearchHeadline(
            "text",
            _full_text_query(q),
            config=SEARCH_CONFIG,
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_words=40,
            min_words=20,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        return {
            pk: _marked_parts(text)
            for pk, text in rows.annotate(snippet=headline).values_list("pk", "snippet")
        }
    terms = search_terms(q) or [q]
    start = Greatest(StrIndex(Lower("text"), Value(terms[0].lower())) - _BEFORE, 1)
    excerpt = rows.annotate(start=start, excerpt=Substr("text", start, _LENGTH), length=Length("text"))
    result = {}
    for pk, begin, text, length in excerpt.values_list("pk", "start", "excerpt", "length"):
        # Whole words only: the word the excerpt's edges cut through is left out.
        if begin > 1:
            text = "… " + _FIRST_WORD.sub("", text, count=1)
        if begin + _LENGTH <= length:
            text = _LAST_WORD.sub("", text, count=1) + " …"
        result[pk] = _terms_marked(text, terms)
    return result


def _marked_parts(text: str) -> list[tuple[str, bool]]:
    parts, at = [], 0
    for match in _MARKED.finditer(text or ""):
        if match.start() > at:
            parts.append((text[at : match.start()], False))
        parts.append((match.group(1), True))
        at = match.end()
    if at < len(text or ""):
        parts.append((text[at:], False))
    return [(part.replace(MARK_START, "").replace(MARK_END, ""), hit) for part, hit in parts]


def _terms_marked(text: str, terms: list[str]) -> list[tuple[str, bool]]:
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.I)
    parts, at = [], 0
    for match in pattern.finditer(text):
        if match.start() > at:
            parts.append((text[at : match.start()], False))
        parts.append((match.group(0), True))
        at = match.end()
    if at < len(text):
        parts.append((text[at:], False))
    return parts


def snippet_html(parts: list[tuple[str, bool]]) -> str:
    """A snippet as safe HTML: the text escaped, each match in <mark> (the API's `snippet`)."""
    return "".join(f"<mark>{escape(text)}</mark>" if hit else escape(text) for text, hit in parts)


# ---- The registers (compliance_site.registers) ----------------------------------------------------------

# The order is the search's (best match first), so the register adds none.
STATEMENTS = Register(statements_visible_to, search_statements)


def search_evidence(qs: QuerySet[StatementEvidence], *, incident: int | None = None) -> QuerySet:
    return qs.filter(incident_id=incident) if incident is not None else qs


EVIDENCE = Register(evidence_visible_to, search_evidence, ordering=("-attached_at", "-id"))
