"""Clawback workflows, one module per noun; every business action is one function, called by views, the
API, the admin and tasks alike."""

from .scenarios import WhatIf, import_scenario, run_whatif, scenario_for_restatement

__all__ = ["WhatIf", "import_scenario", "run_whatif", "scenario_for_restatement"]
