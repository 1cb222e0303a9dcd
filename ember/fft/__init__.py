"""ember.fft: torch.fft's discrete Fourier transforms (see ``ember/_ops/fft/funcs.py``)."""
from .._ops.fft.funcs import *  # noqa: F401,F403
from .._ops.fft.funcs import __all__  # noqa: F401
