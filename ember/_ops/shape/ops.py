"""Shape ops on raw arrays: views that share memory with their input, and the copying joins.

A view op has a ``view(a)`` method returning a window onto ``a``'s memory (a
NumPy/CuPy view, never a copy); ``forward`` is ``view`` on the input, and the
API layer hands ``view`` to ``as_view`` so that an in-place change through the
view can rebase its base's gradient.  Strides follow PyTorch's rules (see
``view_strides``) so that ``stride()`` and ``is_contiguous()`` agree with torch.
"""
from operator import itemgetter

from ..._backend.arrays import as_strided
from ..._backend.meta import MetaArray
from ..._backend.storage import contiguous_strides, element_strides as elem_strides, storage_span
from ..base import ArrayTensor, Op, sum_to, get_xp
from ...autograd.tensor_xp import strided_view

VIEW_ERROR = ("view size is not compatible with input tensor's size and stride (at least one "
              "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")


# -- stride arithmetic (element strides and spans: _backend/storage.py) ------------
def view_strides(shape, strides, new_shape):
    """Element strides that show memory laid out as (shape, strides) with ``new_shape``.

    The old dims split into runs, each run a block that a single stride walks
    (size-1 dims belong to no run in particular).  Every new dim must fall
    inside one run; a new size-1 dim takes the stride the run would give it.
    Returns None when some new dim straddles two runs (a copy is needed).
    """
    if not shape:
        return (1,) * len(new_shape)
    numel = 1
    for n in shape:
        numel *= n
    if numel == 0:
        return tuple(strides) if tuple(shape) == tuple(new_shape) else contiguous_strides(new_shape)
    out = [0] * len(new_shape)
    j = len(new_shape) - 1
    unit, run = strides[-1], 1
    for i in range(len(shape) - 1, -1, -1):
        run *= shape[i]
        if i and (shape[i - 1] == 1 or strides[i - 1] == run * unit):
            continue  # the next outer dim continues this run
        taken = 1
        while j >= 0 and (taken < run or new_shape[j] == 1):
            out[j] = taken * unit
            taken *= new_shape[j]
            j -= 1
        if taken != run:
            return None
        if i:
            unit, run = strides[i - 1], 1
    return tuple(out) if j < 0 else None


def strided(a, shape, strides, offset=0, writeable=True):
    """A view of ``a``'s memory starting ``offset`` elements past its first element."""
    if isinstance(a, MetaArray):  # no memory to view: only the shape changes
        return MetaArray(shape, a.dtype)
    if type(a) is ArrayTensor:
        return strided_view(a, shape, strides, offset)
    xp = get_xp(a)
    item = a.itemsize
    if offset:
        a = as_strided(xp, a, (offset + 1,), (item,))[offset:]
    return as_strided(xp, a, tuple(shape), tuple(s * item for s in strides), writeable)


def c_order(a):
    """``a`` itself if row-major, else a row-major copy (torch's joins and rolls return those)."""
    return a if a.flags.c_contiguous else a.copy()


class _Labelled:
    """Gives ops torch's grad_fn names (``ViewBackward0``) from a per-call label and, where
    torch has several overloads, their number (``SqueezeBackward1``)."""

    label = None
    overload = 0

    def name(self):
        return f"{self.label or type(self).__name__}Backward{self.overload}"


# -- views ------------------------------------------------------------------------
class Reshape(_Labelled, Op):
    """The same elements with a new shape: a view, or a contiguous copy when ``copy``."""

    def __init__(self, shape, copy=False, label=None):
        self.shape, self.copy, self.label = tuple(shape), copy, label

    def strides_for(self, a):
        return view_strides(a.shape, elem_strides(a), self.shape)

    def view(self, a):
        if a.flags.c_contiguous and (not a.ndim or a.strides[-1] == a.itemsize) \
                and type(self) is Reshape and a.shape != self.shape:
            return a.reshape(self.shape)  # NumPy gives fresh row-major strides, as torch does here
        strides = self.strides_for(a)
        if strides is None:
            raise RuntimeError(VIEW_ERROR)
        return strided(a, self.shape, strides)

    def forward(self, a):
        self.in_shape = a.shape
        if self.copy:
            return a.copy().reshape(self.shape)
        return self.view(a)

    def backward(self, g):
        return g.reshape(self.in_shape)


class Unsqueeze(Reshape):
    """A new size-1 dim at ``dim``; torch gives it the stride of the dim it lands before."""

    def __init__(self, shape, dim):
        super().__init__(shape)
        self.dim = dim

    def strides_for(self, a):
        st = elem_strides(a)
        d = self.dim
        new = a.shape[d] * st[d] if d < a.ndim else 1
        return st[:d] + (new,) + st[d:]


class Permute(_Labelled, Op):
    """Reorder the dims (transpose, t, movedim, permute)."""

    def __init__(self, perm, label=None):
        self.perm, self.label = tuple(perm), label

    def view(self, a):
        return a.transpose(self.perm)

    forward = view

    def backward(self, g):
        inv = [0] * len(self.perm)
        for i, p in enumerate(self.perm):
            inv[p] = i
        return g.transpose(inv)


class Expand(Op):
    """Broadcast to ``shape`` with zero strides; read-only where elements would alias."""

    def __init__(self, shape):
        self.shape = tuple(shape)

    def view(self, a):
        shape, lead = self.shape, len(self.shape) - a.ndim
        strides = [0] * lead + [0 if n == 1 and m != 1 else s
                                for n, m, s in zip(a.shape, shape[lead:], elem_strides(a))]
        for i in range(lead - 1, -1, -1):
            if shape[i] == 1:  # a new size-1 dim: torch strides it like a contiguous one
                strides[i] = shape[i + 1] * strides[i + 1] if i + 1 < len(shape) else 0
        # where elements alias, the view is read-only (torch refuses writes there too)
        aliased = any(s == 0 and n > 1 for n, s in zip(shape, strides))
        return strided(a, shape, strides, writeable=not aliased)

    def forward(self, a):
        self.in_shape = a.shape
        return self.view(a)

    def backward(self, g):
        return sum_to(g, self.in_shape)


class Window(_Labelled, Op):
    """A sub-block of the input (its ``view``); the gradient lands in the same block of zeros."""

    def forward(self, a):
        self.in_shape = a.shape
        return self.view(a)

    def backward(self, g):
        gi = get_xp(g).zeros(self.in_shape, g.dtype)
        self.view(gi)[...] = g
        return gi


class Slice(Window):
    """Basic indexing with a fixed tuple of slices and ints (narrow, select)."""

    def __init__(self, index, label=None):
        self.index, self.label = index, label
        self.view = itemgetter(index)


class Diagonal(Window):
    """The ``offset`` diagonal of dims (dim1, dim2), moved to the last dim."""

    def __init__(self, offset, dim1, dim2):
        self.offset, self.dim1, self.dim2 = offset, dim1, dim2

    def view(self, a):
        return diagonal_view(a, self.offset, self.dim1, self.dim2)


def diagonal_view(a, offset, d1, d2):
    """Writable strided view of a diagonal (NumPy's own ``diagonal`` is read-only)."""
    st = elem_strides(a)
    n1, n2 = a.shape[d1], a.shape[d2]
    length = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    start = 0
    if length:
        start = offset * st[d2] if offset >= 0 else -offset * st[d1]
    keep = [i for i in range(a.ndim) if i not in (d1, d2)]
    shape = [a.shape[i] for i in keep] + [length]
    strides = [st[i] for i in keep] + [st[d1] + st[d2]]
    return strided(a, shape, strides, start)


class Unfold(Window):
    """Windows of ``size`` every ``step`` along ``dim``, as a new last dim (may overlap)."""

    def __init__(self, dim, size, step):
        self.dim, self.size, self.step = dim, size, step

    def view(self, a):
        d, st = self.dim, elem_strides(a)
        if a.ndim == 0:
            return strided(a, (self.size,), (1,))
        count = (a.shape[d] - self.size) // self.step + 1
        shape = a.shape[:d] + (count,) + a.shape[d + 1:] + (self.size,)
        strides = st[:d] + (st[d] * self.step,) + st[d + 1:] + (st[d],)
        return strided(a, shape, strides)

    def backward(self, g):
        if self.step >= self.size or not self.in_shape:
            return Window.backward(self, g)
        gi = get_xp(g).zeros(self.in_shape, g.dtype)
        d, count = self.dim, g.shape[self.dim]
        lead = (slice(None),) * d
        for k in range(self.size):  # one pass per offset inside a window, not per element
            gi[lead + (slice(k, k + self.step * (count - 1) + 1, self.step),)] += g[..., k]
        return gi


class AsStrided(Window):
    """``as_strided``: sizes and element strides on the memory of the tensor's root base.

    ``view`` takes an array shaped like the root; ``src_geom`` (offset, strides)
    places the input within the root's memory, and the gradient goes through
    a scratch buffer of that memory.
    """

    def __init__(self, size, stride, offset, src_geom, root):
        self.size, self.stride, self.offset = tuple(size), tuple(stride), offset
        self.src_offset, self.src_strides = src_geom
        self.root = root
        self.need = offset + (0 if 0 in self.size else
                              1 + sum((n - 1) * s for n, s in zip(self.size, self.stride)))

    def view(self, root):
        have = storage_span(root)
        if self.need > have:
            item = root.itemsize
            raise RuntimeError(f"setStorage: sizes {list(self.size)}, strides {list(self.stride)}, "
                               f"storage offset {self.offset}, and itemsize {item} requiring a "
                               f"storage size of {self.need * item} are out of bounds for storage "
                               f"of size {have * item}")
        return strided(root, self.size, self.stride, self.offset)

    def forward(self, a):
        self.in_shape = a.shape
        self.span = self.src_offset + storage_span(a)
        return self.view(self.root)

    def backward(self, g):
        xp = get_xp(g)
        n = max(self.span, self.need)
        if _overlaps(self.size, self.stride):
            idx = strided(xp.arange(n), self.size, self.stride, self.offset)
            flat = _bincount(xp, idx.ravel(), g.ravel(), n).astype(g.dtype)
        else:
            flat = xp.zeros(n, g.dtype)
            strided(flat, self.size, self.stride, self.offset)[...] = g
        return strided(flat, self.in_shape, self.src_strides, self.src_offset).copy()


def _overlaps(shape, strides):
    """Whether two indices of a (shape, strides) layout can reach the same element."""
    dims = sorted((s, n) for n, s in zip(shape, strides) if n > 1)
    if 0 in shape:
        return False
    extent = 1
    for s, n in dims:
        if s < extent:
            return True
        extent = s * (n - 1) + extent
    return False


def _bincount(xp, idx, vals, n):
    """Sum ``vals`` into ``n`` bins by ``idx`` (real and imaginary parts separately)."""
    if vals.dtype.kind == "c":
        return _bincount(xp, idx, vals.real, n) + 1j * _bincount(xp, idx, vals.imag, n)
    return xp.bincount(idx, weights=vals, minlength=n)


class Split(_Labelled, Op):
    """Several views at once (split, chunk, unbind): one basic-index tuple per output."""

    def __init__(self, indices, label=None):
        self.indices, self.label = indices, label

    def forward(self, a):
        self.in_shape = a.shape
        return tuple(a[i] for i in self.indices)

    def backward(self, *grads):
        g0 = next(g for g in grads if g is not None)
        gi = get_xp(g0).zeros(self.in_shape, g0.dtype)
        for index, g in zip(self.indices, grads):
            if g is not None:
                gi[index] += g  # pieces may overlap (tensor_split with decreasing indices)
        return gi


# -- copies -------------------------------------------------------------------------
class Join(_Labelled, Op):
    """cat (``stack=False``) or stack along ``dim``; inputs listed in ``skip`` are left out
    (torch lets legacy 1-D empty tensors into any cat)."""

    def __init__(self, dim, stack=False, skip=()):
        self.dim, self.stack, self.skip = dim, stack, frozenset(skip)
        self.label = "Stack" if stack else "Cat"

    def forward(self, *arrays):
        xp = get_xp(arrays[0])
        self.shapes = [a.shape for a in arrays]
        used = [a for i, a in enumerate(arrays) if i not in self.skip]
        if self.stack:
            return c_order(xp.stack(used, axis=self.dim))
        return c_order(xp.concatenate(used, axis=self.dim))

    def backward(self, g):
        lead = (slice(None),) * self.dim
        out, start = [], 0
        for i, (shape, need) in enumerate(zip(self.shapes, self.needs_input_grad)):
            if i in self.skip:
                out.append(get_xp(g).zeros(shape, g.dtype) if need else None)
                continue
            if self.stack:
                out.append(g[lead + (start,)] if need else None)
                start += 1
            else:
                stop = start + shape[self.dim]
                out.append(g[lead + (slice(start, stop),)] if need else None)
                start = stop
        return tuple(out)


class Repeat(Op):
    """Tile the input ``reps`` times per dim (``len(reps) >= ndim``)."""

    def __init__(self, reps):
        self.reps = tuple(reps)

    def forward(self, a):
        self.in_shape = a.shape
        return c_order(get_xp(a).tile(a, self.reps))

    def backward(self, g):
        shape = (1,) * (len(self.reps) - len(self.in_shape)) + tuple(self.in_shape)
        split = []
        for r, n in zip(self.reps, shape):
            split += [r, n]
        g = g.reshape(split).sum(axis=tuple(range(0, len(split), 2)))
        return g.reshape(self.in_shape)


class RepeatInterleave(Op):
    """Repeat each element along ``dim``: an int count or one count per element."""

    def __init__(self, repeats, dim):
        self.repeats, self.dim = repeats, dim

    def forward(self, a):
        self.in_shape = a.shape
        return get_xp(a).repeat(a, self.repeats, axis=self.dim)

    def backward(self, g):
        xp, d, r = get_xp(g), self.dim, self.repeats
        n = self.in_shape[d]
        if isinstance(r, int):
            shape = g.shape[:d] + (n, r) + g.shape[d + 1:]
            return g.reshape(shape).sum(axis=d + 1)
        gi = xp.zeros(self.in_shape, g.dtype)
        used = r > 0  # elements repeated at least once own a run of g; sum each run
        if g.shape[d]:
            starts = (xp.cumsum(r) - r)[used]
            gi[(slice(None),) * d + (used,)] = xp.add.reduceat(g, starts, axis=d)
        return gi


class Flip(Op):
    def __init__(self, dims):
        self.dims = tuple(dims)

    def forward(self, a):
        return get_xp(a).flip(a, self.dims).copy(order="K")  # keeps the layout, as torch does

    def backward(self, g):
        return get_xp(g).flip(g, self.dims)


class Roll(Op):
    """Circular shift; ``dims=None`` rolls the flattened tensor."""

    def __init__(self, shifts, dims):
        self.shifts, self.dims = shifts, dims

    def forward(self, a):
        return c_order(get_xp(a).roll(a, self.shifts, self.dims))

    def backward(self, g):
        neg = tuple(-s for s in self.shifts) if isinstance(self.shifts, tuple) else -self.shifts
        return get_xp(g).roll(g, neg, self.dims)


class Tri(_Labelled, Op):
    """tril / triu over the last two dims; the gradient is masked the same way."""

    def __init__(self, k, upper):
        self.k, self.upper = k, upper
        self.label = "Triu" if upper else "Tril"

    def forward(self, a):
        xp = get_xp(a)
        return (xp.triu if self.upper else xp.tril)(a, self.k)

    backward = forward


class DiagEmbed(Op):
    """Place the last dim on the ``offset`` diagonal of new dims (dim1, dim2) of zeros."""

    def __init__(self, offset, dim1, dim2, out_shape):
        self.offset, self.dim1, self.dim2, self.out_shape = offset, dim1, dim2, out_shape

    def forward(self, a):
        out = get_xp(a).zeros(self.out_shape, a.dtype)
        diagonal_view(out, self.offset, self.dim1, self.dim2)[...] = a
        return out

    def backward(self, g):
        return diagonal_view(g, self.offset, self.dim1, self.dim2).copy()


class Fill(Op):
    """Every element set to ``value`` (a scalar or 0-d array); value's gradient is the sum."""

    def forward(self, a, value):
        self.value_dtype = getattr(value, "dtype", None)
        out = get_xp(a).empty_like(a)
        out[...] = value
        return out

    def backward(self, g):
        ga = get_xp(g).zeros_like(g) if self.needs_input_grad[0] else None
        gv = sum_to(g, ()).astype(self.value_dtype) if self.needs_input_grad[1] else None
        return ga, gv
