"""Random-number state (torch.random): ``Generator``, the default generator and seeding.

A ``Generator`` wraps NumPy's ``Generator(PCG64)``.  The numbers are NOT those
torch draws for the same seed (torch uses a Mersenne Twister and its own
transforms), but a given seed yields the same numbers in every run and on
every machine.  As in torch, the default generator starts from a fresh
OS-random seed in each process until ``manual_seed`` is called, while a new
``Generator()`` starts from torch's fixed default seed, 67280421310721.
States (``get_state``) are uint8 tensors that round-trip through ``set_state``.
"""
import contextlib
import os

import numpy as np
from ._device import as_device
from ._tensor import _wrap
from ._tensor import Tensor

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state", "fork_rng"]

_DEFAULT_SEED = 67280421310721
_MAGIC = b"EMBR"  # marks an ember PCG64 state, so a foreign byte tensor is refused
# magic, PCG64 state (16 bytes), increment (16), has_uint32 (1), uinteger (4), initial seed (8)
_STATE_BYTES = len(_MAGIC) + 16 + 16 + 1 + 4 + 8


def _check_seed(seed):
    """torch's seed rules: any int in [-2**63, 2**64); negatives wrap modulo 2**64."""
    try:
        seed = int(seed)
    except (TypeError, ValueError):
        raise TypeError(f"manual_seed expected an int, got {type(seed).__name__} ({seed!r})") from None
    if not -2 ** 63 <= seed < 2 ** 64:
        raise ValueError(f"Overflow when unpacking long long: seed {seed} is outside "
                         "[-2**63, 2**64)")
    return seed % 2 ** 64


class Generator:
    """A source of random numbers with its own state, passed as ``generator=`` to samplers.

    Two generators seeded alike give the same draws. ember's generators are NumPy PCG64
    streams, so the numbers differ from torch's for the same seed.

    Args:
        device (ember.device or str): the device it is for. Default: ``"cpu"``.

    Example:
        >>> g = ember.Generator().manual_seed(1)
        >>> a = ember.rand(3, generator=g)
        >>> bool((a == ember.rand(3, generator=ember.Generator().manual_seed(1))).all())
        True
    """

    def __init__(self, device="cpu"):
        self.device = as_device(device)
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed):
        """Restart from ``seed``; returns the generator."""
        self._seed = _check_seed(seed)
        self._rng = np.random.Generator(np.random.PCG64(self._seed))
        self._streams = {}
        return self

    def device_stream(self, xp):
        """The random stream that draws on array module ``xp``'s device without a host copy:
        ``xp.random.RandomState`` (CuPy's on CUDA), built on first use from this generator's
        seed or the one ``seed_device`` gave."""
        stream = self._streams.get(xp.__name__, self._seed)
        if isinstance(stream, int):
            stream = self._streams[xp.__name__] = xp.random.RandomState(stream)
        return stream

    def seed_device(self, xp, seed):
        """Restart the device stream of ``xp`` alone from ``seed`` (``cuda.manual_seed``)."""
        self._streams[xp.__name__] = _check_seed(seed)

    def seed(self):
        """Reseed from the OS's entropy and return the new seed."""
        s = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._seed

    def get_state(self):
        """The full state as a uint8 tensor (ember's layout, not torch's)."""
        st = self._rng.bit_generator.state
        raw = (_MAGIC + st["state"]["state"].to_bytes(16, "little")
               + st["state"]["inc"].to_bytes(16, "little") + bytes([st["has_uint32"]])
               + st["uinteger"].to_bytes(4, "little") + self._seed.to_bytes(8, "little"))
        return _wrap(np.frombuffer(raw, np.uint8).copy())

    def set_state(self, new_state):
        """Restore a state taken by ``get_state``; returns the generator."""
        if not isinstance(new_state, Tensor) or new_state._data.dtype != np.uint8:
            raise TypeError("RNG state must be a ember.ByteTensor (uint8), as returned by "
                            "get_state()")
        raw = bytes(np.asarray(new_state.__array__()).reshape(-1))
        if len(raw) != _STATE_BYTES or not raw.startswith(_MAGIC):
            raise RuntimeError(f"Expected an ember PCG64 generator state of size {_STATE_BYTES} "
                               f"but found the input RNG state size to be {len(raw)}"
                               + ("" if len(raw) != _STATE_BYTES else " (without ember's marker)"))
        b = raw[len(_MAGIC):]
        bitgen = np.random.PCG64()
        bitgen.state = {"bit_generator": "PCG64",
                        "state": {"state": int.from_bytes(b[:16], "little"),
                                  "inc": int.from_bytes(b[16:32], "little")},
                        "has_uint32": b[32], "uinteger": int.from_bytes(b[33:37], "little")}
        self._rng = np.random.Generator(bitgen)
        self._seed = int.from_bytes(b[37:45], "little")
        return self

    def __repr__(self):
        return f"<ember.Generator object at {id(self):#x} (device={self.device})>"


def numpy_rng(generator=None):
    """The NumPy generator behind ``generator`` (the default one when None)."""
    if generator is None:
        return default_generator._rng
    if not isinstance(generator, Generator):
        raise TypeError(f"generator must be an ember.Generator, not {type(generator).__name__}")
    return generator._rng


class DeviceDraws:
    """A device stream (``xp.random.RandomState``, CuPy's interface) under the method names of
    NumPy's ``Generator``, so one sampler body draws on the CPU or on a device.

    ``random`` and ``integers`` are CuPy's ``random_sample`` and ``randint``; every other
    method (``standard_normal``, ``exponential``, ``poisson``...) is the stream's own.
    """

    __slots__ = ("_stream",)

    def __init__(self, stream):
        self._stream = stream

    def random(self, size=None, dtype=np.float64):
        return self._stream.random_sample(size, dtype=dtype)

    def integers(self, low, high=None, size=None, dtype=np.int64):
        return self._stream.randint(low, high, size, dtype=dtype)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def rng_on(xp, generator=None):
    """What a sampler draws from for array module ``xp``: ``generator``'s NumPy ``Generator``
    on the CPU (``xp`` is numpy), its device stream (``Generator.device_stream``) elsewhere,
    so device samples never pass through the host.  ``None`` is the default generator.

    ``rng_on(numpy).random(3)`` is ``numpy_rng().random(3)``.
    """
    rng = numpy_rng(generator)  # also refuses what is not a Generator
    if xp is np:
        return rng
    gen = default_generator if generator is None else generator
    return DeviceDraws(gen.device_stream(xp))


def uniform_on(xp, shape, generator=None):
    """float32 draws in [0, 1) made on array module ``xp``'s device (``numpy``: the CPU).

    ``uniform_on(numpy, (2, 3))`` is ``numpy_rng().random((2, 3), dtype=float32)``.
    """
    return rng_on(xp, generator).random(shape, dtype=np.float32)


default_generator = Generator()
default_generator.seed()


def manual_seed(seed):
    """Restart the default generator from ``seed`` and return it.

    All devices share the default generator, so one call makes a whole run repeatable.

    Args:
        seed (int): any integer in ``[-2 ** 63, 2 ** 64)``.

    Example:
        >>> _ = ember.manual_seed(3)
        >>> a = ember.rand(2)
        >>> _ = ember.manual_seed(3)
        >>> bool((a == ember.rand(2)).all())
        True
    """
    return default_generator.manual_seed(seed)


def seed():
    """Reseed the default generator from the operating system's entropy and return the seed.

    Example:
        >>> s = ember.seed()
        >>> ember.initial_seed() == s
        True
    """
    return default_generator.seed()


def initial_seed():
    """The seed the default generator was last started from.

    Example:
        >>> _ = ember.manual_seed(42)
        >>> ember.initial_seed()
        42
    """
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state, as a ``uint8`` tensor (ember's layout, not torch's).

    Example:
        >>> state = ember.get_rng_state()
        >>> a = ember.rand(2)
        >>> ember.set_rng_state(state)
        >>> bool((a == ember.rand(2)).all())
        True
    """
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restore the default generator to a state taken by :func:`ember.get_rng_state`.

    Args:
        new_state (Tensor): the ``uint8`` state.

    Example:
        >>> state = ember.get_rng_state()
        >>> a = ember.randn(3)
        >>> ember.set_rng_state(state)
        >>> bool((a == ember.randn(3)).all())
        True
    """
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices",
             device_type="cuda"):
    """Run the block with the default generator's state restored afterwards."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)
