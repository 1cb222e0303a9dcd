"""``LinearCrossEntropyOptions``: the chunking settings of ``F.linear_cross_entropy``."""
import dataclasses

from ... import _dtype

__all__ = ["LinearCrossEntropyOptions"]

_ACC_POLICIES = {"auto", "accurate", "balanced", "compact"}


@dataclasses.dataclass(slots=True, frozen=True)
class LinearCrossEntropyOptions:
    """How ``linear_cross_entropy`` may split its batch to save memory (validated as torch's).

    ember always computes the whole-batch reference result, so these settings change
    nothing in the values; they are kept (and checked) so code written for torch runs.

    Args:
        allow_retain_graph (bool): allow backward through the loss more than once.
        batch_chunk_size (int, optional): rows per chunk (positive), or chosen automatically.
        chunking_method (str, optional): ``"auto"`` or ``"aspect_ratio[:<factor>]"``.
        acc_policy (str): ``"auto"``, ``"accurate"``, ``"balanced"`` or ``"compact"``.
        acc_dtype (dtype, optional): accumulation dtype (a floating dtype).

    Example:
        >>> opts = ember.nn.LinearCrossEntropyOptions(batch_chunk_size=256)
        >>> loss = ember.nn.LinearCrossEntropyLoss(16, 10, options=opts)
    """

    allow_retain_graph: bool = False
    batch_chunk_size: int = None
    chunking_method: str = "auto"
    acc_policy: str = "auto"
    acc_dtype: object = None

    def __post_init__(self):
        if self.acc_policy not in _ACC_POLICIES:
            raise ValueError(f"invalid acc_policy: {self.acc_policy!r}")
        if self.chunking_method is not None and self.chunking_method != "auto":
            name, sep, factor = self.chunking_method.partition(":")
            factor = factor if sep else "1"
            if not (name == "aspect_ratio" and factor.isdigit() and int(factor) > 0):
                raise ValueError(f"invalid chunking_method: {self.chunking_method!r}")
        if not (self.batch_chunk_size is None or
                (isinstance(self.batch_chunk_size, int) and self.batch_chunk_size > 0)):
            raise ValueError("batch_chunk_size must be positive int or None, got "
                             f"{self.batch_chunk_size!r}")
        floats = (_dtype.float16, _dtype.bfloat16, _dtype.float32, _dtype.float64)
        if self.acc_dtype is not None and self.acc_dtype not in floats:
            raise ValueError("acc_dtype must be one of {None, torch.float16, torch.bfloat16, "
                             f"torch.float32, torch.float64}}, got {self.acc_dtype!r}. Pass "
                             "acc_dtype=None to let the op pick automatically.")
