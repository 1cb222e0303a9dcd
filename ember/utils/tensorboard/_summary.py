"""Summary protos for TensorBoard, built with the ``tensorboard`` package's own message types.

Inputs are NumPy arrays (the writer converts tensors first).  Scalars,
histograms and images use the classic ``simple_value``/``histo``/``image``
fields (what ``event_accumulator`` and every TensorBoard version read); text
and hparams use their plugins' metadata helpers.
"""
import io
import math

import numpy as np
from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary
from tensorboard.plugins.hparams import api_pb2, metadata as hparams_metadata, plugin_data_pb2
from tensorboard.plugins.scalar import metadata as scalar_metadata
from tensorboard.plugins.text import metadata as text_metadata
from tensorboard.util import tensor_util


def scalar(tag, value, new_style=False, double_precision=False):
    value = float(value)
    if not new_style:
        return Summary(value=[Summary.Value(tag=tag, simple_value=value)])
    array = np.array(value, dtype=np.float64 if double_precision else np.float32)
    return Summary(value=[Summary.Value(
        tag=tag, tensor=tensor_util.make_tensor_proto(array),
        metadata=scalar_metadata.create_summary_metadata(display_name="", description=""))])


def _exponential_edges():
    """Bucket edges TensorFlow's default histograms use: +-1e-12 growing by 10% to +-1e20,
    and 0 (fine resolution near zero, a bounded count over any range)."""
    positive = 1e-12 * 1.1 ** np.arange(math.ceil(math.log(1e32) / math.log(1.1)))
    positive = positive[positive < 1e20]
    return np.concatenate([-positive[::-1], [0.0], positive])


_TF_EDGES = None


def histogram(tag, values, bins="tensorflow", max_bins=None):
    """Counts of ``values`` in ``bins`` ("tensorflow" exponential buckets, or any
    ``numpy.histogram`` bins); empty buckets at both ends are dropped."""
    global _TF_EDGES
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    if values.size == 0:
        raise ValueError(f"add_histogram({tag!r}) got no values")
    if not np.isfinite(values).all():
        raise ValueError(f"add_histogram({tag!r}) got NaN or infinite values")
    if isinstance(bins, str) and bins == "tensorflow":
        if _TF_EDGES is None:
            _TF_EDGES = _exponential_edges()
        bins = _TF_EDGES
    counts, edges = np.histogram(values, bins=bins)
    if max_bins is not None and len(counts) > max_bins:
        group = -(-len(counts) // max_bins)
        pad = (-len(counts)) % group
        counts = np.pad(counts, (0, pad)).reshape(-1, group).sum(axis=1)
        edges = np.concatenate([edges[:-1:group], edges[-1:]])
    nonzero = np.flatnonzero(counts)
    first, last = max(nonzero[0] - 1, 0), nonzero[-1] + 1  # keep one empty bucket on the left
    histo = HistogramProto(min=values.min(), max=values.max(), num=values.size,
                           sum=values.sum(), sum_squares=np.dot(values, values),
                           bucket_limit=edges[1:][first:last].tolist(),
                           bucket=counts[first:last].astype(np.float64).tolist())
    return Summary(value=[Summary.Value(tag=tag, histo=histo)])


def png_bytes(hwc_uint8):
    """PNG file bytes of an (H, W, C) uint8 image (Pillow does the encoding)."""
    from ember.vision._pil import require_pillow  # deferred: ember.vision loads only for images
    Image = require_pillow("Writing images to TensorBoard")
    arr = hwc_uint8[:, :, 0] if hwc_uint8.shape[2] == 1 else hwc_uint8
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(arr)).save(buf, format="PNG")
    return buf.getvalue()


def image(tag, hwc_uint8):
    height, width, channels = hwc_uint8.shape
    img = Summary.Image(height=height, width=width, colorspace=channels,
                        encoded_image_string=png_bytes(hwc_uint8))
    return Summary(value=[Summary.Value(tag=tag, image=img)])


def text(tag, string):
    tensor = tensor_util.make_tensor_proto(np.array([string.encode("utf-8")], dtype=object))
    meta = text_metadata.create_summary_metadata(display_name=None, description=None)
    return Summary(value=[Summary.Value(tag=tag + "/text_summary", metadata=meta, tensor=tensor)])


def _hparams_summary(tag, **plugin_data):
    data = plugin_data_pb2.HParamsPluginData(version=hparams_metadata.PLUGIN_DATA_VERSION,
                                             **plugin_data)
    return Summary(value=[Summary.Value(tag=tag, tensor=hparams_metadata.NULL_TENSOR,
                                        metadata=hparams_metadata.create_summary_metadata(data))])


def _hparam_value(name, value):
    """(struct Value, DataType) of one hyperparameter value."""
    from google.protobuf import struct_pb2
    if isinstance(value, bool):
        return struct_pb2.Value(bool_value=value), api_pb2.DATA_TYPE_BOOL
    if isinstance(value, (int, float, np.integer, np.floating)):
        return struct_pb2.Value(number_value=float(value)), api_pb2.DATA_TYPE_FLOAT64
    if isinstance(value, str):
        return struct_pb2.Value(string_value=value), api_pb2.DATA_TYPE_STRING
    if hasattr(value, "item") and getattr(value, "numel", lambda: 1)() == 1:
        return _hparam_value(name, value.item())
    raise ValueError(f"hparam {name!r} has value {value!r} of type {type(value).__name__}; "
                     "use a bool, int, float, str or one-element tensor")


def hparams(hparam_dict, metric_dict, hparam_domain_discrete=None):
    """(experiment, session start, session end) summaries for the HParams dashboard."""
    from google.protobuf import struct_pb2
    if not isinstance(hparam_dict, dict) or not isinstance(metric_dict, dict):
        raise TypeError("hparam_dict and metric_dict should be dictionaries.")
    domains = hparam_domain_discrete or {}
    for key, domain in domains.items():
        if key not in hparam_dict or not isinstance(domain, list) or \
                any(not isinstance(d, type(hparam_dict[key])) for d in domain):
            raise TypeError(f"parameter: hparam_domain_discrete[{key}] should be a list of the "
                            f"same type as hparam_dict[{key}].")
    values, infos = {}, []
    for name, value in hparam_dict.items():
        if value is None:
            continue
        values[name], dtype = _hparam_value(name, value)
        info = api_pb2.HParamInfo(name=name, type=dtype)
        if name in domains:
            info.domain_discrete.CopyFrom(struct_pb2.ListValue(
                values=[_hparam_value(name, d)[0] for d in domains[name]]))
        infos.append(info)
    experiment = api_pb2.Experiment(
        hparam_infos=infos,
        metric_infos=[api_pb2.MetricInfo(name=api_pb2.MetricName(tag=k)) for k in metric_dict])
    start = plugin_data_pb2.SessionStartInfo(hparams=values)
    end = plugin_data_pb2.SessionEndInfo(status=api_pb2.STATUS_SUCCESS)
    return (_hparams_summary(hparams_metadata.EXPERIMENT_TAG, experiment=experiment),
            _hparams_summary(hparams_metadata.SESSION_START_INFO_TAG, session_start_info=start),
            _hparams_summary(hparams_metadata.SESSION_END_INFO_TAG, session_end_info=end))
