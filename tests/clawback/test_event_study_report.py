"""The event study report for the exchange (Rule 10D-1(b)(1)(iii)(A)): the PDF the committee provides, the
CSV that re-performs the study, the price chart, the study's summary in the reasonable-estimate
documentation, the FINAL rule and the case's walls.

The study runs on worked example 2 (the CEO's relative-TSR PSU, FY2024–FY2026 performance period ending
2026-09-30; committee2 recused) over 3½ years of synthetic daily closes: the restatement news on 2026-11-06
takes about 12% off the price, the restated 10-K on 2026-12-03 moves it by little.
"""

import csv
import hashlib
import io
import json
import random
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from clawback import event_study as engine
from clawback.documents import snapshots
from clawback.documents.event_study import (
    event_study_csv,
    event_study_data,
    fixed,
    pct,
    price_chart_svg,
    pval,
    reperform_csv,
)
from clawback.models import EventStudyAward, Executive, PricePoint, PriceSet
from clawback.services import event_studies
from compliance_site.accounts.roles import Role
from compliance_site.documents.models import GeneratedDocument
from compliance_site.documents.presentation import pdf_context
from compliance_site.documents.selectors import documents_visible_to
from compliance_site.documents.services import regenerate_document, request_document
from compliance_site.documents.snapshots.common import envelope
from tests.clawback.workflow_setup import NOW, approve, award, reviewed_example_2
from tests.clients import api_error, token_api_for
from tests.documents.conftest import pdf_text
from tests.factories import UserFactory
from tests.test_plain_language import findings, visible_text

pytestmark = pytest.mark.django_db

KIND = "clawback_event_study"
NEWS, FILING = date(2026, 11, 6), date(2026, 12, 3)
FIRST_DAY, LAST_DAY = date(2023, 6, 1), date(2026, 12, 31)
# The company's TSR over the period is about -24% actual and -27% but for the misstatement: 4 and 3 peers
# below it, so the 44.44th and the 33.33rd percentile.
PEERS = [
    [f"Peer {n}", tsr] for n, tsr in enumerate(["-40", "-32", "-28", "-25", "-18", "-10", "0", "8", "15"], 1)
]


@pytest.fixture(autouse=True)
def _media_and_eager_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from compliance_site.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def synthetic_prices() -> list[tuple[date, Decimal, Decimal]]:
    """Weekday closes: the market a random walk, the stock 1.1 times the market plus its own noise, with
    the restatement news (-12%) and a small move on the restated 10-K."""
    rng = random.Random(10)
    rows, company, market, day = [], 50.0, 4000.0, FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 5:
            if rows:
                move = rng.gauss(0.0003, 0.01)
                market *= 1 + move
                shock = {NEWS: -0.12, FILING: 0.004}.get(day, 0.0)
                company *= 1 + 0.0002 + 1.1 * move + rng.gauss(0, 0.012) + shock
            rows.append((day, Decimal(f"{company:.4f}"), Decimal(f"{market:.2f}")))
        day += timedelta(days=1)
    return rows


def studied_case(users, *, outcome: str = "adopted", approved: bool = True):
    """Example 2 under review, the CEO (a committee member's login) covered; the study run, carried to the
    CEO's relative-TSR award and answered by the committee; the determination then approved and signed."""
    case = reviewed_example_2(users)
    users["covered"] = UserFactory(username="covered-ceo", roles=[Role.COMMITTEE])
    Executive.objects.filter(company=case.company, key="ceo").update(user=users["covered"])
    rows = synthetic_prices()
    price_set = PriceSet.objects.create(
        company=case.company,
        name="HBR and S&P 500 daily closes, 2023–2026",
        source="Market data vendor extract of 2027-01-05: HBR close, S&P 500 index level",
        file_name="hbr_spx_2023_2026.csv",
        file_sha256=hashlib.sha256(b"prices").hexdigest(),
        columns={"date": "Date", "company": "HBR close", "market": "S&P 500"},
        first_day=rows[0][0],
        last_day=rows[-1][0],
        row_count=len(rows),
        warnings=["Thanksgiving and 8 other weekdays are not trading days: their rows were kept as given."],
        imported_by=users["secretary"],
    )
    PricePoint.objects.bulk_create(
        PricePoint(price_set=price_set, day=d, company=c, market=m) for d, c, m in rows
    )
    committee = users["committee"]
    study = event_studies.run_event_study(
        actor=committee,
        case=case,
        price_set=price_set,
        event_dates=[NEWS, FILING],
        event_labels={
            NEWS.isoformat(): "Form 8-K Item 4.02 filed",
            FILING.isoformat(): "Restated 10-K filed",
        },
        now=NOW,
    )
    result = event_studies.apply_to_award(
        actor=committee, study=study, award=award(case, "ceo-tsr-psu"), measure_kind="tsr_percentile",
        peer_tsrs=PEERS, now=NOW,
    )  # fmt: skip
    if outcome != "proposed":
        result = event_studies.answer_result(
            actor=committee,
            result=result,
            outcome=outcome,
            value=Decimal("40") if outcome == "adjusted" else None,
            reason=""
            if outcome == "adopted"
            else "The committee gives weight to the peers' own restatements.",
            provided_to_exchange_on=NOW.date(),
            now=NOW,
        )
    if approved:
        approve(case, users, held_on=NOW.date())
    case.refresh_from_db()
    return case, study, result


@pytest.fixture
def studied(users):
    return studied_case(users)


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """generate(actor, kind, record, final=False) -> the rendered document (request -> on_commit -> task)."""

    def make(actor, kind, record, *, final=False) -> GeneratedDocument:
        with django_capture_on_commit_callbacks(execute=True):
            document = request_document(actor=actor, kind=kind, record=record, final=final, now=NOW)
        document.refresh_from_db()
        assert document.state == GeneratedDocument.State.DONE, document.error
        return document

    return make


def flat(document: GeneratedDocument) -> str:
    return " ".join(pdf_text(document).split())


def html_of(kind: str, record, actor) -> str:
    """The HTML WeasyPrint is given for a DRAFT of `kind` about `record`, as the plain-language test reads it."""
    from compliance_site.documents.kinds import get_spec

    spec = get_spec(kind)
    snapshot = envelope(kind=kind, title=spec.title(record, ""), company=None, now=NOW,
                        data=spec.build(record, "", actor, NOW))  # fmt: skip
    context = pdf_context(
        reference="DOC-000001", version=1, status="Draft", snapshot=snapshot, generated_at=NOW
    )
    return render_to_string(spec.template, context)


# The report ---------------------------------------------------------------------------------------------


def test_the_report_prints_every_section_the_exchange_needs(users, studied, generate):
    case, study, result = studied
    document = generate(users["committee"], KIND, study)
    text = flat(document)
    assert document.title == f"Event study — {case.title}"
    assert document.filename.startswith("event-study-") and document.status == "draft"
    for heading in (
        "1. Purpose and conclusion", "2. Data sources", "3. Method", "4. Regression output",
        "5. Abnormal returns", "6. Chart", "7. Inflation and the but-for price", "8. Limitations",
    ):  # fmt: skip
        assert heading in text
    # The conclusion: the award's measure, actual vs but-for, the payout recomputed and the outcome.
    figures = result.figures
    assert "Morgan Reyes — Performance shares, Relative TSR percentile FY2024-FY2026" in text
    assert (figures["actual_value"], figures["but_for_value"]) == ("44.44", "33.33")
    assert f"Actual value percentile rank {Decimal(figures['actual_value']):.2f}" in text
    assert f"But-for value percentile rank {Decimal(figures['but_for_value']):.2f}" in text
    assert f"Adopted by the committee: percentile rank {Decimal(figures['but_for_value']):.2f}." in text
    assert f"Received {Decimal(figures['received']):,.0f} units" in text
    # The data: the price set, its file and hash, the days and the warnings accepted.
    assert "HBR and S&P 500 daily closes, 2023–2026" in text and "hbr_spx_2023_2026.csv" in text
    assert f"2023-06-01 to 2026-12-31: {PricePoint.objects.count():,} trading days" in text
    assert study.price_set.file_sha256 in text and "Thanksgiving and 8 other weekdays" in text
    # The method: the equation, the windows, the level and Holm's adjustment in words.
    estimation = study.result["estimation"]
    assert "R = α + β × Rm + ε" in text
    assert f"{estimation['start']} to {estimation['end']}: 250 daily returns, ending 10 trading days" in text
    assert "Trading days 0 to +1 around each event date" in text and "5%, two-sided" in text
    assert "adjusted by Holm's method" in text
    assert "Counted: 2026-11-06 (Form 8-K Item 4.02 filed)." in text
    # The regression, formatted: estimates and errors to 6 places, t to 2, p to 4.
    for c in estimation["coefficients"]:
        row = f"{c['label']} {fixed(c['estimate'], 6)} {fixed(c['std_error'], 6)} {fixed(c['t'], 2)} {pval(c['p'])}"
        assert row in text
    assert (
        f"R² {estimation['r_squared']:.4f}" in text
        and f"Residual degrees of freedom {estimation['df_resid']}" in text
    )
    # The abnormal returns, day by day, and each event's CAR with its interval.
    news = study.result["events"][0]
    first = news["days"][0]
    assert (
        f"{first['date']} 0 {pct(first['return'])} {pct(first['market_return'])} {pct(first['expected'])} "
        f"{pct(first['abnormal'])} {pct(first['std_error'])} {fixed(first['t'], 2)}"
    ) in text
    assert f"Cumulative abnormal return (CAR) {pct(news['car'])}" in text and pct(news["car"]).startswith("−")
    assert f"95% confidence interval {pct(news['car_ci'][0])} to {pct(news['car_ci'][1])}" in text
    # The inflation and the but-for prices where the award is measured; the limitations.
    assert f"Inflation per share ${study.result['inflation']['per_share_dollar']:,.2f}" in text
    assert (
        f"Start: the close before the period ({figures['start_day']}) ${Decimal(figures['actual_start']):,.2f}"
        in text
    )
    assert "Other news on an event day" in text and "not a certainty" in text
    assert study.result_sha256 in text


def test_the_report_and_the_estimates_documentation_read_in_plain_words(users, studied):
    case, study, _ = studied
    for kind, record in ((KIND, study), ("clawback_estimates", case)):
        assert findings(visible_text(html_of(kind, record, users["secretary"]))) == [], kind


def test_the_estimates_documentation_summarizes_the_study_an_estimate_was_adopted_from(
    users, studied, generate
):
    case, study, result = studied
    text = flat(generate(users["secretary"], "clawback_estimates", case))
    news = study.result["events"][0]
    assert "Event study behind this estimate" in text
    assert (
        f"Event study Number {study.pk}, run {study.run_at:%Y-%m-%d}" in text and "Model Market model" in text
    )
    assert "Prices HBR and S&P 500 daily closes, 2023–2026 — Market data vendor extract" in text
    assert f"2026-11-06 (Form 8-K Item 4.02 filed): CAR {pct(news['car'])}, p {pval(news['car_p'])}" in text
    assert "2026-12-03" not in text.split("Event study behind this estimate")[1]  # not counted
    assert f"percentile rank {Decimal(result.figures['actual_value']):.2f} actual" in text
    assert "Committee's adjustment" not in text


def test_an_adjusted_estimate_shows_the_committees_value_and_reason_in_one_query(users):
    case, study, result = studied_case(users, outcome="adjusted", approved=False)
    with CaptureQueriesContext(connection) as queries:
        estimates = snapshots._estimates(case)
    assert len(queries) == 2  # the estimates, and the studies they were adopted from
    summary = dict(estimates[0]["event_study"])
    assert summary["Committee's adjustment"] == (
        "percentile rank 40.00 instead. Reason: The committee gives weight to the peers' own restatements."
    )
    assert result.outcome == EventStudyAward.Outcome.ADJUSTED


def test_a_two_factor_study_not_yet_carried_to_an_award_prints_its_peer_index(users, studied):
    case, _, _ = studied
    rng = random.Random(3)
    rows = [(d, c, m, (m * Decimal(f"{0.05 + rng.gauss(0, 0.0005):.6f}")).quantize(Decimal("0.01")))
            for d, c, m in synthetic_prices()]  # fmt: skip
    price_set = PriceSet.objects.create(
        company=case.company, name="HBR, S&P 500 and peer index", source="Vendor extract", file_name="p.csv",
        file_sha256="0" * 64, columns={"company": "HBR", "market": "SPX", "peer": "Peers"}, first_day=FIRST_DAY,
        last_day=LAST_DAY, row_count=len(rows), has_peer=True, imported_by=users["secretary"],
    )  # fmt: skip
    PricePoint.objects.bulk_create(
        PricePoint(price_set=price_set, day=d, company=c, market=m, peer=p) for d, c, m, p in rows
    )
    study = event_studies.run_event_study(
        actor=users["committee"], case=case, price_set=price_set, event_dates=[NEWS], window=(-1, 1),
        model="two_factor", inflation_method="constant_percent", counted="all", now=NOW,
    )  # fmt: skip
    text = visible_text(html_of(KIND, study, users["secretary"]))
    assert "R = α + β1 × Rm + β2 × Rp + ε" in text and "Rp the peer index's" in text
    assert (
        "Peer index" in text
        and "Peer return" in text
        and "Trading days −1 to +1 around each event date" in text
    )
    assert "Constant percentage" in text and "Every event counts" in text
    assert "The study has not been carried to an award yet" in text
    assert findings(text) == []
    assert reperform_csv(event_study_csv(study)) == study.result


# The chart ----------------------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def test_the_chart_is_well_formed_svg_with_both_series_and_the_events(users, studied):
    _, study, _ = studied
    series = study.result["series"]
    svg = ET.fromstring(
        price_chart_svg(series, [{"date": NEWS.isoformat(), "label": "8-K"}, FILING.isoformat()])
    )
    assert svg.get("viewBox") == "0 0 680 300" and svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Actual closing price and but-for price"
    assert "Event dates marked: 2026-11-06 8-K; 2026-12-03." in svg.find(f"{SVG}desc").text
    lines = {p.get("data-series"): p.get("points").split() for p in svg.iter(f"{SVG}polyline")}
    assert set(lines) == {"actual", "but-for"} and all(
        len(points) == len(series) for points in lines.values()
    )
    # Before the news the but-for price is below the close (the inflation is out of it), lower on the page.
    assert float(lines["but-for"][0].split(",")[1]) > float(lines["actual"][0].split(",")[1])
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    dollars = [t for t in texts if t.startswith("$")]
    assert 4 <= len(dollars) <= 6, dollars
    assert "Jan 2024" in texts and "2026-11-06 8-K" in texts and "Event date" in texts


def test_the_chart_escapes_labels_and_picks_round_ticks():
    series = [
        {"date": (date(2025, 1, 2) + timedelta(days=i)).isoformat(), "close": 61.25 + i / 100, "inflation": 2.5,
         "but_for": 58.75 + i / 100}
        for i in range(0, 400, 3)
    ]  # fmt: skip
    markup = price_chart_svg(series, [{"date": "2025-06-02", "label": 'Form 8-K <4.02> & "more"'}])
    svg = ET.fromstring(markup)
    assert 'Form 8-K <4.02> & "more"' in [
        t.text.split(" ", 1)[1] for t in svg.iter(f"{SVG}text") if t.text[:4] == "2025"
    ]
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.text.startswith("$")]
    assert ticks == ["$58", "$60", "$62", "$64", "$66"]
    assert ET.fromstring(price_chart_svg([], [])).find(f"{SVG}desc").text == "No prices to chart."


# The CSV ------------------------------------------------------------------------------------------------


def test_the_csv_holds_every_price_and_re_performs_the_study(studied):
    _, study, _ = studied
    text = event_study_csv(study)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["section", "event", "date", "item", "field", "value"]
    sections = {r["section"] for r in rows}
    assert sections >= {
        "study", "price_set", "parameter", "event_label", "price", "estimation", "coefficient", "event_day",
        "event", "inflation", "series", "award", "award_figure", "award_peer_tsr",
    }  # fmt: skip
    prices = {}
    for r in rows:
        if r["section"] == "price":
            prices.setdefault(date.fromisoformat(r["date"]), {})[r["field"]] = r["value"]
    stored = {p.day: p for p in PricePoint.objects.filter(price_set=study.price_set)}
    assert set(prices) == set(stored) and len(prices) == study.price_set.row_count
    assert all(
        prices[d]["company"] == str(p.company) and prices[d]["market"] == str(p.market)
        for d, p in stored.items()
    )
    # Floats are written with repr: read back, they are the very floats of the result.
    car = next(
        r for r in rows if r["section"] == "event" and r["field"] == "car" and r["event"] == NEWS.isoformat()
    )
    assert float(car["value"]) == study.result["events"][0]["car"]
    # Re-performing: the CSV's prices and parameters, given to the engine, give the study's result.
    parameters = {r["field"]: r["value"] for r in rows if r["section"] == "parameter"}
    params = engine.StudyParameters(
        event_dates=tuple(date.fromisoformat(d) for d in parameters["event_dates"].split(";")),
        estimation_days=int(parameters["estimation_days"]),
        gap_days=int(parameters["gap_days"]),
        window=tuple(int(n) for n in parameters["window"].split(";")),
        model=parameters["model"],
        significance=float(parameters["significance"]),
        inflation_method=parameters["inflation_method"],
        counted=parameters["counted"],
        inflation_start=date.fromisoformat(parameters["inflation_start"]),
    )
    price_rows = [
        engine.PriceRow(
            day, Decimal(p["company"]), Decimal(p["market"]), Decimal(p["peer"]) if p["peer"] else None
        )
        for day, p in sorted(prices.items())
    ]
    assert engine.run_study(price_rows, params) == study.result
    assert reperform_csv(text) == study.result


# FINAL and the walls ------------------------------------------------------------------------------------


def test_a_draft_always_a_final_only_on_an_adopted_result_and_an_approved_determination(users, generate):
    case, study, result = studied_case(users, outcome="proposed", approved=False)
    committee = users["committee"]
    assert generate(committee, KIND, study).status == "draft"
    with pytest.raises(ValidationError, match="committee's adoption of the study's result"):
        request_document(actor=committee, kind=KIND, record=study, final=True, now=NOW)
    event_studies.answer_result(
        actor=committee, result=result, outcome="adopted", provided_to_exchange_on=NOW.date(), now=NOW
    )
    with pytest.raises(ValidationError, match="needs an approved determination"):
        request_document(actor=committee, kind=KIND, record=study, final=True, now=NOW)
    approve(case, users, held_on=NOW.date())
    final = generate(committee, KIND, study, final=True)
    assert final.status == "final" and "FINAL" in pdf_text(final)
    assert final.snapshot["data"]["adopted_results"] == [result.pk]
    # The answer withdrawn (the result voided), a FINAL version is no longer made from that snapshot.
    EventStudyAward.all_objects.filter(pk=result.pk).update(
        voided_at=NOW, voided_by=committee, void_reason="x"
    )
    with pytest.raises(ValidationError, match="no longer adopted"):
        regenerate_document(actor=committee, document=final, now=NOW)


def test_a_rejected_result_gives_no_final_report(users):
    _, study, _ = studied_case(users, outcome="rejected", approved=False)
    with pytest.raises(ValidationError, match="committee's adoption"):
        request_document(actor=users["committee"], kind=KIND, record=study, final=True, now=NOW)


def test_the_report_is_walled_as_the_cases_other_documents(users, studied, generate):
    case, study, _ = studied
    report = generate(users["committee"], KIND, study)
    determination = generate(users["committee"], "clawback_determination", case)
    # The executive the case covers neither requests nor reads it, through the service, the list or the API.
    covered = users["covered"]
    for kind, record in ((KIND, study), ("clawback_determination", case)):
        with pytest.raises(PermissionDenied):
            request_document(actor=covered, kind=kind, record=record, now=NOW)
    assert not documents_visible_to(covered).filter(pk__in=[report.pk, determination.pk]).exists()
    api = token_api_for(covered)
    api_error(api.post("/api/documents/", {"kind": KIND, "record_id": study.pk}, format="json"), 404)
    api_error(api.get(f"/api/documents/{report.pk}/download/"), 404)
    # A recused member sees the case and takes no part in it: for the report exactly as for the case's
    # determination (policy "Administration"), so both walls are the case's own.
    recused = users["committee2"]
    visible = set(
        documents_visible_to(recused)
        .filter(pk__in=[report.pk, determination.pk])
        .values_list("pk", flat=True)
    )
    assert visible == {report.pk, determination.pk}
    response = token_api_for(recused).post(
        "/api/documents/", {"kind": KIND, "record_id": study.pk}, format="json"
    )
    assert response.status_code == 202, response.content


def test_the_snapshot_is_plain_json_and_the_same_when_taken_again(users, studied):
    _, study, _ = studied
    data = event_study_data(study)
    assert json.loads(json.dumps(data)) == data
    assert event_study_data(study) == data
    assert data["study"]["csv_sha256"] == hashlib.sha256(event_study_csv(study).encode()).hexdigest()
