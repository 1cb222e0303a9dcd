"""The comparison helpers themselves: complex values are compared whole, and complex
cotangents carry an imaginary part."""
import numpy as np
import pytest

from tests.helpers import assert_close, random_cotangent
from .core import ember, torch


def test_assert_close_sees_the_imaginary_part():
    e = ember.tensor([1 + 1j, 2 - 1j])
    assert_close(e, torch.tensor([1 + 1j, 2 - 1j]))
    with pytest.raises(AssertionError):
        assert_close(e, torch.tensor([1 + 2j, 2 - 1j]))
    with pytest.raises(AssertionError):
        assert_close(e.numpy(), np.array([1 + 1j, 2 + 1j], np.complex64))


def test_assert_close_reads_torch_conjugate_views():
    t = torch.tensor([1 + 2j]).conj()
    assert_close(ember.tensor([1 - 2j]), t)
    with pytest.raises(AssertionError):
        assert_close(ember.tensor([1 + 2j]), t)


def test_random_cotangent_is_complex_for_complex_dtypes():
    c = random_cotangent(np.random.default_rng(0), (3,), np.complex64)
    assert c.dtype == np.complex64 and np.all(c.imag != 0)
    r = random_cotangent(np.random.default_rng(0), (), np.float32)
    assert isinstance(r, np.ndarray) and r.dtype == np.float32 and r.shape == ()
