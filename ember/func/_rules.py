"""Batching rules: how each op family runs on a whole batch in one call.

A rule ``rule(op, inputs, level)`` gets an op built by the API layer for one example (its dims
count the example's dims), the inputs (logical tensors of ``level`` among them) and returns
logical outputs.  The families:

- pointwise: batched inputs become ``(B, 1, ..., *example)`` so that broadcasting lines the
  batch dims up; the op itself is unchanged (``a + b``, unary maths, ``where``, dropout masks);
- leading: ops that work on the trailing dims of any number of leading ones (``linear`` with
  unbatched weights, ``triu``) run on the physical input as it is;
- shifted: dims named by the op move one place right (reductions, softmax, cumsum, flip,
  permute, reshape, slicing, cat/stack, layer norm); unbatched inputs are expanded first;
- matmul: both sides become stacks of matrices with the batch dims in front;
- conv: the vmap dim is folded into the batch dim N (or, for batched weights, into channel
  groups).

Anything else runs per example (``_batching.per_example``).
"""
import copy
import functools

from .._ops.activation import ops as A, softmax as SM
from .._ops import linear as LIN, sparse as EMB
from .._ops.comparison import ops as C
from .._ops.conv import ops as V
from .._ops.elementwise import ops as E
from .._ops.indexing import ops as I
from .._ops.linalg import ops as L
from .._ops.loss import ops as LO
from .._ops.normalization import ops as N
from .._ops.pooling import ops as P
from .._ops.reduction import ops as R, sorting as T
from .._ops.shape import ops as S
from .. import nn  # noqa: F401  (loads the attention module in the order it expects)
from .._ops import attention as AT
from .._ops.base import get_xp
from .._backend.meta import MetaArray
from .._tensor import Tensor
from ._batching import (level_of, materialize, pad_raw, per_example, size_of, unwrap, wrap,
                        wrap_outputs, BatchedArray)
from ._expanded import ExpandedLinear
from .._ops.linalg.funcs import matmul


def _pad(x, nd, level):
    """A physical tensor with the batch dim first and ``nd`` logical dims (size-1 padding)."""
    phys, batched = unwrap(x, level)
    if not batched or x.dim() == nd:
        return phys
    return phys.reshape((size_of(level),) + (1,) * (nd - x.dim()) + tuple(x.shape))


def pointwise(op, inputs, level):
    """Broadcasting ops: line the batch dims up, run the op once."""
    arrays = {k: v for k, v in vars(op).items() if type(v) is BatchedArray}
    nd = max([x.dim() for x in inputs if isinstance(x, Tensor)] +
             [v.ndim for v in arrays.values()])
    if arrays:
        op = copy.copy(op)
        for k, v in arrays.items():
            if v.level == level:
                setattr(op, k, pad_raw(v, nd))
    return wrap_outputs(op(*[_pad(x, nd, level) if isinstance(x, Tensor) else x
                             for x in inputs]), level)


def leading(op, inputs, level):
    """Ops on trailing dims whose other inputs are unbatched: run on the physical input."""
    if any(level_of(x) == level for x in inputs[1:]) or \
            any(type(v) is BatchedArray for v in vars(op).values()):
        return per_example(op, inputs, level)
    return wrap_outputs(op(unwrap(inputs[0], level)[0], *inputs[1:]), level)


def _shift(value):
    """A dim (or tuple of dims) of one example as a dim of the batch: non-negative ones move
    right by one, negative ones count from the end and stay."""
    if value is None:
        return None
    if isinstance(value, (tuple, list)):
        return type(value)(_shift(v) for v in value)
    return value + 1 if value >= 0 else value


def shifted(*names):
    """A rule for ops whose attributes ``names`` are dims: shift them, batch every input."""
    def rule(op, inputs, level):
        new = copy.copy(op)
        for n in names:
            setattr(new, n, _shift(getattr(op, n)))
        args = [materialize(x, level) if isinstance(x, Tensor) else x for x in inputs]
        return wrap_outputs(new(*args), level)
    return rule


def _reshape(op, inputs, level):
    """Reshape/view with the batch dim in front.  Where the physical layout (the batch dim
    moved in front) admits no view that the example's layout would, the result is a copy."""
    new = copy.copy(op)
    new.shape = (size_of(level),) + tuple(op.shape)
    if isinstance(op, S.Unsqueeze):
        new.dim = op.dim + 1
    phys = materialize(inputs[0], level)
    try:
        return wrap(new(phys), level)
    except RuntimeError:
        if new.copy:
            raise
    new = copy.copy(new)
    new.copy = True
    return wrap(new(phys), level)


def _permute(op, inputs, level):
    new = copy.copy(op)
    new.perm = (0,) + tuple(p + 1 for p in op.perm)
    return wrap(new(materialize(inputs[0], level)), level)


def _expand(op, inputs, level):
    new = copy.copy(op)
    new.shape = (size_of(level),) + tuple(op.shape)
    return wrap(new(_pad(inputs[0], len(op.shape), level)), level)


def _take_along(op, inputs, level):
    """Values at precomputed indices along one axis (max/min/sort/median with ``dim``)."""
    x = inputs[0]
    idx = op.indices
    if op.axis is None or x.dim() == 0:
        return per_example(op, inputs, level)
    if type(idx) is BatchedArray and idx.level == level:
        raw = idx.phys._data
    elif isinstance(idx, MetaArray):
        return per_example(op, inputs, level)
    else:
        raw = get_xp(idx).broadcast_to(idx, (size_of(level),) + idx.shape)
    new = copy.copy(op)
    new.indices, new.axis = raw, _shift(op.axis)
    new.shape = None if op.shape is None else (size_of(level),) + tuple(op.shape)
    return wrap(new(materialize(x, level)), level)


def _slice(op, inputs, level):
    index = op.index if isinstance(op.index, tuple) else (op.index,)
    new = S.Slice((slice(None),) + index, op.label)
    return wrap(new(materialize(inputs[0], level)), level)


def _split(op, inputs, level):
    new = copy.copy(op)
    new.indices = [(slice(None),) + (i if isinstance(i, tuple) else (i,)) for i in op.indices]
    return wrap_outputs(new(materialize(inputs[0], level)), level)


def _repeat(op, inputs, level):
    new = copy.copy(op)
    new.reps = (1,) + tuple(op.reps)
    return wrap(new(_pad(inputs[0], len(op.reps), level)), level)


def _index(op, inputs, level):
    """``a[key]`` with an unbatched key: a leading full slice keeps the batch dim in front,
    as long as the advanced indices (if any) sit together, so NumPy keeps them in place."""
    key = op.key
    basic = key.basic if key.basic is None or isinstance(key.basic, tuple) else (key.basic,)
    adv = key.adv if key.adv is None or isinstance(key.adv, tuple) else (key.adv,)
    if any(type(v) is BatchedArray for v in (basic or ()) + (adv or ())):
        return per_example(op, inputs, level)
    if adv is not None:
        spots = [i for i, a in enumerate(adv) if not isinstance(a, slice) and a is not Ellipsis
                 and a is not None]
        if spots and spots[-1] - spots[0] + 1 != len(spots):
            return per_example(op, inputs, level)
        adv = (slice(None),) + adv
    if basic is not None:
        basic = (slice(None),) + basic
    new = copy.copy(op)
    new.key = I.Key(basic, adv, key.unique)
    return wrap(new(materialize(inputs[0], level)), level)


def _matmul(op, inputs, level):
    """Both sides as stacks of matrices, batch dims in front, then one matmul."""
    a, b = inputs
    ma, mb = a.dim() == 1, b.dim() == 1
    if a.dim() == 0 or b.dim() == 0:
        return per_example(op, inputs, level)
    la = tuple(a.shape[:-2]) if not ma else ()
    lb = tuple(b.shape[:-2]) if not mb else ()
    nb = max(len(la), len(lb))
    pa, ba = unwrap(a, level)
    pb, bb = unwrap(b, level)
    batch = size_of(level)
    if ba:
        mat = (1,) + tuple(a.shape) if ma else tuple(a.shape)
        pa = pa.reshape((batch,) + (1,) * (nb + 2 - len(mat)) + mat)
    elif ma:
        pa = pa.unsqueeze(0)
    if bb:
        mat = tuple(b.shape) + (1,) if mb else tuple(b.shape)
        pb = pb.reshape((batch,) + (1,) * (nb + 2 - len(mat)) + mat)
    elif mb:
        pb = pb.unsqueeze(-1)
    out = copy.copy(op)(pa, pb)
    if mb:
        out = out.squeeze(-1)
    if ma:
        out = out.squeeze(-1 if mb else -2)
    return wrap(out, level)


def _linear(op, inputs, level):
    """x @ W.T + b: with unbatched W and b the op takes any leading dims; else compose, as
    ``W @ x`` so that a per-example weight's gradient comes out contiguous."""
    x, w, b = inputs
    if level_of(w) != level and level_of(b) != level:
        return leading(op, inputs, level)
    pw = unwrap(w, level)[0]
    if level_of(w) == level and _zero_batch_stride(pw) and x.dim() >= 1:
        out = wrap(ExpandedLinear.apply(materialize(x, level), pw), level)
    else:
        out = matmul(w, x) if x.dim() == 1 else matmul(w, x.transpose(-1, -2)).transpose(-1, -2)
    return out if b is None else out + b


def _zero_batch_stride(phys):
    """Whether a physical tensor repeats one example along its batch dim (an expanded one)."""
    data = phys._data
    return not isinstance(data, MetaArray) and data.ndim > 0 and data.strides[0] == 0


def _convolution(op, inputs, level):
    """The vmap dim folded into N (unbatched weights), or into channel groups (batched ones);
    a batched bias is added afterwards."""
    x, w, b = (tuple(inputs) + (None,))[:3]
    batch = size_of(level)
    px = materialize(x, level)
    if op.unbatched:
        px = px.unsqueeze(1)
    n = px.shape[1]
    own_bias = None if level_of(b) == level else b
    new = copy.copy(op)
    new.unbatched = False
    if level_of(w) != level:
        out = new(px.reshape((batch * n,) + tuple(px.shape[2:])), w, own_bias)
        out = out.reshape((batch, n) + tuple(out.shape[1:]))
    else:
        if op.transposed:
            return per_example(op, inputs, level)
        pw = unwrap(w, level)[0]
        new.groups = op.groups * batch
        xg = px.transpose(0, 1).reshape((n, batch * px.shape[2]) + tuple(px.shape[3:]))
        wg = pw.reshape((batch * pw.shape[1],) + tuple(pw.shape[2:]))
        bg = None if own_bias is None else own_bias.repeat(batch)
        out = new(xg, wg, bg)
        out = out.reshape((n, batch, pw.shape[1]) + tuple(out.shape[2:])).transpose(0, 1)
    if b is not None and own_bias is None:
        pb = unwrap(b, level)[0]
        out = out + pb.reshape((batch, 1, pb.shape[1]) + (1,) * (out.dim() - 3))
    if op.unbatched:
        out = out.squeeze(1)
    return wrap(out, level)


def _normalize(op, inputs, level):
    """Layer norm (statistics over trailing dims, unbatched affine): shift the axes."""
    if op.view is not None or op.stats is not None or \
            any(level_of(t) == level for t in inputs[1:]):
        return per_example(op, inputs, level)
    new = copy.copy(op)
    new.axes = _shift(op.axes)
    return wrap(new(materialize(inputs[0], level), *inputs[1:]), level)


def _class_index_loss(op, inputs, level):
    """NLL / cross-entropy with class-index targets: the examples' samples folded into one
    unreduced call, then each example's loss reduced as torch reduces one call (mean divides
    by that example's count of targets not ignored)."""
    x, t = inputs
    if op.weight is not None or getattr(op, "eps", 0) or x.dim() == 0:
        return per_example(op, inputs, level)
    batch = size_of(level)
    px, pt = materialize(x, level), materialize(t, level)
    new = copy.copy(op)
    new.reduction = "none"
    if x.dim() == 1:  # one sample per example: (B, C) scores, (B,) targets
        loss = new(px, pt)
        count = (pt != op.ignore_index).to(loss.dtype)
    else:
        folded = new(px.reshape((-1,) + tuple(px.shape[2:])),
                     pt.reshape((-1,) + tuple(pt.shape[2:])))
        loss = folded.reshape((batch, -1))
        count = (pt != op.ignore_index).reshape((batch, -1)).to(loss.dtype).sum(1)
        if op.reduction != "none":
            loss = loss.sum(1)
        else:
            loss = folded.reshape((batch,) + tuple(pt.shape[1:]))
    if op.reduction == "mean":
        loss = loss / count
    return wrap(loss, level)


_EXTREMES = {"Amax": "amax", "Max": "amax", "Amin": "amin", "Min": "amin"}


def _selected(op, inputs, level):
    """amax/amin and max()/min() of everything: the same pick over the shifted axes."""
    fn = _EXTREMES.get(op.label)
    if fn is None:
        return per_example(op, inputs, level)
    axes, keepdim = _shift(op.axes), op.keepdim
    new = copy.copy(op)
    new.axes = axes
    new.pick = lambda a: getattr(get_xp(a), fn)(a, axis=axes, keepdims=keepdim)
    return wrap(new(materialize(inputs[0], level)), level)


def _pointwise_loss(op, inputs, level):
    """Elementwise losses: unreduced on the batch (broadcast as pointwise ops are), then each
    example reduced over its own elements."""
    if op.reduction not in ("none", "mean", "sum"):
        return per_example(op, inputs, level)
    new = copy.copy(op)
    new.reduction = "none"
    loss = pointwise(new, inputs, level)
    if op.reduction == "mean":
        return loss.mean()
    return loss.sum() if op.reduction == "sum" else loss


def _vector_norm(op, inputs, level):
    """Vector norms over the given dims (None: all of an example's dims)."""
    x = inputs[0]
    new = copy.copy(op)
    new.dims = _shift(op.dims) if op.dims is not None else tuple(range(1, x.dim() + 1))
    return wrap(new(materialize(x, level)), level)


def _einsum(op, inputs, level):
    """einsum with one more letter for the batch on the batched operands and the output."""
    used = set("".join(op.in_subs) + op.out_sub)
    letter = next(c for c in "zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLKJIHGFEDCBA"
                  if c not in used)
    new = copy.copy(op)
    new.in_subs, new.squeeze, args = [], [], []
    for x, sub, ax in zip(inputs, op.in_subs, op.squeeze):
        phys, batched = unwrap(x, level)
        new.in_subs.append(letter + sub if batched else sub)
        new.squeeze.append(tuple(a + 1 for a in ax) if batched and ax else ax)
        args.append(phys)
    new.out_sub = letter + op.out_sub
    return wrap(new(*args), level)


def _attention(op, inputs, level):
    """softmax(q k^T) v over any leading dims: every operand batched, ranks lined up."""
    if op.keep is not None:
        return per_example(op, inputs, level)
    nd = max(t.dim() for t in inputs if t is not None)
    args = [None if t is None else _pad_all(t, nd, level) for t in inputs]
    return wrap_outputs(op(*args), level)


def _pad_all(x, nd, level):
    """``x`` batched at ``level`` (expanded if it was not) with ``nd`` logical dims."""
    phys = materialize(x, level)
    return phys.reshape((size_of(level),) + (1,) * (nd - x.dim()) + tuple(x.shape))


def _embedding(op, inputs, level):
    """Rows of an unbatched table picked by batched indices: one lookup."""
    w, idx = inputs
    if level_of(w) == level:
        return per_example(op, inputs, level)
    return wrap(op(w, unwrap(idx, level)[0]), level)


_RULES = {
    E.Unary: leading, E.Cast: leading, S.Tri: leading,
    E.Binary: pointwise, E.Add: pointwise, E.Mul: pointwise, E.Lerp: pointwise,
    E.Addcmul: pointwise, E.Clamp: pointwise, C.Where: pointwise, C.Compare: pointwise,
    A.ScaleShift: pointwise, A.PRelu: per_example,
    R.Sum: shifted("axes"), R.Prod: shifted("axes"), R.Var: shifted("axes"),
    R.LogSumExp: shifted("axes"), R.Cumsum: shifted("axis"), R.Cumprod: shifted("axis"),
    SM.Softmax: shifted("axis"), A.Glu: shifted("axis"), L.Cross: shifted("dim"),
    S.Flip: shifted("dims"), S.Diagonal: shifted("dim1", "dim2"), S.Unfold: shifted("dim"),
    S.Join: shifted("dim"),
    S.Reshape: _reshape, S.Permute: _permute, S.Expand: _expand, S.Slice: _slice,
    S.Split: _split, S.Repeat: _repeat, I.Index: _index,
    L.MatMul: _matmul, LIN.Linear: _linear, V.Convolution: _convolution, P.MaxPool: leading,
    P.Resample: leading, T.TakeAlong: _take_along,
    N.Normalize: _normalize, EMB.Embedding: _embedding, LO._ClassIndexLoss: _class_index_loss,
    R.Selected: _selected, LO.Pointwise: _pointwise_loss, L.VectorNorm: _vector_norm,
    L.Einsum: _einsum, L.Det: leading, V.Pad: leading, AT.Attention: _attention,
}


@functools.lru_cache(maxsize=None)
def rule_for(cls):
    """The batching rule of op class ``cls`` (its nearest registered base), else the
    per-example fallback."""
    for base in cls.__mro__:
        rule = _RULES.get(base)
        if rule is not None:
            return rule
    return per_example
