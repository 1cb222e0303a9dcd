"""``torch.autograd.functional``: derivatives of a whole function, first order.

``vjp(func, inputs, v)`` is one reverse pass; ``jacobian(func, inputs)`` one reverse pass per
output element. Both run ``func`` on detached copies of ``inputs`` that require grad, so the
caller's graph is left alone, and return results detached from any graph. ``create_graph=True``
raises NotImplementedError (ember has no higher-order gradients).
"""
from .._tensor import Tensor
from . import grad as _grad
from .grad_mode import enable_grad

__all__ = ["vjp", "jacobian"]


def _as_tuple(x, what, fn_name):
    is_tuple = isinstance(x, (tuple, list))
    items = tuple(x) if is_tuple else (x,)
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            where = f"element {i} of the {what}" if is_tuple else f"the {what}"
            raise TypeError(f"The {what} given to {fn_name} must be either a Tensor or a tuple of "
                            f"Tensors but {where} has type {type(item).__name__}.")
    return is_tuple, items


def _prepare(func, inputs, create_graph, fn_name):
    if create_graph:
        raise NotImplementedError(f"{fn_name}(create_graph=True) needs higher-order gradients, "
                                  "which ember does not support")
    is_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
    inputs = tuple(x.detach().requires_grad_(x.is_floating_point() or x.is_complex()) for x in inputs)
    with enable_grad():
        outputs = func(*inputs)
    out_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", fn_name)
    return is_tuple, inputs, out_tuple, outputs


def _grads(outputs, inputs, grad_outputs, strict, retain):
    live = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    if live:
        res = _grad([o for o, _ in live], list(inputs), [g for _, g in live], retain_graph=retain,
                    allow_unused=True)
    else:
        res = [None] * len(inputs)
    out = []
    for i, (x, g) in enumerate(zip(inputs, res)):
        if g is None:
            if strict:
                raise RuntimeError(f"The output of the user-provided function is independent of "
                                   f"input {i}. This is not allowed in strict mode.")
            g = x.detach().new_zeros(x.shape)
        out.append(g.detach())
    return out


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """The vector-Jacobian product ``v^T J`` of ``func`` at ``inputs``.

    Args:
        func: a function of Tensors returning a Tensor or a tuple of Tensors.
        inputs: a Tensor or a tuple of Tensors, the point to differentiate at.
        v: the vector(s) to multiply with, shaped like ``func``'s output(s); may be omitted when
            the output has a single element.
        strict: raise when the output does not depend on an input (else its product is zeros).

    Returns:
        ``(func_output, vjp)``, both detached; ``vjp`` has the structure and shapes of ``inputs``.

    Example::

        >>> out, g = vjp(lambda x: (x ** 2).sum(), ember.tensor([1.0, 2.0]))
        >>> g
        tensor([2., 4.])
    """
    is_tuple, inputs, out_tuple, outputs = _prepare(func, inputs, create_graph, "vjp")
    if v is None:
        if len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError("The vector v can only be None if the user-provided function "
                               "returns a single Tensor with a single element.")
        vs = (outputs[0].detach().new_ones(outputs[0].shape),)
    else:
        _, vs = _as_tuple(v, "v", "vjp")
        if len(vs) != len(outputs):
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(outputs)} but got "
                               f"{len(vs)}.")
        for out, w in zip(outputs, vs):
            if tuple(out.shape) != tuple(w.shape):
                raise RuntimeError(f"Mismatch in shape: v has shape {tuple(w.shape)} and the "
                                   f"function's output has shape {tuple(out.shape)}.")
    grads = _grads(outputs, inputs, vs, strict, retain=False)
    detached = tuple(o.detach() for o in outputs)
    return (detached if out_tuple else detached[0]), (tuple(grads) if is_tuple else grads[0])


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``, one reverse pass per output element.

    Args:
        func: a function of Tensors returning a Tensor or a tuple of Tensors.
        inputs: a Tensor or a tuple of Tensors.
        strict: raise when an output does not depend on an input (else that block is zeros).
        vectorize, strategy: accepted for torch's signature; only "reverse-mode" is supported.

    Returns:
        For output ``i`` and input ``j`` a Tensor of shape ``out_i.shape + in_j.shape``, nested as
        torch nests them: a Tensor for one input and one output, a tuple over the inputs (or
        outputs) when only those are a tuple, a tuple of tuples when both are.

    Example::

        >>> jacobian(lambda x: x * 3, ember.ones(2))
        tensor([[3., 0.],
                [0., 3.]])
    """
    if strategy != "reverse-mode":
        raise NotImplementedError(f"jacobian(strategy={strategy!r}): ember computes Jacobians in "
                                  "reverse mode only")
    from .._ops.shape.funcs import stack
    is_tuple, inputs, out_tuple, outputs = _prepare(func, inputs, create_graph, "jacobian")
    blocks = []
    for out in outputs:
        rows = [[] for _ in inputs]
        flat = out.reshape(-1)
        for k in range(flat.numel()):
            seed = [o.detach().new_zeros(o.shape) for o in outputs]
            seed[len(blocks)].view(-1)[k] = 1
            for j, g in enumerate(_grads(outputs, inputs, seed, strict, retain=True)):
                rows[j].append(g)
        per_input = tuple(stack(r).reshape(tuple(out.shape) + tuple(x.shape)) if r
                          else out.detach().new_zeros(tuple(out.shape) + tuple(x.shape))
                          for r, x in zip(rows, inputs))
        blocks.append(per_input if is_tuple else per_input[0])
    return tuple(blocks) if out_tuple else blocks[0]
