"""Docstrings of the elementwise functions that ``funcs.py`` makes with factories.

One entry per function name; the in-place form ``name_`` and the Tensor methods share it.
"""

_UNARY_ARGS = """
    Args:
        input (Tensor): the input.
        out (Tensor, optional): write the result here.
"""
_BINARY_ARGS = """
    Args:
        input (Tensor): the first operand.
        other (Tensor or Number): the second operand; its shape broadcasts with ``input``'s.
        out (Tensor, optional): write the result here.

    Shape:
        - Output: the broadcast shape of ``input`` and ``other``.
"""


def _doc(summary, text, args, example, result):
    return f"""{summary}

{text}
{args}
    Example:
        >>> {example}
        {result}
    """


DOCS = {
    "exp": _doc(
        'The exponential of each element.',
        """    ``out = e ** input``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.exp(ember.tensor([0.0, 1.0]))',
        'tensor([1.0000, 2.7183])'),
    "exp2": _doc(
        'Two to the power of each element.',
        """    ``out = 2 ** input``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.exp2(ember.tensor([0.0, 3.0]))',
        'tensor([1., 8.])'),
    "expm1": _doc(
        '``exp(x) - 1`` of each element, accurate for small ``x``.',
        """    ``out = e ** input - 1``, without the cancellation of computing it in two steps.
    Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.expm1(ember.tensor([0.0, 1e-8]))',
        'tensor([0.0000e+00, 1.0000e-08])'),
    "log": _doc(
        'The natural logarithm of each element.',
        """    ``out = ln(input)``; 0 gives ``-inf`` and negative values NaN. Integer and bool
    inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.log(ember.tensor([1.0, 2.0]))',
        'tensor([0.0000, 0.6931])'),
    "log2": _doc(
        'The base-2 logarithm of each element.',
        """    ``out = log2(input)``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.log2(ember.tensor([1.0, 8.0]))',
        'tensor([0., 3.])'),
    "log10": _doc(
        'The base-10 logarithm of each element.',
        """    ``out = log10(input)``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.log10(ember.tensor([1.0, 1000.0]))',
        'tensor([0.0000, 3.0000])'),
    "log1p": _doc(
        '``log(1 + x)`` of each element, accurate for small ``x``.',
        """    ``out = ln(1 + input)``, without the rounding of forming ``1 + x`` first.
    Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.log1p(ember.tensor([0.0, 1e-8]))',
        'tensor([0.0000e+00, 1.0000e-08])'),
    "sqrt": _doc(
        'The square root of each element.',
        """    ``out = input ** 0.5``; negative values give NaN. Integer and bool inputs give
    the default float dtype.""",
        _UNARY_ARGS, 'ember.sqrt(ember.tensor([4, 9]))',
        'tensor([2., 3.])'),
    "rsqrt": _doc(
        'The reciprocal of the square root of each element.',
        """    ``out = 1 / sqrt(input)``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.rsqrt(ember.tensor([4.0, 0.25]))',
        'tensor([0.5000, 2.0000])'),
    "sin": _doc(
        'The sine of each element (in radians).',
        """    ``out = sin(input)``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.sin(ember.tensor([0.0, 1.5708]))',
        'tensor([0., 1.])'),
    "cos": _doc(
        'The cosine of each element (in radians).',
        """    ``out = cos(input)``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.cos(ember.tensor([0.0, 3.1416]))',
        'tensor([ 1., -1.])'),
    "tan": _doc(
        'The tangent of each element (in radians).',
        """    ``out = tan(input)``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.tan(ember.tensor([0.0, 0.7854]))',
        'tensor([0.0000, 1.0000])'),
    "asin": _doc(
        'The inverse sine of each element, in ``[-pi/2, pi/2]``.',
        """    ``out = arcsin(input)``; values outside ``[-1, 1]`` give NaN. Also spelled
    ``arcsin``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.asin(ember.tensor([0.0, 1.0]))',
        'tensor([0.0000, 1.5708])'),
    "acos": _doc(
        'The inverse cosine of each element, in ``[0, pi]``.',
        """    ``out = arccos(input)``; values outside ``[-1, 1]`` give NaN. Also spelled
    ``arccos``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.acos(ember.tensor([1.0, 0.0]))',
        'tensor([0.0000, 1.5708])'),
    "atan": _doc(
        'The inverse tangent of each element, in ``(-pi/2, pi/2)``.',
        """    ``out = arctan(input)``. Also spelled ``arctan``. Integer and bool inputs give
    the default float dtype.""",
        _UNARY_ARGS, 'ember.atan(ember.tensor([0.0, 1.0]))',
        'tensor([0.0000, 0.7854])'),
    "sinh": _doc(
        'The hyperbolic sine of each element.',
        """    ``out = (e ** x - e ** -x) / 2``. Integer and bool inputs give the default float
    dtype.""",
        _UNARY_ARGS, 'ember.sinh(ember.tensor([0.0, 1.0]))',
        'tensor([0.0000, 1.1752])'),
    "cosh": _doc(
        'The hyperbolic cosine of each element.',
        """    ``out = (e ** x + e ** -x) / 2``. Integer and bool inputs give the default float
    dtype.""",
        _UNARY_ARGS, 'ember.cosh(ember.tensor([0.0, 1.0]))',
        'tensor([1.0000, 1.5431])'),
    "tanh": _doc(
        'The hyperbolic tangent of each element, in ``(-1, 1)``.',
        """    ``out = sinh(x) / cosh(x)``. Integer and bool inputs give the default float
    dtype.""",
        _UNARY_ARGS, 'ember.tanh(ember.tensor([0.0, 1.0]))',
        'tensor([0.0000, 0.7616])'),
    "asinh": _doc(
        'The inverse hyperbolic sine of each element.',
        """    ``out = ln(x + sqrt(x ** 2 + 1))``. Also spelled ``arcsinh``. Integer and bool
    inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.asinh(ember.tensor([0.0, 1.0]))',
        'tensor([0.0000, 0.8814])'),
    "acosh": _doc(
        'The inverse hyperbolic cosine of each element.',
        """    ``out = ln(x + sqrt(x ** 2 - 1))``; values below 1 give NaN. Also spelled
    ``arccosh``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.acosh(ember.tensor([1.0, 2.0]))',
        'tensor([0.0000, 1.3170])'),
    "atanh": _doc(
        'The inverse hyperbolic tangent of each element.',
        """    ``out = ln((1 + x) / (1 - x)) / 2``; values outside ``[-1, 1]`` give NaN. Also
    spelled ``arctanh``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.atanh(ember.tensor([0.0, 0.5]))',
        'tensor([0.0000, 0.5493])'),
    "sigmoid": _doc(
        'The logistic sigmoid of each element, in ``(0, 1)``.',
        """    ``out = 1 / (1 + e ** -input)``. Integer and bool inputs give the default float
    dtype.""",
        _UNARY_ARGS, 'ember.sigmoid(ember.tensor([0.0, 2.0]))',
        'tensor([0.5000, 0.8808])'),
    "erf": _doc(
        'The Gauss error function of each element.',
        """    ``out = 2 / sqrt(pi) * integral from 0 to x of e ** (-t ** 2) dt``. Integer and
    bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.erf(ember.tensor([0.0, 1.0]))',
        'tensor([0.0000, 0.8427])'),
    "erfc": _doc(
        'The complementary error function of each element.',
        """    ``out = 1 - erf(input)``, accurate where ``erf`` is close to 1. Integer and bool
    inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.erfc(ember.tensor([0.0, 1.0]))',
        'tensor([1.0000, 0.1573])'),
    "erfinv": _doc(
        'The inverse of the error function, elementwise.',
        """    ``erf(out) = input`` for ``input`` in ``(-1, 1)``; ``-1`` and ``1`` give
    ``-inf`` and ``inf``. Integer and bool inputs give the default float dtype.""",
        _UNARY_ARGS, 'ember.erfinv(ember.tensor([0.0, 0.5]))',
        'tensor([0.0000, 0.4769])'),
    "reciprocal": _doc(
        'The reciprocal of each element.',
        """    ``out = 1 / input``; 0 gives ``inf``. Integer and bool inputs give the default
    float dtype.""",
        _UNARY_ARGS, 'ember.reciprocal(ember.tensor([2, 4]))',
        'tensor([0.5000, 0.2500])'),
    "deg2rad": _doc(
        'Each element converted from degrees to radians.',
        """    ``out = input * pi / 180``. Integer and bool inputs give the default float
    dtype.""",
        _UNARY_ARGS, 'ember.deg2rad(ember.tensor([180.0, 90.0]))',
        'tensor([3.1416, 1.5708])'),
    "rad2deg": _doc(
        'Each element converted from radians to degrees.',
        """    ``out = input * 180 / pi``. Integer and bool inputs give the default float
    dtype.""",
        _UNARY_ARGS, 'ember.rad2deg(ember.tensor([3.1415927, 1.0]))',
        'tensor([180.0000,  57.2958])'),
    "abs": _doc(
        'The absolute value of each element.',
        """    ``out = |input|`` (the modulus for complex input); integer dtypes are kept. Also
    spelled ``absolute``.""",
        _UNARY_ARGS, 'ember.abs(ember.tensor([-2, 3]))',
        'tensor([2, 3])'),
    "frac": _doc(
        'The fractional part of each element.',
        """    ``out = input - trunc(input)``: it has the sign of ``input``. Float tensors
    only.""",
        _UNARY_ARGS, 'ember.frac(ember.tensor([1.5, -2.25]))',
        'tensor([ 0.5000, -0.2500])'),
    "sign": _doc(
        'The sign of each element: -1, 0 or 1.',
        """    ``out = -1`` where ``input < 0``, ``0`` where it is 0, ``1`` where it is
    positive; the dtype is kept and the gradient is zero.""",
        _UNARY_ARGS, 'ember.sign(ember.tensor([-3.0, 0.0, 2.0]))',
        'tensor([-1.,  0.,  1.])'),
    "sgn": _doc(
        'The sign of each element, as :func:`ember.sign` for real tensors.',
        """    torch extends it to complex numbers (``x / |x|``); ember's ``sgn`` takes real
    tensors only.""",
        _UNARY_ARGS, 'ember.sgn(ember.tensor([-0.5, 0.0, 4.0]))',
        'tensor([-1.,  0.,  1.])'),
    "floor": _doc(
        'Each element rounded down to an integer value.',
        """    ``out`` is the largest integer not above ``input``, in ``input``'s dtype;
    integer tensors come back as a copy and the gradient is zero.""",
        _UNARY_ARGS, 'ember.floor(ember.tensor([1.5, -1.5]))',
        'tensor([ 1., -2.])'),
    "ceil": _doc(
        'Each element rounded up to an integer value.',
        """    ``out`` is the smallest integer not below ``input``, in ``input``'s dtype;
    integer tensors come back as a copy and the gradient is zero.""",
        _UNARY_ARGS, 'ember.ceil(ember.tensor([1.5, -1.5]))',
        'tensor([ 2., -1.])'),
    "trunc": _doc(
        'Each element rounded toward zero.',
        """    ``out`` drops the fractional part, in ``input``'s dtype; integer tensors come
    back as a copy and the gradient is zero. Also spelled ``fix``.""",
        _UNARY_ARGS, 'ember.trunc(ember.tensor([1.7, -1.7]))',
        'tensor([ 1., -1.])'),
    "signbit": _doc(
        "Whether each element's sign bit is set.",
        """    ``True`` for negative values and for ``-0.0``; the result is a bool tensor with
    no gradient.""",
        _UNARY_ARGS, 'ember.signbit(ember.tensor([-0.0, 0.0, -1.0]))',
        'tensor([ True, False,  True])'),
    "bitwise_not": _doc(
        'The bitwise complement of each element of an integer or bool tensor.',
        """    ``out = ~input``: ``-x - 1`` for signed integers, logical not for bools.""",
        _UNARY_ARGS, 'ember.bitwise_not(ember.tensor([0, 5]))',
        'tensor([-1, -6])'),
    "fmod": _doc(
        'The remainder of dividing ``input`` by ``other``, with the sign of ``input``.',
        """    ``out = input - trunc(input / other) * other`` (C's ``fmod``); compare
    :func:`ember.remainder`.""",
        _BINARY_ARGS, 'ember.fmod(ember.tensor([-3.0, 3.0]), 2)',
        'tensor([-1.,  1.])'),
    "remainder": _doc(
        'The remainder of dividing ``input`` by ``other``, with the sign of ``other``.',
        """    ``out = input - floor(input / other) * other`` (Python's ``%``); compare
    :func:`ember.fmod`. ``input`` may be a number when ``other`` is a tensor.""",
        _BINARY_ARGS, 'ember.remainder(ember.tensor([-3.0, 3.0]), 2)',
        'tensor([1., 1.])'),
    "atan2": _doc(
        'The angle of the point ``(other, input)``, elementwise, in ``(-pi, pi]``.',
        """    ``out = atan(input / other)`` corrected to the quadrant of ``(other, input)``.
    Also spelled ``arctan2``. Integer and bool inputs give the default float dtype.""",
        _BINARY_ARGS, 'ember.atan2(ember.tensor([1.0, 1.0]), ember.tensor([1.0, -1.0]))',
        'tensor([0.7854, 2.3562])'),
    "hypot": _doc(
        'The length of the hypotenuse with legs ``input`` and ``other``, elementwise.',
        """    ``out = sqrt(input ** 2 + other ** 2)``, without overflow in the squares. Float
    tensors only.""",
        _BINARY_ARGS, 'ember.hypot(ember.tensor([3.0]), ember.tensor([4.0]))',
        'tensor([5.])'),
    "xlogy": _doc(
        '``input * log(other)``, elementwise, taken as 0 where ``input`` is 0.',
        """    Where ``input == 0`` the result is 0 even if ``other`` is 0 (unless ``other`` is
    NaN), which keeps entropy terms finite. Integer and bool inputs give the default
    float dtype.""",
        _BINARY_ARGS, 'ember.xlogy(ember.tensor([0.0, 2.0]), ember.tensor([0.0, 3.0]))',
        'tensor([0.0000, 2.1972])'),
    "copysign": _doc(
        'The magnitude of ``input`` with the sign of ``other``, elementwise.',
        """    ``out = |input|`` carrying ``other``'s sign bit (so ``-0.0`` counts as
    negative). Integer and bool inputs give the default float dtype.""",
        _BINARY_ARGS, 'ember.copysign(ember.tensor([1.0, -2.0]), -1.0)',
        'tensor([-1., -2.])'),
    "maximum": _doc(
        'The larger of ``input`` and ``other``, elementwise.',
        """    A NaN in either operand gives NaN; where they tie, each gets half the gradient.
    Compare :func:`ember.fmax`, which skips NaN.""",
        _BINARY_ARGS, 'ember.maximum(ember.tensor([1, 5]), ember.tensor([3, 2]))',
        'tensor([3, 5])'),
    "minimum": _doc(
        'The smaller of ``input`` and ``other``, elementwise.',
        """    A NaN in either operand gives NaN; where they tie, each gets half the gradient.
    Compare :func:`ember.fmin`, which skips NaN.""",
        _BINARY_ARGS, 'ember.minimum(ember.tensor([1, 5]), ember.tensor([3, 2]))',
        'tensor([1, 2])'),
    "fmax": _doc(
        'The larger of ``input`` and ``other``, elementwise, ignoring NaN.',
        """    Where exactly one operand is NaN the other one is the result; compare
    :func:`ember.maximum`.""",
        _BINARY_ARGS, "ember.fmax(ember.tensor([1.0, float('nan')]), ember.tensor([float('nan'), 2.0]))",
        'tensor([1., 2.])'),
    "fmin": _doc(
        'The smaller of ``input`` and ``other``, elementwise, ignoring NaN.',
        """    Where exactly one operand is NaN the other one is the result; compare
    :func:`ember.minimum`.""",
        _BINARY_ARGS, "ember.fmin(ember.tensor([1.0, float('nan')]), ember.tensor([float('nan'), 2.0]))",
        'tensor([1., 2.])'),
    "bitwise_and": _doc(
        'The bitwise AND of integer or bool tensors, elementwise.',
        """    ``out = input & other`` (logical and for bools).""",
        _BINARY_ARGS, 'ember.bitwise_and(ember.tensor([12, 10]), ember.tensor([10, 6]))',
        'tensor([8, 2])'),
    "bitwise_or": _doc(
        'The bitwise OR of integer or bool tensors, elementwise.',
        """    ``out = input | other`` (logical or for bools).""",
        _BINARY_ARGS, 'ember.bitwise_or(ember.tensor([12, 10]), ember.tensor([10, 6]))',
        'tensor([14, 14])'),
    "bitwise_xor": _doc(
        'The bitwise exclusive OR of integer or bool tensors, elementwise.',
        """    ``out = input ^ other`` (logical xor for bools).""",
        _BINARY_ARGS, 'ember.bitwise_xor(ember.tensor([12, 10]), ember.tensor([10, 6]))',
        'tensor([ 6, 12])'),
    "bitwise_left_shift": _doc(
        'The bits of ``input`` shifted left by ``other``, elementwise.',
        """    ``out = input << other``, that is ``input * 2 ** other`` wrapped to the dtype.
    Integer tensors only.""",
        _BINARY_ARGS, 'ember.bitwise_left_shift(ember.tensor([1, 3]), 2)',
        'tensor([ 4, 12])'),
    "bitwise_right_shift": _doc(
        'The bits of ``input`` shifted right by ``other``, elementwise.',
        """    ``out = input >> other`` (arithmetic shift: ``floor(input / 2 ** other)`` for
    signed integers). Integer tensors only.""",
        _BINARY_ARGS, 'ember.bitwise_right_shift(ember.tensor([8, -8]), 2)',
        'tensor([ 2, -2])'),
}
