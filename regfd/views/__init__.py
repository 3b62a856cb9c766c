"""Reg FD pages, one module per noun."""
