"""ember.library (custom ops) against torch.library: the same op definitions run and differentiate
alike, and are reachable under ops.<ns>."""
import numpy as np
import pytest

import ember

from .helpers import assert_close

torch = pytest.importorskip("torch")


def _define(lib, ns):
    def scaled_sin(x, scale):
        return x.sin() * scale

    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])
        ctx.scale = inputs[1]

    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.cos() * ctx.scale, None

    op = lib.library.custom_op(f"{ns}::scaled_sin", scaled_sin, mutates_args=(),
                               schema="(Tensor x, float scale) -> Tensor")
    lib.library.register_fake(f"{ns}::scaled_sin", lambda x, scale: lib.empty_like(x))
    lib.library.register_autograd(f"{ns}::scaled_sin", backward, setup_context=setup_context)

    @lib.library.custom_op(f"{ns}::plus_one", mutates_args=())
    def plus_one(x: lib.Tensor) -> lib.Tensor:
        return x + 1
    return op, getattr(lib.ops, ns)


def test_custom_op_with_autograd_matches_torch():
    x = np.linspace(-2, 2, 6).astype(np.float32)
    results = []
    for lib, ns in [(ember, "ember_test_lib"), (torch, "ember_test_lib")]:
        op, namespace = _define(lib, ns)
        t = lib.tensor(x, requires_grad=True)
        y = namespace.scaled_sin(t, 3.0)
        y.sum().backward()
        results.append((op(t, 3.0).detach(), y.detach(), t.grad, namespace.plus_one(t).detach()))
    for ours, theirs in zip(*results):
        assert_close(ours, theirs)


def test_custom_op_errors():
    with pytest.raises(ValueError, match="Expected there to be a namespace"):
        ember.library.custom_op("no_namespace", lambda x: x, mutates_args=())
    with pytest.raises(ValueError, match="no custom op named"):
        ember.library.register_fake("ember_test_lib::missing", lambda x: x)
    with pytest.raises(AttributeError, match="has no attribute 'missing'"):
        ember.ops.ember_test_lib.missing
