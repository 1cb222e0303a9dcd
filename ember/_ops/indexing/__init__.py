"""Indexing, gathers and scatters: the public functions (``funcs``) and their ops (``ops``)."""
