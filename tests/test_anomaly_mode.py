"""ember.autograd's anomaly detection against torch's: flags, the NaN error and its node name."""
import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def _nan_backward(lib):
    x = lib.tensor([0.0, 1.0], requires_grad=True)
    (x.sqrt() * 0).sum().backward()
    return x.grad


@pytest.mark.parametrize("check_nan", [True, False])
def test_detect_anomaly_matches_torch(check_nan):
    outcomes = []
    for lib in (ember, torch):
        assert not lib.is_anomaly_enabled() and lib.is_anomaly_check_nan_enabled()
        with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
            mode = lib.autograd.detect_anomaly(check_nan=check_nan)
        with mode:
            flags = (lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled())
            try:
                outcomes.append((flags, np.isnan(_nan_backward(lib).tolist()).tolist()))
            except RuntimeError as exc:
                outcomes.append((flags, str(exc)))
        assert not lib.is_anomaly_enabled() and lib.is_anomaly_check_nan_enabled()
    assert outcomes[0] == outcomes[1]
    if check_nan:
        assert outcomes[0][1] == "Function 'SqrtBackward0' returned nan values in its 0th output."


def test_set_detect_anomaly_switches_and_restores_like_torch():
    for lib in (ember, torch):
        lib.autograd.set_detect_anomaly(True)
        assert lib.is_anomaly_enabled()
        with lib.autograd.set_detect_anomaly(False):
            assert not lib.is_anomaly_enabled()
            assert np.isnan(_nan_backward(lib).tolist()).any()
        assert lib.is_anomaly_enabled()
        lib.autograd.set_detect_anomaly(False)
        assert not lib.is_anomaly_enabled()


def test_detect_anomaly_as_decorator():
    with pytest.warns(UserWarning):
        @ember.autograd.detect_anomaly()
        def run():
            return ember.is_anomaly_enabled()
    with pytest.warns(UserWarning):
        assert run() is True
    assert not ember.is_anomaly_enabled()
