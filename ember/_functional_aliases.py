"""Functional ops that torch also exposes at top level (``torch.max_pool2d``, ``torch.conv2d``).

``ember.<name>`` resolves these lazily (``nn.functional`` is imported on first
use).  Most take the same positional arguments as their ``nn.functional``
namesakes; the ones whose top-level form differs in torch (weight first for
``embedding``, reductions given as ints, ``batch_norm``'s argument order) get
adapters with torch's top-level signature.
"""
__all__ = ["SAME_AS_FUNCTIONAL", "resolve"]

#: names whose top-level form takes ``nn.functional``'s positional arguments
SAME_AS_FUNCTIONAL = frozenset("""
    adaptive_avg_pool1d avg_pool1d bilinear celu celu_ conv1d conv2d conv3d conv_transpose1d
    conv_transpose2d conv_transpose3d cosine_similarity dropout alpha_dropout
    feature_alpha_dropout group_norm hardshrink layer_norm max_pool1d max_pool1d_with_indices
    max_pool2d max_pool3d pairwise_distance pdist pixel_shuffle pixel_unshuffle prelu rms_norm
    rrelu rrelu_ selu selu_ threshold threshold_ channel_shuffle native_channel_shuffle conv_tbc
""".split())

_REDUCTIONS = ("none", "mean", "sum")  # torch's top-level losses take the enum's index


def _functional():
    from .nn import functional  # deferred: nn loads on first use
    return functional


def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """``torch.embedding``: rows of ``weight`` (num_embeddings, dim) picked by ``indices``."""
    return _functional().embedding(indices, weight, None if padding_idx < 0 else padding_idx,
                                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
               cudnn_enabled=True):
    """``torch.batch_norm``: ``nn.functional.batch_norm`` with weight and bias given first."""
    return _functional().batch_norm(input, running_mean, running_var, weight, bias, training,
                                    momentum, eps)


def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps,
                  cudnn_enabled=True):
    """``torch.instance_norm``: ``nn.functional.instance_norm`` with torch's top-level order."""
    return _functional().instance_norm(input, running_mean, running_var, weight, bias,
                                       use_input_stats, momentum, eps)


def adaptive_max_pool1d(input, output_size):
    """``torch.adaptive_max_pool1d``: ``(values, indices)``, as torch's top-level form returns."""
    return _functional().adaptive_max_pool1d(input, output_size, return_indices=True)


def grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners):
    """``torch.grid_sampler``: ``grid_sample`` with the modes given as torch's enum indices."""
    return _functional().grid_sample(input, grid, ("bilinear", "nearest", "bicubic")[
        interpolation_mode], ("zeros", "border", "reflection")[padding_mode], align_corners)


def affine_grid_generator(theta, size, align_corners):
    """``torch.affine_grid_generator``: ``nn.functional.affine_grid`` (align_corners required)."""
    return _functional().affine_grid(theta, size, align_corners)


def _int_reduction_loss(name, params):
    """The top-level form of loss ``name``: torch's positional ``params``, the last ``reduction``."""
    def loss(*args, **kwargs):
        if len(args) > len(params):
            raise TypeError(f"{name}() takes at most {len(params)} positional arguments "
                            f"({len(args)} given)")
        kwargs.update(zip(params, args))
        kwargs["reduction"] = _REDUCTIONS[kwargs.get("reduction", 1)]
        return getattr(_functional(), name)(**kwargs)
    loss.__name__ = loss.__qualname__ = name
    loss.__doc__ = (f"``torch.{name}({', '.join(params)})``: ``nn.functional.{name}`` with the "
                    f"reduction given as 0 (none), 1 (mean) or 2 (sum).")
    return loss


# torch's positional parameters of its top-level losses
_LOSS_PARAMS = {
    "binary_cross_entropy_with_logits": ("input", "target", "weight", "pos_weight", "reduction"),
    "cosine_embedding_loss": ("input1", "input2", "target", "margin", "reduction"),
    "hinge_embedding_loss": ("input", "target", "margin", "reduction"),
    "margin_ranking_loss": ("input1", "input2", "target", "margin", "reduction"),
    "kl_div": ("input", "target", "reduction"),
    "ctc_loss": ("log_probs", "targets", "input_lengths", "target_lengths", "blank", "reduction",
                 "zero_infinity"),
    "poisson_nll_loss": ("input", "target", "log_input", "full", "eps", "reduction"),
    "triplet_margin_loss": ("anchor", "positive", "negative", "margin", "p", "eps", "swap",
                            "reduction"),
}
_ADAPTERS = {"embedding": embedding, "batch_norm": batch_norm, "instance_norm": instance_norm,
             "adaptive_max_pool1d": adaptive_max_pool1d, "grid_sampler": grid_sampler,
             "affine_grid_generator": affine_grid_generator}
_ADAPTERS.update((name, _int_reduction_loss(name, p)) for name, p in _LOSS_PARAMS.items())


def resolve(name):
    """The top-level function ``name``, or None if torch has no such functional alias."""
    if name in SAME_AS_FUNCTIONAL:
        return getattr(_functional(), name)
    return _ADAPTERS.get(name)
