"""The glossary (issue #15): every term in plain words with its anchor and the provision it comes from, the
`term` tag linking to it, and the pages using the tag where the terms appear."""

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TERMS = {
    "big-r": "Big R",
    "little-r": "little r",
    "required-to-prepare-date": "Required-to-prepare date",
    "recovery-period": "Recovery period",
    "incentive-based-compensation": "Incentive-based compensation",
    "financial-reporting-measure": "Financial reporting measure",
    "erroneously-awarded-compensation": "Erroneously awarded compensation",
    "reasonable-estimate": "Reasonable estimate",
    "impracticability": "Impracticability",
    "covered-executive": "Covered executive",
    "recusal": "Recusal",
    "quorum": "Quorum",
    "unanimous-written-consent": "Unanimous written consent",
    "specified-persons": "Specified Persons",
    "material-nonpublic-information": "Material nonpublic information",
    "intentional-disclosure": "Intentional and non-intentional disclosure",
    "promptly": '"Promptly"',
    "t0": "T0",
    "public-disclosure": "Public disclosure methods",
    "authorized-spokesperson": "Authorized spokesperson",
    "regulation-g": "Regulation G",
}
CITATION = re.compile(
    r"<cite>(Rule 10D-1|Rule 16a-1|Regulation FD 243\.|Regulation G 244\.|Policy)[^<]*</cite>"
)


def _get(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _entries(html: str) -> dict[str, str]:
    """Each term's entry: from its `id` to the next term's."""
    parts = re.split(r'<div class="mb-3" id="([a-z0-9-]+)" data-term>', html)
    return {parts[i]: parts[i + 1].split("</dl>")[0] for i in range(1, len(parts), 2)}


def test_the_glossary_lists_every_term_with_its_anchor_and_a_citation(users):
    entries = _entries(_get(users["employee"], reverse("glossary")))
    assert set(entries) == set(TERMS)
    for anchor, name in TERMS.items():
        entry = entries[anchor]
        assert f"<dt>{name}" in entry, anchor
        assert CITATION.search(entry), f"{anchor} cites no rule or policy clause"
        assert ".md" not in entry and "docs/" not in entry, f"{anchor} cites a file, not a provision"


def test_the_glossary_cites_the_provisions_by_name(users):
    entries = _entries(_get(users["employee"], reverse("glossary")))
    assert "<cite>Rule 10D-1(b)(1)(i)(D)</cite>" in entries["recovery-period"]
    assert "<cite>Policy: Recovery Period</cite>" in entries["recovery-period"]
    assert "<cite>Regulation FD 243.101(d)</cite>" in entries["promptly"]


def test_the_glossary_is_for_everyone_signed_in_and_linked_from_the_footer(client, users):
    assert client.get(reverse("glossary")).status_code == 302  # to sign in
    html = _get(users["employee"], reverse("dashboard"))
    footer = html.split("<footer", 1)[1]
    assert f'href="{reverse("glossary")}"' in footer


def test_the_term_tag_links_the_words_to_their_entry():
    html = Template('{% load compliance %}{% term "big-r" "Big R" %}').render(Context())
    assert html == '<a class="glossary-term" href="/glossary/#big-r">Big R</a>'


def test_the_term_tag_escapes_its_text():
    html = Template('{% load compliance %}{% term "big-r" text %}').render(Context({"text": "<b>R</b>"}))
    assert "<b>" not in html and "&lt;b&gt;R&lt;/b&gt;" in html


def test_the_restatement_form_links_big_r(users, company):
    html = _get(users["secretary"], reverse("clawback:restatement-create"))
    assert '<a class="glossary-term" href="/glossary/#big-r">Big R</a>' in html
    assert 'href="/glossary/#little-r"' in html and 'href="/glossary/#required-to-prepare-date"' in html


def test_the_restatement_list_links_the_required_to_prepare_date(users, company):
    html = _get(users["committee"], reverse("clawback:restatement-list"))
    assert 'href="/glossary/#required-to-prepare-date"' in html


def test_the_incident_form_links_specified_persons(users, company):
    html = _get(users["employee"], reverse("regfd:incident-report"))
    assert '<a class="glossary-term" href="/glossary/#specified-persons">Specified Person</a>' in html
