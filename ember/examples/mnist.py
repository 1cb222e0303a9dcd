"""Train the seed notes' CNN on real handwritten digits, report accuracy, save and reload it.

By default the data are scikit-learn's shipped 8x8 digits (no download),
upscaled to 28x28 so that the seeds' network (two 3x3 convolutions, one 2x2
max-pool, ``fc1 = Linear(9216, 128)``) applies unchanged. ``--data DIR`` reads
MNIST from local IDX files instead (train-images-idx3-ubyte[.gz], ...).

    python -m ember.examples.mnist [--epochs 5] [--data DIR] [--save model.pt]

Five epochs of Adam under a one-cycle learning-rate schedule reach about 98% on
the digits' held-out fifth in well under two minutes on two cores; ``--epochs``
sets more.
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    """The seeds' CNN (pooling once, so that 28x28 inputs give fc1's 9216 features)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = ember.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = self.dropout2(x)
        return self.fc2(x)


def load_digits_28(seed=0):
    """scikit-learn's 8x8 digits, upscaled to 28x28 and split 80/20 (stratified by shuffling)."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        sys.exit("the default data set needs scikit-learn: pip install 'ember[demo]' "
                 "(or pass --data DIR with MNIST IDX files)")
    digits = load_digits()
    images = digits.images.astype(np.float32) / 16.0
    x = F.interpolate(ember.from_numpy(images[:, None]), size=(28, 28), mode="bilinear",
                      align_corners=False)
    y = ember.from_numpy(digits.target.astype(np.int64))
    order = np.random.default_rng(seed).permutation(len(y))
    split = int(0.8 * len(y))
    train, test = order[:split], order[split:]
    return (x[ember.from_numpy(train)], y[ember.from_numpy(train)]), \
        (x[ember.from_numpy(test)], y[ember.from_numpy(test)])


def _read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def _find(directory, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"{stem}[.gz] not found in {directory}")


def load_mnist(directory):
    """MNIST from local IDX files, normalised as in PyTorch's MNIST example."""
    out = []
    for prefix in ("train", "t10k"):
        images = _read_idx(_find(directory, f"{prefix}-images-idx3-ubyte")).astype(np.float32)
        labels = _read_idx(_find(directory, f"{prefix}-labels-idx1-ubyte")).astype(np.int64)
        images = (images / 255.0 - 0.1307) / 0.3081
        out.append((ember.from_numpy(images[:, None].copy()), ember.from_numpy(labels.copy())))
    return out


def evaluate(model, loader):
    """Accuracy (in %) and the predictions over ``loader``."""
    model.eval()
    preds, correct, total = [], 0, 0
    with ember.no_grad():
        for xb, yb in loader:
            pred = model(xb).argmax(dim=1)
            preds.append(pred)
            correct += int((pred == yb).sum().item())
            total += len(yb)
    return 100.0 * correct / total, ember.cat(preds)


def _progress(iterable, desc, quiet):
    if quiet:
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, desc=desc, leave=False)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3, help="peak learning rate")
    p.add_argument("--data", help="directory with MNIST IDX files (default: scikit-learn digits)")
    p.add_argument("--save", default="mnist_cnn.pt", help="where to save the trained model")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    args = p.parse_args(argv)

    ember.manual_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = load_mnist(args.data) if args.data else \
        load_digits_28(args.seed)
    g = ember.Generator()
    g.manual_seed(args.seed)
    train_dl = DataLoader(TensorDataset(x_train, y_train), batch_size=args.batch_size,
                          shuffle=True, generator=g)
    test_dl = DataLoader(TensorDataset(x_test, y_test), batch_size=256)
    model = Net()
    optimizer = ember.optim.Adam(model.parameters(), lr=args.lr)
    schedule = ember.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr,
                                                   total_steps=args.epochs * len(train_dl))
    print(f"training on {len(y_train)} images, testing on {len(y_test)}")
    begin = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        model.train()
        start, running = time.perf_counter(), 0.0
        bar = _progress(train_dl, f"epoch {epoch}", args.quiet)
        for xb, yb in bar:
            loss = F.cross_entropy(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            running += loss.item() * len(yb)
            if hasattr(bar, "set_postfix"):
                bar.set_postfix(loss=f"{loss.item():.4f}")
        acc, _ = evaluate(model, test_dl)
        print(f"epoch {epoch}: train loss {running / len(y_train):.4f}, test accuracy "
              f"{acc:.2f}% ({time.perf_counter() - start:.1f}s)")

    acc, preds = evaluate(model, test_dl)
    ember.save(model.state_dict(), args.save)
    reloaded = Net()
    reloaded.load_state_dict(ember.load(args.save))
    acc2, preds2 = evaluate(reloaded, test_dl)
    same = bool((preds == preds2).all().item())
    print(f"test accuracy: {acc:.2f}% after {args.epochs} epochs "
          f"({time.perf_counter() - begin:.1f}s in all)")
    print(f"saved to {args.save}; reloaded model gives {'identical' if same else 'DIFFERENT'} "
          f"predictions ({acc2:.2f}%)")
    if not same:
        raise SystemExit("reloaded model disagrees with the trained one")
    return acc


if __name__ == "__main__":
    main()
