"""Classical orthogonal polynomials P_n(x) by their three-term recurrences, on arrays.

``n`` is an array (or number) broadcast against ``x`` and truncated to an
integer; P_n is 0 for n < 0, as in torch.  Every element runs the recurrence
up to the largest n and keeps its own step's value.  torch defines no
gradient for these, so there is no backward.
"""
from ..base import get_xp
from ..elementwise.ops import quiet

#: Hermite H_n is NaN past this degree in torch (by dtype)
HERMITE_LIMIT = {"float32": 128, "float64": 512}


def _start(kind, x):
    """(P_0, P_1) of each family (the shifted ones evaluate the plain ones at 2x - 1)."""
    one = get_xp(x).ones_like(x)
    return {
        "chebyshev_t": (one, x), "chebyshev_u": (one, 2 * x), "chebyshev_v": (one, 2 * x - 1),
        "chebyshev_w": (one, 2 * x + 1), "hermite_h": (one, 2 * x), "hermite_he": (one, x),
        "laguerre_l": (one, 1 - x), "legendre_p": (one, x),
    }[kind]


def _step(kind, x, k, p_prev, p):
    """P_{k+1} from P_k and P_{k-1}."""
    if kind.startswith("chebyshev"):
        return 2 * x * p - p_prev
    if kind == "hermite_h":
        return 2 * x * p - 2 * k * p_prev
    if kind == "hermite_he":
        return x * p - k * p_prev
    if kind == "laguerre_l":
        return ((2 * k + 1 - x) * p - k * p_prev) / (k + 1)
    return ((2 * k + 1) * x * p - k * p_prev) / (k + 1)  # legendre_p


@quiet
def evaluate(kind, x, n, shifted=False):
    """P_n(x) for the family ``kind`` ("chebyshev_t", ..., "legendre_p"), in x's dtype."""
    xp = get_xp(x)
    n = xp.trunc(xp.asarray(n, dtype=xp.float64)).astype(xp.int64)
    x, n = xp.broadcast_arrays(x, n)
    t = 2 * x - 1 if shifted else x
    p_prev, p = _start(kind, t)
    out = xp.where(n == 0, p_prev, xp.where(n == 1, p, xp.zeros_like(t)))
    top = int(n.max()) if n.size else 0
    for k in range(1, top):
        p_prev, p = p, _step(kind, t, k, p_prev, p)
        out = xp.where(n == k + 1, p, out)
    if kind == "hermite_h":
        out = xp.where(n > HERMITE_LIMIT.get(x.dtype.name, 512), xp.nan, out)
    return out.astype(x.dtype, copy=False)
