"""Where a workload's time goes: ember per op, ember per Python function, torch per aten op.

``run.py --profile`` prints three tables for each workload:

* ember's ops: the self time of every op class's ``forward`` and ``backward``
  (timers wrapped around them for the run, nested calls subtracted), and of
  optimizer ``step``; what remains of the step is Python outside the ops'
  array code (modules, ``Op.__call__`` bookkeeping, the autograd engine);
* torch's aten ops by self CPU time (``torch.profiler``), to compare op by op;
* ember's top Python functions by self time (cProfile).  cProfile cannot see
  inside NumPy calls, so a function's self time includes the array work it
  starts (a BLAS call shows up as its caller's self time).
"""
import contextlib
import cProfile
import os
import pstats
import sys
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def fmt_time(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f}us"
    return f"{seconds * 1e3:.1f}ms"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


class OpTimer:
    """Within ``with``, sums per (class, phase) the self time of ember's op methods."""

    def __init__(self, ember):
        from ember._ops.base import Op
        targets = [(c, m) for c in _subclasses(Op) for m in ("forward", "backward")
                   if m in c.__dict__]
        optimizers = [ember.optim.Optimizer, *_subclasses(ember.optim.Optimizer)]
        targets += [(c, "step") for c in optimizers if "step" in c.__dict__]
        self.originals = {(c, m): c.__dict__[m] for c, m in targets}
        self.self_time = defaultdict(float)
        self.calls = defaultdict(int)
        self._stack = []

    def _wrap(self, fn, phase):
        stack, self_time, calls = self._stack, self.self_time, self.calls

        def timed(obj, *args, **kwargs):
            start = time.perf_counter()
            stack.append(0.0)
            try:
                return fn(obj, *args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                key = (type(obj).__name__, phase)
                self_time[key] += elapsed - stack.pop()
                calls[key] += 1
                if stack:
                    stack[-1] += elapsed
        return timed

    def __enter__(self):
        for (cls, name), fn in self.originals.items():
            setattr(cls, name, self._wrap(fn, name))
        return self

    def __exit__(self, *exc):
        for (cls, name), fn in self.originals.items():
            setattr(cls, name, fn)


def _timed_steps(step, n):
    start = time.perf_counter()
    for _ in range(n):
        step()
    return time.perf_counter() - start


def ember_ops(ember, step, n, top):
    """Print ember's per-op self times for ``n`` steps and the share left outside the ops."""
    timer = OpTimer(ember)
    with timer:
        total = _timed_steps(step, n)
    inside = sum(timer.self_time.values())
    print(f"-- ember ops: {fmt_time(total / n)} per step; "
          f"{fmt_time((total - inside) / n)} ({100 * (total - inside) / total:.0f}%) outside op "
          f"methods (modules, Op.__call__, autograd engine, Python glue)")
    print(f"{'self/step':>10} {'share':>6} {'calls/step':>10}  op.phase")
    for key, t in sorted(timer.self_time.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{fmt_time(t / n):>10} {100 * t / total:5.1f}% {timer.calls[key] / n:10.1f}  "
              f"{key[0]}.{key[1]}")


@contextlib.contextmanager
def _quiet_stderr():
    """Silence file descriptor 2 (the profiler's C++ start/stop log lines)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def torch_ops(torch, step, n, top):
    """Print torch's aten ops by self CPU time over ``n`` steps."""
    from torch.profiler import ProfilerActivity, profile
    with _quiet_stderr(), profile(activities=[ProfilerActivity.CPU]) as prof:
        total = _timed_steps(step, n)
    rows = sorted(prof.key_averages(), key=lambda e: -e.self_cpu_time_total)[:top]
    print(f"-- torch ops (torch.profiler): {fmt_time(total / n)} per step under the profiler")
    print(f"{'self/step':>10} {'calls/step':>10}  op")
    for e in rows:
        print(f"{fmt_time(e.self_cpu_time_total / 1e6 / n):>10} {e.count / n:10.1f}  {e.key}")


def _where(code):
    """``path:line function`` with the path relative to the repository when inside it."""
    path, line, name = code
    if path == "~":
        return name
    if path.startswith(ROOT):
        path = os.path.relpath(path, ROOT)
    else:
        path = "/".join(path.split(os.sep)[-2:])
    return f"{path}:{line} {name}"


def ember_functions(step, n, top):
    """Print ember's top Python functions by self time under cProfile."""
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        step()
    prof.disable()
    stats = pstats.Stats(prof).stats
    total = sum(v[2] for v in stats.values())
    print(f"-- ember functions (cProfile): {fmt_time(total / n)} per step under the profiler")
    print(f"{'self/step':>10} {'share':>6} {'cum/step':>10} {'calls/step':>10}  function")
    for code, (_, ncalls, tottime, cumtime, _) in sorted(stats.items(),
                                                         key=lambda kv: -kv[1][2])[:top]:
        print(f"{fmt_time(tottime / n):>10} {100 * tottime / total:5.1f}% "
              f"{fmt_time(cumtime / n):>10} {ncalls / n:10.1f}  {_where(code)}")


def profile(workload, steps, libs, warmup, n, top=15):
    """All three tables for one workload, after ``warmup`` steps of each framework."""
    for step in steps.values():
        for _ in range(warmup):
            step()
    n *= workload.inner
    print(f"\n== {workload.key} {workload.name} ({n} steps)")
    ember_ops(libs["ember"], steps["ember"], n, top)
    if "torch" in steps:
        torch_ops(libs["torch"], steps["torch"], n, top)
    ember_functions(steps["ember"], n, top)
    sys.stdout.flush()
