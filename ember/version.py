"""Version facts, laid out as ``torch.version``.

``__version__`` is the PyTorch API level ember implements with ember's own
version as the local label (``2.13.0+ember0.1.0``); under the ``torch`` alias
it is what ``torch.__version__`` and ``importlib.metadata.version("torch")``
report.  ember builds no CUDA/HIP/XPU code of its own (a GPU is reached through
CuPy), so those fields are None, as in a CPU build of torch.

Example::

    >>> import ember.version
    >>> ember.version.__version__, ember.version.cuda
    ('2.13.0+ember0.1.0', None)
"""
ember_version = "0.1.0"
torch_api = "2.13.0"
__version__ = f"{torch_api}+ember{ember_version}"
debug = False
cuda = None
hip = None
rocm = None
xpu = None
git_version = "unknown"  # ember is not built from a torch git commit
