"""torch.backends counterpart: the flags scripts set (``cudnn.benchmark = True``) are accepted.

ember has no cuDNN or MPS backend; the flags are kept so that code setting
or reading them runs unchanged, and the ``is_available`` queries say False.
"""
import types

cudnn = types.SimpleNamespace(enabled=True, benchmark=False, deterministic=False,
                              allow_tf32=True, is_available=lambda: False,
                              version=lambda: None)
mps = types.SimpleNamespace(is_available=lambda: False, is_built=lambda: False)
cuda = types.SimpleNamespace(is_built=lambda: False,
                             matmul=types.SimpleNamespace(allow_tf32=False))
mkldnn = types.SimpleNamespace(enabled=False, is_available=lambda: False)
openmp = types.SimpleNamespace(is_available=lambda: False)
