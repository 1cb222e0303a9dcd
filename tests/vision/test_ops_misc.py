"""ember.vision.ops.misc against torch: FrozenBatchNorm2d is eval-mode batch norm on fixed buffers."""
import numpy as np
import pytest

import ember
from ember.vision.ops.misc import FrozenBatchNorm2d

from ..helpers import assert_close

torch = pytest.importorskip("torch")


def test_frozen_batchnorm2d_is_torchs_eval_batch_norm():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    stats = {k: rng.uniform(0.5, 2.0, 3).astype(np.float32) for k in ("weight", "bias", "running_mean", "running_var")}
    bn = FrozenBatchNorm2d(3, eps=1e-3)
    assert sorted(bn.state_dict()) == sorted(stats) and not list(bn.parameters())
    bn.load_state_dict({**{k: ember.tensor(v) for k, v in stats.items()}, "num_batches_tracked": ember.tensor(3)})
    xe = ember.tensor(x, requires_grad=True)
    out = bn.train()(xe)
    xt = torch.tensor(x, requires_grad=True)
    t = {k: torch.tensor(v) for k, v in stats.items()}
    expected = torch.nn.functional.batch_norm(xt, t["running_mean"], t["running_var"], t["weight"], t["bias"],
                                              training=False, eps=1e-3)
    assert_close(out, expected, rtol=1e-5, atol=1e-6)
    out.sum().backward()
    expected.sum().backward()
    assert_close(xe.grad, xt.grad, rtol=1e-5, atol=1e-6)
    assert repr(bn) == "FrozenBatchNorm2d(3, eps=0.001)"
