"""torchdiffeq 0.2.5 under `ember run`: odeint (dopri5, rk4) and odeint_adjoint of a small MLP give
torch's trajectories and gradients from torch's weights."""
from tests.ecosystem._compare import compare, require

require("torch", "torchdiffeq")


def test_torchdiffeq_odeint_and_adjoint_match_torch(tmp_path):
    records = compare("torchdiffeq_ode.py", rtol=1e-4, atol=5e-5, workdir=tmp_path)
    assert [next(iter(r)) for r in records][-1] == "adjoint grad bias"
    assert len(records) == 10
