"""Distributed benchmarks: DDP scaling on W1 and MPI all-reduce bandwidth.

    python benchmarks/distributed.py [--steps N] [--sizes-mb 1,10,100] [--markdown]

W1 (the MNIST CNN training step of ``workloads.py``, Adam) runs on a global
batch of 64: one plain process with the whole batch, then
``DistributedDataParallel`` over 2 processes (launched with ``ember run
--nproc-per-node 2``) with 32 samples each. Each process of the 2-process run
gets one BLAS thread (``OMP_NUM_THREADS=1``) so the two share the cores
instead of oversubscribing them; the 1-process run is timed with 1 thread and
with the default. We print the time per step, throughput (samples/s) and the
scaling efficiency ``throughput(2) / (2 * throughput(1 process, 1 thread))``.

All-reduce: ``ember.distributed.all_reduce`` on float32 tensors of each size
over 2 processes, beside mpi4py's own ``Allreduce`` on a bare NumPy buffer
(the MPI library's figure on this machine), as time and bandwidth
(bytes reduced per second).
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def _timed(step, steps, sync):
    """Seconds per step of ``step`` over ``steps`` runs, ``sync`` run before and after."""
    step()
    step()
    sync()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    sync()
    return (time.perf_counter() - start) / steps


def _w1_worker(steps, distributed):
    import ember
    sys.path.insert(0, HERE)
    from workloads import _mnist_cnn
    ember.manual_seed(0)
    model = _mnist_cnn(ember)
    sync, n = (lambda: None), 1
    if distributed:
        ember.distributed.init_process_group("gloo")
        n = ember.distributed.get_world_size()
        model = ember.nn.parallel.DistributedDataParallel(model)
        sync = ember.distributed.barrier
    batch = 64 // n
    x, y = ember.randn(batch, 1, 28, 28), ember.randint(0, 10, (batch,))
    opt = ember.optim.Adam(model.parameters())
    loss_fn = ember.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    seconds = _timed(step, steps, sync)
    if not distributed or ember.distributed.get_rank() == 0:
        print(json.dumps({"processes": n, "seconds": seconds}), flush=True)


def _allreduce_worker(steps, sizes_mb):
    import numpy as np

    import ember
    import ember.distributed as dist
    from mpi4py import MPI
    dist.init_process_group("gloo")
    comm = MPI.COMM_WORLD
    rows = []
    for mb in sizes_mb:
        count = int(mb * 1024 * 1024) // 4
        t = ember.ones(count)
        raw = np.ones(count, np.float32)
        ours = _timed(lambda: dist.all_reduce(t), steps, dist.barrier)
        bare = _timed(lambda: comm.Allreduce(MPI.IN_PLACE, raw), steps, comm.Barrier)
        rows.append({"mb": mb, "ember": ours, "mpi4py": bare})
    if dist.get_rank() == 0:
        print(json.dumps(rows), flush=True)


def _launch(nproc, args, threads):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if threads:
        env.update(OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
                   MKL_NUM_THREADS=str(threads))
    if nproc:
        cmd = [sys.executable, "-m", "ember", "run", "--nproc-per-node", str(nproc),
               os.path.abspath(__file__), *args]
    else:
        cmd = [sys.executable, os.path.abspath(__file__), *args]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="timed steps per measurement")
    parser.add_argument("--sizes-mb", default="1,10,100", help="all-reduce sizes in MB")
    parser.add_argument("--worker", choices=["w1", "w1-ddp", "allreduce"], help=argparse.SUPPRESS)
    options = parser.parse_args()
    sizes = [float(s) for s in options.sizes_mb.split(",")]
    if options.worker == "w1":
        return _w1_worker(options.steps, False)
    if options.worker == "w1-ddp":
        return _w1_worker(options.steps, True)
    if options.worker == "allreduce":
        return _allreduce_worker(options.steps, sizes)
    steps = ["--steps", str(options.steps)]
    one_default = _launch(0, ["--worker", "w1", *steps], None)["seconds"]
    one = _launch(0, ["--worker", "w1", *steps], 1)["seconds"]
    two = _launch(2, ["--worker", "w1-ddp", *steps], 1)["seconds"]
    print("| W1 (global batch 64) | s/step | samples/s | scaling efficiency |")
    print("|---|---|---|---|")
    print(f"| 1 process, default threads | {one_default * 1e3:.1f} ms | {64 / one_default:.0f} | |")
    print(f"| 1 process, 1 thread | {one * 1e3:.1f} ms | {64 / one:.0f} | 1.00 |")
    print(f"| DDP, 2 processes x 1 thread | {two * 1e3:.1f} ms | {64 / two:.0f} | "
          f"{one / (2 * two):.2f} |")
    rows = _launch(2, ["--worker", "allreduce", "--sizes-mb", options.sizes_mb, *steps], 1)
    print()
    print("| all-reduce, 2 processes | ember time | ember GB/s | mpi4py time | mpi4py GB/s |")
    print("|---|---|---|---|---|")
    for row in rows:
        size = row["mb"] * 1024 * 1024 / 1e9
        print(f"| {row['mb']:g} MB | {row['ember'] * 1e3:.2f} ms | {size / row['ember']:.2f} | "
              f"{row['mpi4py'] * 1e3:.2f} ms | {size / row['mpi4py']:.2f} |")


if __name__ == "__main__":
    main()
