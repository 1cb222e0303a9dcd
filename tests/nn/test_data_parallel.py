"""nn.DataParallel on one device: transparent forward, ``module.`` state_dict keys, torch's repr."""
import numpy as np
import pytest

import ember
from ember import nn

torch = pytest.importorskip("torch")


def model(lib):
    class Affine(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = lib.nn.Parameter(lib.tensor([[1.0, 2.0], [3.0, 4.0]]))
            self.register_buffer("offset", lib.tensor([0.5, -0.5]))

        def forward(self, x, scale=1.0):
            return (x @ self.weight + self.offset) * scale
    return Affine()


def test_forward_and_state_dict_match_torch():
    e, t = nn.DataParallel(model(ember)), torch.nn.DataParallel(model(torch))
    assert e.module.__class__.__name__ == "Affine" and e.dim == 0
    x = [[1.0, 1.0], [0.0, 2.0]]
    np.testing.assert_allclose(e(ember.tensor(x), scale=2.0).detach().numpy(),
                               t(torch.tensor(x), scale=2.0).detach().numpy())
    assert list(e.state_dict()) == list(t.state_dict()) == ["module.weight", "module.offset"]
    assert repr(e) == repr(t)
    e(ember.tensor(x)).sum().backward()
    assert e.module.weight.grad.tolist() == [[1.0, 1.0], [3.0, 3.0]]


def test_load_torch_data_parallel_checkpoint():
    t = torch.nn.DataParallel(model(torch))
    with torch.no_grad():
        t.module.weight.mul_(3)
    e = nn.DataParallel(model(ember))
    e.load_state_dict({k: ember.tensor(v.numpy()) for k, v in t.state_dict().items()})
    assert e.module.weight.tolist() == [[3.0, 6.0], [9.0, 12.0]]
    plain = model(ember)
    plain.load_state_dict(e.module.state_dict())
    assert plain.weight.tolist() == e.module.weight.tolist()


def test_functional_form_and_ddp():
    out = nn.parallel.data_parallel(model(ember), ember.tensor([[1.0, 0.0]]))
    assert out.tolist() == [[1.5, 1.5]]
    with pytest.raises(ValueError, match="not been initialized"):  # no process group
        nn.parallel.DistributedDataParallel(model(ember))


@pytest.mark.skipif(not ember.cuda.is_available(), reason="needs a CUDA device")
def test_runs_on_first_gpu():
    e = nn.DataParallel(model(ember))
    assert e.module.weight.is_cuda and e.device_ids[0] == 0
    out = e(ember.tensor([[1.0, 1.0]]))
    assert out.is_cuda and out.tolist() == [[4.5, 5.5]]
