"""The what-if page: a committee member uploads the specification's example scenarios and sees the worked
result; bad input shows every problem with its JSON path."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import needs_chromium, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]

REPO = Path(__file__).resolve().parents[2]
# The lead keeps copies of the spec examples in the repo; until then (and in CI, which checks shared/ out
# beside the repo) read them from the specification itself.
EXAMPLE_DIRS = [REPO / "tests" / "clawback" / "examples", REPO.parent / "shared" / "spec" / "examples"]
DEMO_SCENARIO = REPO / "clawback" / "demo_data" / "restatement-2026.scenario.json"  # == example 1


def example(name: str) -> Path:
    for folder in EXAMPLE_DIRS:
        if (folder / name).is_file():
            return folder / name
    if name == "example-1.scenario.json" and DEMO_SCENARIO.is_file():
        return DEMO_SCENARIO
    pytest.fail(f"{name} not found in any of: {', '.join(map(str, EXAMPLE_DIRS))}")


def open_whatif(page, live_server):
    sign_in(page, live_server, "committee")
    page.locator('[data-nav="clawback:whatif"]').click()
    expect(page).to_have_url(f"{live_server.url}/clawback/what-if/")
    expect(page.get_by_role("heading", name="What-if: evaluate a scenario")).to_be_visible()


def evaluate_file(page, path: Path):
    page.locator("input[type=file][name=file]").set_input_files(str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Evaluate").click()


@pytest.mark.parametrize(
    ("scenario", "required_on", "lookback", "total", "pending"),
    [
        ("example-1.scenario.json", "2026-04-15", "2023-01-01 – 2025-12-31", "$1,320,000.00", None),
        ("example-2.scenario.json", "2026-10-20", "2023-10-01 – 2026-09-30", "$195,000.00", "1 award"),
    ],
    ids=["example-1", "example-2"],
)
def test_uploading_a_spec_example_shows_its_result(
    page, live_server, demo, scenario, required_on, lookback, total, pending
):
    path = example(scenario)
    expected_file = path.with_name(scenario.replace(".scenario.", ".expected."))
    if expected_file.is_file():  # the literals above are the spec's expected results
        expected = json.loads(expected_file.read_text())
        assert expected["required_on"] == required_on
        assert f"{expected['lookback']['start']} – {expected['lookback']['end']}" == lookback
        assert f"${float(expected['totals']['excess_usd']):,.2f}" == total
        assert expected["totals"]["pending_estimates"] == (1 if pending else 0)

    open_whatif(page, live_server)
    evaluate_file(page, path)

    result = page.get_by_test_id("whatif-result")
    expect(result).to_be_visible()
    expect(page.get_by_test_id("scenario-errors")).to_have_count(0)
    expect(page.get_by_test_id("required-on")).to_contain_text(required_on)
    expect(page.get_by_test_id("lookback")).to_contain_text(lookback)
    expect(page.get_by_test_id("total-usd")).to_have_text(re.compile(rf"^{re.escape(total)}( ·|$)"))
    pending_row = result.locator('dt:text-is("Awaiting a reasonable estimate") + dd')
    if pending:
        expect(pending_row).to_contain_text(pending)
    else:
        expect(pending_row).to_have_count(0)
    # The evaluated scenario is kept in the text box for editing, and can be downloaded as JSON.
    expect(page.locator("textarea[name=text]")).to_have_value(path.read_text())
    with page.expect_download() as download:
        page.get_by_role("button", name="Download result JSON").click()
    downloaded = json.loads(Path(download.value.path()).read_text())
    assert downloaded["totals"]["pending_estimates"] == (1 if pending else 0)
    shot(page, f"whatif-{scenario.split('.')[0]}")


def test_invalid_scenarios_show_the_errors_with_json_paths(page, live_server, demo):
    open_whatif(page, live_server)
    errors = page.get_by_test_id("scenario-errors")

    # Not JSON at all: one problem, at the root.
    page.locator("textarea[name=text]").fill('{"format": "clawback-scenario/1", "company": ')
    with page.expect_navigation():
        page.get_by_role("button", name="Evaluate").click()
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("The scenario has 1 problem")
    expect(errors.locator("li .mono")).to_have_text(["$"])
    expect(errors).to_contain_text("invalid JSON")
    expect(page.get_by_test_id("whatif-result")).to_have_count(0)

    # Valid JSON, invalid scenario: every problem, each with its path.
    data = json.loads(example("example-1.scenario.json").read_text())
    data["restatement"]["kind"] = "bogus"
    data["restatement"]["events"][0]["date"] = "2026-02-30"
    page.locator("textarea[name=text]").fill(json.dumps(data, indent=2))
    with page.expect_navigation():
        page.get_by_role("button", name="Evaluate").click()
    expect(errors).to_contain_text("The scenario has 2 problems")
    expect(errors.locator("li .mono")).to_have_text(["$.restatement.kind", "$.restatement.events[0].date"])
    expect(errors).to_contain_text('got "bogus"')
    shot(page, "whatif-errors")
