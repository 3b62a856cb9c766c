"""The rules and the architecture are documented in the repository's own `docs/`, and the code points there.

- No .py or .html file outside docs/ names a markdown file of rules or of house style: those once kept
  outside the repository are gone, and code cites our own docs by name without the extension
  ("docs/clawback-rules §1.6"), so the plain grep for such file names finds nothing outside docs/.
- Every "docs/<name> §x.y" cited in code (with ".md" in the docs and CONTRIBUTING themselves) is a heading
  of that file; a quoted label after the section ("§1.6 "Scope test"") appears in that section, and a quoted
  label after the file alone ("docs/clawback-rules, "Approval and changed inputs"") is one of its
  headings.
- The docs exist and keep the section numbering the code cites (§1.1-§1.10 clawback, §2.1-§2.6 and §3
  Regulation FD).
- Templates, which users read, cite the rule itself and never a docs file.
"""

import os
import re
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
MD = ".md"
DOC_FILES = ("clawback-rules", "regfd-rules", "architecture")
# Spelled in pieces so that this file passes the plain grep it stands for, too.
EXTERNAL_DOCUMENT = re.compile("(rules|STYLE)" + re.escape(MD))
PRUNED_DIRS = {".venv", ".git", "docs", "node_modules", "__pycache__", "var"}

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
_SECTION = re.compile(r"§(\d+(?:\.\d+)*)")
_NUMBER = r"\d+(?:\.\d+)*"
# A citation: docs/<name>, ".md" or not, then any run of sections (§1.5, §1.3-§1.7, §1.3–1.4) and quoted labels
# separated by spaces or commas (a quote right after a section closes an enclosing quotation instead).
_CITATION = re.compile(
    r"docs/(?P<file>[\w-]+?)(?:\.md)?(?![\w.-])"
    rf"(?P<tail>(?:[ ,]*§{_NUMBER}(?:\s*[-–]\s*§?{_NUMBER})?|[ ,]+\"[^\"\n]{{1,80}}\")*)"
)
_TAIL_ITEM = re.compile(rf"§(?P<first>{_NUMBER})(?:\s*[-–]\s*§?(?P<last>{_NUMBER}))?|\"(?P<label>[^\"]+)\"")


def _source_files(*suffixes: str) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in PRUNED_DIRS]
        found.extend(Path(root) / name for name in files if name.endswith(suffixes))
    return sorted(found)


def _flatten(text: str) -> str:
    """One line: a citation wrapped across lines of a docstring or a `#` comment reads as one."""
    return re.sub(r"[ \t]*\n[ \t]*(?:#[ \t]*)?", " ", text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "").replace("`", "")).strip().lower()


@cache
def _sections(doc: str) -> dict[str, tuple[str, str]]:
    """{"1.5": (heading, the section's text up to the next heading of the same or a higher level)}."""
    lines = (DOCS / (doc + MD)).read_text(encoding="utf-8").splitlines()
    headings = [(i, len(m[1]), m[2]) for i, line in enumerate(lines) if (m := _HEADING.match(line))]
    sections = {}
    for n, (i, level, title) in enumerate(headings):
        number = _SECTION.match(title)
        end = next((j for j, lvl, _ in headings[n + 1 :] if lvl <= level), len(lines))
        if number:
            sections[number[1]] = (title, "\n".join(lines[i:end]))
    return sections


@cache
def _headings(doc: str) -> tuple[str, ...]:
    text = (DOCS / (doc + MD)).read_text(encoding="utf-8")
    return tuple(m[2] for line in text.splitlines() if (m := _HEADING.match(line)))


def _citations() -> list[tuple[str, str, str]]:
    """(where, doc file, tail) for every docs citation in code, templates, the docs and CONTRIBUTING."""
    files = [*_source_files(".py", ".html"), *sorted(DOCS.glob("*.md")), REPO / "CONTRIBUTING.md"]
    found = []
    for path in files:
        text = _flatten(path.read_text(encoding="utf-8", errors="replace"))
        for match in _CITATION.finditer(text):
            found.append((str(path.relative_to(REPO)), match["file"], match["tail"]))
    return found


def test_docs_exist():
    for name in DOC_FILES:
        path = DOCS / (name + MD)
        assert path.is_file(), f"docs/{path.name} is missing"
        assert len(path.read_text(encoding="utf-8")) > 2000, f"docs/{path.name} is nearly empty"


@pytest.mark.parametrize(
    ("doc", "numbers"),
    [
        ("clawback-rules", ["1", *(f"1.{n}" for n in range(1, 11))]),
        ("regfd-rules", ["2", *(f"2.{n}" for n in range(1, 7)), "3"]),
    ],
)
def test_rule_docs_keep_the_section_numbers_code_cites(doc, numbers):
    missing = [number for number in numbers if number not in _sections(doc)]
    assert not missing, f"docs/{doc} has no heading for " + ", ".join(f"§{n}" for n in missing)


def test_contributing_says_how_to_add_each_thing():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    headings = [m[2] for line in text.splitlines() if (m := _HEADING.match(line))]
    for wanted in ("How to add a record type", "How to add a document kind", "How to add a rule"):
        assert any(h.startswith(wanted) for h in headings), f"CONTRIBUTING.md has no '{wanted}' section"


def test_no_code_or_template_cites_documents_outside_the_repository():
    offenders = []
    for path in _source_files(".py", ".html"):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if EXTERNAL_DOCUMENT.search(line):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not offenders, "cite docs/ instead:\n" + "\n".join(offenders)


def test_every_cited_docs_section_exists():
    citations = _citations()
    # The code cites docs/ in dozens of places: finding none means the pattern broke, not that all is well.
    assert len(citations) > 20
    problems = []
    for where, doc, tail in citations:
        if doc not in DOC_FILES:
            problems.append(f"{where}: docs/{doc} does not exist")
            continue
        sections = _sections(doc)
        last_section = None
        for item in _TAIL_ITEM.finditer(tail):
            if item["label"] is not None:
                label = _squash(item["label"])
                if last_section is not None:
                    if label not in _squash(sections[last_section][1]):
                        problems.append(
                            f'{where}: docs/{doc} §{last_section} does not mention "{item["label"]}"'
                        )
                elif not any(label in _squash(h) for h in _headings(doc)):
                    problems.append(f'{where}: docs/{doc} has no heading "{item["label"]}"')
                continue
            for number in filter(None, (item["first"], item["last"])):
                if number not in sections:
                    problems.append(f"{where}: docs/{doc} has no heading §{number}")
            last_section = item["first"] if item["first"] in sections else None
    assert not problems, "\n".join(problems)


def test_templates_cite_the_rule_not_a_docs_file():
    offenders = [
        str(path.relative_to(REPO))
        for path in _source_files(".html")
        if _CITATION.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not offenders, "users read templates: cite the regulation or the policy clause in " + ", ".join(
        offenders
    )
