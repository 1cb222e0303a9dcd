"""Sample generators shared by many rows: unary, binary and reduction families.

Each function returns a generator ``gen(make) -> [Sample]`` for ``OpRow.samples``; the
samples cover a plain 2-D input, a non-contiguous view, broadcasting, 0-dim and empty
tensors, and (for float dtypes) NaN, inf and signed zeros.

Example::

    gen = binary_samples(scalar=2.5)
    samples = gen(Maker("float32"))
"""
import numpy as np

from .core import Sample, SPECIALS


def _is_float(make):
    return make.dtype.startswith("float")


def unary_samples(nonfinite=True, empty=True, extra=None, **kwargs):
    """Samples of ``f(x, **kwargs)``: 2-D, non-contiguous, 3-D, 0-dim, empty, non-finite."""
    def gen(make):
        out = [Sample("2d", (make((3, 4)),), dict(kwargs)),
               Sample("noncontig", (make((3, 4), noncontig=True),), dict(kwargs)),
               Sample("3d", (make((2, 1, 3)),), dict(kwargs)),
               Sample("0d", (make(()),), dict(kwargs))]
        if empty:
            out.append(Sample("empty", (make((0, 3)),), dict(kwargs)))
        if nonfinite and _is_float(make):
            out.append(Sample("nonfinite", (make.values(SPECIALS),), dict(kwargs)))
        for tag, args, kw in (extra(make) if extra else ()):
            out.append(Sample(tag, args, kw))
        return out
    return gen


def binary_samples(scalar=1.5, nonfinite=True, promote=True, other_domain=None, **kwargs):
    """Samples of ``f(x, y, **kwargs)``: same shape, broadcasting both ways, ranks, 0-dim, a
    Python scalar, empty, non-contiguous, a grid of non-finite pairs, and mixed dtypes.

    ``other_domain=(low, high)`` draws the second input from another range (divisors)."""
    def gen(make):
        lo, hi = other_domain or (None, None)

        def other(shape, **kw):
            return make(shape, low=lo, high=hi, **kw)
        out = [Sample("same", (make((3, 4)), other((3, 4))), dict(kwargs)),
               Sample("broadcast", (make((3, 1)), other((1, 4))), dict(kwargs)),
               Sample("rank", (make((2, 3, 4)), other((4,))), dict(kwargs)),
               Sample("0d", (make(()), other((3,))), dict(kwargs)),
               Sample("noncontig", (make((3, 4), noncontig=True), other((3, 4), noncontig=True)),
                      dict(kwargs)),
               Sample("empty", (make((0, 4)), other((4,))), dict(kwargs))]
        if scalar is not None:
            out.append(Sample("scalar", (make((3, 4)), scalar), dict(kwargs)))
        if nonfinite and _is_float(make):
            v = np.asarray(SPECIALS)
            out.append(Sample("nonfinite", (make.values(np.repeat(v, len(v))),
                                            make.values(np.tile(v, len(v)))), dict(kwargs)))
        if promote and make.dtype == "float32":
            out.append(Sample("promote_int", (make((3,), dtype="int64", low=1, high=4),
                                              other((3,))), dict(kwargs)))
            out.append(Sample("promote_0d", (make((3,)), other((), dtype="float64")), dict(kwargs)))
            if scalar is not None:
                out.append(Sample("promote_scalar", (make((3,), dtype="int64", low=1, high=4),
                                                     scalar), dict(kwargs)))
        return out
    return gen


def reduce_samples(empty_ok=True, keepdim=True, dim_tuple=False, nonfinite=True, dim_none=True,
                   **kwargs):
    """Samples of ``f(x, dim=..., keepdim=..., **kwargs)``: whole tensor, each dim, negative dim,
    keepdim, a dim tuple, 0-dim, non-contiguous, empty (only when ``empty_ok``), non-finite."""
    def gen(make):
        out = []
        if dim_none:
            out.append(Sample("all", (make((3, 4)),), dict(kwargs)))
        out += [Sample("dim1", (make((3, 4)),), dict(kwargs, dim=1)),
                Sample("dim_neg", (make((2, 3, 4)),), dict(kwargs, dim=-2)),
                Sample("noncontig", (make((3, 4), noncontig=True),), dict(kwargs, dim=0)),
                Sample("0d", (make(()),), dict(kwargs, dim=0))]
        if keepdim:
            out.append(Sample("keepdim", (make((3, 4)),), dict(kwargs, dim=0, keepdim=True)))
        if dim_tuple:
            out.append(Sample("dim_tuple", (make((2, 3, 4)),), dict(kwargs, dim=(0, 2))))
        if empty_ok:
            out.append(Sample("empty", (make((0, 3)),), dict(kwargs, dim=0)))
        if nonfinite and _is_float(make):
            v = np.asarray(SPECIALS)
            out.append(Sample("nonfinite", (make.values(np.stack([v, v[::-1], np.roll(v, 3)])),),
                              dict(kwargs, dim=1)))
        return out
    return gen

