"""A module-level GraphDef of a model, for TensorBoard's Graphs tab (``add_graph``).

torch builds its graph by TorchScript tracing, which ember does not have.
Instead the model runs once (in eval mode) with forward hooks on its leaf
modules: every leaf call becomes a node named by its module path
(``ResNet/layer1/0/conv1``; a module called again gets ``_1``, ``_2``...),
with its output shapes.  Edges come from autograd: the inputs of a call are
traced back through ``grad_fn`` to the calls (or model inputs) that produced
them, so functional code between modules (``x.view``, ``a + b``) is crossed
but does not appear as nodes.
"""
from tensorboard.compat.proto.attr_value_pb2 import AttrValue
from tensorboard.compat.proto.graph_pb2 import GraphDef
from tensorboard.compat.proto.node_def_pb2 import NodeDef
from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto
from tensorboard.compat.proto.versions_pb2 import VersionDef

import ember


def _tensors(obj):
    """The tensors in a (nested) output or argument structure, in order."""
    if isinstance(obj, ember.Tensor):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _tensors(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _tensors(item)


def _shapes_attr(tensors):
    shapes = [TensorShapeProto(dim=[TensorShapeProto.Dim(size=s) for s in t.shape])
              for t in tensors]
    return AttrValue(list=AttrValue.ListValue(shape=shapes))


class _Tracer:
    def __init__(self, model):
        self.prefix = type(model).__name__
        self.paths = {id(m): name for name, m in model.named_modules()}
        self.nodes, self.calls = [], {}
        self.tensor_owner, self.fn_owner = {}, {}
        self.alive = []  # keeps traced tensors and grad_fns alive, so their ids stay unique
        self.pending = {}

    def own(self, tensor, name):
        self.alive.append(tensor)
        self.tensor_owner[id(tensor)] = name
        if tensor.grad_fn is not None:
            self.alive.append(tensor.grad_fn)
            self.fn_owner[id(tensor.grad_fn)] = name

    def sources(self, args):
        """Names of the nodes whose outputs ``args`` were computed from."""
        found = []
        for t in _tensors(args):
            if id(t) in self.tensor_owner:
                found.append(self.tensor_owner[id(t)])
                continue
            stack, seen = [t.grad_fn], set()
            while stack:
                fn = stack.pop()
                if fn is None or id(fn) in seen:
                    continue
                seen.add(id(fn))
                if id(fn) in self.fn_owner:
                    found.append(self.fn_owner[id(fn)])
                elif hasattr(fn, "variable"):  # a leaf: a model input, or a parameter
                    if id(fn.variable) in self.tensor_owner:
                        found.append(self.tensor_owner[id(fn.variable)])
                else:
                    stack.extend(next_fn for next_fn, _ in fn.next_functions)
        return list(dict.fromkeys(found))

    def pre_hook(self, module, args):
        self.pending.setdefault(id(module), []).append(self.sources(args))

    def scope(self, module):
        path = self.paths[id(module)]
        return f"{self.prefix}/{path.replace('.', '/')}" if path else self.prefix

    def hook(self, module, args, output):
        base = self.scope(module)
        count = self.calls.get(base, 0)
        self.calls[base] = count + 1
        name = base if count == 0 else f"{base}_{count}"
        outputs = list(_tensors(output))
        attrs = {"_output_shapes": _shapes_attr(outputs)}
        extra = module.extra_repr()
        if extra:
            attrs["attr"] = AttrValue(s=extra.encode("utf-8"))
        self.nodes.append(NodeDef(name=name, op=type(module).__name__,
                                  input=self.pending[id(module)].pop(), attr=attrs))
        for t in outputs:
            self.own(t, name)


def _trace_inputs(inputs):
    """Detached copies of the inputs; float ones require grad so autograd records the edges."""
    def prepare(t):
        t = t.detach()
        return t.requires_grad_(True) if t.is_floating_point() or t.is_complex() else t
    if isinstance(inputs, ember.Tensor):
        return (prepare(inputs),)
    if isinstance(inputs, (list, tuple)):
        return tuple(prepare(t) if isinstance(t, ember.Tensor) else t for t in inputs)
    raise TypeError(f"input_to_model should be a tensor or a list/tuple of them, got "
                    f"{type(inputs).__name__}")


def _leaves(model):
    return [m for m in model.modules() if not any(True for _ in m.children())]


def build_graph(model, input_to_model=None):
    """A GraphDef of ``model``'s leaf-module calls on ``input_to_model`` (with no input:
    the leaf modules in registration order, unconnected)."""
    tracer = _Tracer(model)
    if input_to_model is None:
        nodes = [NodeDef(name=tracer.scope(m), op=type(m).__name__) for m in _leaves(model)]
        return GraphDef(node=nodes, versions=VersionDef(producer=22))
    inputs = _trace_inputs(input_to_model)
    in_nodes = []
    for i, t in enumerate(_tensors(inputs)):
        name = f"input/input.{i}"
        in_nodes.append(NodeDef(name=name, op="IO Node",
                                attr={"_output_shapes": _shapes_attr([t])}))
        tracer.own(t, name)
    handles = []
    for m in _leaves(model):
        handles += [m.register_forward_pre_hook(tracer.pre_hook),
                    m.register_forward_hook(tracer.hook)]
    was_training = [(m, m.training) for m in model.modules()]
    try:
        model.eval()
        with ember.enable_grad():
            output = model(*inputs)
    finally:
        for h in handles:
            h.remove()
        for m, mode in was_training:
            m.training = mode
    out_nodes = [NodeDef(name=f"output/output.{i}", op="IO Node", input=tracer.sources([t]),
                         attr={"_output_shapes": _shapes_attr([t])})
                 for i, t in enumerate(_tensors(output))]
    return GraphDef(node=in_nodes + tracer.nodes + out_nodes, versions=VersionDef(producer=22))
