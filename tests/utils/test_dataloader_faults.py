"""DataLoader under faults: abandoned epochs, a killed main process, dying workers, bad pickles.

Each test injects one fault into a loader with real worker processes and
checks what the user sees: every sample exactly once, no orphaned worker,
and an error that names the signal, the dataset indices or the pickling
problem instead of a hang (each loader has a ``timeout`` so a regression
fails instead of hanging).
"""
import faulthandler
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import ember
from ember.utils.data import DataLoader, Dataset, IterableDataset, TensorDataset, get_worker_info
from tests.helpers import torch

GUARD_S = 10  # loader timeout: a hang becomes a failure instead of a stuck test run
REPO = Path(__file__).resolve().parents[2]


def _epoch_samples(loader):
    return sorted(int(x) for (b,) in loader for x in b)


@pytest.mark.parametrize("lib", ["ember", "torch"])
def test_early_break_with_persistent_workers_never_repeats_or_loses_samples(lib):
    mod = ember if lib == "ember" else torch
    dl = mod.utils.data.DataLoader(mod.utils.data.TensorDataset(mod.arange(40)), batch_size=4,
                                   shuffle=True, num_workers=2, persistent_workers=True,
                                   timeout=GUARD_S)
    for taken in (1, 3, 0):
        for i, _ in enumerate(dl):
            if i + 1 >= taken:
                break
        assert _epoch_samples(dl) == list(range(40)), f"after a break at batch {taken}"


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        return iter(range(info.id, self.n, info.num_workers))


def test_early_break_restarts_persistent_iterable_streams():
    dl = DataLoader(Stream(12), batch_size=2, num_workers=2, persistent_workers=True,
                    timeout=GUARD_S)
    next(iter(dl))
    assert sorted(int(x) for b in dl for x in b) == list(range(12))
    assert sorted(int(x) for b in dl for x in b) == list(range(12))


def test_deleting_an_abandoned_persistent_loader_is_quick_and_graceful():
    dl = DataLoader(TensorDataset(ember.arange(40)), batch_size=4, shuffle=True, num_workers=2,
                    persistent_workers=True, timeout=GUARD_S)
    for _ in dl:
        break
    workers = list(dl._iterator._workers)
    start = time.monotonic()
    del dl
    took = time.monotonic() - start
    assert took < 0.5, f"shutting the workers down took {took:.2f} s"
    assert [w.exitcode for w in workers] == [0, 0], "workers had to be terminated"


_ORPHAN_SCRIPT = textwrap.dedent("""
    import sys, time
    import ember
    from ember.utils.data import DataLoader, TensorDataset
    dl = DataLoader(TensorDataset(ember.arange(8)), batch_size=1, num_workers=2)
    it = iter(dl)
    next(it)
    print(" ".join(str(w.pid) for w in it._workers), flush=True)
    time.sleep(60)
""")


def _alive(pid):
    """Running (a zombie waiting for its new parent to reap it counts as dead)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc")
def test_workers_exit_when_the_main_process_is_killed():
    main = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    pids = []
    try:
        pids = [int(p) for p in main.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
        main.kill()
        main.wait()
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in pids), "workers outlived their killed main process"
    finally:
        main.kill()
        main.stdout.close()
        for p in filter(_alive, pids):
            os.kill(p, signal.SIGKILL)


class DiesBySignal(Dataset):
    def __init__(self, sig):
        self.sig = sig

    def __len__(self):
        return 4

    def __getitem__(self, i):
        if i == 1:
            faulthandler.disable()  # pytest's traceback dump would only add noise
            os.kill(os.getpid(), self.sig)
            time.sleep(5)
        return i


@pytest.mark.parametrize("sig", ["SIGSEGV", "SIGABRT", "SIGKILL"])
def test_dead_worker_error_names_the_signal(sig):
    dl = DataLoader(DiesBySignal(getattr(signal, sig)), batch_size=1, num_workers=1,
                    timeout=GUARD_S)
    with pytest.raises(RuntimeError, match=rf"DataLoader worker \(pid \d+\) exited unexpectedly: "
                                           rf"killed by signal {sig} ") as info:
        list(dl)
    assert ("out-of-memory killer" in str(info.value)) == (sig == "SIGKILL")


class Failing(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            raise ValueError("sample 5 is broken")
        return i


@pytest.mark.parametrize("batch_size, named", [(2, r"dataset indices \[4, 5\]"),
                                               (None, "dataset index 5")])
def test_worker_exception_names_the_dataset_indices(batch_size, named):
    dl = DataLoader(Failing(), batch_size=batch_size, num_workers=2, timeout=GUARD_S)
    with pytest.raises(ValueError, match=rf"(?s)Caught ValueError in DataLoader worker process \d "
                                         rf"while fetching {named}\.\nOriginal Traceback "
                                         rf"\(most recent call last\):\n  File .*sample 5 "
                                         rf"is broken"):
        list(dl)


def test_persistent_loader_after_a_worker_error_starts_fresh_workers():
    dl = DataLoader(Failing(), batch_size=2, num_workers=2, persistent_workers=True,
                    timeout=GUARD_S)
    for _ in range(2):
        with pytest.raises(ValueError, match=r"dataset indices \[4, 5\]"):
            list(dl)


class Locks(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return threading.Lock()


def test_unpicklable_sample_is_an_error_not_a_hang():
    dl = DataLoader(Locks(), batch_size=2, num_workers=1, collate_fn=list, timeout=GUARD_S)
    with pytest.raises(TypeError, match=r"(?s)Caught TypeError in DataLoader worker process 0 "
                                        r"while fetching dataset indices \[0, 1\]: the batch could "
                                        r"not be pickled.*cannot pickle '_thread.lock' object"):
        list(dl)


class LocalErrorRaiser(Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        class LocalError(Exception):
            pass
        raise LocalError(f"sample {i}")


def test_unpicklable_exception_is_an_error_not_a_hang():
    dl = DataLoader(LocalErrorRaiser(), batch_size=1, num_workers=1, timeout=GUARD_S)
    with pytest.raises(RuntimeError, match=r"(?s)Caught LocalError in DataLoader worker process 0 "
                                           r"while fetching dataset indices \[0\]\..*sample 0"):
        list(dl)


def _refuse_to_load():
    raise ValueError("this sample refuses to be unpickled")


class BadOnLoad:
    def __reduce__(self):
        return _refuse_to_load, ()


class BadOnLoadDataset(Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        return BadOnLoad()


def test_batch_that_cannot_be_unpickled_in_the_main_process_is_a_clear_error():
    dl = DataLoader(BadOnLoadDataset(), batch_size=1, num_workers=1, collate_fn=list,
                    timeout=GUARD_S)
    with pytest.raises(RuntimeError, match="the batch sent by DataLoader worker process 0 could "
                                           "not be unpickled in the main process: ValueError: "
                                           "this sample refuses"):
        list(dl)
