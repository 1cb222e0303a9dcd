"""Finite-difference checks of analytical gradients (float64, central differences)."""
import numpy as np

from .._tensor import Tensor, _wrap
from . import grad_mode
from .gradients import grad as autograd_grad


def _numerical_grads(fn, inputs, eps):
    """d(sum of outputs weighted by fixed random cotangents)/d(each input), numerically."""
    with grad_mode.no_grad():
        outs = fn(*inputs)
        outs = outs if isinstance(outs, (tuple, list)) else (outs,)
        rng = np.random.default_rng(0)
        cots = [rng.standard_normal(o.shape) for o in outs if isinstance(o, Tensor)]

        def scalar():
            res = fn(*inputs)
            res = res if isinstance(res, (tuple, list)) else (res,)
            res = [r for r in res if isinstance(r, Tensor)]
            return sum(float((np.asarray(r._data, np.float64) * c).sum()) for r, c in zip(res, cots))

        grads = []
        for x in inputs:
            if not (isinstance(x, Tensor) and x.requires_grad):
                grads.append(None)
                continue
            flat = x._data.reshape(-1)
            g = np.zeros(flat.shape, np.float64)
            for i in range(flat.size):
                orig = flat[i]
                flat[i] = orig + eps
                plus = scalar()
                flat[i] = orig - eps
                minus = scalar()
                flat[i] = orig
                g[i] = (plus - minus) / (2 * eps)
            grads.append(g.reshape(x.shape))
    return cots, grads


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, **_ignored):
    """Compare backward's gradients with central differences; inputs should be float64."""
    inputs = inputs if isinstance(inputs, tuple) else (inputs,)
    cots, numeric = _numerical_grads(func, inputs, eps)
    diff_inputs = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    outs = func(*inputs)
    outs = outs if isinstance(outs, (tuple, list)) else (outs,)
    outs = [o for o in outs if isinstance(o, Tensor)]
    pairs = [(o, _wrap(c.astype(o._data.dtype))) for o, c in zip(outs, cots) if o.requires_grad]
    analytic = autograd_grad([o for o, _ in pairs], diff_inputs, [c for _, c in pairs],
                             allow_unused=True) if pairs else [None] * len(diff_inputs)
    k = 0
    for i, x in enumerate(inputs):
        if numeric[i] is None:
            continue
        a = analytic[k]
        k += 1
        a = np.zeros(x.shape) if a is None else np.asarray(a._data, np.float64)
        if not np.allclose(a, numeric[i], atol=atol, rtol=rtol):
            if raise_exception:
                worst = np.unravel_index(np.argmax(np.abs(a - numeric[i])), a.shape) if a.ndim else ()
                raise GradcheckError(
                    f"Jacobian mismatch for output 0 with respect to input {i} (shape "
                    f"{tuple(x.shape)}): largest difference at index {worst}: analytical "
                    f"{a[worst]!r} vs numerical {numeric[i][worst]!r}")
            return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, **_ignored):
    """Check second derivatives: the gradient of ``func`` (taken with ``create_graph=True``)
    against central differences of that gradient, with respect to the inputs and to the
    cotangents ``grad_outputs`` (random float64 normals when not given).

    Example::

        >>> x = ember.randn(3, dtype=ember.float64, requires_grad=True)
        >>> ember.autograd.gradgradcheck(lambda t: (t ** 3).sum(), (x,))
        True
    """
    inputs = inputs if isinstance(inputs, tuple) else tuple(inputs) if isinstance(inputs, list) \
        else (inputs,)
    diff_inputs = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    if grad_outputs is None:
        outs = func(*inputs)
        outs = outs if isinstance(outs, (tuple, list)) else (outs,)
        rng = np.random.default_rng(1)
        grad_outputs = tuple(
            _wrap(rng.standard_normal(o.shape).astype(o._data.dtype)).requires_grad_(True)
            for o in outs if isinstance(o, Tensor) and o.requires_grad)
    else:
        grad_outputs = tuple(grad_outputs) if isinstance(grad_outputs, (tuple, list)) \
            else (grad_outputs,)
    n = len(inputs)

    def first_derivative(*args):
        with grad_mode.enable_grad():
            outs = func(*args[:n])
            outs = outs if isinstance(outs, (tuple, list)) else (outs,)
            outs = [o for o in outs if isinstance(o, Tensor) and o.requires_grad]
            wanted = [x for x in args[:n] if isinstance(x, Tensor) and x.requires_grad]
            grads = autograd_grad(outs, wanted, list(args[n:]), create_graph=True,
                                  allow_unused=True)
        return tuple(g for g in grads if g is not None)

    assert len(diff_inputs) > 0 or grad_outputs, "gradgradcheck needs an input requiring grad"
    return gradcheck(first_derivative, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)


class GradcheckError(RuntimeError):
    """Raised by gradcheck when analytical and numerical gradients differ."""
