"""The per-batch cyclic policies: OneCycleLR and CyclicLR (re-exported by ``lr_scheduler``)."""
import functools
import math
import types

from ._lr_base import LRScheduler, _per_group
from .optimizer import Optimizer

__all__ = ["OneCycleLR", "CyclicLR"]


class OneCycleLR(LRScheduler):
    """The 1cycle policy, stepped per batch: warm up to ``max_lr``, then anneal far below.

    The lr starts at ``max_lr / div_factor``, rises over ``pct_start`` of
    ``total_steps`` (or ``epochs * steps_per_epoch``) and falls to
    ``initial_lr / final_div_factor`` (``three_phase``: back to the start
    first, then down); ``anneal_strategy`` is ``'cos'`` or ``'linear'``.
    With ``cycle_momentum`` the momentum (or ``betas[0]``) moves the other
    way between ``base_momentum`` and ``max_momentum``. Stepping past
    ``total_steps`` raises ValueError.

    Args:
        optimizer (Optimizer): the wrapped optimizer.
        max_lr (float or list of float): the peak lr, for all groups or per group.
        total_steps (int, optional): steps of the cycle; else ``epochs * steps_per_epoch``.
        epochs, steps_per_epoch (int, optional): the other way to give the length.
        pct_start (float): the share of the cycle spent rising. Default: ``0.3``.
        anneal_strategy (str): ``'cos'`` or ``'linear'``. Default: ``'cos'``.
        cycle_momentum (bool): move the momentum against the lr. Default: ``True``.
        base_momentum, max_momentum (float): its range. Default: ``0.85``, ``0.95``.
        div_factor (float): ``initial_lr = max_lr / div_factor``. Default: ``25``.
        final_div_factor (float): ``min_lr = initial_lr / final_div_factor``. Default: ``1e4``.
        three_phase (bool): come back down to ``initial_lr`` before the final fall.
            Default: ``False``.
        last_epoch (int): the last step done; -1 starts afresh. Default: ``-1``.

    Example::

        >>> opt = ember.optim.SGD([ember.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
        >>> sched = ember.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=6)
        >>> lrs = []
        >>> for epoch in range(5):
        ...     opt.step()  # one epoch of training
        ...     sched.step(); lrs.append(round(sched.get_last_lr()[0], 4))
        >>> lrs
        [0.9944, 0.8117, 0.4626, 0.1335, 0.0]
    """

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False,
                 last_epoch=-1):
        if total_steps is None:
            if epochs is None or steps_per_epoch is None:
                raise ValueError("You must define either total_steps OR (epochs AND "
                                 "steps_per_epoch)")
            total_steps = epochs * steps_per_epoch
        if total_steps <= 0:
            raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
        if not 0 <= pct_start <= 1:
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError("anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{anneal_strategy}")
        self.optimizer = optimizer
        self.total_steps = total_steps
        self._anneal_func_type = anneal_strategy
        ends = ([float(pct_start * total_steps) - 1, float(2 * pct_start * total_steps) - 2,
                 total_steps - 1] if three_phase else
                [float(pct_start * total_steps) - 1, total_steps - 1])
        # (start lr, end lr, start momentum, end momentum): names of per-group entries
        keys = ([("initial_lr", "max_lr", "max_momentum", "base_momentum"),
                 ("max_lr", "initial_lr", "base_momentum", "max_momentum"),
                 ("initial_lr", "min_lr", "max_momentum", "max_momentum")] if three_phase else
                [("initial_lr", "max_lr", "max_momentum", "base_momentum"),
                 ("max_lr", "min_lr", "base_momentum", "max_momentum")])
        self._schedule_phases = [
            dict(end_step=end, start_lr=a, end_lr=b, start_momentum=c, end_momentum=d)
            for end, (a, b, c, d) in zip(ends, keys)]
        max_lrs = _per_group(max_lr, optimizer, "max_lr")
        if last_epoch == -1:
            for lr, group in zip(max_lrs, optimizer.param_groups):
                group["initial_lr"] = lr / div_factor
                group["max_lr"] = lr
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            defaults = optimizer.defaults
            if "momentum" not in defaults and "betas" not in defaults:
                raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` "
                                 "option enabled")
            self.use_beta1 = "betas" in defaults
            for bm, mm, group in zip(_per_group(base_momentum, optimizer, "base_momentum"),
                                     _per_group(max_momentum, optimizer, "max_momentum"),
                                     optimizer.param_groups):
                if last_epoch == -1:
                    _set_momentum(group, mm, self.use_beta1)
                    group["max_momentum"], group["base_momentum"] = mm, bm
        super().__init__(optimizer, last_epoch)

    def _anneal(self, start, end, pct):
        """The value ``pct`` of the way from ``start`` to ``end`` (cosine or linear)."""
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self):
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"Tried to step {step} times. The specified number of total steps "
                             f"is {self.total_steps}")
        lrs = []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end_step = phase["end_step"]
                if step <= end_step or i == len(self._schedule_phases) - 1:
                    pct = (step - start_step) / (end_step - start_step)
                    lr = self._anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct)
                    if self.cycle_momentum:
                        momentum = self._anneal(group[phase["start_momentum"]],
                                                group[phase["end_momentum"]], pct)
                    break
                start_step = end_step
            lrs.append(lr)
            if self.cycle_momentum:
                _set_momentum(group, momentum, self.use_beta1)
        return lrs


def _set_momentum(group, momentum, use_beta1):
    """Write ``momentum`` where the optimizer keeps it: ``betas[0]`` or ``momentum``."""
    if use_beta1:
        group["betas"] = (momentum, *group["betas"][1:])
    else:
        group["momentum"] = momentum


def _constant_height(cycle):
    return 1.0


def _halving_height(cycle):
    return 1 / (2.0 ** (cycle - 1))


def _exponential_height(gamma, iteration):
    return gamma ** iteration


class CyclicLR(LRScheduler):
    """Cycle the lr between ``base_lr`` and ``max_lr`` (and momentum the opposite way), per batch.

    Each cycle rises for ``step_size_up`` steps and falls for
    ``step_size_down`` (default: the same). ``mode`` scales the height of the
    cycles: ``'triangular'`` keeps it, ``'triangular2'`` halves it every
    cycle, ``'exp_range'`` multiplies it by ``gamma ** step``; or pass
    ``scale_fn(x)`` with ``scale_mode`` ``'cycle'`` (x = cycle number) or
    ``'iterations'`` (x = step). With ``cycle_momentum`` the optimizer's
    ``momentum`` (or ``betas[0]``) moves from ``max_momentum`` down to
    ``base_momentum`` while the lr rises. Call ``step()`` after every batch.

    Args:
        optimizer: the optimizer whose param groups are scheduled.
        base_lr, max_lr (float or list): bounds, one per group or shared.
        step_size_up (int), step_size_down (int or None): half-cycle lengths.
        mode (str), gamma (float), scale_fn (callable), scale_mode (str): see above.
        cycle_momentum (bool), base_momentum, max_momentum (float or list): see above.
        last_epoch (int): index of the last batch when resuming (-1 to start).

    Example::

        >>> opt = ember.optim.SGD([ember.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
        >>> sched = ember.optim.lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1,
        ...                                           step_size_up=2)
        >>> lrs = []
        >>> for batch in range(5):
        ...     opt.step()
        ...     sched.step()
        ...     lrs.append(round(sched.get_last_lr()[0], 3))
        >>> lrs
        [0.055, 0.1, 0.055, 0.01, 0.055]
    """

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
                 mode="triangular", gamma=1.0, scale_fn=None, scale_mode="cycle",
                 cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        base_lrs = _per_group(base_lr, optimizer, "base_lr")
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        self.max_lrs = _per_group(max_lr, optimizer, "max_lr")
        step_size_up = float(step_size_up)
        step_size_down = float(step_size_down) if step_size_down is not None else step_size_up
        self.total_size = step_size_up + step_size_down
        self.step_ratio = step_size_up / self.total_size
        if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        self.mode, self.gamma = mode, gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode
        self._init_scale_fn()
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError("optimizer must support momentum or beta1 with "
                                 "`cycle_momentum` option enabled")
            self.use_beta1 = "betas" in optimizer.defaults
            self.base_momentums = _per_group(base_momentum, optimizer, "base_momentum")
            self.max_momentums = _per_group(max_momentum, optimizer, "max_momentum")
            if last_epoch == -1:
                for mm, bm, group in zip(self.max_momentums, self.base_momentums,
                                         optimizer.param_groups):
                    _set_momentum(group, mm, self.use_beta1)
                    group["max_momentum"], group["base_momentum"] = mm, bm
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def _init_scale_fn(self):
        """Pick the built-in scale function of ``mode`` (and its scale mode) unless custom."""
        if self._scale_fn_custom is not None:
            return
        self._scale_fn_ref, self.scale_mode = {
            "triangular": (_constant_height, "cycle"),
            "triangular2": (_halving_height, "cycle"),
            "exp_range": (functools.partial(_exponential_height, self.gamma), "iterations"),
        }[self.mode]

    def scale_fn(self, x):
        """The height multiplier at ``x`` (cycle number or step, per ``scale_mode``)."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        return self._scale_fn_ref(x)

    def get_lr(self):
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            scale_factor = x / self.step_ratio
        else:
            scale_factor = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [base + (top - base) * scale_factor * scale
               for base, top in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for group, bm, mm in zip(self.optimizer.param_groups, self.base_momentums,
                                     self.max_momentums):
                _set_momentum(group, mm - (mm - bm) * scale_factor * scale, self.use_beta1)
        return lrs

    def state_dict(self):
        state = super().state_dict()
        state.pop("_scale_fn_ref", None)
        fn = state.pop("_scale_fn_custom")
        state["_scale_fn_custom"] = None
        if fn is not None and not isinstance(fn, types.FunctionType):
            state["_scale_fn_custom"] = fn.__dict__.copy()
        return state

    def load_state_dict(self, state_dict):
        fn = state_dict.pop("_scale_fn_custom")
        self.__dict__.update(state_dict)
        state_dict["_scale_fn_custom"] = fn
        if fn is not None:
            self._scale_fn_custom.__dict__.update(fn)
        self._init_scale_fn()
