"""``AdaptiveLogSoftmaxWithLoss``: a softmax over many classes, cheap for the frequent ones.

The classes are split at ``cutoffs`` into a shortlist (the first ``cutoffs[0]`` classes, scored
by the head together with one entry per tail cluster) and tail clusters, each scored by a
smaller two-layer projection.  ``log p(class) = log p_head(cluster) + log p_cluster(class)``.
"""
from collections import namedtuple

from ..._ops.comparison.funcs import where
from ..._ops.shape.copies import cat
from ..._ops.activation.funcs import log_softmax
from .container import ModuleList, Sequential
from .linear import Linear
from .module import Module

__all__ = ["AdaptiveLogSoftmaxWithLoss"]

_ASMoutput = namedtuple("_ASMoutput", ["output", "loss"])


class AdaptiveLogSoftmaxWithLoss(Module):
    """Adaptive softmax: a log-softmax over many classes that is cheap for the frequent ones.

    The classes (sorted by frequency) are split at ``cutoffs``: the head scores the first
    ``cutoffs[0]`` classes plus one entry per tail cluster, and tail cluster ``i`` scores its
    classes through a projection to ``in_features // div_value ** (i + 1)`` features.
    ``log p(class) = log p_head(cluster) + log p_cluster(class)``. ``forward(input, target)``
    returns a named tuple ``(output, loss)``: each row's log-probability of its target and the mean
    negative log-likelihood.

    Args:
        in_features (int): size of each input sample.
        n_classes (int): number of classes.
        cutoffs (sequence of int): increasing cluster boundaries in ``(0, n_classes - 1]``.
        div_value (float): how fast the tail projections shrink. Default: ``4.0``.
        head_bias (bool): give the head a bias. Default: ``False``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(N, in_features)`` or ``(in_features)``.
        - Target: ``(N)`` or ``()``, class indices in ``[0, n_classes)``.
        - Output: ``output`` of the target's shape and a scalar ``loss``.

    Example:
        >>> asm = ember.nn.AdaptiveLogSoftmaxWithLoss(16, 100, cutoffs=[10, 40])
        >>> out, loss = asm(ember.randn(4, 16), ember.tensor([1, 15, 50, 99]))
        >>> out.shape, loss.shape
        (ember.Size([4]), ember.Size([]))
        >>> asm.log_prob(ember.randn(4, 16)).exp().sum(1).allclose(ember.ones(4))
        True
    """

    def __init__(self, in_features, n_classes, cutoffs, div_value=4.0, head_bias=False,
                 device=None, dtype=None):
        super().__init__()
        cutoffs = list(cutoffs)
        if not cutoffs:
            raise ValueError("cutoffs should be a sequence of length larger than 0")
        if cutoffs != sorted(cutoffs) or min(cutoffs) <= 0 or max(cutoffs) > n_classes - 1 \
                or len(set(cutoffs)) != len(cutoffs) or any(int(c) != c for c in cutoffs):
            raise ValueError("cutoffs should be a sequence of unique, positive integers sorted "
                             "in an increasing order, where each value is between 1 and "
                             "n_classes-1")
        kw = {"device": device, "dtype": dtype}
        self.in_features, self.n_classes = in_features, n_classes
        self.cutoffs, self.div_value, self.head_bias = cutoffs + [n_classes], div_value, head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(in_features, self.head_size, bias=head_bias, **kw)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hidden = int(in_features // div_value ** (i + 1))
            self.tail.append(Sequential(
                Linear(in_features, hidden, bias=False, **kw),
                Linear(hidden, self.cutoffs[i + 1] - self.cutoffs[i], bias=False, **kw)))

    def reset_parameters(self):
        """Re-initialise the head and every tail projection as freshly built ``Linear`` layers."""
        self.head.reset_parameters()
        for i2h, h2o in self.tail:
            i2h.reset_parameters()
            h2o.reset_parameters()

    def forward(self, input_, target_):
        if target_.dim() == 1:
            if input_.size(0) != target_.size(0):
                raise RuntimeError("Input and target should have the same size in the batch "
                                   "dimension.")
            if input_.dim() != 2:
                raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs "
                                   f"with size {input_.size()}")
        elif target_.dim() == 0:
            if input_.dim() != 1:
                raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs "
                                   f"with size {input_.size()}")
        else:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        batched = target_.dim() == 1
        input = input_ if batched else input_.unsqueeze(0)
        target = target_ if batched else target_.unsqueeze(0)
        if target.numel() and (bool((target < 0).any()) or
                               bool((target >= self.n_classes).any())):
            raise RuntimeError(f"Target values should be in [0, {self.n_classes - 1}], but values "
                               f"in range [{target.min().item()}, {target.max().item()}] were "
                               "found. ")
        # the head scores the shortlist classes and, for a tail target, its cluster
        head_index = target.clone()
        output = None
        for i, (low, high) in enumerate(zip(self.cutoffs, self.cutoffs[1:])):
            rows = (target >= low) & (target < high)
            if not bool(rows.any()):
                continue
            head_index = where(rows, self.shortlist_size + i, head_index)
            picked = where(rows, target - low, 0).unsqueeze(1)
            local = log_softmax(self.tail[i](input), dim=1).gather(1, picked).squeeze(1)
            local = where(rows, local, 0.0)
            output = local if output is None else output + local
        head = log_softmax(self.head(input), dim=1).gather(1, head_index.unsqueeze(1)).squeeze(1)
        output = head if output is None else head + output
        loss = (-output).mean()
        return _ASMoutput(output if batched else output.squeeze(0), loss)

    def _full_log_prob(self, input, head_output):
        head = log_softmax(head_output, dim=1)
        parts = [head[:, :self.shortlist_size]]
        for i, cluster in enumerate(self.tail):
            cluster_logprob = log_softmax(cluster(input), dim=1)
            parts.append(cluster_logprob + head[:, self.shortlist_size + i].unsqueeze(1))
        return cat(parts, dim=1)

    def log_prob(self, input):
        """Log-probabilities of every class for each row: ``(N, in_features) -> (N, n_classes)``."""
        return self._full_log_prob(input, self.head(input))

    def predict(self, input):
        """The most likely class of each row: ``(N, in_features) -> (N)``.

        Only computes the full distribution for rows whose best head entry is a tail cluster.
        """
        head_output = self.head(input)
        best = head_output.argmax(dim=1)
        if not bool((best >= self.shortlist_size).any()):
            return best
        return self._full_log_prob(input, head_output).argmax(dim=1)
