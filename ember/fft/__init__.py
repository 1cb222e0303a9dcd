"""ember.fft: torch.fft's discrete Fourier transforms (see ``ember/_api/fft.py``)."""
from .._api.fft import *  # noqa: F401,F403
from .._api.fft import __all__  # noqa: F401
