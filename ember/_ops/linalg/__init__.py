"""Linear algebra: the public functions (``funcs``) and their ops (``ops``, ``ops_more``)."""
