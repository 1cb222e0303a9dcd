"""``ember.save`` / ``ember.load`` in PyTorch's checkpoint format, both ways.

A checkpoint is a zip archive whose records sit in one folder (the file's stem, or
``archive``): ``data.pkl`` pickles the object, each tensor as the call
``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)``
whose storage is the persistent id ``('storage', torch.FloatStorage, key, location, numel)``;
the storage's bytes are the record ``data/<key>`` (little-endian, 64-byte aligned).
Tensors that share memory share a key, so they load sharing memory again.  ember writes
torch's global names, so ``torch.load(weights_only=True)`` reads ember's files and ember
maps torch's names back to its own objects when loading.

Loading is safe by default (``weights_only=True``): a pure-Python unpickler admits only
an allowlist of globals (tensors, storages, dtypes, containers, what
``add_safe_globals`` adds) and refuses the rest *before* anything is called.  Every size a
file declares (zip records, storages, tensor geometry, what a weights-only pickle asks to
allocate) is checked against the file's own size before anything is allocated.  Writing to a
path is atomic: a temp file beside it, fsync'd, then ``os.replace``'d over it; temp files
carry their owner's PID, and a save removes those left by killed processes.
"""
import _compat_pickle
import codecs
import contextlib
import copyreg
import ctypes
import functools
import io
import math
import mmap as _mmap
import numbers
import operator
import os
import pickle
import re
import secrets
import socket
import stat
import struct
import sys
import tempfile
import types
import warnings
import zipfile
import zlib
from collections import Counter, OrderedDict

import numpy as np

from . import _alias, _dtype
from ._backend import CudaUnavailableError, cuda_available, device_count, to_device
from ._backend.storage import byte_bounds, data_address, root_array
from ._device import device
from ._tensor import Size, Tensor, _wrap
from ._utils import (LoadedStorage, MissingDtype, checked_index, _rebuild_from_type_v2,
                     _rebuild_tensor_v2, _rebuild_tensor_v3)
from .nn.parameter import Parameter, is_lazy

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals",
           "safe_globals", "DEFAULT_PROTOCOL"]

DEFAULT_PROTOCOL = 2
_ALIGNMENT = 64
_LEGACY_MAGIC = 0x1950a86a20f9469cfc6c
_LEGACY_PROTOCOL = 1001
_PAD_FIELD = 0x4246  # zip extra-field id of the alignment padding ("FB", as torch writes)
_MAX_INFLATE = 1032  # deflate's ceiling: no honest deflated stream grows more than this
_HOST = socket.gethostname()   # temp files are named by host and PID (see _atomic_write)


# -- the names torch gives things in a pickle ----------------------------------------------
class _StorageType:
    """Stands for ``torch.<Name>Storage`` in a pickle: it names the dtype of a storage's bytes."""

    __slots__ = ("name", "dtype", "itemsize")

    def __init__(self, name, dtype, itemsize=None):
        self.name, self.dtype = name, dtype
        self.itemsize = itemsize or dtype.itemsize       # bytes per element in the file

    def __repr__(self):
        return f"torch.{self.name}"


_STORAGE_OF = {d: _StorageType(d._tensor_type[:-6] + "Storage", d) for d in _dtype._ALL}
_STORAGE_TYPES = {st.name: st for st in _STORAGE_OF.values()}
_STORAGE_TYPES["BFloat16Storage"] = _StorageType("BFloat16Storage", _dtype.bfloat16, 2)
_STORAGE_TYPES["UntypedStorage"] = _StorageType("UntypedStorage", _dtype.uint8)
_MISSING_DTYPES = ("uint16", "uint32", "uint64", "complex32", "float8_e4m3fn", "float8_e5m2")


def _torch_names():
    """torch's global names -> ember's objects."""
    names = {"torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
             "torch._utils._rebuild_tensor_v3": _rebuild_tensor_v3,
             "torch._utils._rebuild_parameter": _rebuild_parameter,
             "torch._utils._rebuild_parameter_with_state": _rebuild_parameter_with_state,
             "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
             "torch.Size": Size, "torch.device": device, "torch.Tensor": Tensor,
             "torch.nn.parameter.Parameter": Parameter}
    names.update((f"torch.{d.name}", d) for d in (*_dtype._ALL, _dtype.bfloat16))
    names.update((f"torch.{n}", MissingDtype(n)) for n in _MISSING_DTYPES)
    for st in _STORAGE_TYPES.values():
        names[f"torch.{st.name}"] = names[f"torch.cuda.{st.name}"] = st
    names["torch.storage.UntypedStorage"] = _STORAGE_TYPES["UntypedStorage"]
    return names


_TORCH_NAMES = {}
_SAFE_BUILTINS = {"collections.OrderedDict": OrderedDict, "collections.Counter": Counter,
                  "_codecs.encode": codecs.encode, "builtins.set": set,
                  "builtins.frozenset": frozenset, "builtins.bytearray": bytearray,
                  "builtins.complex": complex}


def _torch_global(module, name):
    if not _TORCH_NAMES:
        _TORCH_NAMES.update(_torch_names())
    return _TORCH_NAMES.get(f"{module}.{name}")


# ember's own classes and functions go by torch's names in a checkpoint (``ember.nn.modules.conv.
# Conv2d`` is written ``torch.nn.modules.conv.Conv2d``) and torch's names load as ember's; the
# alias finder holds the one mapping.  A function kept in a private module is named by the public
# module that re-exports it, as torch names it.
_ALIAS = _alias._AliasFinder(_alias.DEFAULT_PREFIX_MAP)
_TO_TORCH = _alias._AliasFinder({ember: torch
                                  for torch, ember in _alias.DEFAULT_PREFIX_MAP.items()})
_PUBLIC_HOMES = (("ember.nn._functional", "ember.nn.functional"), ("ember._ops", "ember"),
                 ("ember.linalg", "ember.linalg"), ("ember.linalg._toplevel", "ember"),
                 *((f"ember._ops.{family}", "ember.nn.functional") for family in
                   ("activation", "linear", "conv", "pooling", "normalization", "sparse",
                    "loss", "attention")))
_C_HOMES = {"torch._C._nn": "ember.nn.functional"}    # torch's C functions (F.gelu) by home


def _torch_name_of(obj):
    """torch's ``(module, qualname)`` for an ember class or function; None for anything else."""
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname \
            or _TO_TORCH.target_of(module) is None:
        return None
    for private, public in _PUBLIC_HOMES:
        if _alias._under(module, private) and getattr(sys.modules.get(public), qualname,
                                                      None) is obj:
            module = public
    return _TO_TORCH.target_of(module), qualname


# -- user allowlist -------------------------------------------------------------------------
_user_globals = []


def add_safe_globals(safe_globals):
    """Let ``weights_only`` loads use these globals: objects, or ``(obj, "module.name")`` pairs."""
    for entry in safe_globals:
        if isinstance(entry, tuple):
            if len(entry) != 2 or not isinstance(entry[1], str):
                raise TypeError("add_safe_globals: a tuple entry must be (obj, 'module.qualname'), "
                                f"got {entry!r}")
        elif not hasattr(entry, "__qualname__"):
            raise TypeError("add_safe_globals: expected classes or functions (or (obj, name) "
                            f"pairs), got {type(entry).__name__} {entry!r}")
    _user_globals.extend(safe_globals)


def get_safe_globals():
    """The globals added with ``add_safe_globals``."""
    return list(_user_globals)


def clear_safe_globals():
    """Forget every global added with ``add_safe_globals``."""
    _user_globals.clear()


@contextlib.contextmanager
def safe_globals(safe_globals):
    """``with safe_globals([...]):`` allowlists globals for the loads inside the block only."""
    saved = list(_user_globals)
    add_safe_globals(safe_globals)
    try:
        yield
    finally:
        _user_globals[:] = saved


def _user_global(qualified):
    for entry in _user_globals:
        if isinstance(entry, tuple):
            obj, names = entry[0], (entry[1],)
        else:   # an ember class also answers to torch's name for it (lists written for torch)
            obj, names = entry, (f"{entry.__module__}.{entry.__qualname__}",
                                 ".".join(_torch_name_of(entry) or ()))
        if qualified in names:
            return obj
    return None


def _user_type(cls):
    return any((e[0] if isinstance(e, tuple) else e) is cls for e in _user_globals)


# -- saving --------------------------------------------------------------------------------
def _element_strides(arr):
    """``arr``'s strides in elements, or None where torch cannot express them (negative, ragged)."""
    size = arr.itemsize
    out, contiguous = [], 1
    for n, s in reversed(list(zip(arr.shape, arr.strides))):
        if n <= 1:
            out.append(contiguous)   # any stride addresses a length-1 dim the same way
        elif s < 0 or s % size:
            return None
        else:
            out.append(s // size)
        contiguous *= max(n, 1)
    return tuple(reversed(out))


class _Storage:
    """One storage being saved: ``numel`` elements of ``dtype`` from address ``lo``."""

    __slots__ = ("key", "dtype", "lo", "numel", "location", "owner")

    def __init__(self, key, dtype, lo, numel, location, owner):
        self.key, self.dtype, self.lo, self.numel = key, dtype, lo, numel
        self.location, self.owner = location, owner   # owner keeps the memory alive

    def nbytes(self):
        return self.numel * self.dtype.itemsize

    def buffer(self):
        n = self.nbytes()
        return memoryview((ctypes.c_ubyte * n).from_address(self.lo)) if n else b""


class _TorchNames:
    """Pickler mixin writing torch's names: tensors as ``_rebuild_tensor_v2`` calls on storages.

    It needs a pure-Python pickler (``pickle._Pickler``): only there does ``save_global`` let
    us write a global under another module's name (``torch._utils``) without importing it.
    """

    def setup(self, legacy):
        self.legacy = legacy
        self.storages = []
        self._by_root = {}
        return self

    def persistent_id(self, obj):
        if type(obj) is not _Storage:
            return None
        pid = ("storage", _STORAGE_OF[obj.dtype], obj.key, obj.location, obj.numel)
        return pid + (None,) if self.legacy else pid

    def reducer_override(self, obj):
        t = type(obj)
        if isinstance(obj, Tensor):
            # a lazy module's placeholder has no data: it pickles as its class call
            return NotImplemented if is_lazy(obj) else self._reduce_tensor(obj)
        if t is _dtype.dtype or t is _StorageType or id(obj) in _SAVE_NAMES \
                or t is types.FunctionType and _torch_name_of(obj) is not None:
            return "torch"      # a str: pickle calls save_global, which writes torch's name
        if t is Size:
            return Size, (tuple(obj),)
        if t is device:
            return device, (obj.type,) if obj.index is None else (obj.type, obj.index)
        return NotImplemented

    def save_global(self, obj, name=None):
        where = _SAVE_NAMES.get(id(obj))
        if where is None and type(obj) in (_dtype.dtype, _StorageType):
            where = ("torch", obj.name)
        if where is None:
            where = _torch_name_of(obj)
        if where is None:
            return super().save_global(obj, name)
        if self.proto < 4 and "." in where[1]:     # a nested name: getattr(parent, last), as
            *path, last = where[1].split(".")       # pickle writes one
            parent = functools.reduce(getattr, path, sys.modules[obj.__module__])
            return self.save_reduce(getattr, (parent, last), obj=obj)
        if self.proto >= 4:
            self.save(where[0])
            self.save(where[1])
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + f"{where[0]}\n{where[1]}\n".encode())
        self.memoize(obj)

    def _reduce_tensor(self, t):
        if isinstance(t, Parameter):
            return _rebuild_parameter, (t.data, t.requires_grad, OrderedDict())
        arr = t._data
        storage, offset, strides = self._place(arr)
        return _rebuild_tensor_v2, (storage, offset, tuple(arr.shape), strides, t.requires_grad,
                                    OrderedDict())

    def _place(self, arr):
        """The storage holding ``arr`` (shared with earlier tensors on the same memory)."""
        dt = _dtype.FROM_NP[arr.dtype]
        if type(arr) is not np.ndarray:       # CUDA: saved from a host copy of its own
            host = arr.copy(order="C").get()
            return self._new_storage(dt, host, f"cuda:{arr.device.id}"), 0, \
                _element_strides(host)
        strides = _element_strides(arr)
        root = root_array(arr)
        lo, hi = byte_bounds(root)
        at = data_address(arr) - lo
        if strides is None or arr.size == 0 or at % arr.itemsize or (hi - lo) % arr.itemsize:
            own = arr.copy(order="C")
            return self._new_storage(dt, own, "cpu"), 0, _element_strides(own)
        storage = self._by_root.get(id(root))
        if storage is None:
            storage = self._by_root[id(root)] = self._new_storage(dt, root, "cpu", lo, hi)
        elif storage.dtype is not dt:
            raise RuntimeError("Cannot save multiple tensors or storages that view the same data "
                               f"as different types ({storage.dtype} and {dt})")
        return storage, at // arr.itemsize, strides

    def _new_storage(self, dt, owner, location, lo=None, hi=None):
        if lo is None:
            lo, hi = byte_bounds(owner)
        storage = _Storage(str(len(self.storages)), dt, lo, (hi - lo) // dt.itemsize, location,
                           owner)
        self.storages.append(storage)
        return storage


class _Pickler(_TorchNames, pickle._Pickler):
    pass


def save(obj, f, pickle_module=pickle, pickle_protocol=DEFAULT_PROTOCOL,
         _use_new_zipfile_serialization=True):
    """Save ``obj`` to ``f`` (a path or a writable binary file) in torch's checkpoint format.

    Writing to a path is atomic: an interrupted save leaves the previous file intact.
    """
    legacy = not _use_new_zipfile_serialization
    base = getattr(pickle_module, "_Pickler", pickle_module.Pickler)
    cls = _Pickler if pickle_module is pickle else type("Pickler", (_TorchNames, base), {})
    pkl = io.BytesIO()
    pickler = cls(pkl, pickle_protocol).setup(legacy)
    pickler.dump(obj)
    args = (pickler.storages, pkl.getvalue())

    def write(fh, name):
        if legacy:
            _write_legacy(fh, *args, pickle_module, pickle_protocol)
        else:
            _write_zip(fh, name, *args)

    if isinstance(f, (str, os.PathLike)):
        _atomic_write(f, lambda fh: write(fh, _record_name(f)))
    elif hasattr(f, "write"):
        write(f, "archive")
    else:
        raise TypeError(f"save(): f must be a path or a writable binary file, got "
                        f"{type(f).__name__}")


def _record_name(path):
    """The archive folder torch uses: the file's stem, or ``archive`` when that is unusable."""
    stem = os.path.splitext(os.path.basename(os.fsdecode(path)))[0]
    ok = stem and stem.isascii() and stem.isprintable() and not stem.startswith(".")
    return stem if ok else "archive"


def _write_zip(fh, name, storages, data_pkl):
    with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        def put(record, data):
            info = zipfile.ZipInfo(f"{name}/{record}")
            data = memoryview(data)
            info.file_size = data.nbytes
            zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT   # zipfile's own rule
            header = zf.fp.tell() + 30 + len(info.filename) + 4 + (20 if zip64 else 0)
            pad = -header % _ALIGNMENT
            info.extra = struct.pack("<HH", _PAD_FIELD, pad) + b"Z" * pad
            with zf.open(info, "w", force_zip64=zip64) as out:
                out.write(data)

        put("data.pkl", data_pkl)
        put(".format_version", b"1")
        put(".storage_alignment", str(_ALIGNMENT).encode())
        put("byteorder", sys.byteorder.encode())
        for s in storages:
            put(f"data/{s.key}", s.buffer())
        put("version", b"3\n")
        put(".data/serialization_id", f"{secrets.randbits(64):020d}{secrets.randbits(64):020d}"
            .encode())


def _write_legacy(fh, storages, data_pkl, pickle_module, protocol):
    """torch's pre-1.6 format: header pickles, the object, the storage keys, then raw storages."""
    sys_info = {"protocol_version": _LEGACY_PROTOCOL, "little_endian": sys.byteorder == "little",
                "type_sizes": {"short": 2, "int": 4, "long": 4}}
    for header in (_LEGACY_MAGIC, _LEGACY_PROTOCOL, sys_info):
        pickle_module.dump(header, fh, protocol=protocol)
    fh.write(data_pkl)
    pickle_module.dump([s.key for s in storages], fh, protocol=protocol)
    for s in storages:
        fh.write(struct.pack("<q", s.numel))
        fh.write(s.buffer())


def _atomic_write(path, write):
    """Write via ``write(file)`` to a temp file beside ``path``, fsync it, rename it over ``path``.

    A crash or an exception mid-write leaves the old file intact and no temp file behind; the
    temp file a killed process leaves is removed by the next save to the same path (see
    ``_remove_stale_temps``).  Special files (``/dev/null``, FIFOs) are written in place.
    """
    path = os.path.realpath(os.fsdecode(path))
    if os.path.exists(path) and not os.path.isfile(path):
        with open(path, "wb") as fh:
            write(fh)
        return
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        raise RuntimeError(f"Parent directory {folder} does not exist.")
    mode = stat.S_IMODE(os.stat(path).st_mode) if os.path.exists(path) else 0o666 & ~_umask()
    prefix = f".{os.path.basename(path)}."
    _remove_stale_temps(folder, prefix)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{prefix}{os.getpid()}@{_HOST}.",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):     # make the rename itself durable (POSIX only)
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _remove_stale_temps(folder, prefix):
    """Delete the temp files that killed saves left in ``folder`` (named ``prefix`` + owner).

    A temp file is named ``<prefix><pid>@<host>.<random>.tmp``; it is stale when its owner ran
    on this host and is no longer alive.  Files of live processes (a concurrent save) stay.
    """
    owned = re.compile(re.escape(prefix) + r"(\d+)@(.+)\.[^.]+\.tmp")
    for entry in os.listdir(folder):
        match = owned.fullmatch(entry)
        if match and match[2] == _HOST and not _alive(int(match[1])):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, entry))


def _alive(pid):
    """Whether process ``pid`` exists (always True where that cannot be asked safely)."""
    if os.name != "posix" or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:               # it exists, but belongs to someone else
        return True
    return True


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _rebuild_parameter(data, requires_grad, backward_hooks):
    if not isinstance(data, Tensor):
        raise pickle.UnpicklingError(f"a Parameter must wrap a tensor, got {type(data).__name__}")
    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    param = _rebuild_parameter(data, requires_grad, backward_hooks)
    vars(param).update(state)
    return param


_SAVE_NAMES = {id(_rebuild_tensor_v2): ("torch._utils", "_rebuild_tensor_v2"),
               id(_rebuild_parameter): ("torch._utils", "_rebuild_parameter"),
               id(Size): ("torch", "Size"), id(device): ("torch", "device")}


# -- unpicklers ----------------------------------------------------------------------------
class _WeightsOnlyError(pickle.UnpicklingError):
    """A global or an operation the weights-only unpickler refuses."""


def _refuse(what, hint):
    return _WeightsOnlyError(
        f"Weights only load failed: Unsupported global: {what} is not allowed by ember's safe "
        "unpickler, so nothing was loaded (a pickle can run any code it names). If you trust "
        "the source of this file, either\n"
        "  (1) re-run ember.load with weights_only=False (this can execute arbitrary code: do "
        "it only for files from a trusted source), or\n"
        f"  (2) allowlist it: ember.serialization.add_safe_globals([{hint}]) or "
        f"`with ember.serialization.safe_globals([{hint}]):`.")


class _Budget:
    """What a weights-only load may still allocate from sizes its pickles declare.

    It starts at the file's size and is spent by allowlisted constructors that allocate from a
    size argument (``bytearray(n)``, ``Tensor(*sizes)``): no honest checkpoint builds more
    than itself that way, so ``bytearray(2**40)`` in a 1 KB file is refused, not attempted.
    """

    __slots__ = ("size", "left")

    def __init__(self, size):
        self.size = self.left = size

    def spend(self, nbytes, what):
        if nbytes > self.left:
            raise _WeightsOnlyError(
                f"Weights only load failed: {what} would allocate {nbytes} bytes, more than the "
                f"{self.size}-byte file holds (corrupted or malicious checkpoint?)")
        self.left -= max(nbytes, 0)


def _bad_pickle(why):
    return _WeightsOnlyError(f"Weights only load failed: {why} (corrupted checkpoint?)")


class _WeightsOnlyUnpickler(pickle._Unpickler):
    """Unpickles only allowlisted globals; BUILD only on containers and allowlisted types.

    Sizes the pickle declares are bounded by the file: a FRAME may not claim more bytes than
    remain, and calls that allocate from a size argument spend ``budget`` (a ``_Budget``).
    """

    dispatch = dict(pickle._Unpickler.dispatch)

    def find_class(self, module, name):
        if self.proto < 3 and self.fix_imports:
            if (module, name) in _compat_pickle.NAME_MAPPING:
                module, name = _compat_pickle.NAME_MAPPING[(module, name)]
            module = _compat_pickle.IMPORT_MAPPING.get(module, module)
        qualified = f"{module}.{name}"
        for found in (_torch_global(module, name), _SAFE_BUILTINS.get(qualified),
                      _user_global(qualified)):
            if found is not None:
                return found
        raise _refuse(f"GLOBAL {qualified}", name)

    def load_build(self):
        cls = type(self.stack[-2])
        if cls not in (OrderedDict, Counter) and not _user_type(cls):
            raise _refuse(f"BUILD of a {cls.__module__}.{cls.__qualname__} object",
                          cls.__qualname__)
        if cls in (OrderedDict, Counter) and type(self.stack[-1]) is not dict:
            raise _bad_pickle(f"BUILD may set an {cls.__name__}'s attributes from a dict only, "
                              f"got a {type(self.stack[-1]).__name__}")
        super().load_build()

    def __init__(self, file, *, budget, **kwargs):
        super().__init__(file, **kwargs)
        self._file, self._budget = file, budget

    def load_frame(self):
        size, = struct.unpack("<Q", self.read(8))
        here = self._file.tell()
        left = self._file.seek(0, os.SEEK_END) - here
        self._file.seek(here)
        if size > left:
            raise _bad_pickle(f"a FRAME declares {size} bytes, but only {left} bytes follow it")
        self._unframer.load_frame(size)

    def get_extension(self, code):
        if code not in copyreg._extension_cache and code not in copyreg._inverted_registry:
            raise _bad_pickle(f"the pickle uses copyreg extension code {code}, which is not "
                              "registered")
        super().get_extension(code)

    def load_reduce(self):
        self._charge(self.stack[-2], self.stack[-1], "REDUCE")
        super().load_reduce()

    def _instantiate(self, klass, args):           # INST and OBJ (protocols 0 and 1)
        self._charge(klass, tuple(args), "OBJ")
        super()._instantiate(klass, args)

    def load_newobj(self):
        args = self.stack.pop()
        self.append(self._new(self.stack.pop(), args, {}))

    def load_newobj_ex(self):
        kwargs = self.stack.pop()
        args = self.stack.pop()
        self.append(self._new(self.stack.pop(), args, kwargs))

    def _new(self, cls, args, kwargs):
        if not isinstance(cls, type) or type(kwargs) is not dict:
            raise _bad_pickle(f"NEWOBJ needs a class and keyword arguments, got {cls!r} and "
                              f"{type(kwargs).__name__}")
        self._charge(cls, args, "NEWOBJ")
        if cls is device:             # torch.device is built by __new__, ember's by __init__
            return device(*args, **kwargs)
        return cls.__new__(cls, *args, **kwargs)

    def _charge(self, func, args, op):
        """Spend the budget on a call that allocates from a size argument, or refuse it."""
        if type(args) is not tuple:
            raise _bad_pickle(f"{op} needs a tuple of arguments, got {type(args).__name__}")
        if func is _rebuild_from_type_v2 and len(args) > 2:
            self._charge(args[0], args[2], op)
        elif func is bytearray and args and hasattr(type(args[0]), "__index__"):
            nbytes = operator.index(args[0])            # an int, or an integer tensor
            self._budget.spend(nbytes, f"bytearray({nbytes})")
        elif isinstance(func, type) and issubclass(func, Tensor):
            sizes = tuple(args[0]) if len(args) == 1 and type(args[0]) is Size else args
            if sizes and all(isinstance(n, numbers.Integral) and not isinstance(n, bool)
                             for n in sizes):
                self._budget.spend(math.prod(sizes) * _dtype.get_default_dtype().itemsize,
                                   f"{func.__name__}{tuple(sizes)}")

    dispatch[pickle.BUILD[0]] = load_build
    dispatch[pickle.FRAME[0]] = load_frame
    dispatch[pickle.REDUCE[0]] = load_reduce
    dispatch[pickle.NEWOBJ[0]] = load_newobj
    dispatch[pickle.NEWOBJ_EX[0]] = load_newobj_ex


def _full_unpickler(pickle_module):
    """``pickle_module``'s Unpickler that also maps torch's names to ember's."""
    class Unpickler(pickle_module.Unpickler):
        def find_class(self, module, name):
            found = _torch_global(module, name)
            if found is not None:
                return found
            target = _C_HOMES.get(module) or _ALIAS.target_of(module)
            if target is None:
                return super().find_class(module, name)
            try:
                return super().find_class(target, name)
            except (ImportError, AttributeError):
                raise AttributeError(f"{module}.{name} is not provided by ember (no "
                                     f"{target}.{name}), so this pickle cannot be loaded") \
                    from None
    return Unpickler


# -- loading -------------------------------------------------------------------------------
class _Corrupt(RuntimeError):
    """A checkpoint that is not one, or is damaged."""


def _corrupt(name, why):
    return _Corrupt(f"{name} is not a valid ember/PyTorch checkpoint: {why}")


def _target_device(location, map_location):
    """Where a storage saved at ``location`` goes, as a device string."""
    if isinstance(map_location, dict):
        location = map_location.get(location, location)
    elif map_location is not None:
        location = map_location
    return location if isinstance(location, str) else str(location)


def _restore(data, location, map_location):
    """Put a host byte buffer on the device ``map_location`` chooses for ``location``."""
    if callable(map_location):
        moved = map_location(_wrap(data), location)
        if moved is None:
            return _restore(data, location, None)
        if not isinstance(moved, Tensor) or moved._data.dtype != np.uint8 \
                or moved._data.shape != data.shape:
            raise TypeError("map_location must return the storage it was given (a 1-D uint8 "
                            f"tensor of {len(data)} bytes), moved or not, or None; got {moved!r}")
        return moved._data
    target = _target_device(location, map_location)
    dev = device(target)
    if dev.type == "cpu":
        return data
    if dev.type == "strict":  # the CuPy-like stand-in the tests use for a GPU
        return to_device(data, dev)
    if dev.type != "cuda":
        raise RuntimeError(f"don't know how to restore data location of a storage tagged with "
                           f"'{target}': ember restores storages to 'cpu' and 'cuda' only; pass "
                           "map_location='cpu' to ember.load")
    if not cuda_available():
        raise CudaUnavailableError(
            f"Attempting to deserialize object on a CUDA device ('{target}') but CUDA is not "
            "available to ember (CuPy not installed / no GPU). If you are running on a CPU-only "
            "machine, please use ember.load with map_location='cpu' (or "
            "map_location=ember.device('cpu')) to map your storages to the CPU.")
    index = dev.index or 0
    if index >= device_count():
        raise RuntimeError(f"Attempting to deserialize object on CUDA device {index} but "
                           f"ember.cuda.device_count() is {device_count()}. Please use ember.load "
                           "with map_location to map your storages to an existing device.")
    return to_device(data, device("cuda", index))


def _bfloat16_to_float32(raw):
    """bfloat16 bytes widened to float32 bytes (bfloat16 is float32's top half)."""
    warnings.warn("ember has no bfloat16 dtype: bfloat16 tensors are loaded as float32")
    return (raw.view(np.uint16).astype(np.uint32) << 16).view(np.uint8)


def _to_native(raw, itemsize, is_complex):
    """Byte-swap a big-endian storage in place (a complex number is two swapped halves)."""
    raw.view(f"u{itemsize // 2 if is_complex else itemsize}").byteswap(inplace=True)


class _StorageLoader:
    """``persistent_load`` for both formats: reads each storage once, by key.

    ``read(key, nbytes)`` gives the host bytes; ``restore(bytes, location)`` places them.
    A ``deferred`` loader (legacy format) gets empty buffers that are filled afterwards.
    """

    def __init__(self, read, restore, byteorder="little", deferred=False):
        self.read, self.restore, self.deferred = read, restore, deferred
        self.swap = byteorder != sys.byteorder
        self.storages = {}

    def __call__(self, pid):
        if not isinstance(pid, tuple) or len(pid) < 5 or pid[0] != "storage" \
                or type(pid[1]) is not _StorageType:
            raise pickle.UnpicklingError(f"unsupported persistent id in checkpoint: {pid!r}")
        _, stype, key, location, numel = pid[:5]
        key = str(key)
        if key not in self.storages:
            dtype = stype.dtype
            if checked_index(numel) < 0:
                raise RuntimeError(f"storage {key} declares a negative size of {numel} elements "
                                   "(corrupted checkpoint?)")
            raw = self.read(key, numel * stype.itemsize)
            if self.swap:
                _to_native(raw, stype.itemsize, dtype.is_complex)
            if dtype is _dtype.bfloat16:
                if self.deferred:
                    raise TypeError("ember cannot load bfloat16 tensors from a legacy-format "
                                    "checkpoint")
                raw, dtype = _bfloat16_to_float32(raw), _dtype.float32
            self.storages[key] = LoadedStorage(self.restore(raw, location), dtype)
        storage = self.storages[key]
        view = pid[5] if len(pid) > 5 else None       # legacy: a view of a storage
        if view is not None:
            view_key, offset, numel = view
            offset, numel = checked_index(offset), checked_index(numel)
            if offset < 0 or numel < 0 or offset + numel > len(storage.bytes) // \
                    storage.dtype.itemsize:
                raise RuntimeError(f"storage view {view_key} of {numel} elements at offset "
                                   f"{offset} overruns storage {key} of "
                                   f"{len(storage.bytes) // storage.dtype.itemsize} elements "
                                   "(corrupted checkpoint?)")
            size = storage.dtype.itemsize
            storage = self.storages.setdefault(str(view_key), LoadedStorage(
                storage.bytes[offset * size:(offset + numel) * size], storage.dtype))
        return storage


def load(f, map_location=None, pickle_module=None, *, weights_only=True, mmap=None,
         **pickle_load_args):
    """Load an object saved with ``ember.save`` or ``torch.save`` (zip or legacy format).

    ``weights_only=True`` (the default) refuses any global outside the allowlist (tensors,
    containers, numbers, strings, dtypes, ``add_safe_globals``); pass ``weights_only=False``
    only for trusted files (e.g. whole pickled models).  ``map_location`` is a device (string
    or ``ember.device``), a dict mapping saved locations to new ones, or a callable
    ``(storage, location)`` receiving each storage as a 1-D uint8 tensor.  ``mmap=True`` maps
    storages from the file instead of reading them (copy-on-write).
    """
    if weights_only is None:
        weights_only = True
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified "
                           "(weights_only=True uses ember's own safe unpickler)")
    pickle_load_args.setdefault("encoding", "utf-8")
    unpickler = _WeightsOnlyUnpickler if weights_only else _full_unpickler(pickle_module or pickle)

    def unpickle(fh, persistent_load=None, *, budget):
        u = unpickler(fh, budget=budget, **pickle_load_args) if weights_only else \
            unpickler(fh, **pickle_load_args)
        if persistent_load is not None:
            u.persistent_load = persistent_load
        try:
            return u.load()
        except (IndexError, KeyError) as e:     # the pure-Python unpickler on damaged data
            if not weights_only:
                raise
            raise pickle.UnpicklingError(f"{type(e).__name__}: {e}") from e

    if isinstance(f, (str, os.PathLike)):
        name = repr(os.fsdecode(f))
        with open(f, "rb") as fh:
            return _load_from(fh, name, unpickle, map_location, mmap)
    if mmap:
        raise ValueError("f must be a file path in order to use the mmap argument")
    if not hasattr(f, "read"):
        raise TypeError(f"load(): f must be a path or a readable binary file, got "
                        f"{type(f).__name__}")
    if not (hasattr(f, "seekable") and f.seekable()):
        f = io.BytesIO(f.read())
    return _load_from(f, "the given file object", unpickle, map_location, mmap)


def _load_from(fh, name, unpickle, map_location, mmap):
    start = fh.tell()
    magic = fh.read(4)
    if not magic:
        raise _corrupt(name, "the file is empty")
    unpickle = functools.partial(unpickle, budget=_Budget(fh.seek(0, os.SEEK_END) - start))
    fh.seek(start)
    try:
        if magic == b"PK\x03\x04":
            return _load_zip(fh, name, unpickle, map_location, mmap)
        if mmap:
            raise RuntimeError("mmap can only be used with files saved with "
                               "ember.save/torch.save(_use_new_zipfile_serialization=True)")
        return _load_legacy(fh, name, unpickle, map_location)
    except (_WeightsOnlyError, _Corrupt):
        raise
    except (pickle.UnpicklingError, EOFError, zipfile.BadZipFile, zlib.error, struct.error,
            UnicodeDecodeError) as e:
        why = "the zip archive is truncated or corrupted" if magic == b"PK\x03\x04" else \
            "it is neither a zip archive nor a legacy torch.save file, or it is truncated"
        raise _corrupt(name, f"{why} ({type(e).__name__}: {e})") from e


def _load_zip(fh, name, unpickle, map_location, use_mmap):
    zf = zipfile.ZipFile(fh)
    records = {i.filename: i for i in zf.infolist()}
    starts = _record_starts(zf, fh, name)
    pkl = next((n for n in records if n.endswith("/data.pkl") and n.count("/") == 1), None)
    if pkl is None:
        raise _corrupt(name, "the zip archive has no <name>/data.pkl record (a TorchScript "
                       "archive or some other zip file?)")
    prefix = pkl[:-len("data.pkl")]
    order = prefix + "byteorder"
    byteorder = zf.read(order) if order in records else b"little"
    if byteorder not in (b"little", b"big"):
        raise ValueError(f"Unknown endianness type: {byteorder[:32]!r} in the byteorder record "
                         f"of {name}; expected b'little' or b'big' (corrupted checkpoint?)")
    mapped = _mmap.mmap(fh.fileno(), 0, access=_mmap.ACCESS_COPY) if use_mmap else None

    def read(key, nbytes):
        info = records.get(f"{prefix}data/{key}")
        if info is None:
            raise _corrupt(name, f"the record data/{key} is missing")
        if info.file_size != nbytes:
            raise _corrupt(name, f"the record data/{key} holds {info.file_size} bytes, "
                           f"expected {nbytes} (corrupted checkpoint?)")
        raw = _read_record(zf, fh, info, starts[info.filename], mapped)
        if raw is None:
            raise _corrupt(name, f"the zip archive is truncated or corrupted (record data/{key} "
                           "fails its CRC check)")
        return raw

    loader = _StorageLoader(read, lambda raw, loc: _restore(raw, loc, map_location),
                            byteorder.decode())
    return unpickle(io.BytesIO(zf.read(pkl)), loader)


def _record_starts(zf, fh, name):
    """Where each record's data starts, once every size the archive declares is checked.

    Nothing is allocated from a declared size before this passes: each record must lie inside
    the file, records may not overlap (overlapping records are how zip bombs inflate one
    compressed stream many times), and only stored or deflated records are accepted, a
    deflated one no larger than deflate's own ceiling of ``_MAX_INFLATE`` times its
    compressed size.  Reads only the 30-byte local headers.
    """
    end = fh.seek(0, os.SEEK_END)
    starts, used = {}, 0
    for info in sorted(zf.infolist(), key=lambda i: i.header_offset):
        record = f"the record {info.filename}"
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _corrupt(name, f"{record} uses zip compression method {info.compress_type}; "
                           "only stored (as torch writes) and deflated records can be read")
        if info.filename in starts:
            raise _corrupt(name, f"{record} appears twice in the archive (corrupted checkpoint?)")
        if info.header_offset < used:
            raise _corrupt(name, f"{record} at offset {info.header_offset} overlaps the record "
                           f"before it, which ends at {used} (corrupted checkpoint?)")
        fh.seek(info.header_offset)
        header = fh.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise _corrupt(name, f"{record} has no local header at offset {info.header_offset} "
                           "(corrupted checkpoint?)")
        start = info.header_offset + 30 + sum(struct.unpack("<HH", header[26:30]))
        used = start + info.compress_size
        if used > end:
            raise _corrupt(name, f"{record} declares {info.compress_size} bytes at offset {start}, "
                           f"but the file ends at {end} (truncated or corrupted checkpoint?)")
        limit = info.compress_size if info.compress_type == zipfile.ZIP_STORED else \
            _MAX_INFLATE * max(info.compress_size, 1)
        if info.file_size > limit:
            raise _corrupt(name, f"{record} declares {info.file_size} bytes from "
                           f"{info.compress_size} stored bytes (corrupted checkpoint, or a zip "
                           "bomb?)")
        starts[info.filename] = start
    return starts


def _read_record(zf, fh, info, start, mapped):
    """A record's bytes as a writable uint8 array (None on a CRC mismatch)."""
    if info.compress_type != zipfile.ZIP_STORED:
        out = np.empty(info.file_size, np.uint8)
        with zf.open(info) as src:         # zipfile checks the CRC as the stream ends
            _read_exact(src, out)
        return out
    if mapped is not None:
        return np.ndarray((info.file_size,), np.uint8, buffer=mapped, offset=start)
    out = np.empty(info.file_size, np.uint8)
    fh.seek(start)
    _read_exact(fh, out)
    return out if zlib.crc32(out) == info.CRC else None


def _read_exact(fh, out):
    view, done = memoryview(out), 0
    while done < len(view):
        n = fh.readinto(view[done:])
        if not n:
            raise EOFError(f"the file ended {len(view) - done} bytes early")
        done += n


def _load_legacy(fh, name, unpickle, map_location):
    """torch's pre-1.6 format; storages come after the object, so they load on the CPU only."""
    if unpickle(fh) != _LEGACY_MAGIC:
        raise _corrupt(name, "it is neither a zip archive nor a legacy torch.save file")
    if unpickle(fh) != _LEGACY_PROTOCOL:
        raise _corrupt(name, "unsupported legacy protocol version")
    unpickle(fh)          # sys_info: ignored, as torch does (the storages are little-endian)
    locations = {}
    here = fh.tell()
    left = fh.seek(0, os.SEEK_END) - here      # bytes that must hold every storage
    fh.seek(here)

    def reserve(key, nbytes):
        nonlocal left
        if nbytes > left:
            raise _corrupt(name, f"storage {key} declares {nbytes} bytes, but only {left} bytes "
                           "of the file are left for it (truncated or corrupted checkpoint?)")
        left -= nbytes
        return np.empty(nbytes, np.uint8)

    def place(raw, location):
        locations[id(raw)] = location
        if not callable(map_location) and device(_target_device(location, map_location)).type \
                != "cpu":
            raise RuntimeError("ember loads legacy (non-zip) checkpoints to the CPU only: pass "
                               "map_location='cpu' and move the tensors with .to(device)")
        return raw

    loader = _StorageLoader(reserve, place, sys.byteorder, deferred=True)
    result = unpickle(fh, loader)
    for key in unpickle(fh):
        storage = loader.storages.get(str(key))
        if storage is None:
            raise _corrupt(name, f"storage {key} is listed but never used")
        numel, = struct.unpack("<q", fh.read(8))
        if numel * storage.dtype.itemsize != len(storage.bytes):
            raise _corrupt(name, f"storage {key} holds {numel} elements, expected "
                           f"{len(storage.bytes) // storage.dtype.itemsize}")
        _read_exact(fh, storage.bytes)
        if sys.byteorder != "little":
            _to_native(storage.bytes, storage.dtype.itemsize, storage.dtype.is_complex)
        if callable(map_location):
            moved = map_location(_wrap(storage.bytes), locations[id(storage.bytes)])
            if moved is not None and not moved.is_cpu:
                raise RuntimeError("ember loads legacy (non-zip) checkpoints to the CPU only: "
                                   "move the tensors with .to(device) after loading")
    return result
