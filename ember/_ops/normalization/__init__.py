"""Normalisation: ``nn.functional``'s norm functions (``funcs``) and their ops (``ops``,
``cross_map_lrn``).
"""
