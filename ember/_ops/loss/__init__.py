"""Losses: ``nn.functional``'s loss functions (``funcs``) and their fused ops (``ops``)."""
