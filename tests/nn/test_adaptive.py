"""AdaptiveLogSoftmaxWithLoss against torch: output, loss and gradients, log_prob, predict,
unbatched input, and torch's errors."""
import numpy as np
import pytest

import ember
from tests.helpers import assert_close

torch = pytest.importorskip("torch")


def _pair(**kw):
    """The same layer in both libraries (ember's holds torch's weights)."""
    tm = torch.nn.AdaptiveLogSoftmaxWithLoss(16, 100, [10, 40], **kw)
    em = ember.nn.AdaptiveLogSoftmaxWithLoss(16, 100, [10, 40], **kw)
    assert repr(em) == repr(tm) and list(em.state_dict()) == list(tm.state_dict())
    with torch.no_grad():       # rows with x[0] > 0 lean to the first tail cluster
        tm.head.weight[10, 0] += 4.0
    em.load_state_dict({k: ember.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    return tm, em


@pytest.mark.parametrize("kw", [{}, dict(div_value=2.0, head_bias=True)], ids=str)
def test_forward_backward_log_prob_and_predict_match_torch(kw):
    tm, em = _pair(**kw)
    x = np.random.default_rng(0).standard_normal((8, 16)).astype(np.float32)
    target = np.array([0, 3, 12, 45, 99, 11, 40, 9])
    xt, xe = torch.tensor(x, requires_grad=True), ember.tensor(x, requires_grad=True)
    t_out, e_out = tm(xt, torch.tensor(target)), em(xe, ember.tensor(target))
    assert type(e_out).__name__ == "_ASMoutput" and e_out._fields == ("output", "loss")
    assert_close(e_out.output, t_out.output)
    assert_close(e_out.loss, t_out.loss)
    t_out.loss.backward()
    e_out.loss.backward()
    assert_close(xe.grad, xt.grad)
    for (name, p), q in zip(tm.named_parameters(), em.parameters()):
        assert_close(q.grad, p.grad, what=name)
    assert_close(em.log_prob(xe), tm.log_prob(xt))
    predicted = tm.predict(xt)
    assert 0 < int((predicted >= 10).sum()) < len(x)       # both shortlist and tail answers
    assert em.predict(xe).tolist() == predicted.tolist()
    t1, e1 = tm(xt[2], torch.tensor(45)), em(xe[2], ember.tensor(45))
    assert tuple(e1.output.shape) == ()
    assert_close(e1.output, t1.output)


@pytest.mark.parametrize("call,exc,match", [
    (lambda lib, m: m(lib.ones(2, 16), lib.tensor([0, 100])), RuntimeError,
     r"Target values should be in \[0, 99\], but values in range \[0, 100\] were found"),
    (lambda lib, m: m(lib.ones(2, 16), lib.tensor([0])), RuntimeError,
     "Input and target should have the same size in the batch dimension"),
    (lambda lib, m: m(lib.ones(2, 2, 16), lib.tensor([0, 1])), RuntimeError,
     "1D target tensor expects 2D input tensors"),
    (lambda lib, m: m(lib.ones(2, 16), lib.tensor(1)), RuntimeError,
     "0D target tensor expects 1D input tensors"),
    (lambda lib, m: m(lib.ones(2, 16), lib.zeros(2, 2, dtype=lib.int64)), RuntimeError,
     "0D or 1D target tensor expected, multi-target not supported"),
    (lambda lib, m: lib.nn.AdaptiveLogSoftmaxWithLoss(16, 100, []), ValueError,
     "cutoffs should be a sequence of length larger than 0"),
    (lambda lib, m: lib.nn.AdaptiveLogSoftmaxWithLoss(16, 100, [40, 10]), ValueError,
     "cutoffs should be a sequence of unique, positive integers sorted"),
    (lambda lib, m: lib.nn.AdaptiveLogSoftmaxWithLoss(16, 100, [10, 100]), ValueError,
     "each value is between 1 and n_classes-1"),
])
def test_errors_match_torch(call, exc, match):
    for lib in (torch, ember):
        with pytest.raises(exc, match=match):
            call(lib, lib.nn.AdaptiveLogSoftmaxWithLoss(16, 100, [10, 40]))
