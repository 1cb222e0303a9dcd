"""torchinfo's documented use on a CNN and an LSTM; run under torch and under `ember run`, the
printed tables must be identical (tests/ecosystem/test_torchinfo.py)."""
import torch
import torch.nn as nn
from torchinfo import summary

torch.manual_seed(0)


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3)
        self.drop = nn.Dropout(0.25)
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(16 * 12 * 12, 32), nn.ReLU(), nn.Linear(32, 10))

    def forward(self, x):
        x = self.pool(torch.relu(self.bn(self.conv1(x))))
        x = self.drop(torch.relu(self.conv2(x)))
        return self.fc(x)


class LSTMNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 16)
        self.lstm = nn.LSTM(16, 32, num_layers=2, batch_first=True)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        out, _ = self.lstm(self.emb(x))
        return self.head(out[:, -1])


cols = ("input_size", "output_size", "num_params", "params_percent", "kernel_size", "mult_adds", "trainable")
print(summary(CNN(), input_size=(2, 1, 28, 28), col_names=cols, verbose=0))
print(summary(LSTMNet(), input_size=(3, 7), dtypes=[torch.long], col_names=cols, verbose=0))
print(summary(CNN(), input_size=(1, 1, 28, 28), verbose=0, depth=1))
print(summary(LSTMNet(), input_data=torch.randint(0, 100, (2, 5)), row_settings=("var_names", "depth"), col_names=("output_size", "num_params", "mult_adds"), verbose=0))
s = summary(CNN(), input_size=(1, 28, 28), batch_dim=0, verbose=0)
print(s.total_params, s.trainable_params, s.total_mult_adds, s.total_input, s.total_output_bytes, s.total_param_bytes)
m = CNN(); m.conv1.requires_grad_(False)
print(summary(m, input_size=(1, 1, 28, 28), col_names=("num_params", "trainable"), verbose=0))
