"""Shapes that do not broadcast raise torch's exact error, whichever op family finds the clash.

All families share one helper (``ember/_ops/common.py`` ``broadcast_shape``): the first clash
from the last dim backwards, the operands in the order torch names them (tensor a, tensor b).
"""
import pytest
import torch

import ember

_CASES = {
    "add": lambda L, R: R(2, 3) + R(4, 5),
    "add_3d": lambda L, R: R(2, 3, 4) + R(5, 1, 6),
    "atan2": lambda L, R: L.atan2(R(2, 3), R(4, 5)),
    "lerp": lambda L, R: L.lerp(R(2, 3), R(4, 5), R(6, 7)),
    "eq": lambda L, R: L.eq(R(2, 3), R(4, 5)),
    "where": lambda L, R: L.where(L.zeros(2, 3, dtype=L.bool), R(4, 5), R(2, 3)),
    "where_first": lambda L, R: L.where(L.zeros(2, 3, dtype=L.bool), R(4, 3), R(5, 3)),
    "matmul_batch": lambda L, R: L.matmul(R(2, 3, 4, 4), R(4, 5, 4, 4)),
    "broadcast_tensors": lambda L, R: L.broadcast_tensors(R(2, 3), R(2, 1), R(4, 5)),
    "masked_fill": lambda L, R: R(2, 3).masked_fill(L.zeros(4, 5, dtype=L.bool), 1),
    "masked_fill_": lambda L, R: R(2, 3).masked_fill_(L.zeros(4, 5, dtype=L.bool), 1),
    "masked_select": lambda L, R: R(2, 3).masked_select(L.zeros(4, 5, dtype=L.bool)),
    "masked_scatter": lambda L, R: R(2, 3).masked_scatter(L.zeros(4, 5, dtype=L.bool), R(20)),
    "cross": lambda L, R: L.cross(R(2, 4, 3), R(5, 6, 3), dim=-1),
    "linalg_cross": lambda L, R: L.linalg.cross(R(2, 4, 3), R(5, 6, 3)),
    "take_along_dim": lambda L, R: R(2, 3, 4).take_along_dim(L.zeros(5, 6, 1, dtype=L.long), 2),
    "zeta": lambda L, R: L.special.zeta(R(2, 3), R(4, 5)),
    "chebyshev": lambda L, R: L.special.chebyshev_polynomial_t(R(2, 3), R(4, 5)),
    "normal": lambda L, R: L.normal(R(2, 3), L.rand(4, 5)),
    "linalg_solve": lambda L, R: L.linalg.solve(R(2, 3, 3, 3), R(4, 5, 3, 3)),
}


def _error(lib, case):
    with pytest.raises(Exception) as info:
        case(lib, lib.randn)
    return type(info.value), str(info.value)


@pytest.mark.parametrize("name", sorted(_CASES))
def test_broadcast_error_is_torchs(name):
    assert _error(ember, _CASES[name]) == _error(torch, _CASES[name])


def test_broadcast_shape_result():
    from ember._ops.common import broadcast_shape
    assert broadcast_shape((2, 1), (3,), [1, 1, 1]) == (1, 2, 3)
    assert broadcast_shape() == ()
    with pytest.raises(RuntimeError, match=r"tensor a \(3\) .* tensor b \(5\) .* dimension 1$"):
        broadcast_shape((2, 3), (4, 5))
