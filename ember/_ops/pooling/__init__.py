"""Pooling: ``nn.functional``'s pooling functions and their ops (``funcs``/``ops``;
``fractional_*`` for fractional max pooling).
"""
