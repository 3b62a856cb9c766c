"""Plain language everywhere (issue #15): every page each demo persona can reach from their dashboard, every
reminder the demo sends (e-mail and in-app) and every document of the demo reads as words for directors,
secretaries and auditors, not as the developers' vocabulary. The visible text may not carry

- a reference to a Markdown file outside what the reader has (any `*.md` name);
- an enum-style token (`reasonable_estimate_required`, `time_vested`, `NOT_INCENTIVE_BASED`, `rtsr_2325`):
  a choice is shown by its label, a record by its name;
- an unformatted amount or quantity (`435000.00`, `500000.00 USD`, `4600 shares`): amounts are written
  `$500,000.00`, quantities `4,600 shares`;
- JSON (a truncated `{"field": ...}` as a reason), raw Markdown (`## Heading`, `**bold**`), or a count whose
  noun or verb disagrees with it (`1 award await`).

The failure lists every finding as `where (who): …snippet…`, so each can be fixed from the message alone.
"""

import io
import os
import re
import time
from collections import deque
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordDocument

from compliance_site.company.models import Company
from compliance_site.demo import PERSONAS, load_demo
from compliance_site.documents.kinds import SPECS
from compliance_site.documents.periods import quarter_of
from compliance_site.documents.presentation import pdf_context
from compliance_site.documents.snapshots.common import envelope
from compliance_site.notifications import services, sources
from compliance_site.notifications.models import Notification
from compliance_site.notifications.schedule import RULE_VERSION
from tests.notifications.test_message_content import every_kind_of_every_record

pytestmark = pytest.mark.django_db

# ---- what the crawl visits ----

MAX_PAGES = 1500  # all personas together (the demo gives about 1,000): the crawl takes about 50 s
MAX_QUERY_VARIANTS = 3  # `?page=2`, `?status=open`, ...: a few of each page, not every filter combination
# Every page is read once, as the first persona to reach it sees it; beyond that each persona reads one
# page of each kind (`/clawback/awards/N/`) as they see it: the eleventh award's page, seen by all nine,
# would be the same words 99 times.
PER_KIND = 1
# The personas differ most in what they may do: those who manage first, so their pages are read in full.
CRAWL_ORDER = [
    "secretary",
    "committee",
    "board",
    "auditor",
    "counsel",
    "ceo",
    "employee",
    "committee2",
    "admin",
]
SKIPPED_PATHS = re.compile(
    r"^/(api|admin|static|media)/|logout|sign-?out|/download|/export|/file/|\.(pdf|zip|xlsx|docx|csv|json)$",
    re.IGNORECASE,
)

# ---- what visible text may not carry ----

CHECKS = {
    "developer file": re.compile(r"\b[\w./-]+\.md\b", re.IGNORECASE),
    # snake_case and SCREAMING_SNAKE words, with digits too (`rtsr_2325`); URLs and e-mail addresses are
    # taken out of the text before this runs.
    "enum-style token": re.compile(r"(?<![\w@/.-])[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*[A-Za-z0-9](?![\w@/-])"),
    # 1234.56 and more: an amount without thousands separators (a formatted one is 1,234.56).
    "unformatted amount": re.compile(r"(?<![\w,.-])\d{4,}\.\d{2,}(?![\w-])"),
    # 5+ digits on their own: an amount or a quantity without separators. Digits joined to letters or
    # hyphens are a reference (`DOC-000123`, `Business Wire 20261101-0042`), a leading zero an identifier
    # (the CIK `0000046129`).
    "unformatted number": re.compile(r"(?<![\w,.#-])[1-9]\d{4,}(?![\w,.-]|\.\d)"),
    # 1000 to 9999 of something: `4600 shares`, `2500 units`.
    "unformatted quantity": re.compile(
        r"(?<![\w,.-])\d{4}(?:\.\d+)?\s+(?:shares|units|options|RSUs|PSUs|USD)\b", re.IGNORECASE
    ),
    # An amount is written $1,234.56: never `1,234.56 USD`.
    "amount in USD after the number": re.compile(r"\d\s*USD\b"),
    "JSON": re.compile(r"[\[{]\s*[\"'][\w ]+[\"']\s*:|\[\s*\{"),
    "raw Markdown": re.compile(
        r"(?:^|\s)#{1,6} \S|\*\*\S|\S\*\*(?:\s|$)|\[[^\]\n]+\]\([^)\s]+\)|(?:^|\n)\s*[-*] \["
    ),
    # `1 award await`, `1 award(s) await`, `1 awards`: after one, the noun and its verb are singular.
    "plural after 1": re.compile(
        r"(?<![\w,.-])1 (?:[a-z]+(?:\(s\))? )?(?:await|are|have|were|need|awards|cases|days|claims|"
        r"executives|incidents|items|votes|members|documents|reminders|records|hours|decisions)\b"
    ),
    "Python value": re.compile(r"\bDecimal\(|\bdatetime\.|\bNone\b(?= *[|,)\]}])|\b(?:True|False)\b"),
}

# Taken out of the text before the checks: they are neither words nor amounts.
URL = re.compile(r"\b(?:https?://|www\.)\S+|(?<!\w)/[\w./?=&%#-]*[\w/]|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# A SHA-256 (of a document, a snapshot, a determination, an audit checkpoint) and its short forms: a hex
# digest is the identifier an auditor compares, shown as it is.
HEX_DIGEST = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{12,64}\b")
# An audit checkpoint is written `SEQ:HASH` (manage.py verify_audit_log --checkpoint SEQ:HASH).
CHECKPOINT = re.compile(r"\b\d+:[0-9a-f]{12,64}\b")
TIME_ZONE = re.compile(r"\b(?:America|Europe|Asia|Africa|Australia|Pacific|Atlantic)/[A-Za-z_]+\b")
# A reference someone typed, quoted after its label: `ref. 55120` (a wire), `reference 20261101-0042`.
REFERENCE = re.compile(r"\b(?:ref\.|reference|no\.)\s*[\w-]+", re.IGNORECASE)
# Text in <code> is verbatim computer text: a hash, a column of an import file or a value typed in one
# (`scorecard_target`, `cash_bonus`), the key an import file names a record by (`net_income`), a command. It
# is exempt from the checks only while it is one such token (a few words at most): a sentence in <code> is
# checked like any other text.
CODE_START, CODE_END = "\x02", "\x03"
CODE = re.compile(f"{CODE_START}([^{CODE_END}]*){CODE_END}")
MAX_CODE_WORDS, MAX_CODE_CHARS = 4, 80
MONOSPACE_FONTS = {"Courier New", "Consolas", "Menlo"}  # code in a Word document

# ---- temporary allow-list: findings in files another change owns ----
# Each entry is (check, snippet regex) with the file the finding is in; the owner of that file fixes it and
# empties this list.
OWNED_ELSEWHERE: list[tuple[str, re.Pattern]] = []


# ---- visible text ----

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
INVISIBLE = {"script", "style", "template"}
BLOCK = {
    "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "br", "table",
    "section", "header", "footer", "nav", "main", "ul", "ol", "dl", "form", "label", "option", "button",
    "caption", "figcaption", "blockquote", "pre", "hr", "legend", "fieldset", "summary", "details", "article",
    "title", "noscript",
}  # fmt: skip


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: element text (the page's title, which the tab shows and a screen
    reader announces; visually-hidden text, which a screen reader reads; `hidden` and <noscript> text, which
    a script or its absence shows), the value a field shows (a button's label, a form's current value),
    image alternatives, `aria-label`s, tooltips (`title`) and placeholders. Left out: scripts, styles,
    templates and every other attribute (URLs, ids, field names, hidden fields)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in INVISIBLE and tag not in VOID:
            self.skipping += 1
            return
        if self.skipping:
            return
        if tag == "code":
            self.parts.append(CODE_START)
        attributes = dict(attrs)
        if tag in BLOCK:
            self.parts.append("\n")
        if tag == "input" and attributes.get("type") not in ("hidden", "password", "checkbox", "radio"):
            value = attributes.get("value") or ""  # a button's label, a field's value
            # A record's key being edited is the identifier import files name it by, as <code> shows one.
            key = re.search(r"(^|[-_])key$", attributes.get("name") or "")
            self.parts.append(f" {CODE_START}{value}{CODE_END} " if key else f" {value} ")
        for name in ("aria-label", "alt", "title", "placeholder"):
            if attributes.get(name):
                self.parts.append(f" {attributes[name]} ")

    def handle_startendtag(self, tag, attrs):
        if tag not in INVISIBLE:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in INVISIBLE and tag not in VOID:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "code" and not self.skipping:
            self.parts.append(CODE_END)
        elif tag in BLOCK and not self.skipping:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\u00a0", " ")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def _code(match: re.Match) -> str:
    code = match.group(1)
    identifier = len(code.split()) <= MAX_CODE_WORDS and len(code) <= MAX_CODE_CHARS
    return " " * len(match.group(0)) if identifier else f" {code} "


def findings(text: str) -> list[tuple[str, str]]:
    """(check, snippet with context) for each thing the text may not carry."""
    cleaned = CODE.sub(_code, text)
    text = text.replace(CODE_START, " ").replace(CODE_END, " ")
    for pattern in (URL, CHECKPOINT, HEX_DIGEST, TIME_ZONE, REFERENCE):
        cleaned = pattern.sub(_blank, cleaned)
    found = []
    for check, pattern in CHECKS.items():
        for match in pattern.finditer(cleaned):
            start, end = max(0, match.start() - 60), min(len(text), match.end() + 60)
            snippet = text[start:end].replace("\n", " ⏎ ")
            if any(c == check and allowed.search(snippet) for c, allowed in OWNED_ELSEWHERE):
                continue
            found.append((check, f"«{match.group(0)}» in …{snippet}…"))
    return found


DUMP = os.environ.get("PLAIN_LANGUAGE_DUMP", "")


class Report:
    """The findings of every page, e-mail and document, reported once per place and snippet."""

    def __init__(self):
        self.items: dict[tuple[str, str], set[str]] = {}
        self.checked = 0

    def check(self, where: str, who: str, text: str) -> None:
        self.checked += 1
        if DUMP:  # PLAIN_LANGUAGE_DUMP=/tmp/plain: every text read, one file each, to see what readers see
            name = re.sub(r"[^\w-]+", "_", f"{where} {who}")[:150]
            (Path(DUMP) / f"{self.checked:04d}-{name}.txt").write_text(f"{where} ({who})\n\n{text}\n")
        for check, snippet in findings(text):
            self.items.setdefault((f"{check}: {where}", snippet), set()).add(who)

    def lines(self) -> list[str]:
        return [
            f"{place} ({', '.join(sorted(who))}): {snippet}"
            for (place, snippet), who in sorted(self.items.items())
        ]


# ---- the demo ----


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nine personas, fast
    now = timezone.now()
    users = load_demo(now=now)
    deliver_every_reminder(users["secretary"], now=now)
    return users


def deliver_every_reminder(recipient, *, now):
    """Every kind of reminder every registered source plans, for each record that has reminders now, sent
    to `recipient` by e-mail and in the app (built as the message-content test builds them)."""
    for offset, (record, reminder) in enumerate(every_kind_of_every_record(now=now), start=1):
        reminder.due_at += timedelta(microseconds=offset)  # each one its own row
        reminder.content_type = ContentType.objects.get_for_model(record)
        reminder.object_id = record.pk
        reminder.roles = "secretary"
        reminder.rule_version = RULE_VERSION
        reminder.created_at = now
        reminder.save()
        title, body = sources.message_for(reminder, record, now=now)
        services._deliver_in_app(
            reminder, users=[recipient], title=title, body=body, url=sources.url_of(record), now=now
        )
        services._send_owed_emails(reminder, users=[recipient], now=now)


# ---- the crawl ----


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        parts = urlsplit(urljoin(base, href))
        if parts.netloc not in ("", "testserver") or SKIPPED_PATHS.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def kind_of(url: str) -> str:
    return re.sub(r"\d+", "N", url.partition("?")[0])


def crawl(client: Client, start: str, *, budget: int, read: set[str]):
    """(url, status, html) of the same-site HTML pages reachable by GET from `start`, breadth first: each
    page nobody has read yet (`read`) and the first PER_KIND pages of each kind."""
    queue, seen, variants, kinds = deque([start]), {start}, {}, {}
    while queue and budget > 0:
        url = queue.popleft()
        path, _, query = url.partition("?")
        if query:
            variants[path] = variants.get(path, 0) + 1
            if variants[path] > MAX_QUERY_VARIANTS:
                continue
        kind = kind_of(url)
        if url in read and kinds.get(kind, 0) >= PER_KIND:
            continue
        response = client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            for link in links_of(f'<a href="{response["Location"]}"></a>', url):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
            continue
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            continue
        read.add(url)
        kinds[kind] = kinds.get(kind, 0) + 1
        budget -= 1
        html = response.content.decode()
        yield url, response.status_code, html
        for link in links_of(html, url):
            if link not in seen:
                seen.add(link)
                queue.append(link)


def test_every_page_email_and_document_of_the_demo_reads_in_plain_words(demo):
    report = Report()
    started = time.monotonic()

    # Pages: each persona's, from their dashboard.
    assert sorted(CRAWL_ORDER) == sorted(username for username, *_ in PERSONAS), "a persona is left out"
    pages, read = 0, set()
    for username in CRAWL_ORDER:
        client = Client()
        client.force_login(demo[username])
        for url, status, html in crawl(client, reverse("dashboard"), budget=MAX_PAGES - pages, read=read):
            pages += 1
            report.check(
                f"page {url}" + ("" if status == 200 else f" [{status}]"), username, visible_text(html)
            )

    # E-mails and in-app notifications: every kind of reminder of every record.
    emails = list(mail.outbox)
    for message in emails:
        report.check(f"e-mail «{message.subject}»", message.to[0], f"{message.subject}\n{message.body}")
    for note in Notification.objects.all():
        report.check(f"notification «{note.title}»", note.user.username, f"{note.title}\n{note.body}")

    # Documents: the HTML each PDF kind gives WeasyPrint, and the text of the Word disclosure.
    documents = render_every_document(demo, report)

    elapsed = time.monotonic() - started
    summary = f"{pages} pages, {len(emails)} e-mails, {documents} documents in {elapsed:.0f} s"
    assert pages > 100 and emails and documents, summary
    if report.lines():
        pytest.fail(f"{summary}: {len(report.lines())} findings\n" + "\n".join(report.lines()), pytrace=False)


def render_every_document(users, report: Report) -> int:
    """Each PDF kind of document about each demo record it can be about, rendered to the HTML WeasyPrint
    would get; the Word disclosure's paragraphs and tables. The spreadsheets and export bundles are
    machine-readable data for auditors' tools (their column keys are the format's), so they are not read
    here."""
    now = timezone.now()
    actor = users["secretary"]
    company = Company.objects.get()
    count = 0
    for spec in SPECS.values():
        if spec.output not in ("pdf", "docx"):
            continue
        if spec.record == "company":
            if spec.period == "quarter":
                periods = sorted({quarter_of(now), quarter_of(now - timedelta(days=92))})
            else:
                periods = [p.label for p in company.fiscal_periods.filter(start__lte=now.date())][-2:]
            targets = [(company, period) for period in periods]
        else:
            targets = [(record, "") for record in spec.model.objects.order_by("pk")]
        for record, period in targets:
            snapshot = envelope(
                kind=spec.kind,
                title=spec.title(record, period),
                company=company,
                now=now,
                data=spec.build(record, period, actor, now),
            )
            where = f"document {spec.label} — {snapshot['title']}"
            common = dict(
                reference="DOC-000001", version=1, status="Draft", snapshot=snapshot, generated_at=now
            )
            if spec.output == "pdf":
                text = visible_text(render_to_string(spec.template, pdf_context(**common)))
            else:
                word = WordDocument(io.BytesIO(spec.docx(**common, generated_label="", logo=None)))
                cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
                text = "\n".join([word_text(p) for p in word.paragraphs] + cells)
            report.check(where, "document", text)
            count += 1
    return count


def word_text(paragraph) -> str:
    """A Word paragraph's text, its runs in a monospace font marked as code (as <code> is in HTML)."""
    return "".join(
        f"{CODE_START}{run.text}{CODE_END}" if run.font.name in MONOSPACE_FONTS else run.text
        for run in paragraph.runs
    )


# ---- the checks themselves ----

FOUND = [
    ("enum-style token", "Status: reasonable_estimate_required"),
    ("enum-style token", "basis is time_vested"),
    ("enum-style token", "NOT_INCENTIVE_BASED: not incentive-based"),
    ("enum-style token", "award rtsr_2325"),
    ("unformatted amount", "Dana Whitfield — 435000.00 owed"),
    ("amount in USD after the number", "Dana Whitfield — 500,000.00 USD owed"),
    ("unformatted quantity", "excess (4600 shares)"),
    ("unformatted number", "Received: 360000"),
    ("unformatted number", "Owed: $75000 by 123456789012"),
    ("JSON", 'estimate — → {"adopted_on": "2026-05-20", "documen...'),
    ("raw Markdown", 'The Board of Directors (the "**Board**")'),
    ("raw Markdown", "## Recovery period"),
    ("developer file", "as notes.md says"),
    ("developer file", "see GUIDE.md"),
    ("plural after 1", "1 award await the committee's estimate"),
    ("plural after 1", "1 award(s) await the committee's reasonable estimate."),
    ("Python value", "Adopted: True"),
]
PLAIN = [
    "Dana Whitfield — $435,000.00 owed, nothing outstanding",
    "excess 4,600 shares ($64,000.00)",
    "Award ceo-fy2024-bonus, FY2024-FY2025, received on 2026-05-20",
    "SHA-256 95b63a1c9d8d34df301ef45e27d8403ace1918f8d2dc002ab355a2fdf9337f66",
    "Audit trail checkpoint: 200:b36836c8b9e87ab305b785f3212dd26e",
    "CIK 0000046129 · Business Wire 20261101-0042 · wire ref. 55120 · DOC-000123 · Recovery claim #10234",
    "Open https://compliance.example.com/clawback/restatements/2/worksheet/ or write to sam_s@example.com",
    "Times are shown in your zone (America/New_York).",
    f"Columns: {CODE_START}scorecard_target{CODE_END}, {CODE_START}value_per_unit{CODE_END}",
    "2 awards await the committee's estimate; 1 award awaits it",
]


@pytest.mark.parametrize(("check", "text"), FOUND)
def test_the_checks_find_what_directors_must_not_read(check, text):
    assert check in {found for found, _ in findings(text)}, findings(text)


@pytest.mark.parametrize("text", PLAIN)
def test_the_checks_leave_plain_words_alone(text):
    assert findings(text) == []


def test_a_sentence_in_code_is_still_read():
    sentence = f"{CODE_START}the basis is time_vested and not a financial reporting measure{CODE_END}"
    assert [check for check, _ in findings(sentence)] == ["enum-style token"]


def test_visible_text_keeps_what_is_read_aloud_and_drops_markup():
    html = (
        "<html><head><title>Cases</title><style>.a_b{}</style></head><body><script>var x_y = 1;</script>"
        '<a href="/a_b/" data-x="c_d">Case</a> <span class="visually-hidden">for Dana</span>'
        '<input type="hidden" name="k_v" value="g_h"><input name="amount" value="1,250.00">'
        '<input name="form-0-key" value="net_income">'
        '<input type="submit" value="Save"><img src="/x_y.png" alt="Logo"><template>e_f</template></body></html>'
    )
    text = visible_text(html)
    shown = text.replace(CODE_START, "").replace(CODE_END, "")
    assert shown == "Cases\nCase for Dana 1,250.00 net_income Save Logo" and findings(text) == []


# ---- the fixes at their source ----


@pytest.mark.parametrize(
    ("engine", "plain"),
    [
        (
            "Excess = max(0, received 1,200,000.00 USD - recomputed 960,000.00 USD) = 240,000.00 USD.",
            "Excess = max(0, received $1,200,000.00 - recomputed $960,000.00) = $240,000.00.",
        ),
        (
            "In dollars: 4,000 units x 62.5 USD per unit = 250,000.00 USD.",
            "In dollars: 4,000 units x $62.50 per unit = $250,000.00.",
        ),
        (
            "Out of scope (Rule 10D-1(b)(1)(i) and (d)): NOT_INCENTIVE_BASED: not incentive-based: basis is "
            "time_vested, not a financial reporting measure; PRE_EFFECTIVE_DATE: received 2023-06-30",
            "Out of scope (Rule 10D-1(b)(1)(i) and (d)): not incentive-based: basis is time-vested, not a "
            "financial reporting measure; received 2023-06-30",
        ),
        (
            "net_income FY2024: original 240,000,000 (measure tsr_percentile is a tsr measure)",
            "Net income FY2024: original 240,000,000 (measure Relative TSR percentile is a total shareholder "
            "return measure)",
        ),
        (
            "Already recovered of this award: 5,000.00 USD on 2026-01-02 (sox_304, SEC order 2026-17).",
            "Already recovered of this award: $5,000.00 on 2026-01-02 (reimbursed under SOX 304, SEC order "
            "2026-17).",
        ),
    ],
)
def test_the_engine_explanation_reads_in_plain_words(engine, plain):
    from clawback.wording import plain_explanation

    names = {"net_income": "Net income", "tsr_percentile": "Relative TSR percentile"}
    text = plain_explanation(engine, names)
    assert text == plain and findings(text) == []


def test_a_policy_text_reads_as_a_document_and_never_as_markup():
    from compliance_site.lib.policytext import policy_html

    html = policy_html(
        'CLAWBACK POLICY\n\nIntroduction\n\nThe Board (the "**Board**") <b>adopts</b>:\n\n- cash;\n- stock.'
    )
    assert html == (
        '<h2 class="h5 mt-4">CLAWBACK POLICY</h2>\n<h2 class="h5 mt-4">Introduction</h2>\n'
        "<p>The Board (the &quot;<strong>Board</strong>&quot;) &lt;b&gt;adopts&lt;/b&gt;:</p>\n"
        "<ul><li>cash;</li><li>stock.</li></ul>"
    )
