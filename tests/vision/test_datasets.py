"""ember.vision.datasets on small files written to tmp_path in the real formats."""
import gzip
import pickle
import struct

import numpy as np
import pytest

import ember
from ember.vision import datasets, transforms as T
from ember.vision.datasets.mnist import read_idx


def write_idx(path, array, gz=False):
    """An IDX file: 0, 0, type code, ndim, big-endian sizes, big-endian data."""
    codes = {np.dtype(np.uint8): 0x08, np.dtype(">i4"): 0x0C, np.dtype(">f4"): 0x0D}
    array = np.asarray(array)
    array = array.astype(array.dtype.newbyteorder(">")) if array.dtype.itemsize > 1 else array
    raw = bytes([0, 0, codes[array.dtype], array.ndim]) + \
        struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    (gzip.open if gz else open)(str(path) + (".gz" if gz else ""), "wb").write(raw)


def make_mnist(root, cls="MNIST", n_train=5, n_test=3, gz=False):
    rng = np.random.default_rng(0)
    raw = root / cls / "raw"
    data = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, n).astype(np.uint8)
        write_idx(raw / f"{prefix}-images-idx3-ubyte", images, gz)
        write_idx(raw / f"{prefix}-labels-idx1-ubyte", labels, gz)
        data[prefix] = (images, labels)
    return data


def test_read_idx_types_and_errors(tmp_path):
    arr = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
    write_idx(tmp_path / "a.idx", arr)
    out = read_idx(tmp_path / "a.idx")
    assert out.dtype == np.int32 and np.array_equal(out, arr)
    write_idx(tmp_path / "f.idx", np.array([1.5, -2.0], np.float32), gz=True)
    assert read_idx(str(tmp_path / "f.idx") + ".gz").tolist() == [1.5, -2.0]
    (tmp_path / "bad").write_bytes(b"\x01\x02\x08\x01abcd")
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(tmp_path / "bad")
    (tmp_path / "short").write_bytes(bytes([0, 0, 8, 1]) + struct.pack(">I", 10) + b"abc")
    with pytest.raises(ValueError, match=r"shape \(10,\) \(18 bytes\) but the file has 11 bytes"):
        read_idx(tmp_path / "short")


@pytest.mark.parametrize("gz", [False, True])
def test_mnist_reads_raw_idx_files(tmp_path, gz):
    data = make_mnist(tmp_path, gz=gz)
    train = datasets.MNIST(str(tmp_path), train=True, transform=T.ToTensor())
    test = datasets.MNIST(tmp_path, train=False)
    assert len(train) == 5 and len(test) == 3
    assert train.data.dtype == ember.uint8 and tuple(train.data.shape) == (5, 28, 28)
    assert train.targets.dtype == ember.int64
    assert train.targets.tolist() == data["train"][1].tolist()
    img, target = train[2]
    assert isinstance(target, int) and target == int(data["train"][1][2])
    assert tuple(img.shape) == (1, 28, 28)
    np.testing.assert_allclose(img.numpy()[0], data["train"][0][2] / 255.0, rtol=1e-6)
    raw_img, _ = test[0]
    np.testing.assert_array_equal(np.asarray(raw_img), data["t10k"][0][0])
    assert train.class_to_idx["3 - three"] == 3
    assert "Split: Train" in repr(train) and "ToTensor()" in repr(train)


def test_mnist_target_transform_and_loader(tmp_path):
    make_mnist(tmp_path, n_train=6)
    ds = datasets.MNIST(tmp_path, transform=T.ToTensor(), target_transform=lambda t: t + 100)
    assert ds[0][1] >= 100
    loader = ember.utils.data.DataLoader(ds, batch_size=4)
    images, labels = next(iter(loader))
    assert tuple(images.shape) == (4, 1, 28, 28) and labels.dtype == ember.int64


def test_mnist_processed_layout(tmp_path):
    data = ember.randint(0, 255, (4, 28, 28)).to(ember.uint8)
    targets = ember.tensor([1, 2, 3, 4])
    (tmp_path / "MNIST" / "processed").mkdir(parents=True)
    ember.save((data, targets), tmp_path / "MNIST" / "processed" / "test.pt")
    ds = datasets.MNIST(tmp_path, train=False)
    assert len(ds) == 4 and ds[3][1] == 4
    assert np.array_equal(ds.data.numpy(), data.numpy())


def test_fashion_mnist_uses_own_folder_and_classes(tmp_path):
    make_mnist(tmp_path, cls="FashionMNIST")
    ds = datasets.FashionMNIST(tmp_path)
    assert ds.classes[9] == "Ankle boot" and len(ds) == 5
    with pytest.raises(RuntimeError, match="KMNIST"):
        datasets.KMNIST(tmp_path)


def test_missing_files_and_download_explain_ember_never_downloads(tmp_path):
    with pytest.raises(RuntimeError, match=r"never downloads.*") as info:
        datasets.MNIST(tmp_path, download=True)
    assert str(tmp_path / "MNIST" / "raw") in str(info.value)
    assert "train-images-idx3-ubyte" in str(info.value)
    make_mnist(tmp_path)
    assert len(datasets.MNIST(tmp_path, download=True)) == 5  # files present: nothing to do


def test_cifar10_reads_pickled_batches(tmp_path):
    rng = np.random.default_rng(0)
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    batches = []
    for name in ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5",
                 "test_batch"]:
        batch = {"data": rng.integers(0, 256, (2, 3072), dtype=np.uint8),
                 "labels": rng.integers(0, 10, 2).tolist()}
        (folder / name).write_bytes(pickle.dumps(batch))
        batches.append(batch)
    (folder / "batches.meta").write_bytes(pickle.dumps({"label_names": [f"c{i}" for i in range(10)]}))
    train = datasets.CIFAR10(tmp_path, transform=T.ToTensor())
    assert len(train) == 10 and train.data.shape == (10, 32, 32, 3)
    assert train.targets == sum((b["labels"] for b in batches[:5]), [])
    img, target = train[3]
    expected = batches[1]["data"][1].reshape(3, 32, 32) / 255.0
    np.testing.assert_allclose(img.numpy(), expected, rtol=1e-6)
    assert target == batches[1]["labels"][1] and train.classes[2] == "c2"
    test = datasets.CIFAR10(tmp_path, train=False)
    assert len(test) == 2 and test.class_to_idx["c7"] == 7


def test_cifar_refuses_foreign_pickles(tmp_path):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    (folder / "test_batch").write_bytes(pickle.dumps({"data": np.zeros((1, 3072), np.uint8),
                                                      "labels": [0], "x": ember.Size([1])}))
    (folder / "batches.meta").write_bytes(pickle.dumps({"label_names": ["a"]}))
    with pytest.raises(pickle.UnpicklingError, match="refusing"):
        datasets.CIFAR10(tmp_path, train=False)


def test_image_folder(tmp_path):
    Image = pytest.importorskip("PIL.Image")
    rng = np.random.default_rng(0)
    for cls, n in (("cat", 2), ("dog", 3)):
        (tmp_path / cls / "sub").mkdir(parents=True)
        for i in range(n):
            Image.fromarray(rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)).save(
                tmp_path / cls / ("sub" if i == 2 else "") / f"{i}.png")
    (tmp_path / "dog" / "notes.txt").write_text("not an image")
    ds = datasets.ImageFolder(str(tmp_path), transform=T.ToTensor())
    assert ds.classes == ["cat", "dog"] and ds.class_to_idx == {"cat": 0, "dog": 1}
    assert len(ds) == 5 and ds.targets == [0, 0, 1, 1, 1] and ds.imgs == ds.samples
    assert ds.samples[4][0].endswith("sub/2.png")
    img, target = ds[4]
    assert tuple(img.shape) == (3, 6, 8) and target == 1
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="Found no valid file for the classes empty"):
        datasets.ImageFolder(tmp_path)
    assert len(datasets.ImageFolder(tmp_path, allow_empty=True)) == 5


def test_dataset_folder_custom_loader_and_errors(tmp_path):
    for cls in ("a", "b"):
        (tmp_path / cls).mkdir()
        (tmp_path / cls / "x.txt").write_text(cls * 3)
    ds = datasets.DatasetFolder(tmp_path, loader=lambda p: open(p).read(), extensions=(".txt",))
    assert [ds[i] for i in range(len(ds))] == [("aaa", 0), ("bbb", 1)]
    with pytest.raises(ValueError, match="Both extensions and is_valid_file"):
        datasets.DatasetFolder(tmp_path, loader=open)
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder"):
        datasets.DatasetFolder(tmp_path / "a", loader=open, extensions=".txt")


def test_fake_data_is_deterministic_per_index():
    to_tensor = T.PILToTensor() if _has_pil() else T.ToTensor()
    ds = datasets.FakeData(size=4, image_size=(3, 5, 6), num_classes=3, transform=to_tensor)
    first, again = ds[2], ds[2]
    assert np.array_equal(first[0].numpy(), again[0].numpy()) and first[1] == again[1]
    assert tuple(first[0].shape) == (3, 5, 6) and 0 <= first[1] < 3
    assert not np.array_equal(ds[1][0].numpy(), first[0].numpy())
    assert np.asarray(datasets.FakeData(2, (1, 4, 4))[0][0]).shape == (4, 4)
    with pytest.raises(IndexError):
        ds[4]
    assert len(ds) == 4


def _has_pil():
    from ember.vision._pil import Image
    return Image is not None
