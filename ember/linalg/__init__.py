"""ember.linalg: torch.linalg on NumPy/CuPy arrays.

Decompositions run through NumPy/CuPy's LAPACK bindings.  Gradients exist for
inv, det, slogdet, solve, cholesky, eigh/eigvalsh, eig/eigvals, svd/svdvals,
qr (m >= n), the norms, pinv, lstsq, matrix_exp, the triangular and LU solves
and the matmul-based functions.  Failures raise ``LinAlgError``, a RuntimeError.
"""
from ._basic import (LinAlgError, matmul, cross, inv, det, slogdet, solve, norm, vector_norm,
                     matrix_norm, svd, svdvals, qr, eigh, eigvalsh, cholesky, vecdot, multi_dot,
                     matrix_power)
from ._more import (pinv, matrix_rank, cond, matrix_exp, solve_triangular, inv_ex, solve_ex,
                    cholesky_ex, eig, eigvals, vander, diagonal, householder_product, lstsq,
                    lu_factor, lu_factor_ex, lu, lu_solve, tensorinv, tensorsolve, ldl_factor,
                    ldl_factor_ex, ldl_solve)

#: Shared documentation snippets, keyed as torch.linalg's (some libraries format docstrings
#: with them).
common_notes = {
    "experimental_warning": "This function is experimental; its behaviour may still change.",
    "sync_note": "On a GPU this function waits for the device to finish before it returns.",
    "sync_note_ex": "On a GPU this function waits for the device only when check_errors=True.",
    "sync_note_has_ex": "On a GPU this function waits for the device before it returns; its "
                        "*_ex form reports failures in ``info`` without waiting.",
}

__all__ = ["LinAlgError", "matmul", "cross", "inv", "det", "slogdet", "solve", "norm",
           "vector_norm", "matrix_norm", "svd", "svdvals", "qr", "eigh", "eigvalsh", "cholesky",
           "vecdot", "multi_dot", "matrix_power", "pinv", "matrix_rank", "cond", "matrix_exp",
           "solve_triangular", "inv_ex", "solve_ex", "cholesky_ex", "eig", "eigvals", "vander",
           "diagonal", "householder_product", "lstsq", "lu_factor", "lu_factor_ex", "lu",
           "lu_solve", "tensorinv", "tensorsolve", "ldl_factor", "ldl_factor_ex", "ldl_solve",
           "common_notes"]
