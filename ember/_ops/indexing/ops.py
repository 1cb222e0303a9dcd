"""Indexing ops on raw arrays: reading a region, writing one, scattering with a reduction.

Every op takes a ``Key``: a NumPy index applied in two steps, as torch applies
an index -- first the basic part (ints, slices, None: a view), then the
advanced part (index arrays and masks) on that view.  Reading is ``Index``;
writing is one of the ``_Writer`` ops, whose ``write(arr, value)`` changes an
array in place (the fast path of ``x[k] = v`` when no graph is recorded) and
whose ``forward`` runs ``write`` on a copy.  Gradients that land on repeated
indices accumulate (``ufunc.at``); keys known to hit each element at most once
(masks) use plain assignment, which is much faster.
"""
from math import prod

from ..._backend.arrays import ufunc_at
from ..base import Op, sum_to, get_xp


class Key:
    """``arr[basic][adv]`` with either part possibly None; ``unique``: no element is hit twice."""

    __slots__ = ("basic", "adv", "unique")

    def __init__(self, basic=None, adv=None, unique=False):
        self.basic, self.adv = basic, adv
        self.unique = unique or adv is None

    def region(self, arr):
        return arr if self.basic is None else arr[self.basic]

    def get(self, arr):
        arr = self.region(arr)
        return arr if self.adv is None else arr[self.adv]

    def put(self, arr, values):
        """Assign ``values`` (broadcast) to the key's elements of ``arr``."""
        region = self.region(arr)
        try:
            if self.adv is None:
                region[...] = values
            else:
                region[self.adv] = values
        except ValueError:
            raise self._mismatch(arr, values) from None

    def add(self, arr, values, ufunc="add"):
        """Combine ``values`` into the key's elements with ``ufunc``, every repeat counting."""
        region = self.region(arr)
        xp = get_xp(arr)
        fn = getattr(xp, ufunc)
        try:
            if self.adv is None:
                fn(region, values, out=region)
            elif self.unique:
                region[self.adv] = fn(region[self.adv], values)
            else:
                ufunc_at(xp, ufunc, region, self.adv, values)
        except ValueError:
            raise self._mismatch(arr, values) from None

    def _mismatch(self, arr, values):
        return RuntimeError(f"shape mismatch: value tensor of shape {list(getattr(values, 'shape', ()))} "
                            "cannot be broadcast to indexing result of shape "
                            f"{list(self.get(arr).shape)}")


def reduce_to(grad, shape):
    """``sum_to`` that also restores leading size-1 dims a written value may carry."""
    lead = len(shape) - grad.ndim
    if lead > 0:
        return sum_to(grad, shape[lead:]).reshape(shape)
    return sum_to(grad, shape)


#: forms of reading whose input torch keeps for backward (so changing it in place first
#: raises), though the gradient here needs only the key
_KEEPS_INPUT = frozenset({"GatherBackward0", "TakeAlongDimBackward0", "TakeBackward0",
                          "MaskedSelectBackward0"})


class Index(Op):
    """``a[key]``: a view for basic keys, a copy for advanced ones."""

    def __init__(self, key, name="IndexBackward0"):
        self.key, self._name = key, name
        if name in _KEEPS_INPUT:
            self.save_inputs = (0,)

    def name(self):
        return self._name

    def forward(self, a):
        self.shape = a.shape
        return self.key.get(a)

    def backward(self, g):
        full = get_xp(g).zeros(self.shape, g.dtype)
        if self.key.unique:
            self.key.put(full, g)
        else:
            self.key.add(full, g)
        return full


class _Writer(Op):
    """An op whose result is its first input with some elements rewritten by ``write``.

    ``out_shape`` (when set) broadcasts the first input up before writing, for
    the out-of-place forms that torch lets grow (masked_fill with a bigger mask).
    """

    out_shape = None

    def forward(self, a, v):
        self.a_shape = a.shape
        self.v_shape = getattr(v, "shape", None)
        xp = get_xp(a)
        out = a.copy() if self.out_shape in (None, a.shape) else \
            xp.broadcast_to(a, self.out_shape).copy()
        self.write(out, v)
        return out


class IndexPut(_Writer):
    """``a`` with ``key``'s elements set to ``alpha * v`` (or increased by it: ``accumulate``).

    The old values' gradient is zero where they were overwritten; ``v``'s is the
    gradient gathered at the key (repeats counting), summed to ``v``'s shape.
    ``fill`` (index_fill) counts each written element once for ``v`` instead.
    """

    def __init__(self, key, accumulate=False, alpha=1, fill=False, name="IndexPutBackward0"):
        self.key, self.accumulate, self.alpha, self.fill, self._name = key, accumulate, alpha, fill, name

    def name(self):
        return self._name

    def write(self, arr, v):
        if self.alpha != 1:
            v = v * self.alpha
        if self.accumulate:
            self.key.add(arr, v)
        else:
            self.key.put(arr, v)

    def backward(self, g):
        na, nv = self.needs_input_grad
        ga = gv = None
        if na:
            ga = g
            if not self.accumulate:
                ga = get_xp(g).array(g)  # a writable copy (g may be a NumPy scalar)
                self.key.put(ga, 0)
        if nv:
            if self.fill:
                hit = get_xp(g).zeros(g.shape, bool)
                self.key.put(hit, True)
                gv = g[hit].sum().reshape(self.v_shape)
            else:
                gv = reduce_to(self.key.get(g), self.v_shape)
                if self.alpha != 1:
                    gv = gv * self.alpha
        return ga, gv


class ScatterReduce(_Writer):
    """torch's scatter_reduce: combine ``src`` into ``a`` at ``key`` with sum/prod/mean/amax/amin.

    ``key`` holds the coordinates of each element of ``src`` in ``a``.  Without
    ``include_self`` the old values at the hit positions are left out.  Ties in
    amax/amin share the gradient evenly, as in torch.
    """

    _IDENTITY = {"sum": 0, "mean": 0, "prod": 1}
    _UFUNC = {"sum": "add", "mean": "add", "prod": "multiply", "amax": "maximum", "amin": "minimum"}

    def __init__(self, key, reduce, include_self=True, differentiable=True):
        self.key, self.reduce, self.include_self = key, reduce, include_self
        self.differentiable = differentiable
        self.save_inputs = (0, 1) if reduce in ("prod", "amax", "amin") else ()

    def forward(self, a, v):
        out = super().forward(a, v)
        if self.save_inputs and any(self.needs_input_grad):
            self.a, self.v, self.out = a, v, out
        return out

    def write(self, arr, v):
        xp = get_xp(arr)
        if not self.include_self:
            self.key.put(arr, self._start(arr, xp))
        self.key.add(arr, v, self._UFUNC[self.reduce])
        if self.reduce == "mean":
            count = self._count(xp, arr.shape)
            if arr.dtype.kind in "iu":
                arr //= count.astype(arr.dtype)
            else:
                arr /= count.astype(arr.dtype)
            self.count = count

    def _start(self, arr, xp):
        if self.reduce in self._IDENTITY:
            return self._IDENTITY[self.reduce]
        info = xp.finfo(arr.dtype) if arr.dtype.kind == "f" else xp.iinfo(arr.dtype)
        return info.min if self.reduce == "amax" else info.max

    def _count(self, xp, shape):
        """How many values each position of the result combines (never zero)."""
        count = xp.ones(shape, xp.int64) if self.include_self else xp.zeros(shape, xp.int64)
        self.key.add(count, 1)
        return xp.maximum(count, 1)

    def _self_kept(self, xp, shape):
        """Where the old value took part: everywhere with include_self, else the untouched spots."""
        if self.include_self:
            return None
        kept = xp.ones(shape, bool)
        self.key.put(kept, False)
        return kept

    def backward(self, g):
        if not self.differentiable:
            raise RuntimeError("derivative for aten::scatter is not implemented (scatter with "
                               "reduce=; use scatter_reduce for a differentiable reduction)")
        xp = get_xp(g)
        kept = self._self_kept(xp, g.shape)
        if self.reduce in ("sum", "mean"):
            ga = g if self.reduce == "sum" else g / self.count.astype(g.dtype)
            gv = self.key.get(ga)
        elif self.reduce == "prod":
            ga, gv = self._prod_grads(xp, g, kept)
        else:
            ga, gv = self._extreme_grads(xp, g)
        if kept is not None:
            ga = xp.where(kept, ga, 0)
        na, nv = self.needs_input_grad
        return (ga if na else None), (gv if nv else None)

    def _extreme_grads(self, xp, g):
        # torch counts the old value among the ties even when include_self leaves it out
        out, a, v = self.out, self.a, self.v
        at_a = a == out
        at_v = v == self.key.get(out)
        count = at_a.astype(g.dtype)
        self.key.add(count, at_v.astype(g.dtype))
        share = g / xp.maximum(count, 1)
        return xp.where(at_a, share, 0), xp.where(at_v, self.key.get(share), 0)

    def _prod_grads(self, xp, g, kept):
        a, v = self.a, self.v
        a_in = (a != 0) if kept is None else (a != 0) & kept
        zeros = ((a == 0) if kept is None else (a == 0) & kept).astype(xp.int64)
        self.key.add(zeros, (v == 0).astype(xp.int64))
        nonzero_prod = xp.where(a_in, a, 1)
        self.key.add(nonzero_prod, xp.where(v == 0, 1, v), "multiply")
        gp = g * nonzero_prod

        def grad_of(x, gp_x, zeros_x):
            safe = xp.where(x == 0, 1, x)
            return xp.where(x == 0, xp.where(zeros_x == 1, gp_x, 0),
                            xp.where(zeros_x == 0, gp_x / safe, 0))
        return grad_of(a, gp, zeros), grad_of(v, self.key.get(gp), self.key.get(zeros))



class IndexReduce(ScatterReduce):
    """torch's index_reduce: ``ScatterReduce`` with whole slices of ``src`` reduced into the
    slices of ``a`` that an index vector names (the key repeats the index along ``src``)."""

class MaskedFill(_Writer):
    """``v`` where ``mask`` (broadcast), else ``a``; ``v`` is a scalar or a 0-d array."""

    def __init__(self, mask, out_shape=None):
        self.mask, self.out_shape = mask, out_shape

    def write(self, arr, v):
        get_xp(arr).copyto(arr, v, where=self.mask, casting="unsafe")

    def backward(self, g):
        na, nv = self.needs_input_grad
        xp = get_xp(g)
        ga = sum_to(xp.where(self.mask, 0, g), self.a_shape) if na else None
        gv = xp.where(self.mask, g, 0).sum().reshape(self.v_shape) if nv else None
        return ga, gv


class MaskedScatter(_Writer):
    """``a`` with the positions where ``mask`` is set taking ``src``'s leading values in order."""

    def __init__(self, mask, out_shape=None):
        self.mask, self.out_shape = mask, out_shape

    def write(self, arr, v):
        mask = get_xp(arr).broadcast_to(self.mask, arr.shape)
        n = int(mask.sum())
        if n > v.size:
            raise RuntimeError(f"masked_scatter: the mask selects {n} elements but source has only "
                               f"{v.size} (Number of elements of source < number of ones in mask)")
        arr[mask] = v.reshape(-1)[:n]

    def backward(self, g):
        na, nv = self.needs_input_grad
        xp = get_xp(g)
        mask = xp.broadcast_to(self.mask, g.shape)
        ga = sum_to(xp.where(mask, 0, g), self.a_shape) if na else None
        gv = None
        if nv:
            picked = g[mask]
            gv = xp.zeros(prod(self.v_shape), g.dtype)
            gv[:picked.size] = picked
            gv = gv.reshape(self.v_shape)
        return ga, gv
