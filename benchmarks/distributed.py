"""Distributed benchmarks: DDP scaling on W1 and W6 and MPI all-reduce bandwidth.

    python benchmarks/distributed.py [--steps N] [--workloads w1,w6] [--sizes-mb 1,10,100]

W1 (the MNIST CNN training step of ``workloads.py``, Adam, global batch 64) and
W6 (its CIFAR convnet, SGD with momentum, global batch 32) each run as one
plain process with the whole batch, then as ``DistributedDataParallel`` over 2
processes (launched with ``ember run --nproc-per-node 2``) with half the batch
each (W6's BatchNorm keeps per-process statistics, as torch's does without
SyncBatchNorm). Each process of the 2-process run
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


# workload: (model builder in workloads.py, optimizer, global batch, sample shape)
_SETUPS = {
    "w1": ("_mnist_cnn", lambda lib, p: lib.optim.Adam(p), 64, (1, 28, 28)),
    "w6": ("_cifar_convnet", lambda lib, p: lib.optim.SGD(p, lr=0.01, momentum=0.9), 32,
           (3, 32, 32)),
}


def _ddp_worker(workload, steps, distributed):
    import ember
    sys.path.insert(0, HERE)
    import workloads
    builder, make_opt, global_batch, shape = _SETUPS[workload]
    ember.manual_seed(0)
    model = getattr(workloads, builder)(ember)
    sync, n = (lambda: None), 1
    if distributed:
        ember.distributed.init_process_group("gloo")
        n = ember.distributed.get_world_size()
        model = ember.nn.parallel.DistributedDataParallel(model)
        sync = ember.distributed.barrier
    batch = global_batch // n
    x, y = ember.randn(batch, *shape), ember.randint(0, 10, (batch,))
    opt = make_opt(ember, model.parameters())
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


def _scaling_table(workload, steps):
    """Time ``workload`` on 1 process (default and 1 thread) and on 2 DDP processes; print."""
    batch = _SETUPS[workload][2]
    one_default = _launch(0, ["--worker", workload, *steps], None)["seconds"]
    one = _launch(0, ["--worker", workload, *steps], 1)["seconds"]
    two = _launch(2, ["--worker", workload + "-ddp", *steps], 1)["seconds"]
    print(f"| {workload.upper()} (global batch {batch}) | s/step | samples/s | "
          "scaling efficiency |")
    print("|---|---|---|---|")
    print(f"| 1 process, default threads | {one_default * 1e3:.1f} ms | "
          f"{batch / one_default:.0f} | |")
    print(f"| 1 process, 1 thread | {one * 1e3:.1f} ms | {batch / one:.0f} | 1.00 |")
    print(f"| DDP, 2 processes x 1 thread | {two * 1e3:.1f} ms | {batch / two:.0f} | "
          f"{one / (2 * two):.2f} |")
    print(flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="timed steps per measurement")
    parser.add_argument("--workloads", default="w1,w6", help="DDP workloads to time")
    parser.add_argument("--sizes-mb", default="1,10,100", help="all-reduce sizes in MB")
    parser.add_argument("--worker", choices=["w1", "w1-ddp", "w6", "w6-ddp", "allreduce"],
                        help=argparse.SUPPRESS)
    options = parser.parse_args()
    sizes = [float(s) for s in options.sizes_mb.split(",")]
    if options.worker == "allreduce":
        return _allreduce_worker(options.steps, sizes)
    if options.worker:
        return _ddp_worker(options.worker[:2], options.steps, options.worker.endswith("-ddp"))
    steps = ["--steps", str(options.steps)]
    for workload in options.workloads.split(","):
        _scaling_table(workload, steps)
    rows = _launch(2, ["--worker", "allreduce", "--sizes-mb", options.sizes_mb, *steps], 1)
    print("| all-reduce, 2 processes | ember time | ember GB/s | mpi4py time | mpi4py GB/s |")
    print("|---|---|---|---|---|")
    for row in rows:
        size = row["mb"] * 1024 * 1024 / 1e9
        print(f"| {row['mb']:g} MB | {row['ember'] * 1e3:.2f} ms | {size / row['ember']:.2f} | "
              f"{row['mpi4py'] * 1e3:.2f} ms | {size / row['mpi4py']:.2f} |")


if __name__ == "__main__":
    main()
