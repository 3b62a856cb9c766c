"""Clawback workflows, one module per noun; every business action is one function, called by views, the
API, the admin and tasks alike."""

from .scenarios import WhatIf, import_scenario, run_whatif, scenario_for_restatement

__all__ = ["WhatIf", "import_scenario", "run_whatif", "scenario_for_restatement"]

# --- Records, imports and exports (clawback.services.records / imports / exports) ---
from .exports import export_case_scenario, export_list  # noqa: E402
from .imports import import_records, import_scenario_file, preview_scenario_import  # noqa: E402
from .records import (  # noqa: E402
    add_restatement_event,
    create_award,
    create_executive,
    create_measure,
    record_policy_acknowledgement,
    record_restatement,
    update_award,
    update_executive,
    update_measure,
    update_restatement,
    update_restatement_event,
)

__all__ += [
    "add_restatement_event",
    "create_award",
    "create_executive",
    "create_measure",
    "export_case_scenario",
    "export_list",
    "import_records",
    "import_scenario_file",
    "preview_scenario_import",
    "record_policy_acknowledgement",
    "record_restatement",
    "update_award",
    "update_executive",
    "update_measure",
    "update_restatement",
    "update_restatement_event",
]
