"""Recurrent layers: RNN, LSTM, GRU and their single-step cells.

Parameter names, shapes, order and default init (all U(-1/sqrt(H), 1/sqrt(H)))
are torch's, so state dicts carry over.  Each layer and direction runs as one
op over the whole sequence (``ember/_ops/rnn.py``) on time-major packed rows:
a dense input is reshaped to ``(T * B, F)`` with ``B`` rows per step, a
``PackedSequence`` is used as is.  Outputs have torch's shapes:
``output (T, B, D * H_out)`` and ``h_n (D * num_layers, B, H_out)``.
"""
import math
import numbers
import warnings

from ..._ops.creation import empty, zeros
from ..._ops.shape.copies import cat, stack
from ..._ops.rnn import GRULayer, LSTMLayer, RNNLayer
from .. import init
from .._functional.dropout import dropout as apply_dropout
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .module import Module, layer_error

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


def _layer_op(mode, batch_sizes, reverse):
    if mode == "LSTM":
        return LSTMLayer(batch_sizes, reverse)
    if mode == "GRU":
        return GRULayer(batch_sizes, reverse)
    return RNNLayer(batch_sizes, reverse, relu=mode == "RNN_RELU")


def _check_dtype(module, input):
    wdtype = module.weight_ih_l0.dtype if hasattr(module, "weight_ih_l0") else \
        module.weight_ih.dtype
    if input.dtype != wdtype:
        raise layer_error(module, f"RNN input dtype ({input.dtype}) does not match weight dtype "
                                  f"({wdtype}). Convert input: input.to({wdtype}), or convert "
                                  f"model: model.to({input.dtype})", ValueError)


class RNNBase(Module):
    """The common base of ``RNN``, ``LSTM`` and ``GRU``: parameters, checks and the layer loop.

    Not used directly; the subclasses pass their ``mode`` (``'RNN_TANH'``, ``'RNN_RELU'``,
    ``'LSTM'`` or ``'GRU'``).  Layer ``k`` (suffix ``_reverse`` for the backward direction) holds
    ``weight_ih_l{k}`` ``(gates * hidden_size, input size of the layer)``, ``weight_hh_l{k}``
    ``(gates * hidden_size, hidden_size)`` and the biases ``bias_ih_l{k}``, ``bias_hh_l{k}``, all
    uniform in ``[-1/sqrt(hidden_size), 1/sqrt(hidden_size)]``.  The input may be a
    ``PackedSequence``; the output is then packed too.

    Args:
        mode (str): the recurrence.
        input_size (int): features of each input step.
        hidden_size (int): features of the hidden state.
        num_layers (int): stacked recurrent layers. Default: ``1``.
        bias (bool): use the bias vectors. Default: ``True``.
        batch_first (bool): input and output are ``(N, L, *)`` instead of ``(L, N, *)`` (the states
          keep their layout). Default: ``False``.
        dropout (float): dropout on the outputs of every layer but the last, in training.
          Default: ``0.0``.
        bidirectional (bool): also run each layer backwards in time. Default: ``False``.
        proj_size (int): LSTM only, project the hidden state to this size. Default: ``0``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(L, N, H_in)``, ``(N, L, H_in)`` with ``batch_first``, or unbatched
          ``(L, H_in)``.
        - Output: ``(L, N, D * H_out)`` with ``D = 2`` if bidirectional else ``1``.

    Example:
        >>> rnn = ember.nn.RNNBase("GRU", 4, 8)
        >>> rnn(ember.zeros(5, 2, 4))[0].shape
        ember.Size([5, 2, 8])
    """

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + str(mode))
        if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) \
                or not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the "
                             "probability of an element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                          "non-zero dropout expects num_layers greater than 1, but got "
                          f"dropout={dropout} and num_layers={num_layers}", stacklevel=2)
        for name, value in (("bias", bias), ("batch_first", batch_first)):
            if not isinstance(value, bool):
                raise TypeError(f"{name} should be of type bool, got: {type(value).__name__}")
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if not isinstance(value, int):
                raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
            if value <= 0:
                raise ValueError(f"{name} must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable "
                             "projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, proj_size
        dirs = 2 if bidirectional else 1
        out_size = proj_size or hidden_size
        gate_size = _GATES[mode] * hidden_size
        self._flat_weights_names, self._all_weights = [], []
        for layer in range(num_layers):
            for d in range(dirs):
                suffix = f"_l{layer}" + ("_reverse" if d else "")
                in_size = input_size if layer == 0 else out_size * dirs
                shapes = [("weight_ih", (gate_size, in_size)), ("weight_hh", (gate_size, out_size))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                if proj_size:
                    shapes.append(("weight_hr", (proj_size, hidden_size)))
                names = []
                for base, shape in shapes:
                    setattr(self, base + suffix,
                            Parameter(empty(*shape, device=device, dtype=dtype)))
                    names.append(base + suffix)
                self._flat_weights_names += names
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self):
        return [getattr(self, n) for n in self._flat_weights_names]

    @property
    def all_weights(self):
        """The parameters grouped per layer and direction: a list of
        ``[w_ih, w_hh, b_ih, b_hh(, w_hr)]``.
        """
        return [[getattr(self, n) for n in names] for names in self._all_weights]

    def flatten_parameters(self):
        """Do nothing: kept for torch compatibility (ember uses the weights as they are)."""

    def reset_parameters(self):
        """Draw every weight and bias again uniform in
        ``[-1/sqrt(hidden_size), 1/sqrt(hidden_size)]``.
        """
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # -- forward ------------------------------------------------------------
    def _cell_weights(self, k):
        """(w_ih, w_hh, b_ih, b_hh, w_hr) of layer-direction ``k`` (None where absent)."""
        got = dict((n.split("_l")[0], getattr(self, n)) for n in self._all_weights[k])
        return tuple(got.get(n) for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh",
                                          "weight_hr"))

    def _state_shapes(self, batch):
        dirs = 2 if self.bidirectional else 1
        shapes = [(self.num_layers * dirs, batch, self.proj_size or self.hidden_size)]
        if self.mode == "LSTM":
            shapes.append((self.num_layers * dirs, batch, self.hidden_size))
        return shapes

    def _check_states(self, states, batch):
        """Raise torch's message for a wrong h0 (and c0) shape."""
        for i, (state, shape) in enumerate(zip(states, self._state_shapes(batch))):
            if tuple(state.shape) != shape:
                what = f"hidden[{i}]" if self.mode == "LSTM" else "hidden"
                raise layer_error(self, f"Expected {what} size {shape}, got {list(state.shape)}",
                                  RuntimeError)

    def _split_input(self, input, hx):
        """(packed data, batch_sizes, states, how to rebuild the output) from the call arguments."""
        name = "LSTM" if self.mode == "LSTM" else "GRU" if self.mode == "GRU" else "RNN"
        states = None if hx is None else (list(hx) if self.mode == "LSTM" else [hx])
        if isinstance(input, PackedSequence):
            data, batch_sizes, sorted_indices, unsorted_indices = input
            sizes = [int(b) for b in batch_sizes.tolist()]
            if states is not None and sorted_indices is not None:
                states = [s.index_select(1, sorted_indices) for s in states]
            return data, sizes, states, ("packed", input)
        if input.dim() not in (2, 3):
            raise layer_error(self, f"Expected input to be 2D or 3D, got {input.dim()}D input of "
                                    f"shape {tuple(input.shape)} ({name} takes (L, N, H_in), "
                                    "(N, L, H_in) with batch_first, or unbatched (L, H_in))",
                              ValueError)
        batched = input.dim() == 3
        if states is not None:
            want = 3 if batched else 2
            if any(s.dim() != want for s in states):
                dims = ", ".join(f"{s.dim()}-D" for s in states)
                kind = "batched 3-D" if batched else "unbatched 2-D"
                raise layer_error(self, f"For {kind} input, hx should also be {want}-D but got "
                                        f"({dims}) tensor(s)", RuntimeError)
            if not batched:
                states = [s.unsqueeze(1) for s in states]
        x = input if not batched else input.transpose(0, 1) if self.batch_first else input
        if not batched:
            x = x.unsqueeze(1)
        steps, batch = x.shape[0], x.shape[1]
        data = x.reshape(steps * batch, x.shape[2])
        return data, [batch] * steps, states, ("dense", batched, steps, batch)

    def forward(self, input, hx=None):
        data, sizes, states, layout = self._split_input(input, hx)
        _check_dtype(self, data)
        if data.dim() != 2:
            raise layer_error(self, f"input must have 2 dimensions, got {data.dim()}",
                              RuntimeError)
        if data.shape[-1] != self.input_size:
            raise layer_error(self, f"input.size(-1) must be equal to input_size. Expected "
                                    f"{self.input_size}, got {data.shape[-1]}", RuntimeError)
        batch = sizes[0] if sizes else 0
        if states is None:
            states = [zeros(*shape, dtype=data.dtype, device=data.device)
                      for shape in self._state_shapes(batch)]
        else:
            self._check_states(states, batch)
        out, finals = self._run(data, sizes, states)
        return self._rebuild(out, finals, layout)

    def _run(self, data, sizes, states):
        """All layers and directions over packed rows: (output rows, final states stacked)."""
        dirs = 2 if self.bidirectional else 1
        h0, c0 = states[0], states[1] if len(states) > 1 else None
        finals = [[] for _ in states]
        layer_in = data
        for layer in range(self.num_layers):
            outs = []
            for d in range(dirs):
                k = layer * dirs + d
                res = _layer_op(self.mode, sizes, d == 1)(
                    layer_in, h0[k], None if c0 is None else c0[k], *self._cell_weights(k))
                outs.append(res[0])
                for acc, final in zip(finals, res[1:]):
                    acc.append(final)
            layer_in = outs[0] if dirs == 1 else cat(outs, 1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                layer_in = apply_dropout(layer_in, self.dropout, True)
        return layer_in, [stack(acc) for acc in finals]

    def _rebuild(self, out, finals, layout):
        if layout[0] == "packed":
            packed = layout[1]
            if packed.unsorted_indices is not None:
                finals = [f.index_select(1, packed.unsorted_indices) for f in finals]
            out = PackedSequence(out, packed.batch_sizes, packed.sorted_indices,
                                 packed.unsorted_indices)
        else:
            _, batched, steps, batch = layout
            out = out.reshape(steps, batch, out.shape[-1])
            if not batched:
                out = out.squeeze(1)
                finals = [f.squeeze(1) for f in finals]
            elif self.batch_first:
                out = out.transpose(0, 1)
        return out, (tuple(finals) if self.mode == "LSTM" else finals[0])

    def __getstate__(self):
        # torch keeps the weight list in the instance and rebuilds its refs from it on load
        return {**self.__dict__, "_flat_weights": self._flat_weights}

    def __setstate__(self, state):
        state = {k: v for k, v in state.items() if k != "_flat_weights"}   # a property here
        super().__setstate__(state)
        self.__dict__.setdefault("proj_size", 0)


class RNN(RNNBase):
    """Multi-layer Elman recurrent network:
    ``h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh)``.

    ``nonlinearity='relu'`` uses ``relu`` instead of ``tanh``.  Each layer's output sequence is the
    next layer's input.  ``forward(input, hx=None)`` returns ``(output, h_n)``: the last layer's
    hidden state at every step and every layer's final hidden state (zeros are the default
    initial state).

    Args:
        input_size (int): features of each input step.
        hidden_size (int): features of the hidden state.
        num_layers (int): stacked layers. Default: ``1``.
        nonlinearity (str): ``'tanh'`` or ``'relu'``. Default: ``'tanh'``.
        bias (bool): use the bias vectors. Default: ``True``.
        batch_first (bool): input and output are ``(N, L, H)``. Default: ``False``.
        dropout (float): dropout between layers in training. Default: ``0.0``.
        bidirectional (bool): also run backwards in time. Default: ``False``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(L, N, H_in)``, ``(N, L, H_in)`` with ``batch_first``, ``(L, H_in)`` unbatched,
          or a ``PackedSequence``.
        - h_0: ``(D * num_layers, N, H_out)`` or ``(D * num_layers, H_out)``; ``D = 2`` if
          bidirectional else ``1``.
        - Output: ``(L, N, D * H_out)`` (laid out as the input); h_n like h_0.

    Example:
        >>> rnn = ember.nn.RNN(4, 8, num_layers=2)
        >>> out, h = rnn(ember.zeros(5, 3, 4))
        >>> out.shape, h.shape
        (ember.Size([5, 3, 8]), ember.Size([2, 3, 8]))
    """

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        modes = {"tanh": "RNN_TANH", "relu": "RNN_RELU"}
        if self.nonlinearity not in modes:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")
        super().__init__(modes[self.nonlinearity], *args, **kwargs)


class LSTM(RNNBase):
    """Multi-layer long short-term memory network.

    At each step, from the input ``x`` and the previous ``h``, ``c``: gates
    ``i, f, g, o = split(x W_ih^T + b_ih + h W_hh^T + b_hh)`` with ``sigmoid`` on ``i`` (input),
    ``f`` (forget), ``o`` (output) and ``tanh`` on ``g`` (candidate); then
    ``c' = f * c + i * g`` and ``h' = o * tanh(c')``.  With ``proj_size > 0``, ``h'`` is further
    multiplied by ``weight_hr`` ``(proj_size, hidden_size)``.  ``forward(input, (h_0, c_0))``
    returns ``(output, (h_n, c_n))``.

    Args:
        input_size (int): features of each input step.
        hidden_size (int): features of the cell state.
        num_layers (int): stacked layers. Default: ``1``.
        bias (bool): use the bias vectors. Default: ``True``.
        batch_first (bool): input and output are ``(N, L, H)``. Default: ``False``.
        dropout (float): dropout between layers in training. Default: ``0.0``.
        bidirectional (bool): also run backwards in time. Default: ``False``.
        proj_size (int): size of the projected hidden state; ``0`` for none. Default: ``0``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(L, N, H_in)``, ``(N, L, H_in)`` with ``batch_first``, ``(L, H_in)`` unbatched,
          or a ``PackedSequence``.
        - h_0: ``(D * num_layers, N, H_out)`` with ``H_out = proj_size or hidden_size``;
          c_0: ``(D * num_layers, N, hidden_size)``.
        - Output: ``(L, N, D * H_out)``; h_n and c_n like h_0 and c_0.

    Example:
        >>> lstm = ember.nn.LSTM(4, 8, batch_first=True, bidirectional=True)
        >>> out, (h, c) = lstm(ember.zeros(3, 5, 4))
        >>> out.shape, h.shape, c.shape
        (ember.Size([3, 5, 16]), ember.Size([2, 3, 8]), ember.Size([2, 3, 8]))
    """

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)


class GRU(RNNBase):
    """Multi-layer gated recurrent unit network.

    At each step, from the input ``x`` and the previous ``h``: the reset gate
    ``r = sigmoid(x W_ir^T + b_ir + h W_hr^T + b_hr)``, the update gate ``z`` likewise, the
    candidate ``n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn))`` and
    ``h' = (1 - z) * n + z * h``. The gate weights are stacked in the order r, z, n.
    ``forward(input, h_0=None)`` returns ``(output, h_n)``.

    Args:
        input_size (int): features of each input step.
        hidden_size (int): features of the hidden state.
        num_layers (int): stacked layers. Default: ``1``.
        bias (bool): use the bias vectors. Default: ``True``.
        batch_first (bool): input and output are ``(N, L, H)``. Default: ``False``.
        dropout (float): dropout between layers in training. Default: ``0.0``.
        bidirectional (bool): also run backwards in time. Default: ``False``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(L, N, H_in)``, ``(N, L, H_in)`` with ``batch_first``, ``(L, H_in)`` unbatched,
          or a ``PackedSequence``.
        - h_0: ``(D * num_layers, N, H_out)``.
        - Output: ``(L, N, D * H_out)``; h_n like h_0.

    Example:
        >>> gru = ember.nn.GRU(4, 8)
        >>> out, h = gru(ember.zeros(5, 3, 4))
        >>> out.shape, h.shape
        (ember.Size([5, 3, 8]), ember.Size([1, 3, 8]))
    """

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)


# -- single-step cells -----------------------------------------------------------
class RNNCellBase(Module):
    """The common base of the single-step cells: parameters, initialisation and input checks.

    Holds ``weight_ih`` ``(num_chunks * hidden_size, input_size)``, ``weight_hh``
    ``(num_chunks * hidden_size, hidden_size)`` and, with ``bias``, ``bias_ih`` and ``bias_hh``, all
    uniform in ``[-1/sqrt(hidden_size), 1/sqrt(hidden_size)]``.

    Args:
        input_size (int): features of the input.
        hidden_size (int): features of the hidden state.
        bias (bool): use the bias vectors.
        num_chunks (int): gates stacked in the weights (1 for RNN, 4 for LSTM, 3 for GRU).
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(N, H_in)`` or ``(H_in)``.
        - Hidden state: ``(N, H_out)`` or ``(H_out)``.

    Example:
        >>> cell = ember.nn.RNNCellBase(4, 8, True, num_chunks=3)
        >>> cell.weight_ih.shape
        ember.Size([24, 4])
    """

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        gate_size = num_chunks * hidden_size
        self.weight_ih = Parameter(empty(gate_size, input_size, device=device, dtype=dtype))
        self.weight_hh = Parameter(empty(gate_size, hidden_size, device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(gate_size, device=device, dtype=dtype))
            self.bias_hh = Parameter(empty(gate_size, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def reset_parameters(self):
        """Draw every weight and bias again uniform in
        ``[-1/sqrt(hidden_size), 1/sqrt(hidden_size)]``.
        """
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    def _step(self, mode, input, states):
        """One step of ``mode`` from ``states`` (None: zeros); returns the op's final states."""
        name = type(self).__name__
        if input.dim() not in (1, 2):
            raise layer_error(self, f"{name}: Expected input to be 1D or 2D, got {input.dim()}D "
                                    f"instead", ValueError)
        if states is not None and any(s.dim() not in (1, 2) for s in states):
            bad = next(s for s in states if s.dim() not in (1, 2))
            raise layer_error(self, f"{name}: Expected hidden to be 1D or 2D, got {bad.dim()}D "
                                    "instead", ValueError)
        batched = input.dim() == 2
        x = input if batched else input.unsqueeze(0)
        _check_dtype(self, x)
        if x.shape[1] != self.input_size:
            raise layer_error(self, f"input has inconsistent input_size: got {x.shape[1]} "
                                    f"expected {self.input_size}", RuntimeError)
        n_states = 2 if mode == "LSTM" else 1
        if states is None:
            states = [zeros(x.shape[0], self.hidden_size, dtype=x.dtype, device=x.device)] * \
                n_states
        elif not batched:
            states = [s.unsqueeze(0) for s in states]
        for i, s in enumerate(states):
            if s.shape[0] != x.shape[0]:
                raise layer_error(self, f"Input batch size {x.shape[0]} doesn't match hidden{i} "
                                        f"batch size {s.shape[0]}", RuntimeError)
            if s.shape[1] != self.hidden_size:
                raise layer_error(self, f"hidden{i} has inconsistent hidden_size: got "
                                        f"{s.shape[1]}, expected {self.hidden_size}",
                                  RuntimeError)
        res = _layer_op(mode, [x.shape[0]], False)(
            x, states[0], states[1] if n_states == 2 else None, self.weight_ih, self.weight_hh,
            self.bias_ih, self.bias_hh, None)
        finals = res[1:]
        return finals if batched else tuple(f.squeeze(0) for f in finals)


class RNNCell(RNNCellBase):
    """One Elman step: ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)`` (or ``relu``).

    ``forward(input, hx=None)`` returns ``h'``; a missing ``hx`` is zeros.

    Args:
        input_size (int): features of the input.
        hidden_size (int): features of the hidden state.
        bias (bool): use the bias vectors. Default: ``True``.
        nonlinearity (str): ``'tanh'`` or ``'relu'``. Default: ``'tanh'``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(N, H_in)`` or ``(H_in)``.
        - hx and output: ``(N, H_out)`` or ``(H_out)``.

    Example:
        >>> cell = ember.nn.RNNCell(4, 8)
        >>> h = ember.zeros(3, 8)
        >>> for x in ember.zeros(5, 3, 4):
        ...     h = cell(x, h)
        >>> h.shape
        ember.Size([3, 8])
    """

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        mode = "RNN_TANH" if self.nonlinearity == "tanh" else "RNN_RELU"
        return self._step(mode, input, None if hx is None else [hx])[0]


class LSTMCell(RNNCellBase):
    """One LSTM step: ``forward(input, (h, c))`` returns ``(h', c')`` by the gates of ``LSTM``.

    A missing state is zeros.

    Args:
        input_size (int): features of the input.
        hidden_size (int): features of the hidden and cell states.
        bias (bool): use the bias vectors. Default: ``True``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(N, H_in)`` or ``(H_in)``.
        - h, c and the outputs: ``(N, H_out)`` or ``(H_out)``.

    Example:
        >>> cell = ember.nn.LSTMCell(4, 8)
        >>> h, c = cell(ember.zeros(3, 4))
        >>> h.shape, c.shape
        (ember.Size([3, 8]), ember.Size([3, 8]))
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input, hx=None):
        return tuple(self._step("LSTM", input, None if hx is None else list(hx)))


class GRUCell(RNNCellBase):
    """One GRU step: ``forward(input, h)`` returns ``h'`` by the gates of ``GRU``.

    A missing ``h`` is zeros.

    Args:
        input_size (int): features of the input.
        hidden_size (int): features of the hidden state.
        bias (bool): use the bias vectors. Default: ``True``.
        device (ember.device, optional): where the parameters live.
        dtype (ember.dtype, optional): parameter dtype.

    Shape:
        - Input: ``(N, H_in)`` or ``(H_in)``.
        - h and output: ``(N, H_out)`` or ``(H_out)``.

    Example:
        >>> cell = ember.nn.GRUCell(4, 8)
        >>> cell(ember.zeros(3, 4), ember.zeros(3, 8)).shape
        ember.Size([3, 8])
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input, hx=None):
        return self._step("GRU", input, None if hx is None else [hx])[0]
