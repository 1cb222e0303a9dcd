"""L-BFGS: a quasi-Newton method that re-evaluates the loss through a closure.

The algorithm works on one flat vector holding every parameter. All the
arithmetic runs on raw arrays; the scalars that torch keeps as 0-d tensors
(curvature products, step lengths) stay NumPy scalars of the parameters'
dtype here, so the rounding matches torch's step by step. Between steps the
state holds ember Tensors in torch's layout (``d``, ``t``, ``old_dirs``,
``old_stps``, ``ro``, ``H_diag``, ``prev_flat_grad``, ``prev_loss``, ``al``,
``func_evals``, ``n_iter``), so state dicts load both ways.
"""
from .._backend import get_array_module
from .._tensor import Tensor, _wrap
from ..autograd import grad_mode
from .optimizer import Optimizer, real_view

__all__ = ["LBFGS"]


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """Minimiser of the cubic through (x1, f1, slope g1) and (x2, f2, slope g2), clipped to
    ``bounds`` (default: the interval between x1 and x2); the midpoint if it has none."""
    lo, hi = bounds if bounds is not None else ((x1, x2) if x1 <= x2 else (x2, x1))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square < 0:
        return (lo + hi) / 2.0
    d2 = d2_square ** 0.5
    if x1 <= x2:
        pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(pos, lo), hi)


def _strong_wolfe(obj_func, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                  max_ls=25):
    """Line search along ``d`` from step ``t`` until the strong Wolfe conditions hold.

    ``obj_func(t)`` gives (loss, flat gradient) at ``x + t * d``. First a
    bracketing phase grows the step until an interval holds a minimum, then a
    zoom phase shrinks that interval by cubic interpolation. Returns
    (loss, gradient, step, number of evaluations).
    """
    d_norm = abs(d).max()
    f_new, g_new = obj_func(t)
    evals = 1
    gtd_new = g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        # extrapolate: somewhere between just past t and ten times t
        t_next = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                                    bounds=(t + 0.01 * (t - t_prev), t * 10))
        t_prev, f_prev, g_prev, gtd_prev = t, f_new, g_new, gtd_new
        t = t_next
        f_new, g_new = obj_func(t)
        evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]

    # zoom: keep bracket[low] the best point so far, shrink towards it
    insuf_progress = False
    low, high = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0],
                               bracket[1], bracket_f[1], bracket_gtd[1])
        # a point too close to either end makes little progress: push it inside
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                t = max(bracket) - eps if abs(t - max(bracket)) < abs(t - min(bracket)) \
                    else min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj_func(t)
        evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low]:
            bracket[high], bracket_f[high] = t, f_new
            bracket_g[high], bracket_gtd[high] = g_new, gtd_new
            low, high = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                bracket[high], bracket_f[high] = bracket[low], bracket_f[low]
                bracket_g[high], bracket_gtd[high] = bracket_g[low], bracket_gtd[low]
            bracket[low], bracket_f[low] = t, f_new
            bracket_g[low], bracket_gtd[low] = g_new, gtd_new
    return bracket_f[low], bracket_g[low], bracket[low], evals


def _to_state(value):
    """Arrays and array scalars become ember Tensors (lists item by item); numbers stay."""
    if isinstance(value, list):
        return [_to_state(v) for v in value]
    if value is None or type(value) in (int, float):  # not NumPy's float64 (a float subclass)
        return value
    return _wrap(get_array_module(value).asarray(value))


def _from_state(value):
    """The inverse of ``_to_state``: Tensors back to arrays (0-d ones to array scalars)."""
    if isinstance(value, list):
        return [_from_state(v) for v in value]
    if isinstance(value, Tensor):
        arr = value._data
        return arr[()] if arr.ndim == 0 else arr
    return value


class LBFGS(Optimizer):
    """Limited-memory BFGS: each ``step(closure)`` runs up to ``max_iter`` quasi-Newton iterations.

    The closure must clear the gradients, compute the loss, call
    ``backward()`` and return the loss; ``step`` calls it as often as the
    iterations (and the line search) need and returns the first loss. The
    inverse Hessian is approximated from the last ``history_size`` pairs of
    parameter and gradient changes. All parameters form one group (no
    per-group options).

    Args:
        params: the tensors to optimise.
        lr (float): step length scale (default 1).
        max_iter (int): iterations per ``step`` (default 20).
        max_eval (int): closure evaluations per ``step`` (default ``max_iter * 5 // 4``).
        tolerance_grad (float): stop when every gradient entry is at most this (default 1e-7).
        tolerance_change (float): stop when the loss or the step changes less (default 1e-9).
        history_size (int): correction pairs kept (default 100).
        line_search_fn (str or None): ``'strong_wolfe'`` or None (a fixed step).

    Example::

        >>> x = ember.tensor([1.5, -0.5], requires_grad=True)
        >>> opt = ember.optim.LBFGS([x], line_search_fn="strong_wolfe")
        >>> def closure():
        ...     opt.zero_grad()
        ...     loss = ((x - 1) ** 2).sum() + (x[0] * x[1]) ** 2
        ...     loss.backward()
        ...     return loss
        >>> loss = opt.step(closure)
    """

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        super().__init__(params, dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                                      tolerance_grad=tolerance_grad,
                                      tolerance_change=tolerance_change,
                                      history_size=history_size, line_search_fn=line_search_fn))
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")

    @property
    def _params(self):
        """The one group's parameters (looked up each time, so copies and unpickled
        optimizers use their own)."""
        return self.param_groups[0]["params"]

    def _gather_flat_grad(self):
        """Every parameter's gradient (zeros where it has none) in one flat array; complex
        values count as two real numbers."""
        views = [real_view(p._data) for p in self._params]
        xp = get_array_module(views[0])
        return xp.concatenate([xp.zeros(v.size, v.dtype) if p.grad is None
                               else real_view(p.grad._data).reshape(-1)
                               for p, v in zip(self._params, views)])

    def _add_grad(self, step_size, update):
        """Move the parameters by ``step_size * update`` (``update`` is flat)."""
        offset = 0
        for p in self._params:
            arr = real_view(p._data)
            arr += (step_size * update[offset:offset + arr.size]).reshape(arr.shape)
            offset += arr.size

    def _evaluate(self, closure):
        """(loss as a float, flat gradient) from one call of the closure."""
        with grad_mode.enable_grad():
            loss = float(closure())
        return loss, self._gather_flat_grad()

    def _directional_evaluate(self, closure, x, t, d):
        """Loss and gradient at ``x + t * d``; the parameters are put back to ``x`` after."""
        self._add_grad(t, d)
        result = self._evaluate(closure)
        for p, saved in zip(self._params, x):
            p._data[...] = saved
        return result

    def step(self, closure):
        """Run the iterations; ``closure`` re-evaluates the loss and its gradients.

        Returns the loss of the closure's first evaluation.
        """
        with grad_mode.no_grad():
            return self._run(closure)

    def _run(self, closure):
        group = self.param_groups[0]
        lr = group["lr"].item() if isinstance(group["lr"], Tensor) else group["lr"]
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn, history_size = group["line_search_fn"], group["history_size"]

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        with grad_mode.enable_grad():
            orig_loss = closure()
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if abs(flat_grad).max() <= tolerance_grad:
            return orig_loss

        d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss = (
            _from_state(state.get(k)) for k in ("d", "t", "old_dirs", "old_stps", "ro", "H_diag",
                                                "prev_flat_grad", "prev_loss"))
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                H_diag = 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = y.dot(s)
                if ys > 1e-10:  # keep only pairs with positive curvature
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / y.dot(y)
                # two-loop recursion: d = -H g
                al = _from_state(state.get("al")) or [None] * history_size
                q = -flat_grad
                for i in range(len(old_dirs) - 1, -1, -1):
                    al[i] = old_stps[i].dot(q) * ro[i]
                    q -= al[i] * old_dirs[i]
                d = r = q * H_diag
                for i in range(len(old_dirs)):
                    be_i = old_dirs[i].dot(r) * ro[i]
                    r += (al[i] - be_i) * old_stps[i]
                state["al"] = _to_state(al)

            if prev_flat_grad is None:
                prev_flat_grad = flat_grad.copy()
            else:
                prev_flat_grad[...] = flat_grad
            prev_loss = loss

            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / abs(flat_grad).sum()) * lr
            else:
                t = lr
            gtd = flat_grad.dot(d)
            if gtd > -tolerance_change:  # not a descent direction
                break

            ls_func_evals = 0
            if line_search_fn is not None:
                if line_search_fn != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                x_init = [p._data.copy() for p in self._params]
                loss, flat_grad, t, ls_func_evals = _strong_wolfe(
                    lambda step: self._directional_evaluate(closure, x_init, step, d),
                    t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals)
                self._add_grad(t, d)
                opt_cond = abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_grad(t, d)
                if n_iter != max_iter:
                    loss, flat_grad = self._evaluate(closure)
                    opt_cond = abs(flat_grad).max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < tolerance_change:
                break

        state.update({"d": _to_state(d), "t": _to_state(t), "old_dirs": _to_state(old_dirs),
                      "old_stps": _to_state(old_stps), "ro": _to_state(ro),
                      "H_diag": _to_state(H_diag), "prev_flat_grad": _to_state(prev_flat_grad),
                      "prev_loss": prev_loss})
        return orig_loss
