"""Elementwise arithmetic and maths: the public functions (``funcs``) and their ops (``ops``)."""
