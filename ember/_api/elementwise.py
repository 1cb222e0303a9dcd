"""Public elementwise functions, their Tensor methods, operators and in-place forms."""
from .._tensor import Tensor, tensor_method
from .._dtype import get_default_dtype
from .._ops import elementwise as E
from .common import promote, float_input, handle_out
from .inplace import apply_inplace

__all__ = ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
           "neg", "negative", "exp", "log"]


@tensor_method("add")
def add(input, other, *, alpha=1, out=None):
    a, b = promote(input, other)
    return handle_out(E.Add(alpha)(a, b), out, "add")


@tensor_method("sub", "subtract")
def sub(input, other, *, alpha=1, out=None):
    a, b = promote(input, other)
    return handle_out(E.Sub(alpha)(a, b), out, "sub")


@tensor_method("mul", "multiply")
def mul(input, other, *, out=None):
    a, b = promote(input, other)
    return handle_out(E.Mul()(a, b), out, "mul")


@tensor_method("div", "divide", "true_divide")
def div(input, other, *, rounding_mode=None, out=None):
    a, b = promote(input, other)
    if rounding_mode is not None:
        from .rounding import floor_divide_impl
        return handle_out(floor_divide_impl(a, b, rounding_mode), out, "div")
    if isinstance(a, Tensor) and a._data.dtype.kind in "iub":
        a = a.to(get_default_dtype())
    elif isinstance(b, Tensor) and b._data.dtype.kind in "iub" and not isinstance(a, Tensor):
        b = b.to(get_default_dtype())
    if isinstance(b, Tensor) and b._data.dtype != getattr(a, "_data", b._data).dtype:
        b = b.to(a.dtype)
    return handle_out(E.Div()(a, b), out, "div")


subtract, multiply, divide, true_divide = sub, mul, div, div


@tensor_method("neg", "negative", "__neg__")
def neg(input, *, out=None):
    if input._data.dtype.kind == "b":
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you "
                           "are trying to invert a mask, use the `~` or `logical_not()` operator "
                           "instead.")
    return handle_out(E.Neg()(input), out, "neg")


negative = neg


@tensor_method("exp")
def exp(input, *, out=None):
    return handle_out(E.Exp()(float_input(input)), out, "exp")


@tensor_method("log")
def log(input, *, out=None):
    return handle_out(E.Log()(float_input(input)), out, "log")


# -- operators --------------------------------------------------------------
def _binary_operator(fn, reflected=False):
    if reflected:
        def op(self, other):
            return fn(other, self)
    else:
        def op(self, other):
            return fn(self, other)
    return op


Tensor.__add__ = _binary_operator(add)
Tensor.__radd__ = _binary_operator(add, reflected=True)
Tensor.__sub__ = _binary_operator(sub)
Tensor.__rsub__ = _binary_operator(sub, reflected=True)
Tensor.__mul__ = _binary_operator(mul)
Tensor.__rmul__ = _binary_operator(mul, reflected=True)
Tensor.__truediv__ = _binary_operator(div)
Tensor.__rtruediv__ = _binary_operator(div, reflected=True)
Tensor.__pos__ = lambda self: self


# -- in-place forms -----------------------------------------------------------
@tensor_method("add_", "__iadd__")
def add_(self, other, *, alpha=1):
    _, b = promote(self, other)
    return apply_inplace(self, E.Add(alpha), _same_dtype(self, b))


@tensor_method("sub_", "subtract_", "__isub__")
def sub_(self, other, *, alpha=1):
    _, b = promote(self, other)
    return apply_inplace(self, E.Sub(alpha), _same_dtype(self, b))


@tensor_method("mul_", "multiply_", "__imul__")
def mul_(self, other):
    _, b = promote(self, other)
    return apply_inplace(self, E.Mul(), _same_dtype(self, b))


@tensor_method("div_", "divide_", "true_divide_", "__itruediv__")
def div_(self, other, *, rounding_mode=None):
    if rounding_mode is None and self._data.dtype.kind in "iub":
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{self.dtype._tensor_type[:-6]} (in div_: true division of an integer "
                           "tensor in place)")
    _, b = promote(self, other)
    return apply_inplace(self, E.Div(), _same_dtype(self, b))


@tensor_method("neg_", "negative_")
def neg_(self):
    return apply_inplace(self, E.Neg())


@tensor_method("exp_")
def exp_(self):
    return apply_inplace(self, E.Exp())


@tensor_method("log_")
def log_(self):
    return apply_inplace(self, E.Log())


def _same_dtype(self, other):
    """An in-place op keeps self's dtype: a tensor operand is cast to it, if torch allows."""
    if isinstance(other, Tensor) and other._data.dtype != self._data.dtype:
        from .._dtype import can_cast
        if not can_cast(other.dtype, self.dtype):
            raise RuntimeError(f"result type {other.dtype._tensor_type[:-6]} can't be cast to the "
                               f"desired output type {self.dtype._tensor_type[:-6]}")
        return other.to(self.dtype)
    return other
