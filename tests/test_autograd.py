"""Autograd engine, grad modes, hooks, Function, version counters — against torch."""
import threading

import numpy as np
import pytest

import ember
from tests.helpers import assert_close, torch


def both(fn):
    """Run fn(lib) for torch and ember and compare what it returns."""
    assert_close(fn(ember), fn(torch))


def test_seed_gradient_example():
    def f(m):
        x = m.ones(2, 2, requires_grad=True)
        y = x + 2
        z = y * y * 3
        out = z.mean()
        out.backward()
        return out, x.grad
    both(f)


def test_accumulation_and_shared_subexpressions():
    def f(m):
        x = m.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = x * x
        z = y * x + y
        z.sum().backward()
        (x * 2).sum().backward()
        return x.grad
    both(f)


def test_backward_with_gradient_argument():
    def f(m):
        x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        y = x.exp() * x
        y.backward(m.tensor([[1.0, 0.5], [-1.0, 2.0]]))
        return x.grad
    both(f)


def test_nonscalar_backward_without_gradient_raises():
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()


def test_backward_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (ember.ones(1) * 2).backward()


def test_second_backward_through_freed_graph_raises():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).exp()
    g = ember.ones(2)
    y.backward(g, retain_graph=True)
    y.backward(g)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward(g)
    np.testing.assert_allclose(x.grad.numpy(), 2 * (2 * np.array([1, 2]) * np.exp([1, 4])), rtol=1e-6)


def test_inplace_modification_of_saved_tensor_raises():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y.exp()          # saves its output
    z.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.backward(ember.ones(2))
    a = x * 1
    b = a * a             # saves a
    a.mul_(2)
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        b.backward(ember.ones(2))


def test_inplace_on_unsaved_input_is_fine():
    def f(m):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        a = x * 2
        b = a + 1          # add saves nothing
        a.add_(5)
        (b * a).sum().backward()
        return x.grad, a._version
    both(f)


def test_inplace_ops_rebase_the_graph():
    def f(m):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y.add_(1)
        y.mul_(x)
        y.sub_(x, alpha=0.5)
        y.exp_()
        (y * x).sum().backward()
        return y, x.grad
    both(f)


def test_inplace_after_saving_output_raises_like_torch():
    for m in (torch, ember):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y.exp_()
        y.sub_(x, alpha=0.5)
        with pytest.raises(RuntimeError, match="is at version 2; expected version 1"):
            y.sum().backward()


def test_leaf_inplace_raises_and_no_grad_allows():
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        x.add_(1)
    with ember.no_grad():
        x.add_(1)
    assert x._version == 1
    assert x.tolist() == [2.0, 2.0, 2.0]


def test_deep_chain_has_no_recursion_limit():
    x = ember.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y + 1e-5
    y.backward(ember.ones(1))
    assert x.grad.tolist() == [1.0]


def test_grad_modes_context_and_decorator():
    x = ember.ones(2, requires_grad=True)
    with ember.no_grad():
        assert not (x * 2).requires_grad
        with ember.enable_grad():
            assert (x * 2).requires_grad
    with ember.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad

    @ember.no_grad()
    def f():
        return x * 2

    @ember.no_grad
    def g():
        return x * 2

    assert not f().requires_grad and not g().requires_grad
    with ember.inference_mode():
        assert not (x * 2).requires_grad and ember.is_inference_mode_enabled()
    ember.set_grad_enabled(False)
    assert not ember.is_grad_enabled()
    ember.set_grad_enabled(True)


def test_grad_mode_is_thread_local():
    seen = []
    with ember.no_grad():
        t = threading.Thread(target=lambda: seen.append(ember.is_grad_enabled()))
        t.start()
        t.join()
        assert not ember.is_grad_enabled()
    assert seen == [True]


def test_autograd_grad_does_not_touch_dot_grad():
    def f(m):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        w = m.tensor([3.0, -1.0], requires_grad=True)
        y = (x * w).exp()
        gx, gw = m.autograd.grad([y], [x, w], [m.ones(2)])
        assert x.grad is None and w.grad is None
        return gx, gw
    both(f)


def test_autograd_grad_allow_unused():
    x = ember.ones(2, requires_grad=True)
    z = ember.ones(2, requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        ember.autograd.grad([y], [x, z], [ember.ones(2)], retain_graph=True)
    gx, gz = ember.autograd.grad([y], [x, z], [ember.ones(2)], allow_unused=True)
    assert gz is None and gx.tolist() == [2.0, 2.0]


def test_retain_grad_and_hooks():
    def f(m):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.retain_grad()
        seen = []
        y.register_hook(lambda g: seen.append(g.clone()))
        h = x.register_hook(lambda g: g * 10)
        z = (y * y).exp() - y
        z.backward(m.ones(2))
        h.remove()
        return y.grad, x.grad, seen[0]
    both(f)


def test_detach_and_data():
    def f(m):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        d = y.detach()
        assert not d.requires_grad and d.grad_fn is None
        y.data.mul_(0)    # .data changes are not tracked
        (x * 3).sum().backward()
        return x.grad, y.detach()
    both(f)


def test_requires_grad_rules():
    with pytest.raises(RuntimeError, match="only Tensors of floating point"):
        ember.tensor([1, 2]).requires_grad_()
    x = ember.ones(2, requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="leaf variables"):
        y.requires_grad = False
    assert y.grad_fn is not None and not y.is_leaf and x.is_leaf


def test_next_functions_shape():
    x = ember.ones(2, requires_grad=True)
    y = ember.ones(2)
    z = x * y
    (fn0, i0), (fn1, i1) = z.grad_fn.next_functions
    assert fn0.variable is x and i0 == 0 and fn1 is None
    assert repr(z.grad_fn).startswith("<MulBackward0 object at")


def _square_function(lib):
    """The same custom Function, x * x * k, defined on ``lib``'s autograd.Function."""
    class Square(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.save_for_backward(x)
            ctx.k = k
            return x * x * k

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            assert ctx.needs_input_grad == (True, False)
            return g * 2 * x * ctx.k, None
    return Square


Square, TorchSquare = _square_function(ember), _square_function(torch)


def test_custom_function():
    def f(m):
        cls = Square if m is ember else TorchSquare
        x = m.tensor([1.0, -2.0, 0.5], requires_grad=True)
        y = cls.apply(x * 1, 3.0)
        (y * x).sum().backward()
        return y, x.grad
    both(f)


def test_custom_function_saved_tensor_modified():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    a = x * 1
    y = Square.apply(a, 2.0)
    a.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward(ember.ones(2))


def test_variable_alias_and_gradcheck():
    from ember.autograd import Variable
    t = ember.ones(2)
    v = Variable(t, requires_grad=True)
    assert v is t and v.requires_grad and isinstance(t, Variable)
    x = ember.tensor([0.3, -0.7], dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(lambda a: (a * a).exp() / (a + 2), (x,))
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        ember.autograd.gradcheck(lambda a: Square.apply(a, 1.0) + a.detach() * 0 + _Wrong.apply(a), (x,))


class _Wrong(ember.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, g):
        return g * 3


def test_two_roots_sharing_one_node():
    def f(m):
        x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        values, indices = (x * 2).max(dim=1)
        m.autograd.backward([values, values * 3], [m.ones(2), m.ones(2)])
        return x.grad
    both(f)


def test_deepcopy_of_leaves_and_non_leaves_like_torch():
    import copy
    for m in (torch, ember):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        (x * 3).sum().backward()
        y = copy.deepcopy(x)
        assert y.requires_grad and y.grad.tolist() == [3.0, 3.0] and y.tolist() == [1.0, 2.0]
        with m.no_grad():
            y.add_(1)
        assert x.tolist() == [1.0, 2.0]
        with pytest.raises(RuntimeError, match="Only Tensors created explicitly by the user"):
            copy.deepcopy(x * 2)
