"""``linear_cross_entropy``: cross-entropy of a linear layer's output, in one call."""
import math

from ..._ops.linear import linear
from ..._ops.loss.funcs import cross_entropy

__all__ = ["linear_cross_entropy"]


def linear_cross_entropy(input, linear_weight, target, *, linear_bias=None, weight=None,
                         reduction="mean", ignore_index=None, label_smoothing=0.0, options=None):
    """Cross-entropy of a linear layer's output:
    ``cross_entropy(linear(input, linear_weight, linear_bias), target)``.

    torch computes it in batch chunks to save memory; ember computes the whole batch at once, with
    the same result, and only validates ``options``.

    Args:
        input (Tensor): ``(in_features,)`` or ``(N, in_features)``.
        linear_weight (Tensor): ``(C, in_features)``, or ``(C, d_1, ..., d_K, in_features)`` for a
          K-dimensional loss (batched input only).
        target (Tensor): class indices ``()``, ``(N)`` or ``(N, d_1, ..., d_K)``, or class
          probabilities of the logits' shape ``(N, C, d_1, ..., d_K)``.
        linear_bias (Tensor, keyword-only, optional): ``(C, d_1, ..., d_K)``. Default: ``None``.
        weight (Tensor, keyword-only, optional): weight per class, ``(C,)``. Default: ``None``.
        reduction (str, keyword-only): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``.
        ignore_index (int, keyword-only, optional): a class index to skip; not allowed with
          probabilities. Default: ``None`` (-100 for index targets).
        label_smoothing (float, keyword-only): in ``[0, 1]``. Default: ``0.0``.
        options (LinearCrossEntropyOptions, keyword-only, optional): torch's chunking settings.

    Shape:
        - Input: ``(in_features)`` or ``(N, in_features)``.
        - Output: a scalar; with ``reduction='none'``, the target's shape (index targets).

    Example:
        >>> x, w = ember.randn(4, 8), ember.randn(10, 8)
        >>> ember.nn.functional.linear_cross_entropy(x, w, ember.tensor([1, 0, 9, 3])).shape
        ember.Size([])
    """
    if input.dim() < 1 or input.dim() > 2:
        raise RuntimeError(f"expected input with dimensionality 1 or 2, got {input.dim()}")
    if linear_weight.dim() < 2:
        raise RuntimeError("expected linear_weight with dimensionality at least 2, got "
                           f"{linear_weight.dim()}")
    batches, in_features = tuple(input.shape[:-1]), input.shape[-1]
    if in_features != linear_weight.shape[-1]:
        raise RuntimeError("expected equal input and linear_weight last dimensions "
                           f"(in_features), got {input.shape[-1]} and {linear_weight.shape[-1]}, "
                           "respectively")
    num_classes, out_features = linear_weight.shape[0], tuple(linear_weight.shape[1:-1])
    if linear_bias is not None and tuple(linear_bias.shape) != (num_classes, *out_features):
        raise RuntimeError(f"expected linear_bias shape {(num_classes, *out_features)}, got "
                           f"{tuple(linear_bias.shape)}")
    if out_features and not batches:
        raise RuntimeError(f"K-dimensional loss defined by linear_weight shape "
                           f"{tuple(linear_weight.shape)} requires batched input, (N, "
                           f"{in_features}), got unbatched input with shape {tuple(input.shape)}")
    logits_shape = (*batches, num_classes, *out_features)
    if tuple(target.shape) == logits_shape and ignore_index is not None:
        raise RuntimeError("ignore_index cannot be specified when target contains probabilities")
    if out_features:
        rows = math.prod(out_features, start=num_classes)
        linear_weight = linear_weight.reshape(rows, in_features)
        if linear_bias is not None:
            linear_bias = linear_bias.reshape(rows)
    logits = linear(input, linear_weight, linear_bias).reshape(logits_shape)
    return cross_entropy(logits, target, weight=weight, reduction=reduction,
                         ignore_index=-100 if ignore_index is None else ignore_index,
                         label_smoothing=label_smoothing)
