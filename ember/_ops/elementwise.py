"""Elementwise ops: arithmetic, casts and unary maths, with their gradients.

Binary ops take arrays or Python scalars; their backward reduces broadcast
gradients with ``sum_to``.  Where the output is cheaper to keep than the
input (exp, sqrt, tanh, sigmoid, relu) the op saves its output.
"""
from .base import Op, sum_to, get_xp


class Cast(Op):
    """Convert to another dtype; the gradient converts back."""

    def __init__(self, np_dtype):
        self.np_dtype = np_dtype

    def forward(self, a):
        self.src = a.dtype
        return a.astype(self.np_dtype)

    def backward(self, g):
        return g.astype(self.src)


class Add(Op):
    """a + alpha * b."""

    def __init__(self, alpha=1):
        self.alpha = alpha

    def forward(self, a, b):
        self.shapes = (_shape(a), _shape(b))
        if self.alpha != 1:
            b = b * self.alpha
        return a + b

    def backward(self, g):
        na, nb = self.needs_input_grad
        ga = sum_to(g, self.shapes[0]) if na else None
        gb = None
        if nb:
            gb = sum_to(g if self.alpha == 1 else g * self.alpha, self.shapes[1])
        return ga, gb


class Sub(Op):
    """a - alpha * b."""

    def __init__(self, alpha=1):
        self.alpha = alpha

    def forward(self, a, b):
        self.shapes = (_shape(a), _shape(b))
        if self.alpha != 1:
            b = b * self.alpha
        return a - b

    def backward(self, g):
        na, nb = self.needs_input_grad
        ga = sum_to(g, self.shapes[0]) if na else None
        gb = sum_to(-g if self.alpha == 1 else g * -self.alpha, self.shapes[1]) if nb else None
        return ga, gb


class Mul(Op):
    save_inputs = (0, 1)

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, g):
        na, nb = self.needs_input_grad
        a, b = self.a, self.b
        ga = sum_to(g * b, _shape(a)) if na else None
        gb = sum_to(g * a, _shape(b)) if nb else None
        return ga, gb


class Div(Op):
    save_inputs = (0, 1)

    def forward(self, a, b):
        self.a, self.b = a, b
        return a / b

    def backward(self, g):
        na, nb = self.needs_input_grad
        a, b = self.a, self.b
        ga = sum_to(g / b, _shape(a)) if na else None
        gb = sum_to(-g * a / (b * b), _shape(b)) if nb else None
        return ga, gb


class Neg(Op):
    def forward(self, a):
        return -a

    def backward(self, g):
        return -g


class Exp(Op):
    """e**a; keeps its output, which is also its derivative."""

    save_output = True

    def forward(self, a):
        self.y = get_xp(a).exp(a)
        return self.y

    def backward(self, g):
        return g * self.y


class Log(Op):
    save_inputs = (0,)

    def forward(self, a):
        self.a = a
        return get_xp(a).log(a)

    def backward(self, g):
        return g / self.a


def _shape(x):
    """Shape of an array operand; () for a Python scalar."""
    return getattr(x, "shape", ())
