"""Module backward hooks (``register_full_backward_hook``/``_pre_hook``): identity taps on a
module's inputs and outputs whose backward hands the gradients to the module's hooks.

``Module.__call__`` makes one ``_BackwardHooks`` per call when the module has such hooks; it
wraps the tensor inputs and outputs in ``_GradTap`` nodes, so the output gradients reach the
pre-hooks and the input gradients the full hooks, as torch's ``BackwardHook`` does.
"""
import warnings

from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd.function import Function
from ..._ops.creation import zeros_like


class _GradTap(Function):
    """Identity whose backward hands the gradients to ``on_grads`` (which may replace them)."""

    @staticmethod
    def forward(ctx, *tensors, on_grads):
        ctx.on_grads = on_grads
        return tensors

    @staticmethod
    def backward(ctx, *grads):
        return tuple(ctx.on_grads(grads))


class _BackwardHooks:
    """One call's full backward (pre-)hooks: taps on the inputs and outputs of forward.

    As in torch, a hook sees one gradient per positional input (per output):
    None for non-tensors, zeros for tensors that do not require grad.
    """

    def __init__(self, module):
        self.module = module
        self.grad_outputs = None
        self.input_index = None

    @staticmethod
    def _tap(values, on_grads):
        """Route the grad-requiring tensors of ``values`` through a tap; return (values, index)."""
        index = [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]
        if not index or not grad_mode.is_grad_enabled():
            return values, None
        tapped = _GradTap.apply(*(values[i] for i in index), on_grads=on_grads)
        values = list(values)
        for i, t in zip(index, tapped):
            values[i] = t
        return tuple(values), index

    @staticmethod
    def _spread(values, index, grads):
        """Gradients for every position of ``values``, given those of the tapped ones."""
        full = [zeros_like(v) if isinstance(v, Tensor) else None for v in values]
        for i, g in zip(index, grads):
            full[i] = g
        return tuple(full)

    def wrap_inputs(self, args):
        self.inputs = args
        args, self.input_index = self._tap(args, self._on_input_grads)
        return args

    def wrap_outputs(self, result):
        single = isinstance(result, Tensor)
        outs = (result,) if single else result
        if not isinstance(outs, tuple):
            warnings.warn("For backward hooks to be called, module output should be a Tensor or "
                          f"a tuple of Tensors but received {type(result)}", stacklevel=3)
            return result
        self.outputs = outs
        outs, self.output_index = self._tap(outs, self._on_output_grads)
        return outs[0] if single else outs

    def _apply_hooks(self, hooks, current, extra, what, name):
        """Call ``hook(module, current, *extra)`` in turn; a non-None result replaces ``current``.
        """
        for hook in hooks:
            res = hook(self.module, current, *extra)
            if res is not None:
                if len(res) != len(current):
                    raise RuntimeError(f"Backward {what} returned an invalid number of {name}, "
                                       f"got {len(res)}, but expected {len(current)}")
                current = tuple(res)
        return current

    def _on_output_grads(self, grads):
        full = self._spread(self.outputs, self.output_index, grads)
        full = self._apply_hooks(self.module._backward_pre_hooks.values(), full, (), "pre hook",
                                 "grad_output")
        self.grad_outputs = full
        if self.input_index is None:
            self._run_full_hooks((None,) * len(self.inputs))
        return [full[i] for i in self.output_index]

    def _run_full_hooks(self, grad_input):
        return self._apply_hooks(self.module._backward_hooks.values(), grad_input,
                                 (self.grad_outputs,), "hook", "grad_input")

    def _on_input_grads(self, grads):
        full = self._run_full_hooks(self._spread(self.inputs, self.input_index, grads))
        return [full[i] for i in self.input_index]
