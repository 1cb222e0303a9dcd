"""The names of issue 13 that the op table cannot compare (process settings, storages, memory
sharing, hooks, files, errors of the factories), each against torch."""
import os
import warnings

import numpy as np
import pytest

import ember

from .helpers import errors_like_torch, raises_like_torch, torch
from .optable.rows_rest import traced

pytestmark = pytest.mark.filterwarnings("ignore")


def test_deterministic_debug_mode_matches_torch():
    def run(lib):
        seen = [lib.get_deterministic_debug_mode()]
        for mode in ("warn", 2, "default", 1, 0):
            lib.set_deterministic_debug_mode(mode)
            seen.append((lib.get_deterministic_debug_mode(),
                         lib.are_deterministic_algorithms_enabled(),
                         lib.is_deterministic_algorithms_warn_only_enabled()))
        return seen
    assert run(ember) == run(torch)
    errors_like_torch(lambda lib: [
        (lambda: lib.set_deterministic_debug_mode("x"), RuntimeError, "expected one of"),
        (lambda: lib.set_deterministic_debug_mode(3), RuntimeError, "expected 0, 1, or 2"),
        (lambda: lib.set_deterministic_debug_mode(1.5), TypeError, "must be str or int")])


def test_process_switches():
    assert ember.set_flush_denormal(True) is False  # NumPy cannot flush denormals
    assert ember.init_num_threads() is None and torch.init_num_threads() is None
    assert ember.thread_safe_generator() is None and torch.thread_safe_generator() is None
    assert ember.GradScaler is ember.amp.GradScaler


@pytest.mark.parametrize("make", [lambda lib: lib.ones(2).untyped_storage(),
                                  lambda lib: lib.ones(2), lambda lib: None,
                                  lambda lib: lib.ones(2).storage()])
def test_is_storage(make):
    assert ember.is_storage(make(ember)) == torch.is_storage(make(torch))


def test_typed_storage_reads_and_writes_like_torch():
    got = {}
    for lib in (torch, ember):
        x = lib.arange(6.)[2:]
        s = x.storage()
        s[1] = 7.0
        got[lib] = (len(s), s.size(), s[0], s[-1], s.element_size(), s.nbytes(), s.tolist(),
                    x.tolist(), s.data_ptr() == x.untyped_storage().data_ptr(),
                    str(s.dtype).split(".")[1], x.storage_type().__name__,
                    lib.ones(2, dtype=lib.int64).storage_type().__name__,
                    lib.TypedStorage([1, 2], dtype=lib.int32).tolist(),
                    lib.TypedStorage(3, dtype=lib.float64).size())
    assert got[ember] == got[torch]
    errors_like_torch(lambda lib: [(lambda: lib.ones(2).storage()[5], IndexError, "out of range"),
                                   (lambda: lib.ones(2).storage()[0:1], RuntimeError, "slices")])


def test_share_memory_reaches_a_forked_child():
    for lib in (torch, ember):
        assert not lib.zeros(3).is_shared()
    t = ember.arange(6.)[2:]
    assert t.share_memory_() is t and t.is_shared()
    assert t.tolist() == [2.0, 3.0, 4.0, 5.0] and t.storage_offset() == 2
    if not hasattr(os, "fork"):
        return
    pid = os.fork()
    if pid == 0:
        t[1] = 42.0
        os._exit(0)
    os.waitpid(pid, 0)
    assert t.tolist() == [2.0, 42.0, 4.0, 5.0]


@pytest.mark.skipif(ember.cuda.is_available(), reason="pinning needs no GPU to be absent")
def test_pin_memory_without_a_gpu_raises_like_torch():
    raises_like_torch(lambda lib: lib.ones(2).pin_memory(), RuntimeError,
                      "Cannot access accelerator")
    assert ember.ones(2).is_pinned() is torch.ones(2).is_pinned() is False


def test_metadata_flags_and_record_stream():
    for lib in (torch, ember):
        x = lib.ones(2, 3)
        assert (x.is_xla, x.is_ipu, x.is_sparse_csr) == (False, False, False)
        assert x.const_data_ptr() == x.data_ptr()
    assert ember.ones(2).record_stream(None) is None


def test_post_accumulate_grad_hook_like_torch():
    got = {}
    for lib in (torch, ember):
        seen = []
        a = lib.ones(3, requires_grad=True)
        a.register_hook(lambda g: g * 2)

        def hook(t):
            seen.append(t.grad.tolist())
            t.grad = None
        handle = a.register_post_accumulate_grad_hook(hook)
        (a * 3).sum().backward()
        first = a.grad
        handle.remove()
        (a * 3).sum().backward()
        lib.autograd.grad((a * 2).sum(), a)  # autograd.grad accumulates nothing: no hook
        got[lib] = (seen, first, a.grad.tolist())
    assert got[ember] == got[torch] == ([[6.0, 6.0, 6.0]], None, [6.0, 6.0, 6.0])
    errors_like_torch(lambda lib: [
        (lambda: lib.ones(2).register_post_accumulate_grad_hook(print), RuntimeError,
         "doesn't require gradient"),
        (lambda: (lib.ones(2, requires_grad=True) * 2).register_post_accumulate_grad_hook(print),
         RuntimeError, "non-leaf")])


def test_from_file_maps_like_torch(tmp_path):
    path = str(tmp_path / "w.bin")
    got = {}
    for lib in (torch, ember):
        np.arange(6, dtype=np.float32).tofile(path)
        private = lib.from_file(path, shared=False, size=4, dtype=lib.float32)
        private[0] = 9.0
        after_private = np.fromfile(path, dtype=np.float32)[:2].tolist()
        shared = lib.from_file(path, shared=True, size=4, dtype=lib.float32)
        shared[0] = 8.0
        got[lib] = (private.tolist(), after_private, np.fromfile(path, dtype=np.float32)[0])
    assert got[ember] == got[torch]
    raises_like_torch(lambda lib: lib.from_file(path, size=10, dtype=lib.float32), RuntimeError,
                      torch_message=False)


def test_factory_errors_like_torch():
    data = bytearray(8)
    errors_like_torch(lambda lib: [
        (lambda: lib.frombuffer(data, dtype=lib.int32, count=3), ValueError,
         "must not be greater than actual buffer length"),
        (lambda: lib.frombuffer(data, dtype=lib.int32, offset=9), ValueError, "offset"),
        (lambda: lib.frombuffer(bytearray(), dtype=lib.int32), ValueError, "must not be 0"),
        (lambda: lib.frombuffer(data, dtype=lib.int64, offset=1), ValueError, "multiple"),
        (lambda: lib.empty_strided((2, 3), (1,)), RuntimeError, "dimensionality of sizes"),
        (lambda: lib.empty_permuted((2, 3, 4), (0, 2)), RuntimeError, "physical_layout"),
        (lambda: lib.empty_permuted((2, 3, 4), (0, 2, 2)), RuntimeError, "Duplicate dim"),
        (lambda: lib.ones(2, requires_grad=True).resize_(3), RuntimeError, "cannot resize"),
        (lambda: lib.zeros(3).set_(lib.zeros(3, dtype=lib.int64)), RuntimeError, "Could not set"),
        (lambda: lib.ones(2, requires_grad=True).as_strided_((1,), (1,)), RuntimeError, "leaf"),
        (lambda: lib.nonzero_static(lib.ones(2), size=-1), RuntimeError, "non-negative"),
        (lambda: traced(lib, lib.cond, lib.tensor([True, False]), lib.sin, lib.cos,
                        (lib.ones(1),)), RuntimeError, "single-element"),
        (lambda: lib.histogramdd(lib.ones(4, 2), bins=[3]), RuntimeError, "size of bins"),
        (lambda: lib.histogramdd(lib.ones(4, 2, dtype=lib.int32), bins=3), NotImplementedError,
         "histogramdd"),
        (lambda: lib.hash_tensor(lib.zeros(0)), RuntimeError, "reduction dim"),
        (lambda: lib.pca_lowrank(lib.ones(3, 2), q=3), ValueError, "q"),
        (lambda: lib.lobpcg(lib.eye(4), k=2), ValueError, "3 x the number"),
        (lambda: lib.conv_tbc(lib.ones(3, 2), lib.ones(1, 2, 2), lib.ones(2)), RuntimeError,
         "3 dims")])


def test_frombuffer_shares_memory_and_warns_when_read_only():
    data = bytearray(b"\x01\x00\x00\x00\x02\x00\x00\x00")
    t = ember.frombuffer(data, dtype=ember.int32)
    t[0] = 5
    assert data[0] == 5
    with pytest.warns(UserWarning, match="not writable"):
        ember.frombuffer(b"abcd", dtype=ember.uint8)


def test_dlpack_both_ways_with_torch():
    e = ember.arange(4.0)
    t = torch.from_dlpack(e)
    t[0] = 9.0
    assert e.tolist() == [9.0, 1.0, 2.0, 3.0]
    back = ember.from_dlpack(torch.arange(3))
    assert back.tolist() == [0, 1, 2] and back.dtype == ember.int64


def test_while_loop_body_must_keep_carried_metadata():
    with pytest.raises(RuntimeError, match="same metadata"):
        ember.while_loop(lambda i: i < 3, lambda i: (i * 0.5,), (ember.tensor(1),))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError, match="same metadata"):
            traced(torch, torch.while_loop, lambda i: i < 3, lambda i: (i * 0.5,),
                   (torch.tensor(1),))
