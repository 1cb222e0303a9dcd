"""Files for TensorBoard's Projector tab: tensors.tsv, metadata.tsv, sprite.png and the
run's projector_config.pbtxt (a ProjectorConfig in protobuf text format)."""
import math
import os

import numpy as np
from google.protobuf import text_format
from tensorboard.plugins.projector.projector_config_pb2 import EmbeddingInfo, ProjectorConfig

from ._summary import png_bytes

CONFIG_FILE = "projector_config.pbtxt"


def _check_count(what, count, expected):
    if count != expected:
        raise ValueError(f"{what} has {count} entries but mat has {expected} rows; give one per "
                         "data point")


def write_tensors(save_path, mat):
    with open(os.path.join(save_path, "tensors.tsv"), "w", encoding="utf-8") as f:
        for row in mat:
            f.write("\t".join(repr(float(x)) for x in row) + "\n")


def write_metadata(save_path, metadata, header, count):
    """One line per data point; with ``header``, a header line and one column per name."""
    metadata = metadata.tolist() if hasattr(metadata, "tolist") else list(metadata)
    _check_count("metadata", len(metadata), count)
    lines = []
    if header is not None:
        lines.append("\t".join(str(h) for h in header))
        lines += ["\t".join(str(v) for v in row) for row in metadata]
    else:
        lines += [str(v) for v in metadata]
    with open(os.path.join(save_path, "metadata.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def write_sprite(save_path, images, count, tile):
    """All thumbnails on one square sheet, row by row; returns [width, height] of one."""
    if images.ndim != 4:
        raise ValueError(f"label_img should be (N, C, H, W), got shape {images.shape}")
    _check_count("label_img", len(images), count)
    side = int(math.ceil(math.sqrt(len(images))))
    sheet = tile(images, side, side).transpose(1, 2, 0)
    with open(os.path.join(save_path, "sprite.png"), "wb") as f:
        f.write(png_bytes(np.ascontiguousarray(sheet)))
    return [images.shape[3], images.shape[2]]


def register(log_dir, tensor_name, subdir, has_metadata, sprite_dim):
    """Add (or replace) the embedding ``tensor_name`` in the run's projector config."""
    path = os.path.join(log_dir, CONFIG_FILE)
    config = ProjectorConfig()
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            text_format.Parse(f.read(), config)
    kept = [e for e in config.embeddings if e.tensor_name != tensor_name]
    del config.embeddings[:]
    config.embeddings.extend(kept)
    info = EmbeddingInfo(tensor_name=tensor_name, tensor_path=f"{subdir}/tensors.tsv")
    if has_metadata:
        info.metadata_path = f"{subdir}/metadata.tsv"
    if sprite_dim is not None:
        info.sprite.image_path = f"{subdir}/sprite.png"
        info.sprite.single_image_dim.extend(sprite_dim)
    config.embeddings.append(info)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text_format.MessageToString(config))
