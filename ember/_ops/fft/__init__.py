"""Discrete Fourier transforms (``funcs``, ``ops``) and ``stft``/``istft`` with windows
(``spectral``).
"""
