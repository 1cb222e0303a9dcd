"""The MPI engine under ``ember.distributed``: mpi4py, imported on first use.

Everything here works on raw NumPy arrays; the public modules wrap tensors.
A missing mpi4py (or MPI library) turns into one clear RuntimeError naming
the extra to install.
"""
import importlib.util
import sys
import time

import numpy as np

_INSTALL = ("ember.distributed needs MPI through mpi4py: install it with "
            "`pip install 'ember[distributed]'` (mpi4py and the mpich wheel)")


def mpi():
    """The ``mpi4py.MPI`` module, or RuntimeError saying what to install.

    MPI itself starts in ``init_process_group`` (not at import), so asking
    ``is_available()`` costs no MPI start-up.
    """
    try:
        import mpi4py
        if "mpi4py.MPI" not in sys.modules:
            mpi4py.rc.initialize = False
            mpi4py.rc.finalize = True
        from mpi4py import MPI
    except ImportError as exc:  # mpi4py absent, or its MPI library is
        raise RuntimeError(f"{_INSTALL} ({exc})") from None
    return MPI


def available():
    """True when mpi4py's MPI module can be found (or is already imported).

    It is looked up, not imported: importing it here would leave MPI
    uninitialised for a program that imports mpi4py itself afterwards and
    expects it started (lightning's MPI environment asks ``COMM_WORLD``).
    """
    if "mpi4py.MPI" in sys.modules:
        return sys.modules["mpi4py.MPI"] is not None
    try:
        return importlib.util.find_spec("mpi4py.MPI") is not None
    except (ImportError, ValueError):
        return False


def buffer(arr):
    """``arr`` as an mpi4py buffer spec (contiguous, C order): ``[arr, MPI type]``.

    bool travels as uint8 (so MIN/MAX act as and/or); the array itself is
    the buffer, nothing is copied or pickled.
    """
    MPI = mpi()
    if not arr.flags.c_contiguous:
        raise ValueError("Tensors must be contiguous")
    if arr.dtype == np.bool_:
        arr = arr.view(np.uint8)
    return [arr, MPI._typedict[arr.dtype.char]]


def wait(requests, timeout, statuses=None):
    """Wait for every MPI request, raising RuntimeError after ``timeout`` seconds.

    MPI has no collective timeout of its own, so a peer that never arrives is
    noticed here by polling; the launcher then aborts the whole job.
    ``statuses`` (a list of ``MPI.Status``) receives the requests' statuses.
    """
    MPI = mpi()
    if not isinstance(requests, list):
        requests = [requests]
    if MPI.Request.Testall(requests, statuses):
        return
    deadline = time.monotonic() + timeout
    pause = 0.0
    while not MPI.Request.Testall(requests, statuses):
        if time.monotonic() > deadline:
            raise RuntimeError(f"ember.distributed: a collective did not complete within the "
                               f"process group's timeout ({timeout:g} s); a peer process has "
                               f"failed or is stuck")
        time.sleep(pause)
        pause = min(pause + 1e-5, 1e-3)
