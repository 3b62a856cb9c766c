"""The Regulation FD program's documents (docs/architecture.md): the incident record and the quarterly log
(snapshots.py), the auditor export bundle of a quarter (bundle.py), and their registration with the shared
documents app (kinds.py, imported by RegfdConfig.ready)."""
