"""The op table: every row, by id, gathered from the family modules.

Example::

    from tests.optable.registry import ROWS
    ROWS["add"].make_samples()
"""
from . import (rows_creation, rows_elementwise, rows_indexing, rows_linalg, rows_modules, rows_nn,
               rows_reduction, rows_shape, rows_linalg_more)

ROWS = {}
for _family in (rows_elementwise, rows_reduction, rows_shape, rows_indexing,
                rows_linalg, rows_nn, rows_creation, rows_modules, rows_linalg_more):
    for _row in _family.ROWS:
        assert _row.id not in ROWS, f"two rows with id {_row.id}"
        ROWS[_row.id] = _row
