"""``grad``, ``grad_and_value``, ``vjp``, ``jacrev``, ``jacfwd``, ``jvp`` and ``hessian``.

Each transform differentiates a function of tensors with ember's reverse-mode engine: the
inputs become fresh leaves, the function runs, ``autograd.grad`` gives the result.

Inside ``vmap`` an input is logical (``_batching``); the leaf is its *physical* tensor with
every active vmap level's batch dim in front (inputs shared by the batch are expanded first,
so each example has its own copy).  Examples never mix, so the gradient of the sum of every
example's output with respect to that leaf is, row by row, each example's own gradient:
``vmap(grad(f))`` is one forward and one backward over the whole batch.

Transforms nest: inside another transform (or when an input already carries history) the
gradient is taken with ``create_graph=True`` so that it can itself be differentiated.
Forward-mode products (``jvp``, ``jacfwd``) use the double-vjp identity: for ``u`` a dummy
cotangent, ``g(u) = J^T u`` is linear in ``u``, and the vjp of ``g`` against a tangent ``t``
is ``J t``.
"""
import functools

from .._tensor import Tensor
from ..autograd import grad as _autograd_grad
from ..autograd.functional import _basis
from ..autograd.grad_mode import enable_grad
from ..utils._pytree import tree_flatten, tree_unflatten
from . import _batching as B
from .._ops.shape.funcs import stack

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian"]

_depth = [0]  # transforms currently running; >0 makes gradients differentiable


def _to_physical(t, levels):
    """``t`` with the batch dim of every level in ``levels`` (outermost first) in front."""
    for level in reversed(levels):
        t = B.materialize(t, level.number)
    return t


def _to_logical(p, levels):
    for level in levels:
        p = B.wrap(p, level.number)
    return p


def _check_tensors(flat):
    for t in flat:
        if not isinstance(t, Tensor):
            raise ValueError(f"Thing passed to transform API must be Tensor, got {type(t)}")


def _leaves(flat, levels):
    """Physical leaves for the tensors ``flat`` and their logical stand-ins."""
    phys, logical = [], []
    for t in flat:
        p = _to_physical(t, levels)
        p = p.view_as(p) if p.requires_grad else p.detach().requires_grad_(True)
        phys.append(p)
        logical.append(_to_logical(p, levels))
    return phys, logical


def _check_argnums(argnums, args):
    if isinstance(argnums, int):
        nums = (argnums,)
    elif isinstance(argnums, tuple) and all(isinstance(a, int) for a in argnums):
        if not argnums:
            raise RuntimeError("argnums must be non-empty")
        nums = argnums
    else:
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    for a in nums:
        if not -len(args) <= a < len(args):
            raise RuntimeError(f"Got argnum={a}, but only {len(args)} positional inputs")
    nums = tuple(a % len(args) for a in nums)
    if len(set(nums)) != len(nums):
        raise RuntimeError(f"argnums must be unique, got {argnums}")
    return nums


def _differentiate(outputs, leaves, cotangents, create_graph):
    grads = _autograd_grad(outputs, leaves, cotangents, retain_graph=True,
                           create_graph=create_graph, allow_unused=True)
    return [g if g is not None else leaf.detach().new_zeros(leaf.shape)
            for g, leaf in zip(grads, leaves)]


def _nesting(phys):
    return _depth[0] > 0 or any(p.grad_fn is not None for p in phys)


def _finish(t, create_graph, levels=()):
    """``t`` as a transform returns it: detached unless the result is to be differentiated
    again (a logical tensor is detached through its physical tensor)."""
    if create_graph or not isinstance(t, Tensor):
        return t
    if not levels:
        return t.detach()
    return _to_logical(_to_physical(t, levels).detach(), levels)


def _finish_tree(tree, create_graph, levels):
    flat, spec = tree_flatten(tree)
    return tree_unflatten([_finish(t, create_graph, levels) for t in flat], spec)


def grad_and_value(func, argnums=0, has_aux=False):
    """``func``'s gradient with respect to the arguments ``argnums``, and its value.

    Args:
        func: a function returning a scalar Tensor (or ``(scalar, aux)`` with ``has_aux``).
        argnums: which positional argument(s) to differentiate: an int or a tuple of ints; an
            argument may be a pytree (tuple, list, dict) of Tensors.
        has_aux: ``func`` also returns something to pass through undifferentiated.

    Returns:
        A function returning ``(gradient, value)``, or ``(gradient, (value, aux))`` with
        ``has_aux``; the gradient has the structure of the chosen argument(s), a tuple for a
        tuple ``argnums``.

    Example::

        >>> from ember.func import grad_and_value
        >>> g, v = grad_and_value(lambda x: (x ** 2).sum())(ember.tensor([1.0, 2.0]))
        >>> g, v
        (tensor([2., 4.]), tensor(5.))
    """
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        nums = _check_argnums(argnums, args)
        chosen = tuple(args[i] for i in nums)
        flat, spec = tree_flatten(chosen if isinstance(argnums, tuple) else chosen[0])
        _check_tensors(flat)
        levels = B.active_levels()
        phys, logical = _leaves(flat, levels)
        create = _nesting(phys)
        new = list(args)
        rebuilt = tree_unflatten(logical, spec)
        for k, i in enumerate(nums):
            new[i] = rebuilt[k] if isinstance(argnums, tuple) else rebuilt
        _depth[0] += 1
        try:
            with enable_grad():
                out = func(*new, **kwargs)
            if has_aux:
                if not (isinstance(out, tuple) and len(out) == 2):
                    raise RuntimeError("grad_and_value(f)(*args): output of function f should be "
                                       "a tuple: (output, aux) if has_aux is True")
                out, aux = out
            if not isinstance(out, Tensor):
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a "
                                   f"Tensor, got {type(out)}")
            if out.dim() != 0:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a "
                                   f"scalar Tensor, got tensor with {out.dim()} dims. Maybe you "
                                   "wanted to use the vjp or jacrev APIs instead?")
            out_phys = _to_physical(out, levels)
            grads = _differentiate([out_phys], phys, [out_phys.detach().new_ones(out_phys.shape)],
                                   create)
        finally:
            _depth[0] -= 1
        grads = tree_unflatten([_to_logical(_finish(g, create), levels) for g in grads], spec)
        value = _finish(out, create, levels)
        if has_aux:
            return grads, (value, _finish_tree(aux, create, levels))
        return grads, value
    return wrapper


def grad(func, argnums=0, has_aux=False):
    """The gradient of a scalar function: ``grad_and_value`` without the value.

    Example::

        >>> from ember.func import grad
        >>> grad(lambda x: x.sin().sum())(ember.zeros(3))
        tensor([1., 1., 1.])
    """
    gv = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        grads, value = gv(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads
    return wrapper


def vjp(func, *primals, has_aux=False):
    """``func``'s output at ``primals`` and a function giving vector-Jacobian products.

    Args:
        func: a function of the primals returning a Tensor or a pytree of Tensors.
        primals: the point (Tensors or pytrees of Tensors).
        has_aux: ``func`` returns ``(output, aux)``.

    Returns:
        ``(output, vjp_fn)`` (and ``aux``); ``vjp_fn(cotangents)`` takes cotangents shaped
        like the output and returns one gradient per primal, as a tuple.

    Example::

        >>> from ember.func import vjp
        >>> out, fn = vjp(lambda x: x * 3, ember.ones(2))
        >>> fn(ember.tensor([1.0, 2.0]))
        (tensor([3., 6.]),)
    """
    flat, spec = tree_flatten(primals)
    _check_tensors(flat)
    levels = B.active_levels()
    phys, logical = _leaves(flat, levels)
    create = _nesting(phys)
    _depth[0] += 1
    try:
        with enable_grad():
            out = func(*tree_unflatten(logical, spec))
    finally:
        _depth[0] -= 1
    if has_aux:
        if not (isinstance(out, tuple) and len(out) == 2):
            raise RuntimeError("vjp(f, *primals): output of function f should be a tuple: "
                               "(output, aux) if has_aux is True")
        out, aux = out
    out_flat, out_spec = tree_flatten(out)
    for o in out_flat:
        if not isinstance(o, Tensor):
            raise RuntimeError("vjp(f, *primals): Expected f to be a function that has only "
                               f"Tensors or Python scalars as outputs, got {type(o)}")
    out_phys = [_to_physical(o, levels) for o in out_flat]

    def vjp_fn(cotangents):
        ct_flat, ct_spec = tree_flatten(cotangents)
        if ct_spec != out_spec:
            raise RuntimeError("Expected pytree structure of cotangents to be the same as pytree "
                               f"structure of outputs to the function. cotangents: {ct_spec}, "
                               f"primal output: {out_spec}")
        for i, (c, o) in enumerate(zip(ct_flat, out_flat)):
            if tuple(c.shape) != tuple(o.shape):
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                                   f"{_size_str(c)} and output[{i}] has a shape of "
                                   f"{_size_str(o)}.")
        cts = [_to_physical(c, levels) for c in ct_flat]
        live = [(o, c) for o, c in zip(out_phys, cts) if o.requires_grad]
        grads = _differentiate([o for o, _ in live], phys, [c for _, c in live], create) \
            if live else [p.detach().new_zeros(p.shape) for p in phys]
        return tree_unflatten([_to_logical(_finish(g, create), levels) for g in grads], spec)

    result = tree_unflatten([_finish(o, create, levels) for o in out_flat], out_spec)
    if has_aux:
        return result, vjp_fn, _finish_tree(aux, create, levels)
    return result, vjp_fn


def _size_str(t):
    return f"torch.Size({list(t.shape)})"


def _jac_blocks(rows, out, ins):
    """Stack per-output-element rows into blocks of shape ``out.shape + in.shape``."""
    return [stack(r).reshape(tuple(out.shape) + tuple(x.shape)) if r else
            x.new_zeros(tuple(out.shape) + tuple(x.shape)) for r, x in zip(rows, ins)]


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None):
    """The Jacobian of ``func`` with respect to ``argnums``, one reverse pass per output element.

    Args:
        func: a function returning a Tensor or a tuple of Tensors.
        argnums: the argument(s) to differentiate (int or tuple of ints).
        has_aux: ``func`` returns ``(output, aux)``; ``aux`` is passed through.
        chunk_size: accepted for torch's signature (rows are computed one at a time).

    Returns:
        A function returning the Jacobian: for output ``o`` and argument ``x`` a Tensor of
        shape ``o.shape + x.shape``, nested over outputs then arguments as the inputs are.

    Example::

        >>> from ember.func import jacrev
        >>> jacrev(lambda x: x.sin())(ember.zeros(2))
        tensor([[1., 0.],
                [0., 1.]])
    """
    return _jacobian(func, argnums, has_aux, "jacrev")


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """The Jacobian of ``func`` by forward-mode products, one ``jvp`` per input element.

    Same arguments and result layout as ``jacrev``; ``randomness`` is accepted for torch's
    signature.

    Example::

        >>> from ember.func import jacfwd
        >>> jacfwd(lambda x: x * 2)(ember.ones(2))
        tensor([[2., 0.],
                [0., 2.]])
    """
    return _jacobian(func, argnums, has_aux, "jacfwd")


def _jacobian(func, argnums, has_aux, mode):
    @functools.wraps(func)
    def wrapper(*args):
        nums = _check_argnums(argnums, args)
        ins = [args[i] for i in nums]
        flat_in, in_spec = tree_flatten(tuple(ins))
        _check_tensors(flat_in)

        def partial(*xs):
            new = list(args)
            rebuilt = tree_unflatten(list(xs), in_spec)
            for k, i in enumerate(nums):
                new[i] = rebuilt[k]
            return func(*new)

        if mode == "jacrev":
            out, fn, *aux = vjp(partial, *flat_in, has_aux=has_aux)
            out_flat, out_spec = tree_flatten(out)
            blocks = _reverse_blocks(fn, flat_in, out_flat, out_spec)
        else:
            out, aux = _primal(partial, flat_in, has_aux)
            out_flat, out_spec = tree_flatten(out)
            blocks = _forward_blocks(partial, flat_in, out_flat)
        result = []
        for per_in in blocks:
            tree = tree_unflatten(per_in, in_spec)
            result.append(tree if isinstance(argnums, tuple) else tree[0])
        result = tree_unflatten(result, out_spec)
        return (result, aux[0]) if has_aux else result
    return wrapper


def _reverse_blocks(fn, flat_in, out_flat, out_spec):
    """Jacobian blocks ``[output][input]`` from one vjp per output element."""
    blocks = []
    for i, o in enumerate(out_flat):
        rows = [[] for _ in flat_in]
        for k in range(o.numel()):
            cts = [x.new_zeros(x.shape) for x in out_flat]
            cts[i] = _basis(o, k)
            for j, g in enumerate(fn(tree_unflatten(cts, out_spec))):
                rows[j].append(g)
        blocks.append(_jac_blocks(rows, o, flat_in))
    return blocks


def _primal(func, flat_in, has_aux):
    with enable_grad():
        out = func(*flat_in)
    if has_aux:
        return out[0], [out[1]]
    return out, []


def _forward_blocks(func, flat_in, out_flat):
    """Jacobian blocks ``[output][input]`` from one ``jvp`` per input element."""
    cols = [[[] for _ in flat_in] for _ in out_flat]
    for j, x in enumerate(flat_in):
        for k in range(x.numel()):
            tangents = [t.new_zeros(t.shape) for t in flat_in]
            tangents[j] = _basis(x, k)
            _, tans = jvp(lambda *xs: func(*xs), tuple(flat_in), tuple(tangents))
            tans = tree_flatten(tans)[0]
            for i, t in enumerate(tans):
                cols[i][j].append(t)
    blocks = []
    for i, o in enumerate(out_flat):
        blocks.append([stack(c, -1).reshape(tuple(o.shape) + tuple(x.shape)) if c else
                       o.new_zeros(tuple(o.shape) + tuple(x.shape))
                       for c, x in zip(cols[i], flat_in)])
    return blocks


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """``func``'s output at ``primals`` and its Jacobian-vector product with ``tangents``.

    Computed by the double-vjp identity (see the module doc), which needs ``create_graph``.

    Args:
        func: a function of Tensors returning a Tensor or pytree of Tensors.
        primals, tangents: tuples of Tensors (or pytrees) of matching shapes.
        has_aux: ``func`` returns ``(output, aux)``.

    Returns:
        ``(output, jvp_out)`` (and ``aux``), ``jvp_out`` shaped like the output.

    Example::

        >>> from ember.func import jvp
        >>> jvp(lambda x: x ** 2, (ember.tensor([3.0]),), (ember.tensor([1.0]),))
        (tensor([9.]), tensor([6.]))
    """
    if not isinstance(primals, tuple):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals to be a tuple. E.g. it "
                           "should be valid to call f(*primals).")
    flat_p, spec = tree_flatten(primals)
    flat_t, t_spec = tree_flatten(tangents)
    if t_spec != spec:
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to have "
                           f"the same python structure. For example, if primals is a tuple of 3 "
                           f"tensors, tangents also must be. Got primals with structure {spec} "
                           f"and tangents with structure {t_spec}")
    _check_tensors(flat_p)
    for p, t in zip(flat_p, flat_t):
        if tuple(p.shape) != tuple(t.shape):
            raise RuntimeError("Trying to set a forward gradient that has a different size than "
                               "that of the original Tensor, this is not supported. Tensor is of "
                               f"size {list(p.shape)} while the given forward gradient is of size "
                               f"{list(t.shape)}.")
    levels = B.active_levels()
    phys, logical = _leaves(flat_p, levels)
    create = _nesting(phys)
    _depth[0] += 1
    try:
        with enable_grad():
            out = func(*tree_unflatten(logical, spec))
        if has_aux:
            out, aux = out
        out_flat, out_spec = tree_flatten(out)
        out_phys = [_to_physical(o, levels) for o in out_flat]
        live = [o for o in out_phys if o.requires_grad]
        dummies = [o.detach().new_zeros(o.shape).requires_grad_(True) for o in live]
        products = []
        if live:
            gs = _autograd_grad(live, phys, dummies, create_graph=True, allow_unused=True)
            pairs = [(g, _to_physical(t, levels)) for g, t in zip(gs, flat_t) if g is not None]
            if pairs:
                products = _autograd_grad([g for g, _ in pairs], dummies, [t for _, t in pairs],
                                          create_graph=create, allow_unused=True)
            else:
                products = [None] * len(dummies)
        it = iter(products)
        tans = []
        for o in out_phys:
            p = next(it) if o.requires_grad else None
            tans.append(p if p is not None else o.detach().new_zeros(o.shape))
    finally:
        _depth[0] -= 1
    primal_out = tree_unflatten([_finish(o, create, levels) for o in out_flat], out_spec)
    tangent_out = tree_unflatten([_to_logical(_finish(t, create), levels) for t in tans], out_spec)
    return (primal_out, tangent_out, aux) if has_aux else (primal_out, tangent_out)


def hessian(func, argnums=0):
    """The Hessian of a scalar function: ``jacfwd(jacrev(func))``, as torch.func composes it.

    Example::

        >>> from ember.func import hessian
        >>> hessian(lambda x: (x ** 3).sum())(ember.tensor([1.0, 2.0]))
        tensor([[ 6.,  0.],
                [ 0., 12.]])
    """
    return jacfwd(jacrev(func, argnums), argnums)
