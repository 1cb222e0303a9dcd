"""Comparisons: ``eq``/``lt``/``isclose``/... (``funcs``) and their ops (``ops``)."""
