"""Activations: ``nn.functional``'s activation functions (``funcs``) and their fused ops (``ops``).
"""
