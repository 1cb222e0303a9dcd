"""torch.backends counterpart: the flags scripts set (``cudnn.benchmark = True``) are accepted.

ember has no cuDNN, MPS or oneDNN backend; each is a real module
(``import torch.backends.cudnn`` works) whose flags are kept so that code
setting or reading them runs unchanged, and whose ``is_available`` says False.
"""
from . import cuda, cudnn, mkldnn, mps, openmp  # noqa: F401

__all__ = ["cuda", "cudnn", "mkldnn", "mps", "openmp"]
