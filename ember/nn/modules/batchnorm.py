"""Batch norm: BatchNorm1d/2d/3d, SyncBatchNorm, the lazy forms, and the bases ``_NormBase``
and ``_LazyNormBase`` (shared with instance norm).

Parameters and buffers carry torch's names, so ``state_dict`` keys match
(``bn.weight``, ``bn.running_mean``, ``bn.num_batches_tracked``).  Batch norm
uses batch statistics in training (updating the running ones, with
``momentum=None`` meaning a cumulative average) and the running statistics in
eval mode.
"""
from ..._ops.creation import ones, zeros, tensor
from ... import _dtype
from ..._ops.normalization import funcs as F
from ..parameter import UninitializedBuffer, UninitializedParameter
from .lazy import LazyModuleMixin
from .module import Module, layer_error
from .normalization import _affine_params, _reset_affine
from ... import distributed as dist
from ...distributed._sync_batch_norm import sync_batch_norm

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm", "LazyBatchNorm1d",
           "LazyBatchNorm2d", "LazyBatchNorm3d"]


class _NormBase(Module):
    """Per-channel affine parameters and running statistics of batch and instance norm."""

    _version = 2
    _ranks = ()  # accepted input ranks

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, device=None, dtype=None, *, bias=True):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        _affine_params(self, (num_features,), affine, bias, device, dtype)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, device=device, dtype=dtype))
            self.register_buffer("running_var", ones(num_features, device=device, dtype=dtype))
            self.register_buffer("num_batches_tracked",
                                 tensor(0, dtype=_dtype.int64, device=device))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)
        self.reset_parameters()

    def reset_running_stats(self):
        """Reset ``running_mean`` to zeros, ``running_var`` to ones and ``num_batches_tracked`` to
        0.
        """
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self):
        """Reset the running statistics and set ``weight`` to ones and ``bias`` to zeros."""
        self.reset_running_stats()
        _reset_affine(self)

    def _check_input_dim(self, input):
        if input.dim() not in self._ranks:
            ranks = " or ".join(f"{r}D" for r in self._ranks)
            raise layer_error(self, f"expected {ranks} input (got {input.dim()}D input)",
                              ValueError)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        # checkpoints from before num_batches_tracked existed (version < 2) load with a 0 count
        version = local_metadata.get("version")
        key = prefix + "num_batches_tracked"
        if (version is None or version < 2) and self.track_running_stats \
                and key not in state_dict:
            state_dict[key] = tensor(0, dtype=_dtype.int64)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)


class _BatchNorm(_NormBase):
    def forward(self, input):
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:
                factor = 1.0 / float(self.num_batches_tracked)
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        keep_running = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if keep_running else None,
                            self.running_var if keep_running else None, self.weight, self.bias,
                            use_batch, factor, self.eps)


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of 2-D or 3-D input:
    ``y = (x - mean) / sqrt(var + eps) * weight + bias``.

    Mean and (biased) variance are taken per channel (dimension 1) over the batch (and length)
    dimensions. In training mode the batch's statistics are used and folded into ``running_mean``
    and ``running_var`` (which store the unbiased variance); in eval mode the running statistics are
    used instead.

    Args:
        num_features (int): ``C``, the number of channels.
        eps (float): added to the variance for stability. Default: ``1e-5``.
        momentum (float or None): weight of the new batch in the running averages,
          ``running = (1 - momentum) * running + momentum * batch``; ``None`` keeps a cumulative
          (equal-weight) average. Default: ``0.1``.
        affine (bool): learn ``weight`` (ones) and ``bias`` (zeros). Default: ``True``.
        track_running_stats (bool): keep ``running_mean``/``running_var`` buffers and use them in
          eval mode; without them batch statistics are used in both modes. Default: ``True``.
        device (ember.device, optional): where the parameters and buffers live.
        dtype (ember.dtype, optional): their dtype.
        bias (bool, keyword-only): with ``affine``, also learn the shift. Default: ``True``.

    Shape:
        - Input: ``(N, C)`` or ``(N, C, L)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.BatchNorm1d(2, affine=False)
        >>> m(ember.tensor([[1., 0.], [3., 4.]]))
        tensor([[-1.0000, -1.0000],
                [ 1.0000,  1.0000]])
        >>> m.running_mean
        tensor([0.2000, 0.2000])
    """
    _ranks = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of 4-D input: ``y = (x - mean) / sqrt(var + eps) * weight + bias``.

    Mean and (biased) variance are taken per channel (dimension 1) over the batch, height and width
    dimensions. In training mode the batch's statistics are used and folded into ``running_mean``
    and ``running_var`` (which store the unbiased variance); in eval mode the running statistics are
    used instead.

    Args:
        num_features (int): ``C``, the number of channels.
        eps (float): added to the variance for stability. Default: ``1e-5``.
        momentum (float or None): weight of the new batch in the running averages,
          ``running = (1 - momentum) * running + momentum * batch``; ``None`` keeps a cumulative
          (equal-weight) average. Default: ``0.1``.
        affine (bool): learn ``weight`` (ones) and ``bias`` (zeros). Default: ``True``.
        track_running_stats (bool): keep ``running_mean``/``running_var`` buffers and use them in
          eval mode; without them batch statistics are used in both modes. Default: ``True``.
        device (ember.device, optional): where the parameters and buffers live.
        dtype (ember.dtype, optional): their dtype.
        bias (bool, keyword-only): with ``affine``, also learn the shift. Default: ``True``.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.BatchNorm2d(1, affine=False)
        >>> m(ember.tensor([1., 3.]).reshape(2, 1, 1, 1)).flatten()
        tensor([-1.0000,  1.0000])
        >>> m.running_mean
        tensor([0.2000])
    """
    _ranks = (4,)


class BatchNorm3d(_BatchNorm):
    """Batch normalisation of 5-D input: ``y = (x - mean) / sqrt(var + eps) * weight + bias``.

    Mean and (biased) variance are taken per channel (dimension 1) over the batch and the three
    spatial dimensions. In training mode the batch's statistics are used and folded into
    ``running_mean`` and ``running_var`` (which store the unbiased variance); in eval mode the
    running statistics are used instead.

    Args:
        num_features (int): ``C``, the number of channels.
        eps (float): added to the variance for stability. Default: ``1e-5``.
        momentum (float or None): weight of the new batch in the running averages,
          ``running = (1 - momentum) * running + momentum * batch``; ``None`` keeps a cumulative
          (equal-weight) average. Default: ``0.1``.
        affine (bool): learn ``weight`` (ones) and ``bias`` (zeros). Default: ``True``.
        track_running_stats (bool): keep ``running_mean``/``running_var`` buffers and use them in
          eval mode; without them batch statistics are used in both modes. Default: ``True``.
        device (ember.device, optional): where the parameters and buffers live.
        dtype (ember.dtype, optional): their dtype.
        bias (bool, keyword-only): with ``affine``, also learn the shift. Default: ``True``.

    Shape:
        - Input: ``(N, C, D, H, W)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.BatchNorm3d(1, affine=False)
        >>> m(ember.tensor([1., 3.]).reshape(2, 1, 1, 1, 1)).flatten()
        tensor([-1.0000,  1.0000])
        >>> m.running_mean
        tensor([0.2000])
    """
    _ranks = (5,)


class SyncBatchNorm(_BatchNorm):
    """Batch normalisation whose statistics span every process of a distributed group.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias`` per channel, as ``BatchNorm*d``.  In
    training, with ``ember.distributed`` initialised over more than one process, the mean and
    variance are those of the batches of all processes of ``process_group`` together, and backward
    shares the gradient sums the same way; otherwise it is plain batch norm for any input of at
    least two dimensions.  ``SyncBatchNorm.convert_sync_batchnorm(model)`` swaps the batch-norm
    layers of a model for this one.

    Args:
        num_features (int): ``C``, the number of channels.
        eps (float): added to the variance for stability. Default: ``1e-5``.
        momentum (float or None): weight of the new batch in the running averages; ``None`` keeps
          a cumulative average. Default: ``0.1``.
        affine (bool): learn ``weight`` and ``bias``. Default: ``True``.
        track_running_stats (bool): keep running statistics for eval mode. Default: ``True``.
        process_group (optional): the group whose batches are pooled. Default: the whole world.
        device (ember.device, optional): where the parameters and buffers live.
        dtype (ember.dtype, optional): their dtype.
        bias (bool, keyword-only): with ``affine``, also learn the shift. Default: ``True``.

    Shape:
        - Input: ``(N, C, *)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.SyncBatchNorm(2, affine=False)
        >>> m(ember.tensor([[1., 0.], [3., 4.]]))
        tensor([[-1.0000, -1.0000],
                [ 1.0000,  1.0000]])
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, process_group=None, device=None, dtype=None, *,
                 bias=True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype,
                         bias=bias)
        self.process_group = process_group

    def _check_input_dim(self, input):
        if input.dim() < 2:
            raise layer_error(self, f"expected at least 2D input (got {input.dim()}D input)",
                              ValueError)
        if input.shape[1] == 0:
            raise layer_error(self, "SyncBatchNorm number of input channels should be non-zero",
                              ValueError)

    def forward(self, input):
        if not (self.training and dist.is_initialized()
                and dist.get_world_size(self.process_group) > 1):
            return super().forward(input)
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        running = self.track_running_stats and self.running_mean is not None
        if running:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:
                factor = 1.0 / float(self.num_batches_tracked)
        return sync_batch_norm(input, self.weight, self.bias,
                               self.running_mean if running else None,
                               self.running_var if running else None, self.eps, factor,
                               dist._group.default_group(self.process_group))

    @classmethod
    def convert_sync_batchnorm(cls, module, process_group=None):
        """Return ``module`` with every batch-norm layer in it replaced by a ``SyncBatchNorm``.

        The new layers reuse the old ones' parameters, buffers and training flag.  A batch-norm
        ``module`` itself is returned as a new layer; any other module is changed in place and
        returned.

        Example:
            >>> net = ember.nn.Sequential(ember.nn.Linear(2, 2), ember.nn.BatchNorm1d(2))
            >>> net = ember.nn.SyncBatchNorm.convert_sync_batchnorm(net)
            >>> type(net[1]).__name__
            'SyncBatchNorm'
        """
        out = module
        if isinstance(module, _BatchNorm):
            out = SyncBatchNorm(module.num_features, module.eps, module.momentum, module.affine,
                                module.track_running_stats, process_group,
                                bias=module.bias is not None)
            if module.affine:
                out.weight, out.bias = module.weight, module.bias
            out.running_mean, out.running_var = module.running_mean, module.running_var
            out.num_batches_tracked = module.num_batches_tracked
            out.training = module.training
            if hasattr(module, "qconfig"):
                out.qconfig = module.qconfig
        for name, child in module.named_children():
            out.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return out


class _LazyNormBase(LazyModuleMixin, _NormBase):
    """Batch/instance norm with ``num_features`` read from the first input's dim 1."""

    def __init__(self, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 device=None, dtype=None, *, bias=True):
        super().__init__(0, eps, momentum, False, False, device, dtype, bias=False)
        self.affine, self.track_running_stats = affine, track_running_stats
        kw = {"device": device, "dtype": dtype}
        if affine:
            self.weight = UninitializedParameter(**kw)
            if bias:
                self.bias = UninitializedParameter(**kw)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(**kw)
            self.running_var = UninitializedBuffer(**kw)
            self.num_batches_tracked = tensor(0, dtype=_dtype.int64, device=device)

    def reset_parameters(self):
        """Reset statistics and affine parameters once materialised (a no-op before)."""
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
        """Set ``num_features`` from dim 1 of ``input``; materialise the parameters and buffers."""
        if not self.has_uninitialized_params():
            return
        self.num_features = input.shape[1]
        for t in (self.weight, self.bias, self.running_mean, self.running_var):
            if t is not None:
                t.materialize((self.num_features,))
        self.reset_parameters()


class LazyBatchNorm1d(_LazyNormBase, _BatchNorm):
    """A ``BatchNorm1d`` whose ``num_features`` is read from dimension 1 of the first input.

    Takes ``BatchNorm1d``'s arguments without ``num_features``; the first call materialises the
    parameters and buffers and turns the layer into a ``BatchNorm1d``.

    Args:
        eps, momentum, affine, track_running_stats, device, dtype, bias: as in ``BatchNorm1d``.

    Shape:
        - Input: ``(N, C)`` or ``(N, C, L)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.LazyBatchNorm1d()
        >>> m(ember.zeros(2, 3, 4)).shape
        ember.Size([2, 3, 4])
        >>> m.num_features
        3
    """
    cls_to_become, _ranks = BatchNorm1d, BatchNorm1d._ranks


class LazyBatchNorm2d(_LazyNormBase, _BatchNorm):
    """A ``BatchNorm2d`` whose ``num_features`` is read from dimension 1 of the first input.

    Takes ``BatchNorm2d``'s arguments without ``num_features``; the first call materialises the
    parameters and buffers and turns the layer into a ``BatchNorm2d``.

    Args:
        eps, momentum, affine, track_running_stats, device, dtype, bias: as in ``BatchNorm2d``.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.LazyBatchNorm2d()
        >>> m(ember.zeros(2, 3, 4, 4)).shape
        ember.Size([2, 3, 4, 4])
        >>> m.num_features
        3
    """
    cls_to_become, _ranks = BatchNorm2d, BatchNorm2d._ranks


class LazyBatchNorm3d(_LazyNormBase, _BatchNorm):
    """A ``BatchNorm3d`` whose ``num_features`` is read from dimension 1 of the first input.

    Takes ``BatchNorm3d``'s arguments without ``num_features``; the first call materialises the
    parameters and buffers and turns the layer into a ``BatchNorm3d``.

    Args:
        eps, momentum, affine, track_running_stats, device, dtype, bias: as in ``BatchNorm3d``.

    Shape:
        - Input: ``(N, C, D, H, W)``.
        - Output: the same shape.

    Example:
        >>> m = ember.nn.LazyBatchNorm3d()
        >>> m(ember.zeros(2, 3, 4, 4, 4)).shape
        ember.Size([2, 3, 4, 4, 4])
        >>> m.num_features
        3
    """
    cls_to_become, _ranks = BatchNorm3d, BatchNorm3d._ranks
