"""The scheduler base class and the helpers the scheduler families share.

``ember.optim.lr_scheduler`` re-exports ``LRScheduler``; the schedulers live
there and in ``_lr_cyclic`` (the per-batch cyclic policies).
"""
import warnings
from .optimizer import Optimizer

__all__ = ["LRScheduler", "_LRScheduler"]


class LRScheduler:
    """Base of the schedulers: keeps ``base_lrs`` and ``last_epoch``; ``step()`` advances.

    On construction (``last_epoch=-1``) each param group's ``lr`` is saved as
    its ``initial_lr`` (the ``base_lrs``) and a first step sets the epoch-0
    lrs. A subclass defines ``get_lr()`` (the lrs for ``last_epoch`` from the
    current ones) and may define ``_get_closed_form_lr()`` for the deprecated
    ``step(epoch)``. ``get_last_lr()`` returns the lrs last written;
    ``state_dict()`` holds everything but the optimizer. Resuming with
    ``last_epoch >= 0`` needs ``initial_lr`` in every group.

    Args:
        optimizer (Optimizer): the optimizer whose groups' ``lr`` is set.
        last_epoch (int): the last epoch done; -1 starts afresh. Default: ``-1``.

    Example::

        >>> class Halving(ember.optim.lr_scheduler.LRScheduler):
        ...     def get_lr(self):
        ...         return [b * 0.5 ** self.last_epoch for b in self.base_lrs]
        >>> opt = ember.optim.SGD([ember.zeros(1, requires_grad=True)], lr=0.1)
        >>> sched = Halving(opt)
        >>> opt.step(); sched.step(); sched.get_last_lr()
        [0.05]
    """

    def __init__(self, optimizer, last_epoch=-1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"param 'initial_lr' is not specified in param_groups[{i}] when "
                                   "resuming an optimizer")
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self):
        self._step_count = 0
        self.step()

    def get_lr(self):  # pragma: no cover - every scheduler defines it
        raise NotImplementedError

    def get_last_lr(self):
        return self._last_lr

    def _current_lrs(self):
        return [group["lr"] for group in self.optimizer.param_groups]

    def step(self, epoch=None):
        """Advance one epoch (or batch) and write the new lrs into the optimizer's groups."""
        if self._step_count == 1 and not getattr(self.optimizer, "_opt_called", False):
            warnings.warn("Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
                          "In PyTorch 1.1.0 and later, you should call them in the opposite "
                          "order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to "
                          "do this will result in PyTorch skipping the first value of the "
                          "learning rate schedule. See more details at "
                          "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate",
                          UserWarning, stacklevel=2)
        self._step_count += 1
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            warnings.warn("The epoch parameter in `scheduler.step()` was not necessary and is being "
                          "deprecated where possible.", UserWarning, stacklevel=2)
            self.last_epoch = epoch
            values = (self._get_closed_form_lr() if hasattr(self, "_get_closed_form_lr")
                      else self.get_lr())
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self):
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)


_LRScheduler = LRScheduler


_LENGTH_MISMATCH = ("{name} must have the same length as optimizer.param_groups. {name} has "
                    "{got} values, param_groups has {want}.")


def _per_group(value, optimizer, name, mismatch=_LENGTH_MISMATCH):
    """``value`` for each param group: a list or tuple as given (its length checked, with
    torch's message for the scheduler at hand), anything else repeated."""
    if isinstance(value, (list, tuple)):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(mismatch.format(name=name, got=len(value),
                                             want=len(optimizer.param_groups)))
        return list(value)
    return [value] * len(optimizer.param_groups)
