"""The op table: every row, by id, gathered from the family modules; ``special.*`` names that
are another row's op join that row's aliases; the rows of ops that differentiate complex input
get a complex sample (``complex_samples``).

Example::

    from tests.optable.registry import ROWS
    ROWS["add"].make_samples()
"""
from . import (complex_samples, rows_creation, rows_elementwise, rows_fft, rows_indexing,
               rows_linalg, rows_linalg_more, rows_modules, rows_more, rows_nn, rows_nn_more,
               rows_reduction, rows_rest, rows_shape, rows_special)

ROWS = {}
for _family in (rows_elementwise, rows_reduction, rows_shape, rows_indexing, rows_linalg, rows_nn,
                rows_creation, rows_modules, rows_special, rows_fft, rows_nn_more, rows_more,
                rows_linalg_more, rows_rest):
    for _row in _family.ROWS:
        assert _row.id not in ROWS, f"two rows with id {_row.id}"
        ROWS[_row.id] = _row
for _row_id in complex_samples.COMPLEX_ROWS:
    complex_samples.with_complex(ROWS[_row_id])
for _name, _row_id in rows_special.SPECIAL_ALIASES.items():
    ROWS[_row_id].aliases += (f"special.{_name}",)
