"""torch.utils.tensorboard: ``SummaryWriter`` for TensorBoard logs.

Needs the ``tensorboard`` package (``pip install 'ember[tensorboard]'``),
whose event-file writer and protobuf messages do the writing; images also
need Pillow.
"""
try:
    import tensorboard  # noqa: F401  (the writer needs it; say so plainly)
except ImportError:
    raise ImportError("ember.utils.tensorboard needs the tensorboard package, which is not "
                      "installed: pip install 'ember[tensorboard]' (or pip install tensorboard)"
                      ) from None

from .writer import SummaryWriter  # noqa: E402

__all__ = ["SummaryWriter"]
