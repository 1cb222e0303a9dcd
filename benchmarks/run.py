"""Side-by-side benchmarks of ember against PyTorch (and NumPy for matmul).

    python benchmarks/run.py [--only NAME[,NAME]] [--repeat N] [--warmup N] [--threads N]
                             [--settle S] [--no-memory] [--json PATH] [--markdown] [--profile]

Each workload in ``workloads.py`` is built once per framework from the same
model code, warmed up, then timed in interleaved pairs (ember, torch, ember,
torch, ...) so that drifts in machine speed hit both alike.  For each we print
the median and minimum time per step, the paired ratio ember/reference (the
median of the per-pair ratios) against its target, and the peak memory each
framework's step needs, measured in a fresh subprocess per framework (see
benchmarks/README.md for the method).  ``--profile`` shows where the time
goes instead (``profiling.py``).

torch is optional: without it ember's times are printed alone.
"""
import argparse
import ctypes
import gc
import importlib
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import types
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import profiling  # noqa: E402
from profiling import fmt_time  # noqa: E402
from workloads import WORKLOADS, select  # noqa: E402

MEMORY_TARGET = 1.5  # ember's peak memory over torch's


def _numpy_shim():
    """The two calls the matmul workloads make, on plain float32 NumPy arrays."""
    import numpy as np
    rng = np.random.default_rng(0)
    return types.SimpleNamespace(
        __name__="numpy", matmul=np.matmul, manual_seed=lambda seed: None,
        randn=lambda *shape: rng.standard_normal(shape, dtype=np.float32))


def limit_threads(n):
    """Cap the BLAS and OpenMP pools at ``n`` threads, here and in the memory subprocesses."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)
    try:  # already-loaded pools ignore the environment
        from threadpoolctl import threadpool_limits
        threadpool_limits(n)
    except ImportError:
        pass


def load_framework(name):
    """The framework module for ``name``, or None when it is not installed."""
    if name == "numpy":
        return _numpy_shim()
    if importlib.util.find_spec(name) is None:
        return None
    lib = importlib.import_module(name)
    if name == "torch" and os.environ.get("OMP_NUM_THREADS"):
        lib.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    importlib.import_module(name + ".nn")
    importlib.import_module(name + ".optim")
    return lib


def missing_attribute(lib, requires):
    """The first dotted name in ``requires`` that ``lib`` lacks, or None."""
    for dotted in requires:
        obj = lib
        for part in dotted.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return dotted
    return None


def build_steps(workload, libs):
    """``{framework: step}`` for the frameworks that can run the workload, and skip notes."""
    steps, notes = {}, {}
    for fw in workload.frameworks:
        lib = libs.get(fw)
        if lib is None:
            notes[fw] = "not installed"
            continue
        lacking = missing_attribute(lib, workload.requires)
        if lacking:
            notes[fw] = f"missing {fw}.{lacking}"
            continue
        try:
            steps[fw] = workload.build(lib)
            steps[fw]()
        except Exception as exc:  # a framework still in progress must not stop the suite
            steps.pop(fw, None)
            notes[fw] = f"failed: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    return steps, notes


def time_interleaved(workload, steps, pairs, warmup, settle=0.0, warm_in=0):
    """Seconds per step for each framework, sampled alternately after warm-up.

    With multi-threaded pools each sample starts after ``settle`` idle seconds
    (NumPy's OpenBLAS workers spin for about 0.1 s after a BLAS call and would
    take a core from the framework timed next) and ``warm_in`` untimed steps
    (to wake the pools that fell asleep while the other framework ran).
    """
    for step in steps.values():
        for _ in range(warmup):
            step()
    gc.collect()
    times = {fw: [] for fw in steps}
    inner = range(workload.inner)
    for _ in range(pairs):
        for fw, step in steps.items():
            if settle:
                time.sleep(settle)
            for _ in range(warm_in):
                step()
            start = time.perf_counter()
            for _ in inner:
                step()
            times[fw].append((time.perf_counter() - start) / workload.inner)
    return times


def summarize(workload, times):
    """Median/min per framework and the median paired ratio ember/reference."""
    result = {fw: {"median_s": statistics.median(t), "min_s": min(t), "samples": len(t)}
              for fw, t in times.items()}
    if workload.flops:
        for fw, r in result.items():
            r["gflops"] = workload.flops / r["median_s"] / 1e9
    ref = times.get(workload.reference)
    if ref and "ember" in times:
        ratio = statistics.median(e / r for e, r in zip(times["ember"], ref))
        result["ratio"] = ratio
        result["meets_target"] = ratio <= workload.target
    return result


# -- memory --------------------------------------------------------------------------------

def _status_bytes(field):
    """A ``VmHWM``/``VmRSS`` line of /proc/self/status in bytes, or None off Linux."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def peak_rss():
    """This process's peak resident memory in bytes.

    ``VmHWM`` where Linux has it: ``ru_maxrss`` is carried across ``exec``, so
    a child of this (large) process would report the parent's peak.
    """
    hwm = _status_bytes("VmHWM")
    if hwm is not None:
        return hwm
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def reset_peak_rss():
    """Restart the peak at the current resident size where Linux allows; the baseline."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return _status_bytes("VmRSS")
    except OSError:
        return peak_rss()


def release_free_memory():
    """Collect garbage and hand freed heap pages back to the OS (glibc), so they count again."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _run_steps(workload, lib, steps):
    step = workload.build(lib)
    for _ in range(steps):
        step()


def memory_child(workload, fw, steps):
    """In a fresh process, the peak-RSS growth of building the workload and running ``steps``.

    ``first``: from the post-import baseline, so it includes one-time costs
    (library code paged in, thread pools, kernel caches).  ``steady``: the same
    again after that first run was freed: the memory the workload itself needs.
    For ember a third, traced run gives the peak of NumPy buffers (tracemalloc).
    """
    lib = load_framework(fw)
    report = {}
    for phase in ("first", "steady"):
        release_free_memory()
        baseline = reset_peak_rss()
        _run_steps(workload, lib, steps)
        report[phase] = peak_rss() - baseline
    if fw == "ember":
        import tracemalloc
        release_free_memory()
        tracemalloc.start()
        _run_steps(workload, lib, steps)
        report["traced"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(json.dumps(report))


def measure_memory(workload, fw, threads):
    """Run ``memory_child`` in a subprocess; its report, or an error note."""
    cmd = [sys.executable, os.path.abspath(__file__), "--memory-child", workload.key, fw,
           "--threads", str(threads)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1][:120]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- machine facts -----------------------------------------------------------------------

def machine_facts(libs):
    """CPU, cores, BLAS and thread counts, versions: what the numbers depend on."""
    import numpy as np
    facts = {"python": platform.python_version(), "numpy": np.__version__,
             "platform": platform.platform(), "cores": os.cpu_count(), "cpu": platform.processor()}
    try:
        with open("/proc/cpuinfo") as f:
            info = dict(line.split(":", 1) for line in f.read().split("\n\n")[0].splitlines()
                        if ":" in line)
        info = {k.strip(): v.strip() for k, v in info.items()}
        flags = info.get("flags", "").split()
        facts["cpu"] = (f"{info.get('model name')} (family {info.get('cpu family')}, model "
                        f"{info.get('model')}; " + ("AVX-512" if "avx512f" in flags else
                                                    "AVX2" if "avx2" in flags else "no AVX2") + ")")
    except OSError:
        pass
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        facts["numpy_blas"] = f"{blas.get('name')} {blas.get('version')}"
    except Exception:
        pass
    try:
        from threadpoolctl import threadpool_info
        facts["threadpools"] = [
            f"{p['internal_api']} {p.get('version') or ''} ({p['num_threads']} threads"
            + (f", {p['architecture']} kernels" if p.get("architecture") else "")
            + f", {os.path.basename(p['filepath'])})" for p in threadpool_info()]
    except ImportError:
        pass
    ember = libs.get("ember")
    if ember is not None:
        facts["ember"] = getattr(ember, "__version__", "?")
    torch = libs.get("torch")
    if torch is not None:
        facts["torch"] = torch.__version__
        facts["torch_threads"] = torch.get_num_threads()
        facts["torch_mkl"] = torch.backends.mkl.is_available()
        facts["torch_mkldnn"] = torch.backends.mkldnn.is_available()
    facts["loadavg"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return facts


# -- reporting -----------------------------------------------------------------------------

def fmt_bytes(n):
    return f"{n / 2 ** 20:.1f}M"


def print_row(workload, result):
    head = f"{workload.key:<4} {workload.name:<16}"
    if "skipped" in result:
        print(f"{head} skipped: {result['skipped']}", flush=True)
        return
    cells = []
    for fw in workload.frameworks:
        r = result.get(fw)
        if r is None:
            continue
        cell = f"{fw:<6} {fmt_time(r['median_s']):>9} (min {fmt_time(r['min_s'])})"
        if "gflops" in r:
            cell += f"  {r['gflops']:.0f} GFLOP/s"
        cells.append(cell)
    if "ratio" in result:
        verdict = "ok" if result["meets_target"] else "MISS"
        cells.append(f"ratio  {result['ratio']:.2f} (target <= {workload.target}) {verdict}")
    for fw, note in result.get("notes", {}).items():
        cells.append(f"[{fw}: {note}]")
    print(head + " " + cells[0])
    for cell in cells[1:]:
        print(" " * len(head) + " " + cell)
    sys.stdout.flush()


def add_memory(workload, result, threads, jobs):
    """Peak-memory reports for ``workload``'s frameworks, run ``jobs`` subprocesses at a time."""
    frameworks = [fw for fw in workload.frameworks if fw in result]
    with ThreadPoolExecutor(jobs) as pool:
        mem = dict(zip(frameworks, pool.map(lambda fw: measure_memory(workload, fw, threads),
                                            frameworks)))
    result["memory"] = mem
    ours, ref = mem.get("ember", {}), mem.get(workload.reference, {})
    if ours.get("steady") and ref.get("steady"):
        result["memory_ratio"] = ours["steady"] / ref["steady"]
        result["memory_ok"] = result["memory_ratio"] <= MEMORY_TARGET


def print_memory_row(workload, result):
    parts = []
    for fw, m in result["memory"].items():
        if "error" in m:
            parts.append(f"{fw} error: {m['error']}")
            continue
        part = f"{fw} {fmt_bytes(m['steady'])} (first {fmt_bytes(m['first'])}"
        if "traced" in m:
            part += f", numpy {fmt_bytes(m['traced'])}"
        parts.append(part + ")")
    if "memory_ratio" in result:
        verdict = "ok" if result["memory_ok"] else "MISS"
        parts.append(f"ratio {result['memory_ratio']:.2f} (target <= {MEMORY_TARGET}) {verdict}")
    print(f"{workload.key:<4} {workload.name:<16} " + "   ".join(parts), flush=True)


def markdown_table(workloads, results):
    """The results as the Markdown table docs/performance.md shows."""
    lines = ["| workload | ember median (min) | reference median (min) | ratio | target | "
             "peak memory ember / torch (steady) | memory ratio |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for w in workloads:
        r = results.get(w.key)
        if r is None:
            continue
        name = f"{w.key} {w.name}"
        if "skipped" in r:
            lines.append(f"| {name} | skipped: {r['skipped']} | | | | | |")
            continue
        cells = [f"{fmt_time(r[fw]['median_s'])} ({fmt_time(r[fw]['min_s'])})"
                 if fw in r else "-" for fw in ("ember", w.reference)]
        if w.reference != "torch" and "torch" in r:
            cells[1] += f"; torch {fmt_time(r['torch']['median_s'])}"
        ratio = f"**{r['ratio']:.2f}**" if "ratio" in r else "-"
        if "ratio" in r and not r["meets_target"]:
            ratio += " miss"
        mem = r.get("memory", {})
        peak = " / ".join(fmt_bytes(mem[fw]["steady"]) if "steady" in mem.get(fw, {}) else "-"
                          for fw in ("ember", "torch")) if mem else "-"
        mratio = f"{r['memory_ratio']:.2f}" if "memory_ratio" in r else "-"
        lines.append(f"| {name} | {cells[0]} | {w.reference} {cells[1]} | {ratio} | "
                     f"<= {w.target} | {peak} | {mratio} |")
    return "\n".join(lines)


def run_workload(workload, libs, args):
    """Time one workload (or profile it); the summary, or None when profiling."""
    steps, notes = build_steps(workload, libs)
    if "ember" not in steps:
        return {"skipped": notes.get("ember", "ember cannot run it")}
    pairs = args.repeat or workload.pairs
    warmup = workload.warmup if args.warmup is None else args.warmup
    if args.profile:
        profiling.profile(workload, steps, libs, warmup, pairs)
        return None
    pooled = args.threads != 1
    times = time_interleaved(workload, steps, pairs, warmup, args.settle, warm_in=int(pooled))
    result = summarize(workload, times)
    if notes:
        result["notes"] = notes
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated workload keys or names (W1, mlp, W5, ...)")
    parser.add_argument("--repeat", type=int, help="timed pairs per workload (default: its own)")
    parser.add_argument("--warmup", type=int, help="warm-up steps per framework (default: its own)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for torch and NumPy's BLAS (default 1; 0 keeps each "
                             "library's own pools, see README)")
    parser.add_argument("--settle", type=float,
                        help="idle seconds before each timed sample (default 0, or 0.12 with "
                             "multi-threaded pools)")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory subprocesses")
    parser.add_argument("--json", help="also write machine facts and results to this file")
    parser.add_argument("--markdown", action="store_true",
                        help="also print the results as a Markdown table")
    parser.add_argument("--profile", action="store_true",
                        help="instead of comparing, show where the time goes: ember per op "
                             "and per function, torch per op")
    parser.add_argument("--memory-child", nargs=2, metavar=("KEY", "FRAMEWORK"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.threads:
        limit_threads(args.threads)
    if args.settle is None:
        args.settle = 0.0 if args.threads == 1 else 0.12
    if args.memory_child:
        key, fw = args.memory_child
        workload = next(w for w in WORKLOADS if w.key == key)
        memory_child(workload, fw, workload.warmup + 2)
        return 0
    workloads = select(args.only)
    if not workloads:
        parser.error(f"no workload matches {args.only!r}")
    wanted = {fw for w in workloads for fw in w.frameworks}
    libs = {fw: load_framework(fw) for fw in sorted(wanted)}
    facts = machine_facts(libs)
    facts["threads"] = args.threads or "each library's default"
    if not args.profile:
        for k, v in facts.items():
            print(f"{k}: {v}")
        if os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1):
            print("warning: the machine is busy: absolute times are inflated"
                  + ("" if args.threads == 1 else
                     ", and multi-threaded pools stall when a core is taken"))
        print()
    results = {}
    started = time.perf_counter()
    for workload in workloads:
        result = run_workload(workload, libs, args)
        gc.collect()
        if result is not None:
            results[workload.key] = result
            print_row(workload, result)
    measured = [w for w in workloads
                if w.memory and w.key in results and "skipped" not in results[w.key]]
    if measured and not args.no_memory:
        print("\npeak memory, fresh process per framework: growth of peak RSS in a steady run "
              "(first run incl. one-time library costs; NumPy peak by tracemalloc)")
        for workload in measured:
            add_memory(workload, results[workload.key], args.threads, os.cpu_count() or 1)
            print_memory_row(workload, results[workload.key])
    if args.markdown and results:
        print("\n" + markdown_table(workloads, results))
    if not args.profile:
        print(f"\ntotal {time.perf_counter() - started:.0f}s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": facts, "results": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
