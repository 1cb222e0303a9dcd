"""Complex numbers: ``real``/``imag``/``view_as_real``/... (``funcs``) and their ops (``ops``)."""
