"""SummaryWriter: event files read back with tensorboard's own EventAccumulator."""
import io
import os

import numpy as np
import pytest

import ember

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing import event_accumulator as ea  # noqa: E402
from ember.utils.tensorboard import SummaryWriter  # noqa: E402


def load(path):
    acc = ea.EventAccumulator(str(path), size_guidance={ea.TENSORS: 0, ea.SCALARS: 0,
                                                         ea.IMAGES: 0, ea.HISTOGRAMS: 0})
    acc.Reload()
    return acc


def decode_png(encoded):
    Image = pytest.importorskip("PIL.Image")
    return np.asarray(Image.open(io.BytesIO(encoded)))


def test_scalars_read_back(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        for step in range(5):
            writer.add_scalar("training loss", ember.tensor(1.0 / (step + 1)), step)
        writer.add_scalar("lr", np.float64(0.1), 7, walltime=123.0)
        writer.add_scalar("exact", 0.5, 0, new_style=True, double_precision=True)
    acc = load(tmp_path)
    events = acc.Scalars("training loss")
    assert [e.step for e in events] == list(range(5))
    np.testing.assert_allclose([e.value for e in events], [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5], rtol=1e-6)
    lr = acc.Scalars("lr")[0]
    assert (lr.step, lr.wall_time) == (7, 123.0) and abs(lr.value - 0.1) < 1e-7
    from tensorboard.util import tensor_util
    tensor = acc.Tensors("exact")[0].tensor_proto
    assert tensor_util.make_ndarray(tensor) == 0.5 and tensor.dtype == 2  # DT_DOUBLE


def test_add_scalars_writes_one_run_per_key(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        writer.add_scalars("run/loss", {"train": 1.0, "val": 2.0}, 3)
    for key, value in (("train", 1.0), ("val", 2.0)):
        events = load(tmp_path / f"run_loss_{key}").Scalars("run/loss")
        assert [(e.step, e.value) for e in events] == [(3, value)]


def test_histogram_counts(tmp_path):
    values = np.random.default_rng(0).normal(size=1000)
    with SummaryWriter(tmp_path) as writer:
        writer.add_histogram("weights", ember.tensor(values), 1)
        writer.add_histogram("ten_bins", values, 2, bins=10)
    acc = load(tmp_path)
    histo = acc.Histograms("weights")[0].histogram_value
    assert histo.num == 1000 and histo.min == values.min() and histo.max == values.max()
    np.testing.assert_allclose([histo.sum, histo.sum_squares], [values.sum(), (values ** 2).sum()])
    assert sum(histo.bucket) == 1000
    # exponential buckets: each limit is 10% past the previous one (away from zero)
    limits = np.array([b for b in histo.bucket_limit if b > 1e-6])
    np.testing.assert_allclose(limits[1:] / limits[:-1], 1.1, rtol=1e-9)
    ten = acc.Histograms("ten_bins")[0].histogram_value
    counts, edges = np.histogram(values, bins=10)
    assert list(ten.bucket) == counts.tolist()
    np.testing.assert_allclose(ten.bucket_limit, edges[1:])


def test_histogram_errors(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        with pytest.raises(ValueError, match="got no values"):
            writer.add_histogram("empty", np.array([]))
        with pytest.raises(ValueError, match="NaN or infinite"):
            writer.add_histogram("nan", np.array([1.0, np.nan]))


def test_images_read_back(tmp_path):
    rng = np.random.default_rng(0)
    chw = rng.random((3, 4, 5)).astype(np.float32)
    hwc = rng.integers(0, 256, (6, 7, 3), dtype=np.uint8)
    with SummaryWriter(tmp_path) as writer:
        writer.add_image("chw", ember.tensor(chw), 0)
        writer.add_image("hwc", hwc, 1, dataformats="HWC")
        writer.add_image("gray", np.ones((4, 4)) * 0.5, 2, dataformats="HW")
        writer.add_images("batch", ember.rand(10, 1, 3, 2), 3)
        with pytest.raises(ValueError, match="dataformats 'CHW' does not describe"):
            writer.add_image("bad", np.zeros((2, 2)))
    acc = load(tmp_path)
    img = acc.Images("chw")[0]
    assert (img.width, img.height) == (5, 4)
    np.testing.assert_array_equal(decode_png(img.encoded_image_string),
                                  (chw * 255).astype(np.uint8).transpose(1, 2, 0))
    np.testing.assert_array_equal(decode_png(acc.Images("hwc")[0].encoded_image_string), hwc)
    gray = decode_png(acc.Images("gray")[0].encoded_image_string)
    assert gray.shape == (4, 4, 3) and (gray == 127).all()
    batch = acc.Images("batch")[0]
    assert (batch.width, batch.height) == (8 * 2, 2 * 3)  # 8 per row, 2 rows


def test_text(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        writer.add_text("notes", "**hello** 世界", 4)
    event = load(tmp_path).Tensors("notes/text_summary")[0]
    assert event.step == 4 and event.tensor_proto.string_val[0].decode() == "**hello** 世界"


def test_graph_of_a_resnet(tmp_path):
    from ember.vision import models
    model = models.resnet18().train()
    before = model.bn1.running_mean.clone()
    with SummaryWriter(tmp_path) as writer:
        writer.add_graph(model, ember.randn(1, 3, 32, 32))
    assert model.training and np.array_equal(model.bn1.running_mean.numpy(), before.numpy())
    nodes = {n.name: n for n in load(tmp_path).Graph().node}
    assert list(nodes["ResNet/conv1"].input) == ["input/input.0"]
    assert nodes["ResNet/layer1/0/conv1"].op == "Conv2d"
    assert list(nodes["ResNet/layer1/0/conv1"].input) == ["ResNet/maxpool"]
    # the residual sum feeds the block's second ReLU call: from bn2 and from the block input
    assert sorted(nodes["ResNet/layer1/0/relu_1"].input) == ["ResNet/layer1/0/bn2", "ResNet/maxpool"]
    assert sorted(nodes["ResNet/layer2/0/relu_1"].input) == ["ResNet/layer2/0/bn2",
                                                             "ResNet/layer2/0/downsample/1"]
    # flatten between avgpool and fc is crossed through autograd
    assert list(nodes["ResNet/fc"].input) == ["ResNet/avgpool"]
    assert list(nodes["output/output.0"].input) == ["ResNet/fc"]
    shape = nodes["ResNet/layer4/1/conv2"].attr["_output_shapes"].list.shape[0]
    assert [d.size for d in shape.dim] == [1, 512, 1, 1]


def test_graph_of_a_custom_module_with_two_inputs(tmp_path):
    class Net(ember.nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = ember.nn.Linear(3, 4), ember.nn.Linear(2, 4)

        def forward(self, x, y):
            return self.a(x) * self.b(y)

    with SummaryWriter(tmp_path) as writer:
        writer.add_graph(Net(), (ember.randn(5, 3), ember.randn(5, 2)))
    nodes = {n.name: n for n in load(tmp_path).Graph().node}
    assert list(nodes["Net/b"].input) == ["input/input.1"]
    assert sorted(nodes["output/output.0"].input) == ["Net/a", "Net/b"]


def test_embedding_projector_files(tmp_path):
    from google.protobuf import text_format
    from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig
    features = ember.randn(5, 3)
    labels = ["shirt", "bag", "shoe", "bag", "coat"]
    with SummaryWriter(tmp_path) as writer:
        writer.add_embedding(features, metadata=labels, label_img=ember.rand(5, 1, 4, 6))
        writer.add_embedding(features, metadata=[[1, "a"], [2, "b"], [3, "c"], [4, "d"], [5, "e"]],
                             metadata_header=["id", "name"], global_step=7, tag="with cols")
        with pytest.raises(ValueError, match="mat should be 2D"):
            writer.add_embedding(ember.randn(5))
        with pytest.raises(ValueError, match="metadata has 2 entries but mat has 5 rows"):
            writer.add_embedding(features, metadata=[1, 2])
    folder = tmp_path / "00000" / "default"
    rows = [line.split("\t") for line in (folder / "tensors.tsv").read_text().splitlines()]
    np.testing.assert_allclose(np.array(rows, dtype=np.float64), features.numpy(), rtol=1e-6)
    assert (folder / "metadata.tsv").read_text().splitlines() == labels
    sprite = decode_png((folder / "sprite.png").read_bytes())
    assert sprite.shape[:2] == (3 * 4, 3 * 6)  # 3x3 sheet of 4x6 thumbnails
    cols = (tmp_path / "00007" / "with%20cols" / "metadata.tsv").read_text().splitlines()
    assert cols[0] == "id\tname" and cols[2] == "2\tb"
    config = text_format.Parse((tmp_path / "projector_config.pbtxt").read_text(), ProjectorConfig())
    by_name = {e.tensor_name: e for e in config.embeddings}
    assert set(by_name) == {"default:00000", "with cols:00007"}
    first = by_name["default:00000"]
    assert first.tensor_path == "00000/default/tensors.tsv"
    assert first.metadata_path == "00000/default/metadata.tsv"
    assert first.sprite.image_path == "00000/default/sprite.png"
    assert list(first.sprite.single_image_dim) == [6, 4]
    assert not by_name["with cols:00007"].sprite.image_path


def test_hparams(tmp_path):
    from tensorboard.plugins.hparams import metadata
    with SummaryWriter(tmp_path) as writer:
        writer.add_hparams({"lr": 0.1, "optimizer": "sgd", "nesterov": True, "unused": None},
                           {"accuracy": 0.75}, run_name="trial1")
        with pytest.raises(ValueError, match="hparam 'bad'"):
            writer.add_hparams({"bad": [1, 2]}, {"accuracy": 1.0})
    acc = load(tmp_path / "trial1")
    start = metadata.parse_session_start_info_plugin_data(
        acc.SummaryMetadata(metadata.SESSION_START_INFO_TAG).plugin_data.content)
    assert start.hparams["lr"].number_value == 0.1
    assert start.hparams["optimizer"].string_value == "sgd"
    assert start.hparams["nesterov"].bool_value is True and "unused" not in start.hparams
    experiment = metadata.parse_experiment_plugin_data(
        acc.SummaryMetadata(metadata.EXPERIMENT_TAG).plugin_data.content)
    assert [m.name.tag for m in experiment.metric_infos] == ["accuracy"]
    assert acc.Scalars("accuracy")[0].value == 0.75


def test_purge_step_hides_later_events(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        for step in range(10):
            writer.add_scalar("x", step, step)
    with SummaryWriter(tmp_path, purge_step=5) as writer:
        writer.add_scalar("x", 100.0, 5)
    assert [(e.step, e.value) for e in load(tmp_path).Scalars("x")] == \
        [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 100)]


def test_default_log_dir_flush_and_close(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    writer = SummaryWriter(comment="_exp")
    assert writer.get_logdir().startswith("runs" + os.sep) and writer.log_dir.endswith("_exp")
    writer.add_scalar("a", 1.0, 0)
    writer.flush()
    assert load(writer.log_dir).Scalars("a")[0].value == 1.0
    writer.close()


def test_add_figure_renders_matplotlib(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig = plt.figure(figsize=(2, 1), dpi=50)
    fig.gca().plot([0, 1], [1, 0])
    with SummaryWriter(tmp_path) as writer:
        writer.add_figure("plot", fig, 0)
    image = load(tmp_path).Images("plot")[0]
    assert (image.width, image.height) == (100, 50) and not plt.get_fignums()
