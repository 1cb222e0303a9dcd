"""Convolutions: ``nn.functional``'s conv functions (``funcs``) and the im2col/GEMM ops (``ops``).
"""
