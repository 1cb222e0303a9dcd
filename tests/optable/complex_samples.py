"""Complex samples for the rows whose op takes complex input with gradients: each such row
gets, for the float dtypes, a copy of its first sample with every float tensor made complex
(complex64 for float32, complex128 for float64; imaginary parts drawn from the row's domain),
so forward values and torch's Wirtinger gradients are compared on complex input too.

Example::

    with_complex(ROWS["exp"])   # ROWS["exp"].make_samples()[-1].tag == "complex"
"""
import dataclasses

import numpy as np

from .core import Arg, Sample

#: rows of ops that accept complex input and differentiate it (torch 2.13)
COMPLEX_ROWS = (
    # elementwise
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin", "cos",
    "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid",
    "reciprocal", "abs", "neg", "sgn", "square", "positive", "add", "sub", "mul", "div", "pow",
    "rsub", "logaddexp", "sinc",
    # reductions and scans
    "sum", "mean", "prod", "std", "var", "logsumexp", "cumsum", "cumprod", "logcumsumexp",
    # products and matrix functions
    "matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "addmm", "addmv", "addr",
    "addbmm", "baddbmm", "tensordot", "einsum", "kron", "cross", "trace", "det", "inverse",
    "linalg.multi_dot", "slogdet", "logdet", "linalg.solve", "matrix_power", "matrix_exp",
    "linalg.matrix_exp", "linalg.vector_norm", "linalg.norm", "linalg.matrix_norm", "norm",
    "dist", "float_power", "diff", "trapezoid", "cumulative_trapezoid", "cov", "corrcoef",
    "linalg.vecdot", "where", "lerp", "addcmul", "addcdiv", "clone", "flip", "roll", "cat",
    "stack", "gather", "index_select", "masked_fill", "diagonal", "tril", "triu",
)


def _complexify(x, make):
    if isinstance(x, Arg) and x.array.dtype.kind == "f":
        imag = make.rng.uniform(make.low, make.high, x.array.shape)
        kind = np.complex128 if x.array.dtype == np.float64 else np.complex64
        return dataclasses.replace(x, array=np.asarray(x.array + 1j * imag).astype(kind))
    if isinstance(x, (list, tuple)):
        return type(x)(_complexify(y, make) for y in x)
    return x


def complex_sample(sample, make):
    """``sample`` with its float tensors made complex, tagged ``"complex"``."""
    return Sample("complex", _complexify(sample.args, make),
                  {k: _complexify(v, make) for k, v in sample.kwargs.items()}, gradcheck=False)


def with_complex(row):
    """Append a complex copy of the row's first sample to its samples (float dtypes only)."""
    made = row.samples

    def samples(make):
        out = list(made(make))
        if make.dtype.startswith("float") and out:
            out.append(complex_sample(out[0], make))
        return out
    row.samples = samples
    return row
