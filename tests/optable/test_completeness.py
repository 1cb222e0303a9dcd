"""Every public op has a row, every ``Op`` subclass runs under some row, and the exclusion
list names only real non-op names."""
import pytest

from .core import ALL, ember, lookup
from .exclusions import EXCLUDED, EXCLUDED_OPS
from .public import all_ops, ops_run, public_names
from .registry import ROWS

pytestmark = pytest.mark.filterwarnings("ignore")


def _covered():
    return set().union(*(row.covers() for row in ROWS.values()))


def _exists(name):
    scope, _, attr = name.rpartition(".")
    root = {"ember": ember, "Tensor": ember.Tensor}.get(scope) or lookup(ember, scope)
    return hasattr(root, attr)


def test_every_public_name_has_a_row():
    """Each public name is covered by a row (function, method, operator, in-place, alias) or
    excluded with a reason."""
    missing = sorted(public_names() - _covered() - set(EXCLUDED))
    assert not missing, f"{len(missing)} public names have no row and no exclusion: {missing}"


def test_rows_and_exclusions_name_real_attributes():
    """No stale names; nothing both covered and excluded; reasons are one word."""
    assert not sorted(n for n in _covered() | set(EXCLUDED) if not _exists(n))
    both = sorted(_covered() & set(EXCLUDED))
    assert not both, f"excluded yet covered by a row: {both}"
    assert all(reason and " " not in reason for reason in EXCLUDED.values())


def test_every_op_class_runs_under_some_row():
    """Running every row runs every ``Op`` subclass not excluded (bases count through their
    subclasses)."""
    names = {f"{c.__module__}.{c.__qualname__}": c for c in all_ops()}
    ran = {f"{c.__module__}.{c.__qualname__}" for c in ops_run(ROWS.values())}
    missing = sorted(set(names) - ran - set(EXCLUDED_OPS))
    assert not missing, f"Op subclasses no row runs: {missing}"
    stale = sorted(set(EXCLUDED_OPS) - set(names))
    assert not stale, f"excluded ops that do not exist: {stale}"


def test_xfail_keys_name_real_checks():
    """Every ``OpRow.xfail`` key names a generated check (and sample tag, dtype, alias or error
    index), so no marker silently applies to nothing."""
    bad = []
    for row in ROWS.values():
        tags = {s.tag for s in row.make_samples()}
        valid = {"forward", "backward", "gradcheck", "grad_fn", "out", "inplace", "alias", "error",
                 *(f"forward:{t}" for t in tags), *(f"backward:{t}" for t in tags),
                 *(f"dtype:{d}" for d in ALL), *(f"alias:{a}" for a in row.aliases),
                 *(f"error:{i}" for i in range(len(row.errors(ember) if row.errors else [])))}
        bad += [f"{row.id}[{key}]" for key in row.xfail if key not in valid]
    assert not bad, f"xfail keys that match no check: {bad}"
