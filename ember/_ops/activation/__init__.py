"""Activations: ``nn.functional``'s activation functions (``funcs``), their fused ops (``ops``),
and softmax / log-softmax with their op (``softmax``, behind torch.softmax and F.softmax).
"""
