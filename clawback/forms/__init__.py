"""Clawback forms, one module per noun."""
