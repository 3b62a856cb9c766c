"""The clawback program's documents (docs/architecture.md): the snapshots of a case (snapshots.py), the
Item 402(w) disclosure (disclosure.py, word.py), the auditor export bundle of a restatement (bundle.py), and
their registration with the shared documents app (kinds.py, imported by ClawbackConfig.ready)."""
