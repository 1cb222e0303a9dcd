"""Special functions: the public functions (``funcs``), their ops (``ops``), polynomials and NumPy
fallbacks.
"""
