"""``torch.utils.flop_counter``: count the floating-point operations of matrix products and
convolutions run inside a ``FlopCounterMode`` block.

As in torch, only ops with a FLOP formula count: matrix products of operands
that are at least 2-D (``mm``/``bmm``/``addmm`` and ``nn.Linear``: 2*M*N*K) and
convolutions (2 * output elements * weight elements per output channel);
elementwise ops count 0.  ember observes the forward ops only (its backward
formulas run on raw arrays, outside any op call), so a backward pass inside
the block adds nothing, and counts are kept globally, not per module.

Example::

    >>> from ember.utils.flop_counter import FlopCounterMode
    >>> with FlopCounterMode(display=False) as counter:
    ...     y = ember.randn(2, 3, 4) @ ember.randn(2, 4, 5)
    >>> counter.get_total_flops()
    240
"""
import math
from collections import Counter

from .. import _op_hooks

__all__ = ["FlopCounterMode", "register_flop_formula"]


def _matmul_flops(inputs, output):
    a, b = inputs[-2], inputs[-1]
    if a.ndim < 2 or b.ndim < 2:
        return 0  # torch has no formula for dot/mv
    return 2 * math.prod(output.shape) * a.shape[-1]


def _linear_flops(inputs, output):
    return 2 * math.prod(output.shape) * inputs[0].shape[-1]


def _convolution_flops(inputs, output, op):
    x, w = inputs[0], inputs[1]
    per_output = math.prod(w.shape[1:])
    return 2 * per_output * math.prod(x.shape if op.transposed else output.shape)


_FORMULAS = {
    "MatMul": lambda op, inputs, out: _matmul_flops(inputs, out),
    "AddMatMul": lambda op, inputs, out: _matmul_flops(inputs, out),
    "Linear": lambda op, inputs, out: _linear_flops(inputs, out),
    "Convolution": lambda op, inputs, out: _convolution_flops(inputs, out, op),
}


def register_flop_formula(targets, get_raw=False):
    """Decorator registering ``formula(op, inputs, output) -> int`` for the ember op class
    name(s) ``targets`` (e.g. ``"Einsum"``)."""
    names = [targets] if isinstance(targets, str) else list(targets)

    def register(formula):
        for name in names:
            _FORMULAS[name] = formula
        return formula
    return register


class FlopCounterMode:
    """Context manager counting FLOPs of the ops run inside it.

    Params: ``display`` (print the counts on exit), ``depth`` and ``mods``
    (accepted; ember counts globally).  ``get_total_flops()`` is the sum,
    ``get_flop_counts()`` is ``{"Global": {op_name: flops}}``.
    """

    def __init__(self, mods=None, depth=2, display=True, custom_mapping=None):
        self.display = display
        self.depth = depth
        self.flop_counts = {"Global": Counter()}
        self._custom = dict(custom_mapping or {})

    def before(self, op, inputs):
        return op, inputs

    def after(self, token, output):
        op, inputs = token
        name = type(op).__name__
        formula = self._custom.get(name) or _FORMULAS.get(name)
        if formula is None or output is None:
            return
        out = output[0] if isinstance(output, tuple) else output
        arrays = [getattr(x, "_data", x) for x in inputs]
        self.flop_counts["Global"][name.lower()] += int(formula(op, arrays, out._data))

    def get_total_flops(self):
        return sum(self.flop_counts["Global"].values())

    def get_flop_counts(self):
        return {module: dict(counts) for module, counts in self.flop_counts.items()}

    def get_table(self, depth=None):
        """The counts as text: one row per op, then the total."""
        total = self.get_total_flops()
        rows = [("Module", "FLOP", "% Total"), ("Global", str(total), "100%" if total else "0%")]
        rows += [(f" - {name}", str(n), f"{100 * n / total:.2f}%")
                 for name, n in self.flop_counts["Global"].items()]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)

    def __enter__(self):
        self.flop_counts = {"Global": Counter()}
        _op_hooks.add_observer(self)
        return self

    def __exit__(self, *exc):
        _op_hooks.remove_observer(self)
        if self.display:
            print(self.get_table(self.depth))
        return False
