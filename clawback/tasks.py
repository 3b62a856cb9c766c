"""tasks for clawback."""
