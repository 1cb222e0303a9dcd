"""The user's study notes (shared/seeds) run on ember unchanged, through ``ember run``.

Each script below is a snippet from the notes, with only the surrounding
definitions the note leaves out (data, a model class) added. Snippets that
are themselves wrong must fail with an error clearer than PyTorch's.
"""
import subprocess
import sys
import textwrap

import pytest


def run_script(tmp_path, body):
    script = tmp_path / "snippet.py"
    script.write_text(textwrap.dedent(body))
    return subprocess.run([sys.executable, "-m", "ember", "run", str(script)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)


def ok(tmp_path, body):
    res = run_script(tmp_path, body)
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout


def fails(tmp_path, body, exc, *fragments):
    res = run_script(tmp_path, body)
    assert res.returncode != 0, res.stdout
    assert any(line.startswith(exc + ":") for line in res.stderr.splitlines()), res.stderr
    for f in fragments:
        assert f in res.stderr, (f, res.stderr)
    return res.stderr


def test_001_tensor_basics(tmp_path):
    out = ok(tmp_path, """
        import numpy as np
        import torch
        x = torch.empty(5, 3)
        x = torch.rand(5, 3)
        x = torch.zeros(5, 3, dtype=torch.long)
        x = torch.tensor([5.5, 3])
        x = x.new_ones(5, 3, dtype=torch.double)
        x = torch.randn_like(x, dtype=torch.float)
        print(x.size())
        y = torch.rand(5, 3)
        print(x + y)
        torch.add(x, y)
        result = torch.empty(5, 3)
        torch.add(x, y, out=result)
        y.add_(x)
        print(x[:, 1])
        x = torch.randn(1)
        print(x.item())
        a = torch.ones(5)
        b = a.numpy()
        a.add_(1)
        assert b[0] == 2.0
        a = np.ones(5)
        b = torch.from_numpy(a)
        np.add(a, 1, out=a)
        assert b[0].item() == 2.0
        images = torch.zeros(2, 3, dtype=torch.double)
        print(images.type(torch.FloatTensor).dtype, images.float().dtype)
        x = torch.randn(4, 4)
        y = x.view(16)
        z = x.view(-1, 8)
        print(x.size(), y.size(), z.size())
    """)
    assert "torch.Size([5, 3])" in out and "torch.float32 torch.float32" in out
    assert "torch.Size([4, 4]) torch.Size([16]) torch.Size([2, 8])" in out


def test_001_gradients_and_no_grad(tmp_path):
    out = ok(tmp_path, """
        import torch
        x = torch.ones(2, 2, requires_grad=True)
        y = x + 2
        z = y * y * 3
        out = z.mean()
        print(z, out)
        out.backward()
        print(x.grad)
        print(x.requires_grad)
        print((x ** 2).requires_grad)
        with torch.no_grad():
            print((x ** 2).requires_grad)
        y = x.detach()
        print(y.requires_grad)
    """)
    assert "tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])" in out
    assert "grad_fn=<MeanBackward0>" in out
    assert out.split().count("True") == 2 and out.split().count("False") == 2


def test_001_dataset_wrapped_loader_sequential_training(tmp_path):
    out = ok(tmp_path, """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        import torch.optim as optim
        from torch.utils.data import TensorDataset, DataLoader

        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        torch.manual_seed(0)
        x_train = torch.rand(64, 784)
        y_train = torch.randint(0, 10, (64,))
        bs, lr, epochs = 16, 0.1, 2
        train_ds = TensorDataset(x_train, y_train)
        valid_ds = TensorDataset(x_train[:32], y_train[:32])

        def get_data(train_ds, valid_ds, bs):
            return (DataLoader(train_ds, batch_size=bs, shuffle=True),
                    DataLoader(valid_ds, batch_size=bs * 2))

        class WrappedDataLoader:
            def __init__(self, dl, func):
                self.dl = dl
                self.func = func

            def __len__(self):
                return len(self.dl)

            def __iter__(self):
                batches = iter(self.dl)
                for b in batches:
                    yield (self.func(*b))

        def preprocess(x, y):
            return x.view(-1, 1, 28, 28).to(device), y.to(device)
        train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
        train_dl = WrappedDataLoader(train_dl, preprocess)
        valid_dl = WrappedDataLoader(valid_dl, preprocess)

        class Lambda(nn.Module):
            def __init__(self, func):
                super().__init__()
                self.func = func

            def forward(self, x):
                return self.func(x)

        model = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
            nn.ReLU(),
            nn.AvgPool2d(4),
            Lambda(lambda x: x.view(x.size(0), -1)),
        )
        model.to(device)
        opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        loss_func = F.cross_entropy
        for epoch in range(epochs):
            model.train()
            for xb, yb in train_dl:
                pred = model(xb)
                loss = loss_func(pred, yb)
                loss.backward()
                opt.step()
                opt.zero_grad()
            model.eval()
            with torch.no_grad():
                valid_loss = sum(loss_func(model(xb), yb) for xb, yb in valid_dl)
            print(epoch, valid_loss / len(valid_dl))
    """)
    assert out.startswith("0 tensor(") and "\n1 tensor(" in out


def test_001_save_load_partial_and_device(tmp_path):
    ok(tmp_path, """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(1, 4, 3)
                self.fc = nn.Linear(4, 2)

            def forward(self, x):
                return self.fc(self.conv1(x).mean((2, 3)))

        net = Net()
        import os
        os.makedirs('saved_models', exist_ok=True)
        model_dir = 'saved_models/'
        model_name = 'keypoints_model_1.pt'
        torch.save(net.state_dict(), model_dir+model_name)
        net = Net()
        net.load_state_dict(torch.load('saved_models/keypoints_model_1.pt'))
        print(net)
        torch.save(net, 'whole.pt')
        model = torch.load('whole.pt', weights_only=False)
        pretrained_dict = torch.load(model_dir + model_name)
        myNet = Net()
        model_dict = myNet.state_dict()
        pretrained_dict = {k: v for k, v in pretrained_dict.items() if k in model_dict}
        model_dict.update(pretrained_dict)
        myNet.load_state_dict(model_dict)
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        model.to(device)
        images = torch.rand(2, 1, 5, 5).to(device)
        criterion = nn.CrossEntropyLoss().cuda() if torch.cuda.is_available() else nn.CrossEntropyLoss()
        y = torch.ones_like(images, device=device)
        print(model(images).shape)
        if torch.cuda.device_count() > 1:
            model = nn.DataParallel(model)
        model = nn.DataParallel(model)
        print(list(model.state_dict())[0])
        weights = net.conv1.weight.data
        w = weights.numpy()
        print(w[0][0].shape)
    """)


def test_001_gpu_method_fails_clearly(tmp_path):
    fails(tmp_path, """
        import torch.nn as nn
        model = nn.Linear(2, 2)
        model.gpu()
    """, "AttributeError", "no attribute 'gpu'", "Did you mean .cuda() or .to(device)?")


def test_002_module_training_template_and_embedding(tmp_path):
    out = ok(tmp_path, """
        import torch
        import torch.nn as nn
        from torch.autograd import Variable

        seq_net = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))

        class module_net(nn.Module):
            def __init__(self,    num_input,    num_hidden,    num_output):
                super(module_net,    self).__init__()
                self.layer1    = nn.Linear(num_input,    num_hidden)
                self.layer2    = nn.Tanh()
                self.layer3    = nn.Linear(num_hidden,    num_output)

            def forward(self, x):
                x = self.layer1(x)
                x =    self.layer2(x)
                x =    self.layer3(x)
                return x

        net = module_net(2, 4, 1)
        x = torch.randn(16, 2)
        y = (x[:, :1] > 0).float()
        criterion = nn.BCEWithLogitsLoss()
        optimizer = torch.optim.Adam(net.parameters(),lr=1e-3)
        for e in range(100):
            out    = net(Variable(x))
            loss = criterion(out, Variable(y))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        torch.save(net.state_dict(),'path.pth')
        net.load_state_dict(torch.load('path.pth'))

        embeds = nn.Embedding(100,50)
        embeds.weight.data = torch.ones(100,50)
        single_word_embedding = embeds(torch.LongTensor([50]))
        print(single_word_embedding.shape, single_word_embedding.sum().item())
        lstm = torch.nn.LSTM(10, 20, 2, batch_first=True, bidirectional=True)
        h0 = torch.zeros(4, 3, 20)
        c0 = torch.zeros(4, 3, 20)
        y,(h0,c0) = lstm(torch.randn(3, 5, 10),(h0,c0))
        print(y.shape, h0.shape)
    """)
    assert "torch.Size([1, 50]) 50.0" in out
    assert "torch.Size([3, 5, 40]) torch.Size([4, 3, 20])" in out


def test_002_old_style_loss_data_index_fails_clearly(tmp_path):
    fails(tmp_path, """
        import torch
        loss = torch.tensor(0.25)
        print('epoch:    {},    loss:    {}'.format(1,    loss.data[0]))
    """, "IndexError", "invalid index of a 0-dim tensor", "loss.item()")


def test_002_dataloader_next_method_fails_clearly(tmp_path):
    fails(tmp_path, """
        import torch
        from torch.utils.data import DataLoader, TensorDataset
        loader = DataLoader(TensorDataset(torch.rand(4, 2)), batch_size=2)
        dataiter = iter(loader)
        images = dataiter.next()
    """, "AttributeError", "use next(iterator)")
    fails(tmp_path, """
        import torch
        from torch.utils.data import DataLoader, TensorDataset
        train_set = DataLoader(TensorDataset(torch.rand(4, 2)), batch_size=2)
        train_set[0]
    """, "TypeError", "not subscriptable", "next(iter(loader))")


def test_004_simple_net_training_loop(tmp_path):
    out = ok(tmp_path, """
        import torch
        import torch.nn as nn
        import torch.optim as optim
        from torch.utils.data import Dataset, DataLoader

        class SimpleNet(nn.Module):
            def __init__(self):
                super(SimpleNet, self).__init__()
                self.fc1 = nn.Linear(784, 128)
                self.fc2 = nn.Linear(128, 10)
                self.relu = nn.ReLU()

            def forward(self, x):
                x = self.fc1(x)
                x = self.relu(x)
                x = self.fc2(x)
                return x

        class CustomDataset(Dataset):
            def __init__(self, data, labels):
                self.data = data
                self.labels = labels

            def __len__(self):
                return len(self.data)

            def __getitem__(self, idx):
                return self.data[idx], self.labels[idx]

        torch.manual_seed(42)
        if torch.cuda.is_available():
            torch.cuda.manual_seed(42)
        data, labels = torch.randn(256, 784), torch.randint(0, 10, (256,))
        dataset = CustomDataset(data, labels)
        train_loader = torch.utils.data.DataLoader(dataset, batch_size=64)
        model = SimpleNet()
        criterion = nn.CrossEntropyLoss()
        optimizer = optim.Adam(model.parameters(), lr=0.001)
        for epoch in range(2):
            for batch_idx, (data, target) in enumerate(train_loader):
                output = model(data)
                loss = criterion(output, target)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                if batch_idx % 100 == 0:
                    print(f'Epoch: {epoch}, Loss: {loss.item()}')
        for param in model.parameters():
            param.requires_grad = False
        for param in model.fc2.parameters():
            param.requires_grad = True
        torch.save(model.state_dict(), 'model.pth')
        model = SimpleNet()
        model.load_state_dict(torch.load('model.pth'))
        model.eval()
        print(torch.__version__)
        print(torch.cuda.is_available())
        a = torch.tensor([1.0, 2.0])
        b = torch.tensor([3.0, 4.0])
        print(torch.matmul(a, b))
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        (x ** 2).sum().backward()
        print(x.grad)
    """)
    assert out.count("Epoch:") == 2 and "tensor(11.)" in out and "tensor([2., 4.])" in out


def test_004_cnn_with_two_poolings_fails_naming_fc1(tmp_path):
    fails(tmp_path, """
        import torch
        import torch.nn as nn

        class CNN(nn.Module):
            def __init__(self):
                super(CNN, self).__init__()
                self.conv1 = nn.Conv2d(1, 32, 3, 1)
                self.conv2 = nn.Conv2d(32, 64, 3, 1)
                self.fc1 = nn.Linear(9216, 128)
                self.fc2 = nn.Linear(128, 10)
                self.relu = nn.ReLU()
                self.maxpool = nn.MaxPool2d(2)

            def forward(self, x):
                x = self.conv1(x)
                x = self.relu(x)
                x = self.maxpool(x)
                x = self.conv2(x)
                x = self.relu(x)
                x = self.maxpool(x)
                x = x.view(x.size(0), -1)
                x = self.fc1(x)
                x = self.relu(x)
                x = self.fc2(x)
                return x

        CNN()(torch.randn(64, 1, 28, 28))
    """, "RuntimeError", "fc1 (Linear(in_features=9216", "9216", "(64, 1600)")


def test_000_load_to_cuda_without_gpu_fails_clearly(tmp_path):
    fails(tmp_path, """
        import torch
        import torch.nn as nn
        net = nn.Linear(2, 2)
        torch.save(net.state_dict(), 'model_para')
        static_dict = torch.load('model_para', map_location='cuda:0')
    """, "ember._backend.CudaUnavailableError", "map_location='cpu'")


def test_000_cuda_queries_without_gpu(tmp_path):
    out = ok(tmp_path, """
        import torch
        print(torch.cuda.is_available())
        print(torch.cuda.device_count())
        try:
            torch.cuda.current_device()
        except RuntimeError as e:
            print("clear:", e)
    """)
    assert out.startswith("False\n0\nclear:")


def test_004_transforms_and_pretrained(tmp_path):
    pytest.importorskip("PIL")
    ok(tmp_path, """
        import numpy as np
        from PIL import Image
        from torchvision import transforms
        transform = transforms.Compose([
            transforms.Resize(256),
            transforms.CenterCrop(224),
            transforms.ToTensor(),
            transforms.Normalize(mean=[0.485, 0.456, 0.406],
                                std=[0.229, 0.224, 0.225])
        ])
        img = Image.fromarray((np.random.rand(300, 400, 3) * 255).astype("uint8"))
        t = transform(img)
        assert tuple(t.shape) == (3, 224, 224), t.shape
    """)
    fails(tmp_path, """
        import torchvision.models as models
        resnet = models.resnet50(pretrained=True)
    """, "RuntimeError", "load_state_dict")


def test_001_tensorboard_writer(tmp_path):
    pytest.importorskip("tensorboard")
    ok(tmp_path, """
        import torch
        from torch.utils.tensorboard import SummaryWriter
        writer = SummaryWriter('runs/fashion_mnist_experiment_1')
        images = torch.rand(4, 28, 28)
        img_grid = images.unsqueeze(1).repeat(1, 3, 1, 1)[0]
        writer.add_image('four_fashion_mnist_images', img_grid)
        features = torch.rand(4, 8)
        writer.add_embedding(features, metadata=['a', 'b', 'c', 'd'], label_img=images.unsqueeze(1))
        for i in range(3):
            writer.add_scalar('training loss', 0.5 / (i + 1), i)
        writer.close()
    """)
