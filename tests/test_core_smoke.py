"""The core pattern works end to end: arithmetic ops against torch with gradients."""
import pytest

from tests.helpers import check_op


@pytest.mark.parametrize("shapes", [[(3, 4), (3, 4)], [(3, 4), (4,)], [(2, 1, 4), (3, 1)],
                                    [(), (3,)], [(0, 3), (3,)]])
@pytest.mark.parametrize("fn", [lambda m, a, b: a + b, lambda m, a, b: m.sub(a, b, alpha=2),
                                lambda m, a, b: a * b - b, lambda m, a, b: a / (b * b + 1)])
def test_binary(fn, shapes):
    check_op(fn, shapes)


def test_noncontiguous():
    check_op(lambda m, a, b: (a * b).exp(), [(3, 4), (3, 4)], noncontiguous=True)
