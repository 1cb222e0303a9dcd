"""``torch.autograd.functional``: derivatives of a whole function of Tensors.

``vjp`` is one reverse pass and ``jacobian`` one reverse pass per output element; ``vhp`` is
a reverse pass through a gradient built with ``create_graph``, ``hessian`` the Jacobian of that
gradient.  The forward-mode products (``jvp``, ``hvp``, and ``jacobian`` with
``strategy="forward-mode"``) use the double-backward identity: for a dummy cotangent ``u``
(zeros that require grad) ``g(u) = J^T u`` is linear in ``u``, so the vector-Jacobian product
of ``g`` with ``v`` is ``J v``.

Every function runs ``func`` on copies of ``inputs`` that require grad (with
``create_graph=True``, inputs that already require grad keep their history so the results
can be differentiated again), and returns results detached unless ``create_graph`` is set.
``strict=True`` raises where a result would be independent of an input instead of filling
in zeros.  ``vectorize=True`` gives the same values as the default; ember computes Jacobians
one row (reverse mode) or column (forward mode) per pass either way.
"""
from .._ops.shape.funcs import stack
from .._tensor import Tensor
from .gradients import grad as _grad
from .grad_mode import enable_grad

__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]

_STRATEGIES = ("forward-mode", "reverse-mode")


def _as_tuple(x, what, fn_name):
    is_tuple = isinstance(x, tuple)
    items = x if is_tuple else (x,)
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            where = (f"the value at index {i} has type {type(item)}" if is_tuple
                     else f"the given {what} has type {type(item)}")
            raise TypeError(f"The {what} given to {fn_name} must be either a Tensor or a tuple of "
                            f"Tensors but {where}.")
    return is_tuple, items


def _unpack(values, is_tuple):
    return values if is_tuple else values[0]


def _prepare_inputs(inputs, create_graph):
    """Inputs that require grad: views keeping their history under ``create_graph``, else
    fresh detached copies."""
    return tuple(x.view_as(x) if create_graph and x.requires_grad
                 else x.detach().requires_grad_(True) for x in inputs)


def _finish(values, create_graph):
    return tuple(v if create_graph else v.detach() for v in values)


def _check_v(v, refs, is_tuple):
    if len(v) != len(refs):
        if is_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(refs)} but got "
                               f"{len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (w, ref) in enumerate(zip(v, refs)):
        if w.size() != ref.size():
            prefix = f"Entry {i} in " if is_tuple else ""
            raise RuntimeError(f"{prefix}v has invalid size: should be {ref.size()} but got "
                               f"{w.size()}.")


_NO_GRAD = {
    "outputs": "Output {i} of the user-provided function does not require gradients. The "
               "outputs must be computed in a differentiable manner from the input when "
               "running in strict mode.",
    "grad_inputs": "The gradient with respect to input {i} is independent of the inputs of the "
                   "user-provided function. This is not allowed in strict mode.",
    "jacobian": "While computing the hessian, found that the jacobian of the user-provided "
                "function with respect to input {i} is independent of the input. This is not "
                "allowed in strict mode. You should ensure that your function is twice "
                "differentiable and that the jacobian depends on the inputs (this would be "
                "violated by a linear function for example).",
    "hessian": "The hessian of the user-provided function with respect to input {i} is "
               "independent of the input. This is not allowed in strict mode. You should ensure "
               "that your function is thrice differentiable and that the hessian depends on "
               "the inputs.",
}


def _check_requires_grad(values, kind, strict):
    """In strict mode, every value must exist and carry history (torch's wording per kind)."""
    if not strict:
        return
    for i, t in enumerate(values):
        if t is None:
            raise RuntimeError(f"The output of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode.")
        if not t.requires_grad:
            raise RuntimeError(_NO_GRAD[kind].format(i=i))


_INDEPENDENT = {
    "back": "The output of the user-provided function is independent of input {i}. This is "
            "not allowed in strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
                  "grad_outputs when using the double backward trick to compute forward mode "
                  "gradients. This is not allowed in strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. "
                   "This is not allowed in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry "
                         "{i} in the grad_jacobian. This is not allowed in strict mode as it "
                         "prevents from using the double backward trick to replace forward mode "
                         "AD.",
}


def _fill_in_zeros(grads, refs, strict, create_graph, stage):
    """Missing gradients as zeros shaped like ``refs`` (strict mode raises instead)."""
    out = []
    for i, (g, ref) in enumerate(zip(grads, refs)):
        if g is None:
            if strict:
                raise RuntimeError(_INDEPENDENT[stage].format(i=i))
            g = ref.detach().new_zeros(ref.shape)
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(f"The {what} of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode when "
                               "create_graph=True.")
        out.append(g)
    return tuple(out)


def _autograd_grad(outputs, inputs, grad_outputs=None, create_graph=False):
    """``autograd.grad`` over the outputs that carry history (None for every input if none)."""
    grad_outputs = grad_outputs if grad_outputs is not None else (None,) * len(outputs)
    live = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not live:
        return (None,) * len(inputs)
    return tuple(_grad([o for o, _ in live], list(inputs), [g for _, g in live],
                       retain_graph=True, create_graph=create_graph, allow_unused=True))


def _run(func, inputs, create_graph, fn_name):
    is_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
    inputs = _prepare_inputs(inputs, create_graph)
    outputs = func(*inputs)
    out_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", fn_name)
    return is_tuple, inputs, out_tuple, outputs


def _default_v(v, refs, fn_name, about):
    if v is not None:
        return v
    if len(refs) != 1 or refs[0].numel() != 1:
        raise RuntimeError(f"The vector v can only be None if the {about} is a single Tensor "
                           "with a single element.")
    return refs[0].detach().new_ones(refs[0].shape)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """The vector-Jacobian product ``v^T J`` of ``func`` at ``inputs``.

    Args:
        func: a function of Tensors returning a Tensor or a tuple of Tensors.
        inputs: a Tensor or a tuple of Tensors, the point to differentiate at.
        v: the vector(s) to multiply with, shaped like ``func``'s output(s); may be omitted when
            the output has a single element.
        create_graph: build a graph through the result, so it can be differentiated again.
        strict: raise when the output does not depend on an input (else its product is zeros).

    Returns:
        ``(func_output, vjp)``; ``vjp`` has the structure and shapes of ``inputs``.

    Example::

        >>> from ember.autograd.functional import vjp
        >>> out, g = vjp(lambda x: (x ** 2).sum(), ember.tensor([1.0, 2.0]))
        >>> g
        tensor([2., 4.])
    """
    with enable_grad():
        is_tuple, inputs, out_tuple, outputs = _run(func, inputs, create_graph, "vjp")
        _check_requires_grad(outputs, "outputs", strict)
        if v is None:
            vs = (_default_v(None, outputs, "vjp", "user-provided function returns"),)
        else:
            _, vs = _as_tuple(v, "v", "vjp")
            _check_v(vs, outputs, out_tuple)
        grads = _autograd_grad(outputs, inputs, vs, create_graph)
        grads = _fill_in_zeros(grads, inputs, strict, create_graph, "back")
    return (_unpack(_finish(outputs, create_graph), out_tuple),
            _unpack(_finish(grads, create_graph), is_tuple))


def _forward_product(outputs, inputs, vs, create_graph, strict):
    """``J v`` by the double-backward identity (see the module doc)."""
    dummies = tuple(o.detach().new_zeros(o.shape).requires_grad_(True) for o in outputs)
    grad_inputs = _autograd_grad(outputs, inputs, dummies, create_graph=True)
    _check_requires_grad(grad_inputs, "grad_inputs", strict)
    products = _autograd_grad(grad_inputs, dummies, vs, create_graph)
    return _fill_in_zeros(products, outputs, strict, create_graph, "back_trick")


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """The Jacobian-vector product ``J v`` of ``func`` at ``inputs``.

    Args:
        func: a function of Tensors returning a Tensor or a tuple of Tensors.
        inputs: a Tensor or a tuple of Tensors.
        v: tangent(s) shaped like ``inputs``; may be omitted for a single one-element input.
        create_graph, strict: as in ``vjp``.

    Returns:
        ``(func_output, jvp)``; ``jvp`` has the structure and shapes of the output.

    Example::

        >>> from ember.autograd.functional import jvp
        >>> jvp(lambda x: x ** 2, ember.tensor([3.0]), ember.tensor([1.0]))[1]
        tensor([6.])
    """
    with enable_grad():
        is_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _prepare_inputs(inputs, create_graph)
        if v is None:
            vs = (_default_v(None, inputs, "jvp", "input to the user-provided function"),)
        else:
            _, vs = _as_tuple(v, "v", "jvp")
            _check_v(vs, inputs, is_tuple)
        outputs = func(*inputs)
        out_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "jvp")
        _check_requires_grad(outputs, "outputs", strict)
        products = _forward_product(outputs, inputs, vs, create_graph, strict)
    return (_unpack(_finish(outputs, create_graph), out_tuple),
            _unpack(_finish(products, create_graph), out_tuple))


def _basis(ref, k):
    """A tensor shaped like ``ref``: one at flat position ``k``, zeros elsewhere."""
    e = ref.detach().new_zeros(ref.numel())
    e[k] = 1
    return e.reshape(ref.shape)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``.

    Args:
        func: a function of Tensors returning a Tensor or a tuple of Tensors.
        inputs: a Tensor or a tuple of Tensors.
        create_graph: build a graph through the result.
        strict: raise when an output does not depend on an input (else that block is zeros);
            not allowed with ``vectorize``.
        vectorize: torch's batched computation; the same values here.
        strategy: "reverse-mode" (one reverse pass per output element) or "forward-mode"
            (one forward-mode product per input element; needs ``vectorize=True`` and no
            ``create_graph``, as in torch).

    Returns:
        For output ``i`` and input ``j`` a Tensor of shape ``out_i.shape + in_j.shape``, nested as
        torch nests them: a Tensor for one input and one output, a tuple over the inputs (or
        outputs) when only those are a tuple, a tuple of tuples when both are.

    Example::

        >>> from ember.autograd.functional import jacobian
        >>> jacobian(lambda x: x * 3, ember.ones(2))
        tensor([[3., 0.],
                [0., 3.]])
    """
    if strategy not in _STRATEGIES:
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode". '
                             'Hint: If your function has more outputs than inputs, '
                             '"forward-mode" tends to be more performant. Otherwise, prefer to '
                             'use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError('torch.autograd.functional.jacobian: `create_graph=True` '
                                      'and `strategy="forward-mode"` are not supported together '
                                      '(yet). Please either set `create_graph=False` or '
                                      '`strategy="reverse-mode"`.')
        if not vectorize:
            raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-"
                                      "reverse Hessian isonly implemented for `vectorize=True`.")
    with enable_grad():
        is_tuple, inputs, out_tuple, outputs = _run(func, inputs, create_graph, "jacobian")
        _check_requires_grad(outputs, "outputs", strict)
        if vectorize and strict:
            raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and "
                               "`vectorized=True` are not supported together. Please either set "
                               "`strict=False` or `vectorize=False`.")
        blocks = [[None] * len(inputs) for _ in outputs]
        if strategy == "reverse-mode":
            for i, out in enumerate(outputs):
                rows = [[] for _ in inputs]
                for k in range(out.numel()):
                    seed = [o.detach().new_zeros(o.shape) for o in outputs]
                    seed[i] = _basis(out, k)
                    grads = _autograd_grad(outputs, inputs, seed, create_graph)
                    for j, g in enumerate(_fill_in_zeros(grads, inputs, strict, create_graph,
                                                         "back")):
                        rows[j].append(g)
                for j, x in enumerate(inputs):
                    shape = tuple(out.shape) + tuple(x.shape)
                    blocks[i][j] = (stack(rows[j]).reshape(shape) if rows[j]
                                    else out.detach().new_zeros(shape))
        else:
            for j, x in enumerate(inputs):
                cols = [[] for _ in outputs]
                for k in range(x.numel()):
                    vs = [y.detach().new_zeros(y.shape) for y in inputs]
                    vs[j] = _basis(x, k)
                    for i, p in enumerate(_forward_product(outputs, inputs, vs, False, False)):
                        cols[i].append(p)
                for i, out in enumerate(outputs):
                    shape = tuple(out.shape) + tuple(x.shape)
                    blocks[i][j] = (stack(cols[i], -1).reshape(shape) if cols[i]
                                    else out.detach().new_zeros(shape))
    per_output = [_unpack(_finish(row, create_graph), is_tuple) for row in blocks]
    return _unpack(tuple(per_output), out_tuple)


def _scalar_function(func, strict, fn_name):
    """``func`` checked to return one single-element Tensor (returned squeezed)."""
    def scalar(*inputs):
        out = func(*inputs)
        is_tuple, outs = _as_tuple(out, "outputs of the user-provided function", fn_name)
        _check_requires_grad(outs, "outputs", strict)
        if is_tuple:
            raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should "
                               "contain a single element")
        return out.squeeze()
    return scalar


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a scalar function: the Jacobian of its gradient.

    Args:
        func: a function of Tensors returning a single-element Tensor.
        inputs: a Tensor or a tuple of Tensors.
        create_graph, strict, vectorize: as in ``jacobian``.
        outer_jacobian_strategy: the ``strategy`` of the outer Jacobian.

    Returns:
        A Tensor of shape ``x.shape + x.shape`` for one input; for a tuple, a tuple of tuples
        whose block ``[i][j]`` has shape ``in_i.shape + in_j.shape``.

    Example::

        >>> from ember.autograd.functional import hessian
        >>> hessian(lambda x: (x ** 3).sum(), ember.tensor([1.0, 2.0]))
        tensor([[ 6.,  0.],
                [ 0., 12.]])
    """
    is_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in _STRATEGIES:
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')
    scalar = _scalar_function(func, strict, "hessian")

    def gradient(*xs):
        grads = _autograd_grad((scalar(*xs),), xs, create_graph=True)
        grads = _fill_in_zeros(grads, xs, False, True, "back")
        _check_requires_grad(grads, "jacobian", strict)
        return grads

    result = jacobian(gradient, _unpack(inputs, is_tuple), create_graph=create_graph,
                      strict=strict, vectorize=vectorize, strategy=outer_jacobian_strategy)
    return result if is_tuple else result[0]


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """The vector-Hessian product ``v^T H`` of a scalar function at ``inputs``.

    Args:
        func: a function of Tensors returning a single-element Tensor.
        inputs: a Tensor or a tuple of Tensors; v: vector(s) shaped like ``inputs`` (optional
            for a single one-element input).
        create_graph, strict: as in ``vjp``.

    Returns:
        ``(func_output, vhp)``; ``vhp`` has the structure and shapes of ``inputs``.

    Example::

        >>> from ember.autograd.functional import vhp
        >>> vhp(lambda x: (x ** 3).sum(), ember.tensor([1.0, 2.0]), ember.ones(2))[1]
        tensor([ 6., 12.])
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp")


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """The Hessian-vector product ``H v`` of a scalar function at ``inputs`` (equal to ``vhp``
    for the symmetric Hessians of twice continuously differentiable functions; computed with
    the double-backward identity, as torch does).

    Same arguments and results as ``vhp``.

    Example::

        >>> from ember.autograd.functional import hvp
        >>> hvp(lambda x: (x ** 3).sum(), ember.tensor([1.0, 2.0]), ember.ones(2))[1]
        tensor([ 6., 12.])
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp")


def _hessian_product(func, inputs, v, create_graph, strict, fn_name):
    with enable_grad():
        is_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
        inputs = _prepare_inputs(inputs, create_graph)
        if v is None:
            vs = (_default_v(None, inputs, fn_name, "input to the user-provided function"),)
        else:
            _, vs = _as_tuple(v, "v", fn_name)
            _check_v(vs, inputs, is_tuple)
        out = func(*inputs)
        out_tuple, outs = _as_tuple(out, "outputs of the user-provided function", fn_name)
        _check_requires_grad(outs, "outputs", strict)
        if out_tuple or not isinstance(out, Tensor):
            raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should "
                               "contain a single element")
        jac = _autograd_grad((out,), inputs, create_graph=True)
        if fn_name == "vhp":
            _check_requires_grad(jac, "jacobian", strict)
            product = _autograd_grad(jac, inputs, vs, create_graph)
            product = _fill_in_zeros(product, inputs, strict, create_graph, "double_back")
        else:
            dummies = tuple(x.detach().new_zeros(x.shape).requires_grad_(True) for x in inputs)
            double_back = _autograd_grad(jac, inputs, dummies, create_graph=True)
            _check_requires_grad(jac, "hessian", strict)
            product = _autograd_grad(double_back, dummies, vs, create_graph)
            product = _fill_in_zeros(product, inputs, strict, create_graph, "double_back_trick")
    return _finish((out,), create_graph)[0], _unpack(_finish(product, create_graph), is_tuple)
