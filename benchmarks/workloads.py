"""The benchmark workloads, each written once against a framework module.

Every ``build(lib)`` receives ``ember`` or ``torch`` (or, for the matmul
workloads, a thin NumPy shim) and returns a ``step()`` callable that does one
unit of work: a training step is forward + loss + backward + optimizer step.
The same model code therefore runs on both frameworks, so the comparison
measures the framework and nothing else.

This module imports neither ember nor torch; ``run.py`` passes them in.
"""
from dataclasses import dataclass
from typing import Callable, Optional, Tuple


@dataclass(frozen=True)
class Workload:
    """One benchmark: how to build its step, what it needs, and its target.

    ``requires`` lists dotted attribute paths (relative to the framework
    module) the workload uses beyond the tensor core, so that a framework
    still missing one is reported as skipped instead of failing.  ``target``
    is the highest acceptable median paired ratio ``ember / reference``.
    ``inner`` steps are timed together (for sub-millisecond steps) and the
    result divided by ``inner``.
    """

    key: str
    name: str
    summary: str
    build: Callable
    target: float
    requires: Tuple[str, ...] = ()
    frameworks: Tuple[str, ...] = ("ember", "torch")
    reference: str = "torch"
    pairs: int = 15
    warmup: int = 3
    inner: int = 1
    flops: Optional[float] = None
    memory: bool = True


def _seeded(lib):
    lib.manual_seed(0)


def _train_step(model, loss_fn, opt, x, y):
    """forward + loss + backward + optimizer step on fixed data."""
    model.train()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return step


def _mnist_cnn(lib):
    nn = lib.nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Dropout(0.25), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 10))


def build_mnist_cnn(lib):
    _seeded(lib)
    model = _mnist_cnn(lib)
    x, y = lib.randn(64, 1, 28, 28), lib.randint(0, 10, (64,))
    return _train_step(model, lib.nn.CrossEntropyLoss(), lib.optim.Adam(model.parameters()), x, y)


def build_mnist_cnn_infer(lib):
    _seeded(lib)
    model = _mnist_cnn(lib).eval()
    x = lib.randn(64, 1, 28, 28)

    def step():
        with lib.no_grad():
            model(x)
    return step


def build_mlp(lib):
    _seeded(lib)
    nn = lib.nn
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = lib.randn(64, 784), lib.randint(0, 10, (64,))
    return _train_step(model, nn.CrossEntropyLoss(), opt, x, y)


def build_lstm_lm(lib):
    _seeded(lib)
    nn = lib.nn
    vocab, batch, seq = 10000, 20, 35

    class LanguageModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(vocab, 128)
            self.lstm = nn.LSTM(128, 256, num_layers=2, batch_first=True)
            self.decoder = nn.Linear(256, vocab)

        def forward(self, tokens):
            out, _ = self.lstm(self.embed(tokens))
            return self.decoder(out).reshape(-1, vocab)

    model = LanguageModel()
    opt = lib.optim.SGD(model.parameters(), lr=0.1)
    tokens = lib.randint(0, vocab, (batch, seq))
    targets = lib.randint(0, vocab, (batch * seq,))
    return _train_step(model, nn.CrossEntropyLoss(), opt, tokens, targets)


def _cifar_convnet(lib):
    nn = lib.nn

    def block(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]

    return nn.Sequential(
        *block(3, 32), nn.MaxPool2d(2), *block(32, 64), nn.MaxPool2d(2), *block(64, 64),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


def build_cifar_convnet(lib):
    _seeded(lib)
    nn = lib.nn
    model = _cifar_convnet(lib)
    opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = lib.randn(32, 3, 32, 32), lib.randint(0, 10, (32,))
    return _train_step(model, nn.CrossEntropyLoss(), opt, x, y)


def build_transformer(lib):
    _seeded(lib)
    nn = lib.nn

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            layer = nn.TransformerEncoderLayer(128, 4, dim_feedforward=512, dropout=0.1,
                                               batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, num_layers=2)
            self.head = nn.Linear(128, 10)

        def forward(self, x):
            return self.head(self.encoder(x).mean(dim=1))

    model = Classifier()
    x, y = lib.randn(16, 64, 128), lib.randint(0, 10, (16,))
    return _train_step(model, nn.CrossEntropyLoss(), lib.optim.Adam(model.parameters()), x, y)


def matmul(n):
    def build(lib):
        _seeded(lib)
        a, b = lib.randn(n, n), lib.randn(n, n)
        return lambda: lib.matmul(a, b)
    return build


def build_wgan_gp(lib):
    """One WGAN-GP critic step: Wasserstein loss plus the gradient penalty on interpolates
    (a backward with create_graph, then a backward through it)."""
    _seeded(lib)
    nn = lib.nn
    critic = nn.Sequential(nn.Linear(64, 256), nn.LeakyReLU(0.2), nn.Linear(256, 256),
                           nn.LeakyReLU(0.2), nn.Linear(256, 1))
    opt = lib.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.5, 0.9))
    real, fake = lib.randn(64, 64), lib.randn(64, 64)
    alpha = lib.rand(64, 1)

    def step():
        mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
        grads, = lib.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
        penalty = ((grads.norm(2, dim=1) - 1) ** 2).mean()
        loss = critic(fake).mean() - critic(real).mean() + 10 * penalty
        opt.zero_grad()
        loss.backward()
        opt.step()
    return step


def build_pinn(lib):
    """One physics-informed step: u(x) a tanh MLP, the residual u'' + pi^2 sin(pi x) from two
    create_graph derivatives in x, its mean square plus boundary terms, Adam."""
    _seeded(lib)
    nn = lib.nn
    net = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(),
                        nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
    opt = lib.optim.Adam(net.parameters(), lr=1e-3)
    x = (lib.rand(128, 1) * 2 - 1).requires_grad_(True)
    edges = lib.tensor([[-1.0], [1.0]])
    source = 3.141592653589793 ** 2 * lib.sin(3.141592653589793 * x.detach())

    def step():
        u = net(x)
        du, = lib.autograd.grad(u.sum(), x, create_graph=True)
        d2u, = lib.autograd.grad(du.sum(), x, create_graph=True)
        loss = ((d2u + source) ** 2).mean() + (net(edges) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return step


def add(*shape):
    def build(lib):
        _seeded(lib)
        x, y = lib.randn(*shape), lib.randn(*shape)
        return lambda: x + y
    return build


def scale_sum_backward(*shape):
    def build(lib):
        _seeded(lib)
        x = lib.randn(*shape, requires_grad=True)
        return lambda: (x * 2).sum().backward()
    return build


_LOSS = ("nn.CrossEntropyLoss", "optim")
_MNIST = ("nn.Conv2d", "nn.ReLU", "nn.MaxPool2d", "nn.Dropout", "nn.Flatten", "nn.Linear")
_MATMUL = dict(frameworks=("ember", "numpy", "torch"), reference="numpy", target=1.05,
               memory=False)
_OVERHEAD = dict(target=1.0, memory=False, pairs=20, warmup=200)


def build_per_sample_grads(lib):
    """Per-example gradients of an MLP's loss: ``vmap(grad(loss))`` over a batch of 64 with
    the model's parameters passed through ``func.functional_call``."""
    _seeded(lib)
    nn, func = lib.nn, lib.func
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    params = {k: v.detach() for k, v in model.named_parameters()}
    x, y = lib.randn(64, 784), lib.randint(0, 10, (64,))

    def loss(p, xb, yb):
        out = func.functional_call(model, p, (xb.unsqueeze(0),))
        return nn.functional.cross_entropy(out, yb.unsqueeze(0))
    per_sample = func.vmap(func.grad(loss), in_dims=(None, 0, 0))

    def step():
        per_sample(params, x, y)
    return step

WORKLOADS = [
    Workload("W1", "mnist-cnn", "MNIST CNN training step, Adam, batch 64x1x28x28",
             build_mnist_cnn, 1.2, _MNIST + _LOSS, pairs=12, warmup=2),
    Workload("W1i", "mnist-cnn-infer", "MNIST CNN inference (eval, no_grad), batch 64",
             build_mnist_cnn_infer, 1.2, _MNIST, pairs=15, warmup=2),
    Workload("W2", "mlp", "MLP 784-128-10 training step, SGD momentum, batch 64",
             build_mlp, 1.0, ("nn.Linear", "nn.ReLU") + _LOSS, pairs=30, inner=10, warmup=10),
    Workload("W3", "lstm-lm", "2-layer LSTM LM (vocab 10000) training step, batch 20, seq 35",
             build_lstm_lm, 1.5, ("nn.Embedding", "nn.LSTM", "nn.Linear") + _LOSS,
             pairs=8, warmup=1),
    Workload("W4a", "matmul-1024", "1024^3 float32 matmul (reference: NumPy)",
             matmul(1024), flops=2 * 1024 ** 3, pairs=20, **_MATMUL),
    Workload("W4b", "matmul-2048", "2048^3 float32 matmul (reference: NumPy)",
             matmul(2048), flops=2 * 2048 ** 3, pairs=8, warmup=1, **_MATMUL),
    Workload("W5a", "add-1", "x + y on 1-element tensors", add(1), inner=2000, **_OVERHEAD),
    Workload("W5b", "add-64x128", "x + y on 64x128 tensors", add(64, 128), inner=2000,
             **_OVERHEAD),
    Workload("W5c", "backward-1", "(x*2).sum().backward() on 1 element",
             scale_sum_backward(1), inner=500, **_OVERHEAD),
    Workload("W5d", "backward-64x128", "(x*2).sum().backward() on 64x128 elements",
             scale_sum_backward(64, 128), inner=500, **_OVERHEAD),
    Workload("W6", "cifar-convnet", "3x(Conv3x3+BN+ReLU) CIFAR convnet, SGD momentum, "
             "batch 32x3x32x32", build_cifar_convnet, 1.2,
             ("nn.Conv2d", "nn.BatchNorm2d", "nn.ReLU", "nn.MaxPool2d", "nn.AdaptiveAvgPool2d",
              "nn.Flatten", "nn.Linear") + _LOSS, pairs=15, warmup=2),
    Workload("W7", "transformer", "2-layer TransformerEncoder d128 h4 ff512, seq 64, batch 16, "
             "Adam", build_transformer, 1.5,
             ("nn.TransformerEncoder", "nn.TransformerEncoderLayer", "nn.Linear") + _LOSS,
             pairs=15, warmup=2),
    Workload("W8", "wgan-gp", "WGAN-GP critic step (gradient penalty), MLP 64-256-256-1, "
             "batch 64, Adam", build_wgan_gp, 1.5, ("nn.Linear", "nn.LeakyReLU", "optim"),
             pairs=15, warmup=3),
    Workload("W9", "pinn", "PINN step: u'' of a tanh MLP 1-32-32-32-1 at 128 points, Adam",
             build_pinn, 1.5, ("nn.Linear", "nn.Tanh", "optim"), pairs=15, warmup=3),
    Workload("W10", "per-sample-grads", "per-example gradients, vmap(grad) of an MLP "
             "784-128-10 loss over a batch of 64 (reference: torch.func)",
             build_per_sample_grads, 2.0, ("func.vmap", "func.grad", "func.functional_call",
                                           "nn.Linear", "nn.ReLU"), pairs=15, warmup=3),
]


def select(only=None):
    """Workloads named by ``only``: comma-separated keys or names, case-insensitive.

    A key also selects its lettered variants (``W5`` selects W5a..W5d, ``W1``
    selects W1 and W1i).  All workloads when ``only`` is empty.
    """
    if not only:
        return list(WORKLOADS)
    wanted = {o.strip().lower() for o in only.split(",")}
    return [w for w in WORKLOADS
            if w.name in wanted or w.key.lower().rstrip("abcdi") in wanted
            or w.key.lower() in wanted]
