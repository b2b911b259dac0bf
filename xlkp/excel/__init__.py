"""The xlwings surface: worksheet functions (udfs.py) and the ribbon's entry points."""
