"""The public names the op table must account for, and the ``Op`` classes rows run.

``public_names()`` lists ``ember.*``, ``Tensor.*``, ``nn.functional.*``, ``linalg.*``,
``fft.*`` and ``special.*``
(submodules left out); ``ops_run(rows)`` runs each row's samples on ember and returns every
``Op`` subclass that took part, bases included.

Example::

    missing = public_names() - covered - set(EXCLUDED)
"""
import types

import ember
from ember._ops.base import Op
from .core import alias_call, materialize


def public_names():
    """``"ember.x"``, ``"Tensor.x"``, ``"nn.functional.x"``, ``"linalg.x"``, ``"fft.x"`` and
    ``"special.x"`` for every public non-module attribute."""
    scopes = {"ember": ember, "Tensor": ember.Tensor, "nn.functional": ember.nn.functional,
              "linalg": ember.linalg, "fft": ember.fft, "special": ember.special}
    names = set()
    for prefix, obj in scopes.items():
        for n in dir(obj):
            if not n.startswith("_") and not isinstance(getattr(obj, n), types.ModuleType):
                names.add(f"{prefix}.{n}")
    return names


def all_ops():
    """Every ``Op`` subclass defined in ember."""
    found, todo = set(), [Op]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def _inplace_call(method):
    """The in-place form on a non-leaf copy of the first input."""
    return lambda lib, x, *a, **k: getattr(x * 1 if x.requires_grad else x.clone(), method)(*a, **k)


def ops_run(rows):
    """The ``Op`` classes (with their ``Op`` bases) that ember runs for the rows' samples, their
    aliases and their in-place forms."""
    seen = set()
    original = Op.__call__

    def spy(self, *inputs):
        seen.update(c for c in type(self).__mro__ if isinstance(c, type) and issubclass(c, Op))
        return original(self, *inputs)
    Op.__call__ = spy
    try:
        for row in rows:
            samples = row.make_samples()
            calls = [(row.call, s) for s in samples]
            calls += [(alias_call(a), samples[0]) for a in row.aliases]
            if row.inplace:
                calls.append((_inplace_call(row.inplace), samples[0]))
            for fn, sample in calls:
                try:
                    args, kwargs, _ = materialize(sample, ember, grad=row.grad)
                    fn(ember, *args, **kwargs)
                except Exception:   # noqa: BLE001 - error samples still show which ops ran
                    pass
    finally:
        Op.__call__ = original
    return seen - {Op}
