"""The file formats: `clawback-scenario/1` and `/2` in, `clawback-result/1` and `/2` out. A `/1` file gives
a `/1` result exactly as before `/2` existed; the app writes `/2`."""

from __future__ import annotations

SCENARIO_FORMATS = {1: "clawback-scenario/1", 2: "clawback-scenario/2"}
RESULT_FORMATS = {1: "clawback-result/1", 2: "clawback-result/2"}
FORMAT_VERSION_OF = {text: version for version, text in SCENARIO_FORMATS.items()}

# What `scenario_to_json` writes, and the result format of a scenario of that version.
SCENARIO_FORMAT = SCENARIO_FORMATS[2]
RESULT_FORMAT = RESULT_FORMATS[2]


def only_in_2(what: str) -> str:
    """The message for a `/2` feature found in a `/1` file."""
    return f"{what} is only allowed in {SCENARIO_FORMATS[2]} (this file is {SCENARIO_FORMATS[1]})"
