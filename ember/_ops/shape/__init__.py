"""Shape, view and joining functions (``funcs``) and their ops (``ops``)."""
