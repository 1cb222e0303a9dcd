"""Hostile and damaged checkpoints, safetensors files and killed saves (issue 8, items 4-8).

Every file here is built byte by byte in the test: declared sizes that lie, pickles that ask
for huge allocations, overlapping zip records, headers the safetensors package refuses.  Where
the point is that nothing big is allocated, ``tracemalloc`` (which sees NumPy's and Python's
allocations) measures the peak.
"""
import collections
import io
import json
import os
import pickle
import signal
import struct
import subprocess
import sys
import textwrap
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest

import ember
from ember import serialization
from ember.utils import safetensors as st
from tests.test_serialization import st_backend  # noqa: F401  (the backend fixture)

torch = pytest.importorskip("torch")
load = serialization.load
_SMALL = 1 << 20           # a load of a few-KB file must not peak above this many bytes


# -- building hostile files ----------------------------------------------------------------
class _Call:
    """Pickles as ``func(*args)``."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


class _Storage:
    """Pickles as the persistent id of storage ``key`` declaring ``numel`` elements."""

    def __init__(self, key, numel, stype="FloatStorage", view=()):
        self.pid = ("storage", getattr(torch, stype), key, "cpu", numel) + view


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, _Storage) else None


def _pickle(obj):
    buf = io.BytesIO()
    _Pickler(buf, 2).dump(obj)
    return buf.getvalue()


def _tensor(storage, size, stride, offset=0):
    """Pickles as torch's tensor rebuild call on ``storage``."""
    return _Call(torch._utils._rebuild_tensor_v2, storage, offset, size, stride, False,
                 collections.OrderedDict())


def _zip(records, method=zipfile.ZIP_STORED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in {**records, "version": b"3\n"}.items():
            z.writestr(f"a/{name}", data)
    return buf.getvalue()


def _checkpoint(obj, **storages):
    return _zip({"data.pkl": _pickle(obj), **{f"data/{k}": v for k, v in storages.items()}})


def _declare(archive, record, size):
    """``archive`` with the central directory claiming ``size`` bytes for ``record``."""
    out = bytearray(archive)
    at = out.index(b"PK\x01\x02")
    while True:
        n, = struct.unpack("<H", out[at + 28:at + 30])
        if out[at + 46:at + 46 + n] == f"a/{record}".encode():
            break
        at = out.index(b"PK\x01\x02", at + 4)
    if out[at + 10] == zipfile.ZIP_STORED:
        out[at + 20:at + 24] = struct.pack("<I", size)
    out[at + 24:at + 28] = struct.pack("<I", size)
    return bytes(out)


def _legacy(obj, storages, sys_info=None):
    """torch's pre-1.6 format: ``storages`` maps key -> (numel written, raw bytes).

    Its storage persistent ids end with a view, None for a whole storage (``_Storage(...,
    view=(None,))``).
    """
    sys_info = {"protocol_version": 1001, "little_endian": True,
                "type_sizes": {"short": 2, "int": 4, "long": 4}} if sys_info is None else sys_info
    parts = [pickle.dumps(x, 2) for x in (0x1950a86a20f9469cfc6c, 1001, sys_info)]
    parts += [_pickle(obj), pickle.dumps(list(storages), 2)]
    for numel, raw in storages.values():
        parts += [struct.pack("<q", numel), raw]
    return b"".join(parts)


def _global(module, name):
    """The GLOBAL opcode naming ``module.name``."""
    return f"c{module}\n{name}\n".encode()


def _arg(x):
    """The opcodes that push ``x`` (protocol 2)."""
    return pickle.dumps(x, 2)[2:-1]


def _peak(fn):
    """Run ``fn``; the peak of traced memory while it ran."""
    tracemalloc.start()
    try:
        fn()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def _load_bytes(data, tmp_path, **kwargs):
    path = tmp_path / "hostile.pt"
    path.write_bytes(data)
    return load(path, **kwargs)


# -- item 4: declared sizes are checked before anything is allocated -----------------------
FLOATS = np.arange(4, dtype=np.float32).tobytes()


@pytest.mark.parametrize("record", ["data.pkl", "data/0"])
def test_zip_record_declared_past_the_file_allocates_nothing(tmp_path, record):
    huge = 0xFFFFFFF0                                           # ~4 GiB in a ~1 KB file
    obj = _tensor(_Storage("0", huge // 4), (4,), (1,))
    data = _declare(_checkpoint(obj, **{"0": FLOATS}), record, huge)

    def attempt():
        with pytest.raises(RuntimeError, match=rf"record a/{record} declares {huge} bytes .*"
                                               r"corrupted checkpoint\?"):
            _load_bytes(data, tmp_path)
    assert _peak(attempt) < _SMALL


def test_storage_numel_must_match_its_record(tmp_path):
    data = _checkpoint(_tensor(_Storage("0", 1 << 30), (4,), (1,)), **{"0": FLOATS})
    with pytest.raises(RuntimeError, match=r"data/0 holds 16 bytes, expected 4294967296 "
                                           r"\(corrupted checkpoint\?\)"):
        _load_bytes(data, tmp_path)


def test_tensor_geometry_must_fit_its_storage(tmp_path):
    data = _checkpoint(_tensor(_Storage("0", 4), (3, 2), (2, 1)), **{"0": FLOATS})
    with pytest.raises(RuntimeError, match="overruns its storage of 4 elements"):
        _load_bytes(data, tmp_path)


@pytest.mark.parametrize("numel", [1 << 24, 1 << 40])
def test_legacy_storage_larger_than_the_file_allocates_nothing(tmp_path, numel):
    data = _legacy(_tensor(_Storage("0", numel, view=(None,)), (4,), (1,)), {"0": (4, FLOATS)})

    def attempt():
        with pytest.raises(RuntimeError, match=rf"storage 0 declares {numel * 4} bytes, but only "
                                               r"\d+ bytes of the file are left"):
            _load_bytes(data, tmp_path)
    assert _peak(attempt) < _SMALL


def test_legacy_storage_view_must_fit_its_storage(tmp_path):
    view = _Storage("0", 4, view=(("1", 2, 8),))
    data = _legacy(_tensor(view, (2,), (1,)), {"0": (4, FLOATS)})
    with pytest.raises(RuntimeError, match="storage view 1 of 8 elements at offset 2 overruns"):
        _load_bytes(data, tmp_path)


TENSOR = _global("torch", "Tensor")
BYTEARRAY = _global("__builtin__", "bytearray")


@pytest.mark.parametrize("body, what", [
    pytest.param(BYTEARRAY + b"(" + _arg(1 << 26) + b"tR", r"bytearray\(67108864\)",
                 id="bytearray-64MiB"),
    pytest.param(BYTEARRAY + b"(" + _arg(1 << 40) + b"tR", r"bytearray\(1099511627776\)",
                 id="bytearray-1TiB"),
    pytest.param(TENSOR + b"(" + _arg(1 << 24) + b"tR", r"Tensor\(16777216,\)", id="Tensor"),
    pytest.param(TENSOR + b"(" + _arg(1 << 19) + _arg(1 << 19) + b"tR",
                 r"Tensor\(524288, 524288\)", id="Tensor-2d"),
    pytest.param(TENSOR + b"(" + _arg(1 << 24) + b"t\x81", r"Tensor\(16777216,\)",
                 id="NEWOBJ-Tensor"),
    pytest.param(TENSOR + b"(" + _global("torch", "Size") + b"(" + _arg([1 << 12, 1 << 12])
                 + b"tRtR", r"Tensor\(4096, 4096\)", id="Tensor-of-Size"),
    pytest.param(_global("torch._tensor", "_rebuild_from_type_v2") + b"(" + BYTEARRAY + TENSOR
                 + b"(" + _arg(1 << 26) + b"t}tR", r"bytearray\(67108864\)",
                 id="_rebuild_from_type_v2-bytearray"),
    pytest.param(b"(" + BYTEARRAY + _arg(1 << 26) + b"o", r"bytearray\(67108864\)",
                 id="OBJ-bytearray"),
    pytest.param(b"(" + _arg(1 << 25) + b"i__builtin__\nbytearray\n", r"bytearray\(33554432\)",
                 id="INST-bytearray"),
])
def test_weights_only_allocations_are_bounded_by_the_file(tmp_path, body, what):
    data = _zip({"data.pkl": b"\x80\x02" + body + b"."})

    def attempt():
        with pytest.raises(pickle.UnpicklingError, match=rf"{what} would allocate \d+ bytes, "
                                                         rf"more than the {len(data)}-byte file"):
            _load_bytes(data, tmp_path)
    assert _peak(attempt) < _SMALL


def test_bytearray_of_an_integer_tensor_is_bounded_too(tmp_path):
    count = _tensor(_Storage("0", 1, "LongStorage"), (), ())
    data = _checkpoint(_Call(bytearray, count), **{"0": np.int64(1 << 40).tobytes()})
    with pytest.raises(pickle.UnpicklingError, match=r"bytearray\(1099511627776\) would "):
        _load_bytes(data, tmp_path)


def test_allocations_share_one_budget_per_load(tmp_path):
    one = BYTEARRAY + b"(" + _arg(300) + b"tR"           # each fits the file, all do not
    pad = {"padding": bytes(1000)}
    data = _zip({"data.pkl": b"\x80\x02(" + one * 8 + b"l.", **pad})
    assert 300 < len(data) < 8 * 300
    with pytest.raises(pickle.UnpicklingError, match=r"bytearray\(300\) would allocate 300"):
        _load_bytes(data, tmp_path)
    data = _zip({"data.pkl": b"\x80\x02(" + one * 2 + b"l.", **pad})
    assert _load_bytes(data, tmp_path) == [bytearray(300)] * 2


def test_small_allowlisted_constructions_still_load(tmp_path):
    body = b"(" + BYTEARRAY + b"(" + _arg(5) + b"tR" + TENSOR + b"(" + _arg(2) + b"tR" + \
        TENSOR + b"(" + _arg([1.5, 2.5]) + b"tRt"
    out = _load_bytes(_zip({"data.pkl": b"\x80\x02" + body + b"."}), tmp_path)
    assert out[0] == bytearray(5) and out[1].shape == (2,) and out[2].tolist() == [1.5, 2.5]


def _overlapping_archive():
    """Records data/0 and data/1 where data/1's bytes lie inside data/0's (a zip-bomb layout)."""
    inner = _zip({"data/1": FLOATS})
    local = inner[:inner.index(b"PK\x01\x02")]                 # data/1's header and bytes
    obj = [_tensor(_Storage("0", len(local), "ByteStorage"), (len(local),), (1,)),
           _tensor(_Storage("1", 4), (4,), (1,))]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a/data.pkl", _pickle(obj))
        start = z.fp.tell() + 30 + len("a/data/0")
        z.writestr("a/data/0", local)
        info = zipfile.ZipInfo("a/data/1")
        info.header_offset, info.CRC = start, zlib.crc32(FLOATS)
        info.compress_size = info.file_size = len(FLOATS)
        z.filelist.append(info)                                 # a second entry, no new bytes
    return buf.getvalue()


def test_overlapping_zip_records_are_refused(tmp_path):
    with pytest.raises(RuntimeError, match=r"record a/data/1 at offset \d+ overlaps the record "
                                           r"before it"):
        _load_bytes(_overlapping_archive(), tmp_path)


def test_a_record_named_twice_is_refused(tmp_path):
    data = _checkpoint(_tensor(_Storage("0", 4), (4,), (1,)), **{"0": FLOATS, "1": FLOATS})
    twice = data.replace(b"a/data/1", b"a/data/0")
    with pytest.raises(RuntimeError, match="record a/data/0 appears twice"):
        _load_bytes(twice, tmp_path)


def test_deflated_record_beyond_deflates_ceiling_is_refused(tmp_path):
    zeros = bytes(1 << 16)
    obj = _tensor(_Storage("0", 1 << 28, "ByteStorage"), (1,), (1,))
    data = _declare(_zip({"data.pkl": _pickle(obj), "data/0": zeros}, zipfile.ZIP_DEFLATED),
                    "data/0", 1 << 28)
    with pytest.raises(RuntimeError, match=r"record a/data/0 declares 268435456 bytes from \d+ "
                                           r"stored bytes \(corrupted checkpoint, or a zip bomb"):
        _load_bytes(data, tmp_path)


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_other_zip_compressions_are_refused(tmp_path, method):
    data = _zip({"data.pkl": _pickle([1, 2])}, method)
    with pytest.raises(RuntimeError, match=rf"uses zip compression method {method}; only stored"):
        _load_bytes(data, tmp_path)


def test_honest_deflated_checkpoint_loads(tmp_path):
    obj = {"w": _tensor(_Storage("0", 1024), (32, 32), (32, 1))}
    data = _zip({"data.pkl": _pickle(obj), "data/0": bytes(4096)}, zipfile.ZIP_DEFLATED)
    assert _load_bytes(data, tmp_path)["w"].sum().item() == 0.0
    assert torch.load(io.BytesIO(data))["w"].shape == (32, 32)


# -- item 5: the byteorder record --------------------------------------------------------
@pytest.mark.parametrize("order", [b"middle", b"", b"BIG", b"little\n"])
def test_byteorder_must_be_little_or_big(tmp_path, order):
    records = {"data.pkl": _pickle(_tensor(_Storage("0", 4), (4,), (1,))), "byteorder": order,
               "data/0": FLOATS}
    with pytest.raises(ValueError, match=r"Unknown endianness type: .*expected b'little' or "
                                         r"b'big'"):
        _load_bytes(_zip(records), tmp_path)
    with pytest.raises(ValueError, match="Unknown endianness type"):
        torch.load(io.BytesIO(_zip(records)))
    records["byteorder"] = b"little"
    assert _load_bytes(_zip(records), tmp_path).tolist() == [0.0, 1.0, 2.0, 3.0]


# -- item 6: clear errors ------------------------------------------------------------------
@pytest.mark.parametrize("raw, message", [
    pytest.param(b"\x80\x02\x82\xff.", "copyreg extension code 255, which is not registered",
                 id="unregistered-EXT"),
    pytest.param(b"\x80\x04\x95" + struct.pack("<Q", 1 << 62) + b"N.",
                 rf"a FRAME declares {1 << 62} bytes, but only 2 bytes follow it",
                 id="FRAME-2**62"),
    pytest.param(b"\x80\x02" + _global("collections", "OrderedDict") + b")RN}"
                 + _arg("__class__") + _global("__builtin__", "set") + b"s\x86b.",
                 "BUILD may set an OrderedDict's attributes from a dict only, got a tuple",
                 id="OrderedDict-BUILD-__class__"),
    pytest.param(b"\x80\x02" + _global("torch", "float32") + b")\x81.", "NEWOBJ needs a class",
                 id="NEWOBJ-of-a-dtype"),
    pytest.param(b"\x80\x02" + BYTEARRAY + b"]R.", "REDUCE needs a tuple of arguments, got list",
                 id="REDUCE-list-args"),
])
def test_malformed_pickles_raise_clear_unpickling_errors(tmp_path, raw, message):
    with pytest.raises(pickle.UnpicklingError, match=message) as e:
        _load_bytes(_zip({"data.pkl": raw}), tmp_path)
    assert "corrupted checkpoint?" in str(e.value)


@pytest.mark.parametrize("args", [("cpu",), ("cuda", 1), ("cuda:2",)])
def test_newobj_of_device_builds_the_device(tmp_path, args):
    raw = b"\x80\x02" + _global("torch", "device") + _arg(args) + b"\x81."
    want = torch.load(io.BytesIO(_zip({"data.pkl": raw})))
    got = _load_bytes(_zip({"data.pkl": raw}), tmp_path)
    assert isinstance(got, ember.device) and str(got) == str(want)


def test_stride_zero_size_overflow_is_a_clear_error(tmp_path):
    data = _checkpoint(_tensor(_Storage("0", 4), (1 << 62, 1 << 62), (0, 0)), **{"0": FLOATS})
    with pytest.raises(RuntimeError, match=r"size \[4611686018427387904, 4611686018427387904\] "
                                           r"has more elements than memory can address"):
        _load_bytes(data, tmp_path)
    data = _checkpoint(_tensor(_Storage("0", 4), (1 << 20, 1 << 20), (0, 1)), **{"0": FLOATS})
    with pytest.raises(RuntimeError, match="overruns its storage"):
        _load_bytes(data, tmp_path)
    data = _checkpoint(_tensor(_Storage("0", 4), (1 << 20, 1 << 20), (0, 0)), **{"0": FLOATS})
    assert _load_bytes(data, tmp_path).shape == (1 << 20, 1 << 20)   # an expanded view: fine


@pytest.mark.parametrize("legacy", [False, True])
def test_negative_storage_size_is_a_clear_error(tmp_path, legacy):
    obj = _tensor(_Storage("0", -1, view=(None,) if legacy else ()), (0,), (1,))
    data = _legacy(obj, {"0": (-1, b"")}) if legacy else _checkpoint(obj, **{"0": b""})
    with pytest.raises(RuntimeError, match="storage 0 declares a negative size of -1 elements"):
        _load_bytes(data, tmp_path)


@pytest.mark.parametrize("sys_info", [["not", "a", "dict"], {"little_endian": False}, 7])
def test_legacy_sys_info_is_ignored_as_torch_does(tmp_path, sys_info):
    data = _legacy({"w": _tensor(_Storage("0", 4, view=(None,)), (2, 2), (2, 1))},
                   {"0": (4, FLOATS)}, sys_info)
    want = torch.load(io.BytesIO(data))["w"]
    got = _load_bytes(data, tmp_path)["w"]
    assert got.tolist() == want.tolist() == [[0.0, 1.0], [2.0, 3.0]]


# -- item 7: safetensors -------------------------------------------------------------------
def _st(header, body=b"", length=None):
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(text) if length is None else length) + text + body


def _entry(dtype, shape, offsets):
    return {"dtype": dtype, "shape": shape, "data_offsets": offsets}


F1 = _entry("F32", [1], [0, 4])
HOSTILE = {
    "gap": _st({"a": F1, "b": _entry("F32", [1], [8, 12])}, bytes(12)),
    "overlap": _st({"a": _entry("F32", [2], [0, 8]), "b": _entry("F32", [1], [4, 8])}, bytes(8)),
    "trailing bytes": _st({"a": F1}, bytes(8)),
    "duplicate key": _st(b'{"a":' + json.dumps(F1).encode() + b',"a":'
                         + json.dumps(F1).encode() + b"}", bytes(4)),
    "non-string metadata": _st({"__metadata__": {"k": 1}, "a": F1}, bytes(4)),
    "metadata not a map": _st({"__metadata__": ["k"], "a": F1}, bytes(4)),
    "shape overflow": _st({"a": _entry("F32", [1 << 32] * 3, [0, 4])}, bytes(4)),
    "size in bits overflows": _st({"a": _entry("F64", [1 << 58], [0, 4])}, bytes(4)),
    "header past the file": _st({"a": F1}, bytes(4), length=1 << 20),
    "header too large": _st({"a": F1}, bytes(4), length=1 << 63),
    "invalid utf-8": _st(b'{"\xff":' + json.dumps(F1).encode() + b"}", bytes(4)),
    "three offsets": _st({"a": _entry("F32", [1], [0, 4, 4])}, bytes(4)),
    "negative dim": _st({"a": _entry("F32", [-1], [0, 4])}, bytes(4)),
    "bool dim": _st({"a": _entry("F32", [True], [0, 4])}, bytes(4)),
    "unknown dtype": _st({"a": _entry("Q32", [1], [0, 4])}, bytes(4)),
    "list dtype": _st({"a": _entry(["F32"], [1], [0, 4])}, bytes(4)),
    "NaN": _st(b'{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":NaN}}', bytes(4)),
    "not an object": _st([1]),
    "missing field": _st({"a": {"dtype": "F32", "shape": [1]}}, bytes(4)),
    "too short": b"\x08\x00\x00",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_safetensors_refuses_what_the_package_refuses(case, st_backend, tmp_path):
    with pytest.raises(st.SafetensorError):
        st.load(HOSTILE[case])
    (tmp_path / "x.safetensors").write_bytes(HOSTILE[case])
    with pytest.raises(st.SafetensorError):
        st.load_file(tmp_path / "x.safetensors")


@pytest.mark.parametrize("case", sorted(set(HOSTILE) - {"duplicate key"}))
def test_the_package_itself_refuses_the_hostile_cases(case):
    pkg = pytest.importorskip("safetensors.numpy")
    with pytest.raises(Exception):                  # the oracle for the built-in checks
        pkg.load(HOSTILE[case])


ODD_BUT_VALID = {
    "empty": _st({}),
    "null metadata": _st({"__metadata__": None, "a": F1}, bytes(4)),
    "extra field": _st({"a": {**F1, "note": "x"}}, bytes(4)),
    "out of order": _st({"a": _entry("F32", [1], [4, 8]), "b": _entry("I32", [0, 3], [4, 4]),
                         "c": F1}, bytes(8)),
    "padded header": _st(json.dumps({"a": F1}).encode() + b"   ", bytes(4)),
}


@pytest.mark.parametrize("case", sorted(ODD_BUT_VALID))
def test_safetensors_accepts_what_the_package_accepts(case, st_backend):
    pkg = pytest.importorskip("safetensors.numpy")
    want = pkg.load(ODD_BUT_VALID[case])
    got = st.load(ODD_BUT_VALID[case])
    assert sorted(got) == sorted(want)
    for k in want:
        assert got[k].shape == want[k].shape and got[k].numpy().tobytes() == want[k].tobytes()


def test_package_errors_are_raised_as_embers(monkeypatch):
    safetensors = pytest.importorskip("safetensors")

    class Failing:
        def load(self, data):
            raise safetensors.SafetensorError("package says no")

        def save(self, arrays, metadata):
            raise safetensors.SafetensorError("package says no")
    monkeypatch.setattr(st, "_package", Failing)
    good = st._encode({"w": np.ones(2, np.float32)}, None)
    for call in (lambda: st.load(good), lambda: st.save({"w": ember.ones(2)})):
        with pytest.raises(st.SafetensorError, match="package says no") as e:
            call()
        assert isinstance(e.value.__cause__, safetensors.SafetensorError)


# -- item 8: temp files of killed saves ----------------------------------------------------
def _dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("kind", ["ember", "safetensors"])
def test_save_removes_temp_files_of_dead_owners_only(tmp_path, kind):
    path, host = tmp_path / "ckpt.pt", serialization._HOST
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = [f".ckpt.pt.{_dead_pid()}@{host}.k2j4h1x9.tmp"]
        kept = [f".ckpt.pt.{sleeper.pid}@{host}.a8d7f6s5.tmp",     # a live concurrent save
                f".ckpt.pt.{_dead_pid()}@elsewhere.q1w2e3r4.tmp",  # another host's process
                f".other.pt.{_dead_pid()}@{host}.z9x8c7v6.tmp",    # another target's
                "ckpt.pt.notes.tmp"]
        for name in stale + kept:
            (tmp_path / name).write_bytes(b"partial")
        if kind == "ember":
            serialization.save({"w": ember.ones(2)}, path)
            assert load(path)["w"].tolist() == [1.0, 1.0]
        else:
            st.save_file({"w": ember.ones(2)}, path)
            assert st.load_file(path)["w"].tolist() == [1.0, 1.0]
        assert sorted(os.listdir(tmp_path)) == sorted(kept + ["ckpt.pt"])
    finally:
        sleeper.kill()
        sleeper.wait()


_KILLED_SAVE = textwrap.dedent("""
    import sys, time
    import ember
    from ember import serialization

    def stall(fh, *args):           # part of the archive reaches the disk, then we hang
        fh.write(b"PK\\x03\\x04 partial" * 1000)
        fh.flush()
        print("writing", flush=True)
        time.sleep(60)
    serialization._write_zip = stall
    ember.save({"w": ember.zeros(2)}, sys.argv[1])
""")


def test_sigkilled_save_leaves_a_temp_file_the_next_save_removes(tmp_path):
    path = tmp_path / "ckpt.pt"
    serialization.save({"w": ember.ones(2)}, path)
    root = os.path.dirname(os.path.dirname(os.path.abspath(ember.__file__)))
    env = {**os.environ, "PYTHONPATH": root}
    child = subprocess.Popen([sys.executable, "-c", _KILLED_SAVE, str(path)], env=env,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "writing\n"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    leftover = [n for n in os.listdir(tmp_path) if n != "ckpt.pt"]
    assert len(leftover) == 1 and leftover[0].startswith(f".ckpt.pt.{child.pid}@")
    assert load(path)["w"].tolist() == [1.0, 1.0]             # the target is intact
    serialization.save({"w": ember.full((2,), 3.0)}, path)
    assert os.listdir(tmp_path) == ["ckpt.pt"]
    assert load(path)["w"].tolist() == [3.0, 3.0]
