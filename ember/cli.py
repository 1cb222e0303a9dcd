"""The ``ember`` command: ``ember run [--nproc-per-node N ...] script.py [args...]``.

``run`` executes a PyTorch script unchanged on ember: it installs the
``torch`` alias (see ``ember._alias``) and runs the file as ``__main__`` the
way ``python script.py`` would. With ``--nproc-per-node`` it is a launcher,
like torchrun: it starts the processes through ``mpiexec`` (see
``ember.distributed._launch``), each of which runs the script with torchrun's
environment variables set.
"""

import argparse
import os
import runpy
import sys

from . import _alias
from .distributed import _launch
import ember

__all__ = ["main", "run_script"]


def _version():
    return getattr(ember, "__version__", "unknown")


MAIN_EXAMPLES = """\
examples:
  ember run train.py --epochs 3     run train.py on ember; --epochs 3 goes to the script
  python -m ember run train.py      the same without the console script
  ember run --help                  the flags of run, multi-process launches included
  ember --version                   print ember's version
"""

RUN_EXAMPLES = """\
examples:
  ember run train.py --lr 0.1
      one process; every argument after the script goes to the script
  ember run --nproc-per-node 2 train.py
      two processes on this machine, as torchrun (needs: pip install 'ember[distributed]')
  ember run --standalone --nproc-per-node 4 train.py
      the same with torchrun's --standalone, which is the default here
  ember run --nnodes 2 --nproc-per-node 2 --node-rank 0 --hostfile hosts train.py
      two nodes named in an MPI host file, started from node 0
  ember run --nproc-per-node 2 --master-addr 127.0.0.1 --master-port 29501 train.py
      set the MASTER_ADDR and MASTER_PORT the processes see
"""


def _parser():
    parser = argparse.ArgumentParser(
        prog="ember",
        description="ember: a PyTorch-compatible deep-learning framework on NumPy.",
        epilog=MAIN_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ember {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="run a PyTorch script on ember (import torch resolves to ember)",
        description="Run SCRIPT as __main__ with `torch` and `torchvision` "
                    "aliased to ember, like `python SCRIPT ARGS...`.",
        epilog=RUN_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _launch.add_arguments(run)
    run.add_argument("script", help="path of the Python script to run")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script")
    return parser


def _script_frames(tb, filename):
    """Drop the runner's own frames so a traceback starts in the script.

    None when the script has no frame (a SyntaxError, say), which prints the
    bare error as Python does.
    """
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    return tb


def run_script(script, args=()):
    """Run ``script`` as ``__main__`` with the torch alias; return an exit code.

    Like ``python script.py``: ``sys.argv`` is ``[script, *args]`` (with
    ``argv[0]`` and ``__file__`` made absolute), the script's real directory
    replaces ``sys.path[0]`` (unless Python runs with -P), a ``SystemExit``
    propagates, any other exception is reported through ``sys.excepthook``
    and gives exit code 1, and a missing script gives exit code 2.
    ``sys.argv``, ``sys.path`` and the alias are restored afterwards, so this
    is safe to call in-process.
    """
    path = os.path.abspath(script)
    if not os.path.exists(path):
        print(f"ember run: can't open file {path!r}: no such file or directory",
              file=sys.stderr)
        return 2
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv = [path, *args]
    if not getattr(sys.flags, "safe_path", False):  # Python 3.11+ -P
        if os.path.isfile(path):
            sys.path[0:1] = [os.path.dirname(os.path.realpath(path))]
        else:  # a directory or zip archive: runpy puts it on sys.path itself
            del sys.path[0:1]
    _alias.install()
    try:
        runpy.run_path(path, run_name="__main__")
    except Exception as exc:
        # The default hook prints the exception's own traceback, so trim it there.
        exc.__traceback__ = _script_frames(exc.__traceback__, path)
        sys.excepthook(type(exc), exc, exc.__traceback__)
        return 1
    finally:
        _alias.uninstall()
        sys.argv, sys.path[:] = saved_argv, saved_path
    return 0


def main(argv=None):
    """Entry point of the ``ember`` console script and ``python -m ember``."""
    parser = _parser()
    options = parser.parse_args(argv)
    if options.command is None:
        parser.print_help()
        return 2
    if options.nproc_per_node is not None:
        return _launch.launch(options)
    if _launch.in_mpi_job():
        _launch.set_environment(options)
        try:
            code = run_script(options.script, options.args)
        except SystemExit as exc:  # sys.exit(...) in the script still has to free its peers
            code = exc.code
            if code is not None and not isinstance(code, int):
                print(code, file=sys.stderr)
                code = 1
        if code:
            _launch.abort(code)
        return code
    return run_script(options.script, options.args)
