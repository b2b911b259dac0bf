"""The add-in inside Excel (xlwings): worksheet functions (udfs.py), the ribbon's macros, where the store is."""
