"""SummaryWriter: log scalars, images, histograms, text, graphs and embeddings for TensorBoard.

Event files are written by the ``tensorboard`` package's own ``EventFileWriter``
(``pip install 'ember[tensorboard]'``); images are PNG-encoded with Pillow.
Values may be ember tensors, NumPy arrays or Python numbers.
"""
import os
import socket
import time
import urllib.parse
from datetime import datetime

import numpy as np
from tensorboard.compat.proto.event_pb2 import Event, SessionLog
from tensorboard.summary.writer.event_file_writer import EventFileWriter

from . import _summary
from ._graph import build_graph

__all__ = ["SummaryWriter"]


def _numpy(value):
    """A NumPy array of a tensor (detached, on the CPU), array, number or list."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def _tile(batch, cols, rows=None):
    """(N, C, H, W) images laid out ``cols`` per row on a zero background -> (C, H', W')."""
    n, channels, h, w = batch.shape
    rows = rows or -(-n // cols)
    if rows * cols > n:
        batch = np.concatenate([batch, np.zeros((rows * cols - n, channels, h, w), batch.dtype)])
    grid = batch.reshape(rows, cols, channels, h, w).transpose(2, 0, 3, 1, 4)
    return grid.reshape(channels, rows * h, cols * w)


def _image_uint8(array):
    """uint8 images as they are; other types are taken as [0, 1] and scaled by 255."""
    if array.dtype == np.uint8:
        return array
    return (array.astype(np.float32) * 255).clip(0, 255).astype(np.uint8)


def _to_hwc(array, dataformats):
    """(H, W, C) with C in {3, 4} (one channel is repeated) from any layout in
    ``dataformats``; a batch (N in the layout) is tiled 8 images per row."""
    dataformats = dataformats.upper()
    if len(set(dataformats)) != len(dataformats) or not set(dataformats) <= set("NCHW") or \
            not set("HW") <= set(dataformats) or len(dataformats) != array.ndim:
        raise ValueError(f"dataformats {dataformats!r} does not describe an image array of "
                         f"shape {array.shape}; use letters from NCHW, e.g. 'CHW', 'HWC', 'HW'")
    order = [dataformats.index(axis) for axis in "NCHW" if axis in dataformats]
    array = array.transpose(order)
    if "C" not in dataformats:
        array = np.expand_dims(array, -3)
    if "N" in dataformats:
        array = _tile(array, min(8, len(array)))
    if array.shape[0] == 1:
        array = np.repeat(array, 3, axis=0)
    return array.transpose(1, 2, 0)


class SummaryWriter:
    """Writes TensorBoard event files into ``log_dir``.

    ``log_dir`` defaults to ``runs/<Mon>DD_HH-MM-SS_<hostname><comment>``.
    ``purge_step`` hides events at or after that step left by a crashed run.
    Use as a context manager, or call ``close()``.
    """

    def __init__(self, log_dir=None, comment="", purge_step=None, max_queue=10, flush_secs=120,
                 filename_suffix=""):
        if not log_dir:
            stamp = datetime.now().strftime("%b%d_%H-%M-%S")
            log_dir = os.path.join("runs", f"{stamp}_{socket.gethostname()}{comment}")
        self.log_dir = str(log_dir)
        self.purge_step = purge_step
        self.max_queue, self.flush_secs = max_queue, flush_secs
        self.filename_suffix = filename_suffix
        self._writers = {}
        self.file_writer = self._writer(self.log_dir)
        if purge_step is not None:
            self.file_writer.add_event(Event(step=purge_step, wall_time=time.time(),
                                             session_log=SessionLog(status=SessionLog.START)))

    def _writer(self, path):
        if path not in self._writers:
            self._writers[path] = EventFileWriter(path, self.max_queue, self.flush_secs,
                                                  self.filename_suffix)
        return self._writers[path]

    def get_logdir(self):
        return self.log_dir

    def _add(self, summary, global_step, walltime, writer=None):
        event = Event(summary=summary, wall_time=time.time() if walltime is None else walltime)
        if global_step is not None:
            event.step = int(global_step)
        (writer or self.file_writer).add_event(event)

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None, new_style=False,
                   double_precision=False):
        """One value of the curve ``tag`` at ``global_step``."""
        self._add(_summary.scalar(tag, _numpy(scalar_value), new_style, double_precision),
                  global_step, walltime)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        """Several curves on one chart: each key goes to its own run
        ``<log_dir>/<main_tag>_<key>`` under the tag ``main_tag``."""
        walltime = time.time() if walltime is None else walltime
        for tag, value in tag_scalar_dict.items():
            path = os.path.join(self.log_dir, f"{main_tag.replace('/', '_')}_{tag}")
            self._add(_summary.scalar(main_tag, _numpy(value)), global_step, walltime,
                      self._writer(path))

    def add_histogram(self, tag, values, global_step=None, bins="tensorflow", walltime=None,
                      max_bins=None):
        """The distribution of ``values``; ``bins`` as for numpy.histogram, or "tensorflow"."""
        self._add(_summary.histogram(tag, _numpy(values), bins, max_bins), global_step, walltime)

    def add_image(self, tag, img_tensor, global_step=None, walltime=None, dataformats="CHW"):
        """One image, laid out as ``dataformats`` (CHW, HWC, HW...); floats in [0, 1]."""
        hwc = _to_hwc(_image_uint8(_numpy(img_tensor)), dataformats)
        self._add(_summary.image(tag, hwc), global_step, walltime)

    def add_images(self, tag, img_tensor, global_step=None, walltime=None, dataformats="NCHW"):
        """A batch of images, tiled 8 per row into one image."""
        self.add_image(tag, img_tensor, global_step, walltime, dataformats)

    def add_figure(self, tag, figure, global_step=None, close=True, walltime=None):
        """A matplotlib figure (or a list of them), rendered to an image."""
        try:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
        except ImportError:
            raise ImportError("SummaryWriter.add_figure needs matplotlib, which is not "
                              "installed: pip install matplotlib") from None
        figures = figure if isinstance(figure, list) else [figure]
        images = []
        for fig in figures:
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            images.append(np.asarray(canvas.buffer_rgba())[:, :, :3].transpose(2, 0, 1))
            if close:
                import matplotlib.pyplot as plt
                plt.close(fig)
        batch = np.stack(images)
        self.add_image(tag, batch if isinstance(figure, list) else batch[0], global_step,
                       walltime, "NCHW" if isinstance(figure, list) else "CHW")

    def add_text(self, tag, text_string, global_step=None, walltime=None):
        """Markdown text, shown in the Text tab under ``tag``."""
        self._add(_summary.text(tag, text_string), global_step, walltime)

    def add_graph(self, model, input_to_model=None, verbose=False, use_strict_trace=True):
        """The model's graph, at module level, for the Graphs tab.

        torch traces with TorchScript, which ember lacks: here the model runs once
        on ``input_to_model`` (in eval mode, training flags restored after) and
        each leaf-module call becomes a node, linked by the data that flows
        between them; functional ops in between are not shown as nodes.
        ``use_strict_trace`` is accepted and unused.
        """
        graph = build_graph(model, input_to_model)
        if verbose:
            for node in graph.node:
                print(f"{node.name} ({node.op}) <- {list(node.input)}")
        self.file_writer.add_event(Event(graph_def=graph.SerializeToString(),
                                         wall_time=time.time()))

    def add_embedding(self, mat, metadata=None, label_img=None, global_step=None, tag="default",
                      metadata_header=None):
        """Vectors for the Projector tab: ``mat`` (N, D), optional per-row ``metadata``
        labels (or rows of columns named by ``metadata_header``) and ``label_img`` (N, C, H, W)
        thumbnails.  Writes tensors.tsv, metadata.tsv and sprite.png under
        ``<log_dir>/<step>/<tag>/`` and registers them in projector_config.pbtxt."""
        mat = _numpy(mat)
        if mat.ndim != 2:
            raise ValueError(f"mat should be 2D, where mat.size(0) is the number of data points, "
                             f"got shape {mat.shape}")
        step = str(0 if global_step is None else global_step).zfill(5)
        subdir = f"{step}/{urllib.parse.quote(tag, safe='')}"
        save_path = os.path.join(self.log_dir, subdir)
        os.makedirs(save_path, exist_ok=True)
        from . import _projector  # deferred: the projector protobufs load only for embeddings
        if metadata is not None:
            _projector.write_metadata(save_path, metadata, metadata_header, len(mat))
        sprite_dim = None
        if label_img is not None:
            sprite_dim = _projector.write_sprite(save_path, _image_uint8(_numpy(label_img)),
                                                 len(mat), _tile)
        _projector.write_tensors(save_path, mat)
        _projector.register(self.log_dir, f"{tag}:{step}", subdir, metadata is not None,
                            sprite_dim)

    def add_hparams(self, hparam_dict, metric_dict, hparam_domain_discrete=None, run_name=None,
                    global_step=None):
        """One trial for the HParams tab: its hyperparameters and final metrics, written to
        the run ``<log_dir>/<run_name>`` (default: the current time)."""
        summaries = _summary.hparams(hparam_dict, metric_dict, hparam_domain_discrete)
        run_dir = os.path.join(self.log_dir, run_name or str(time.time()))
        writer = self._writer(run_dir)
        for summary in summaries:
            self._add(summary, None, None, writer)
        for name, value in metric_dict.items():
            self._add(_summary.scalar(name, _numpy(value)), global_step, None, writer)

    def flush(self):
        for writer in self._writers.values():
            writer.flush()

    def close(self):
        for writer in self._writers.values():
            writer.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
