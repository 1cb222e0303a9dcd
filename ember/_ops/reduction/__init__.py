"""Reductions, sorting and selection: the public functions (``funcs``) and their ops (``ops``,
``sorting``, ``stdsort``).
"""
