"""Reg FD forms, one module per noun."""
