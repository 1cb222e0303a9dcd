"""A bounded, seeded differential fuzz test driven by the op table.

Hypothesis draws a row of kind ``unary``, ``binary`` or ``reduce``, one of its dtypes, shapes
(broadcasting pairs, 0-dim and empty included), values from the row's domain mixed with NaN,
inf and signed zeros, and for reductions a dim and keepdim; the draw is compared with torch
forward (``check_forward``) and, for float rows with gradients, backward (``check_backward``).
Rows with a known difference on their forward or backward checks are fuzzed only where that
difference cannot show: on finite values when the difference is at non-finite ones, not at
all otherwise.  ``EMBER_FUZZ_EXAMPLES`` sets the number of examples (default 2000).

Example::

    EMBER_FUZZ_EXAMPLES=50000 python -m pytest tests/optable/test_fuzz.py
"""
import os

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

from tests.helpers import _NP  # noqa: E402
from .compare import check_backward, check_forward  # noqa: E402
from .core import Arg, SPECIALS, Sample  # noqa: E402
from .registry import ROWS  # noqa: E402

EXAMPLES = int(os.environ.get("EMBER_FUZZ_EXAMPLES", "2000"))
SHAPE_KWARGS = ("dim", "keepdim")


def _known(row):
    """``None`` to fuzz the row freely, ``"finite"`` to keep non-finite values out, ``"skip"``."""
    keys = [k for k in row.xfail if k.startswith(("forward", "backward"))]
    if not keys:
        return None
    return "finite" if all(k.endswith(":nonfinite") for k in keys) else "skip"


FUZZ_ROWS = sorted((r for r in ROWS.values() if r.kind and not r.random and _known(r) != "skip"),
                   key=lambda r: r.id)


def _elements(row, dtype, finite):
    """Values of one dtype in the row's domain (plus NaN, infs and signed zeros for floats)."""
    lo, hi = row.domain
    if dtype == "bool":
        return st.booleans()
    if dtype.startswith("float"):
        width = 32 if dtype == "float32" else 64
        if width == 32:   # bounds hypothesis can represent, rounded inwards
            lo = float(np.nextafter(np.float32(lo), np.float32(hi)))
            hi = float(np.nextafter(np.float32(hi), np.float32(lo)))
        values = st.floats(lo, hi, width=width)
        return values if finite else st.one_of(values, st.sampled_from(SPECIALS))
    info = np.iinfo(_NP[dtype])   # the integers ``Maker`` draws: [ceil(lo), ceil(hi)), never empty
    ilo = max(int(np.ceil(lo)), info.min)
    return st.integers(ilo, min(max(int(np.ceil(hi)), ilo + 1) - 1, info.max))


def _array(draw, row, dtype, shape, finite):
    return Arg(draw(hnp.arrays(_NP[dtype], shape, elements=_elements(row, dtype, finite))))


@st.composite
def cases(draw):
    """``(row, sample)``: a fuzzed call of one table row."""
    row = draw(st.sampled_from(FUZZ_ROWS))
    dtype = draw(st.sampled_from(row.dtypes))
    finite = _known(row) == "finite" or draw(st.integers(0, 3)) > 0
    base = {k: v for k, v in row.make_samples(dtype)[0].kwargs.items() if k not in SHAPE_KWARGS}
    if row.kind == "binary":
        shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3,
                                                        min_side=0, max_side=3)).input_shapes
        args = tuple(_array(draw, row, dtype, s, finite) for s in shapes)
        return row, Sample("fuzz", args, base)
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    args = (_array(draw, row, dtype, shape, finite),)
    if row.kind == "reduce":
        ndim = max(len(shape), 1)
        base["dim"] = draw(st.integers(-ndim, ndim - 1))
        if draw(st.booleans()):
            base["keepdim"] = True
    return row, Sample("fuzz", args, base)


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(cases())
@pytest.mark.filterwarnings("ignore")
def test_fuzz_against_torch(case):
    """A drawn call gives torch's values, dtypes, shapes, exceptions and gradients."""
    row, sample = case
    check_forward(row, sample)
    if row.grad and sample.args[0].array.dtype.kind == "f":
        check_backward(row, sample)
