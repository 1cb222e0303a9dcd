"""Weight averaging: stochastic weight averaging (SWA) and exponential moving averages (EMA).

``AveragedModel`` keeps a copy of a model whose parameters (and optionally
buffers) are a running average of the trained model's; ``SWALR`` anneals each
group's lr to a fixed SWA lr; ``update_bn`` recomputes BatchNorm statistics for
the averaged weights with one pass over the data. The ``get_*_avg_fn``
factories give the averaging rules, per tensor or per list of tensors.
"""
import itertools
import math
from copy import deepcopy

from .._ops.creation import tensor
from .._dtype import long
from ..autograd import grad_mode
from ..nn import Module
from ..nn.modules.batchnorm import _BatchNorm
from .lr_scheduler import LRScheduler, _per_group

__all__ = ["AveragedModel", "update_bn", "SWALR", "get_ema_multi_avg_fn", "get_swa_multi_avg_fn",
           "get_ema_avg_fn", "get_swa_avg_fn"]


def _check_decay(decay):
    if decay < 0.0 or decay > 1.0:
        raise ValueError(f"Invalid decay value {decay} provided. Please provide a value in [0,1] "
                         "range.")


def get_ema_multi_avg_fn(decay=0.999):
    """An in-place EMA rule for lists: ``ema = decay * ema + (1 - decay) * current``.

    The returned ``fn(ema_params, current_params, num_averaged)`` updates the
    tensors of ``ema_params`` in place (floats by ``lerp_``, other dtypes by
    rounding the weighted sum back). Pass it as ``AveragedModel(multi_avg_fn=...)``.

    Args:
        decay (float): the weight of the old average, in ``[0, 1]``. Default: ``0.999``.

    Example::

        >>> model = ember.nn.Linear(1, 1, bias=False)
        >>> ema = ember.optim.swa_utils.AveragedModel(
        ...     model, multi_avg_fn=ember.optim.swa_utils.get_ema_multi_avg_fn(0.5))
        >>> with ember.no_grad(): _ = model.weight.fill_(0.0)
        >>> ema.update_parameters(model); ema.update_parameters(model)
        >>> with ember.no_grad(): _ = model.weight.fill_(2.0)
        >>> ema.update_parameters(model); ema.module.weight.item()
        1.0
    """
    _check_decay(decay)

    def ema_update(ema_param_list, current_param_list, _):
        with grad_mode.no_grad():
            if ema_param_list[0].is_floating_point() or ema_param_list[0].is_complex():
                for p_ema, p_model in zip(ema_param_list, current_param_list):
                    p_ema.lerp_(p_model, 1 - decay)
            else:
                for p_ema, p_model in zip(ema_param_list, current_param_list):
                    p_ema.copy_(p_ema * decay + p_model * (1 - decay))
    return ema_update


def get_swa_multi_avg_fn():
    """An in-place running-mean rule for lists: ``avg += (current - avg) / (n + 1)``.

    Example::

        >>> model = ember.nn.Linear(1, 1, bias=False)
        >>> swa = ember.optim.swa_utils.AveragedModel(
        ...     model, multi_avg_fn=ember.optim.swa_utils.get_swa_multi_avg_fn())
        >>> for value in (1.0, 2.0, 6.0):
        ...     with ember.no_grad(): _ = model.weight.fill_(value)
        ...     swa.update_parameters(model)
        >>> swa.module.weight.item()
        3.0
    """
    def swa_update(averaged_param_list, current_param_list, num_averaged):
        with grad_mode.no_grad():
            if averaged_param_list[0].is_floating_point() or averaged_param_list[0].is_complex():
                weight = 1 / (float(num_averaged) + 1)
                for p_avg, p_model in zip(averaged_param_list, current_param_list):
                    p_avg.lerp_(p_model, weight)
            else:
                for p_avg, p_model in zip(averaged_param_list, current_param_list):
                    p_avg.copy_(p_avg + (p_model - p_avg) / (num_averaged + 1))
    return swa_update


def get_ema_avg_fn(decay=0.999):
    """A per-tensor EMA rule returning ``decay * ema + (1 - decay) * current``.

    Args:
        decay (float): the weight of the old average, in ``[0, 1]``. Default: ``0.999``.

    Example::

        >>> fn = ember.optim.swa_utils.get_ema_avg_fn(0.9)
        >>> fn(ember.tensor([1.0]), ember.tensor([11.0]), 1)
        tensor([2.])
    """
    _check_decay(decay)

    def ema_update(ema_param, current_param, num_averaged):
        with grad_mode.no_grad():
            return decay * ema_param + (1 - decay) * current_param
    return ema_update


def get_swa_avg_fn():
    """A per-tensor running-mean rule returning ``avg + (current - avg) / (n + 1)``.

    Example::

        >>> fn = ember.optim.swa_utils.get_swa_avg_fn()
        >>> fn(ember.tensor([1.0]), ember.tensor([3.0]), 1)
        tensor([2.])
    """
    def swa_update(averaged_param, current_param, num_averaged):
        with grad_mode.no_grad():
            return averaged_param + (current_param - averaged_param) / (num_averaged + 1)
    return swa_update


def _by_device_and_dtype(averaged, current):
    """Pairs of lists grouped by (device, dtype) of the averaged tensor, first seen first."""
    groups = {}
    for a, c in zip(averaged, current):
        pair = groups.setdefault((str(a.device), a.dtype), ([], []))
        pair[0].append(a)
        pair[1].append(c)
    return groups


class AveragedModel(Module):
    """A deep copy of ``model`` whose weights are a running average of ``model``'s.

    Call ``update_parameters(model)`` after optimizer steps: the first call
    copies the weights, later ones average them in with ``avg_fn`` (per
    tensor: returns the new average) or ``multi_avg_fn`` (per list of
    tensors of one device and dtype: updates in place); by default an equal
    running mean (SWA). ``n_averaged`` (a long buffer) counts the updates.
    With ``use_buffers=True`` the buffers are averaged too (and the pair of
    lists includes them); otherwise they are copied from ``model``. Calling
    the averaged model runs the copy.

    Args:
        model (Module): the model to average.
        device: where to keep the copy (default: where it is).
        avg_fn (callable): ``avg_fn(averaged, current, num_averaged) -> Tensor``.
        multi_avg_fn (callable): ``fn(averaged_list, current_list, num_averaged)``, in place.
        use_buffers (bool): average the buffers as well (default False).

    Example::

        >>> model = ember.nn.Linear(3, 1)
        >>> swa = ember.optim.swa_utils.AveragedModel(model)
        >>> swa.update_parameters(model)  # after each epoch of the SWA phase
        >>> int(swa.n_averaged)
        1
    """

    def __init__(self, model, device=None, avg_fn=None, multi_avg_fn=None, use_buffers=False):
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        self.module = deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        self.register_buffer("n_averaged", tensor(0, dtype=long, device=device))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args, **kwargs):
        """Run the averaged copy of the model."""
        return self.module(*args, **kwargs)

    def update_parameters(self, model):
        """Average ``model``'s current weights into this copy (the first call copies them)."""
        with grad_mode.no_grad():
            self._update(model)

    def _update(self, model):
        if self.use_buffers:
            own = itertools.chain(self.module.parameters(), self.module.buffers())
            theirs = itertools.chain(model.parameters(), model.buffers())
        else:
            own, theirs = self.parameters(), model.parameters()
        averaged, current = [], []
        first = bool(self.n_averaged == 0)
        for p_avg, p_model in zip(own, theirs):
            p_model = p_model.detach().to(p_avg.device)
            averaged.append(p_avg.detach())
            current.append(p_model)
            if first:
                p_avg.detach().copy_(p_model)
        if not first:
            if self.avg_fn is not None:
                for p_avg, p_model in zip(averaged, current):
                    p_avg.copy_(self.avg_fn(p_avg, p_model, self.n_averaged.to(p_avg.device)))
            else:
                # torch's CPU path: the per-tensor running mean unless a list rule is given
                fn = self.multi_avg_fn
                for (device, _), (avgs, curs) in _by_device_and_dtype(averaged, current).items():
                    n = self.n_averaged.to(device)
                    if fn is not None:
                        fn(avgs, curs, n)
                    else:
                        mean = get_swa_avg_fn()
                        for p_avg, p_model in zip(avgs, curs):
                            p_avg.copy_(mean(p_avg, p_model, n))
        if not self.use_buffers:
            for b_avg, b_model in zip(self.module.buffers(), model.buffers()):
                b_avg.detach().copy_(b_model.detach().to(b_avg.device))
        self.n_averaged += 1


def update_bn(loader, model, device=None):
    """Recompute every BatchNorm's running statistics with one pass over ``loader``.

    The statistics are reset and accumulated as a plain mean over the batches
    (momentum None for the pass); each batch is the loader's item, or its
    first element when it is a list or tuple. The model's training flag and
    the modules' momenta are restored afterwards. Does nothing for a model
    without BatchNorm.

    Args:
        loader (iterable): batches of model inputs (or tuples whose first item is).
        model (Module): the model whose BatchNorm statistics are recomputed.
        device (str or device, optional): where each batch is moved first.

    Example::

        >>> model = ember.nn.Sequential(ember.nn.Linear(2, 2), ember.nn.BatchNorm1d(2))
        >>> loader = [ember.tensor([[1.0, 2.0], [3.0, 4.0]])]
        >>> with ember.no_grad(): _ = model[0].weight.copy_(ember.eye(2)); _ = model[0].bias.zero_()
        >>> ember.optim.swa_utils.update_bn(loader, model)
        >>> model[1].running_mean
        tensor([2., 3.])
    """
    momenta = {}
    for module in model.modules():
        if isinstance(module, _BatchNorm):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    with grad_mode.no_grad():
        for batch in loader:
            if isinstance(batch, (list, tuple)):
                batch = batch[0]
            if device is not None:
                batch = batch.to(device)
            model(batch)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


class SWALR(LRScheduler):
    """Anneal each group's lr to ``swa_lr`` over ``anneal_epochs`` steps, then hold it.

    ``anneal_strategy`` is ``'cos'`` (default) or ``'linear'``. Each step
    moves the lr a fraction ``alpha(t)`` of the way from where an unannealed
    lr would be to ``swa_lr``, so it composes with lr changes made elsewhere.

    Args:
        optimizer: the optimizer whose groups are scheduled.
        swa_lr (float or list): the target lr, one per group or shared.
        anneal_epochs (int): steps to reach it (>= 0, default 10).
        anneal_strategy (str): ``'cos'`` or ``'linear'``.
        last_epoch (int): -1 to start.

    Example::

        >>> opt = ember.optim.SGD([ember.zeros(1, requires_grad=True)], lr=0.5)
        >>> sched = ember.optim.swa_utils.SWALR(opt, swa_lr=0.05, anneal_epochs=2,
        ...                                     anneal_strategy="linear")
        >>> for _ in range(3):
        ...     opt.step(); sched.step()
        >>> sched.get_last_lr()
        [0.05]
    """

    def __init__(self, optimizer, swa_lr, anneal_epochs=10, anneal_strategy="cos",
                 last_epoch=-1):
        for lr, group in zip(_per_group(swa_lr, optimizer, "swa_lr"), optimizer.param_groups):
            group["swa_lr"] = lr
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError("anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{anneal_strategy}")
        self._set_anneal_func(anneal_strategy)
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got {anneal_epochs}")
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _linear_anneal(t):
        return t

    @staticmethod
    def _cosine_anneal(t):
        return (1 - math.cos(math.pi * t)) / 2

    @staticmethod
    def _get_initial_lr(lr, swa_lr, alpha):
        """The lr that annealing by ``alpha`` towards ``swa_lr`` would have turned into ``lr``."""
        if alpha == 1:
            return swa_lr
        return (lr - alpha * swa_lr) / (1 - alpha)

    def _set_anneal_func(self, anneal_strategy):
        self._anneal_strategy = anneal_strategy
        self.anneal_func = self._cosine_anneal if anneal_strategy == "cos" else self._linear_anneal

    def get_lr(self):
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        prev_alpha = self.anneal_func(max(0, min(1, (step - 1) / max(1, self.anneal_epochs))))
        prev_lrs = [self._get_initial_lr(g["lr"], g["swa_lr"], prev_alpha)
                    for g in self.optimizer.param_groups]
        alpha = self.anneal_func(max(0, min(1, step / max(1, self.anneal_epochs))))
        return [g["swa_lr"] * alpha + lr * (1 - alpha)
                for g, lr in zip(self.optimizer.param_groups, prev_lrs)]

    def state_dict(self):
        return {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "anneal_func")}

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)
        self._set_anneal_func(self._anneal_strategy)
