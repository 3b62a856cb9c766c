"""Clawback pages, one module per noun."""
