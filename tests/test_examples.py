"""The main job (README's first command) on fewer epochs: it learns real digits, saves, reloads."""
import pytest

pytest.importorskip("sklearn")


def test_mnist_demo_learns_and_reloads(tmp_path, capsys):
    from ember.examples.mnist import main
    path = tmp_path / "cnn.pt"
    acc = main(["--epochs", "3", "--quiet", "--save", str(path)])
    out = capsys.readouterr().out
    assert acc >= 90.0, out
    assert path.exists()
    assert "reloaded model gives identical predictions" in out


def test_mnist_demo_reads_idx_files(tmp_path, capsys):
    import gzip
    import numpy as np
    from ember.examples.mnist import main

    rng = np.random.default_rng(0)

    def write(name, arr):
        header = bytes([0, 0, 8, arr.ndim]) + b"".join(d.to_bytes(4, "big") for d in arr.shape)
        with gzip.open(tmp_path / (name + ".gz"), "wb") as f:
            f.write(header + arr.astype(np.uint8).tobytes())

    labels = rng.integers(0, 10, 96)
    images = np.zeros((96, 28, 28), np.uint8)
    for i, lab in enumerate(labels):          # a digit is a bright bar at a label-dependent row
        images[i, 2 + 2 * lab: 4 + 2 * lab, 4:24] = 255
    write("train-images-idx3-ubyte", images[:64])
    write("train-labels-idx1-ubyte", labels[:64])
    write("t10k-images-idx3-ubyte", images[64:])
    write("t10k-labels-idx1-ubyte", labels[64:])
    acc = main(["--data", str(tmp_path), "--epochs", "6", "--quiet", "--batch-size", "16",
                "--save", str(tmp_path / "m.pt")])
    assert acc >= 80.0, capsys.readouterr().out
