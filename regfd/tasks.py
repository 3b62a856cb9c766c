"""tasks for regfd."""
