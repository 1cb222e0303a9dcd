"""Intermediate features of a model: ``create_feature_extractor`` (for return nodes that name
submodules) and ``IntermediateLayerGetter`` (``torchvision.models._utils``).

torchvision traces the model with torch.fx, so any node of the traced graph can be returned
(module calls, functions such as ``flatten`` or ``add``).  ember has no fx tracer: the
outputs of submodules are caught with forward hooks instead, and a node that does not name a
submodule raises NotImplementedError.
"""
import re
from collections import OrderedDict

from ember import nn

__all__ = ["create_feature_extractor", "get_graph_node_names", "IntermediateLayerGetter"]


def get_graph_node_names(model, tracer_kwargs=None, suppress_diff_warning=False,
                         concrete_args=None):
    """(train nodes, eval nodes): here the names of all submodules, in definition order (the
    nodes ``create_feature_extractor`` accepts; torchvision's fx graph also lists function
    calls, which ember cannot return).

    Example::

        >>> from ember import nn
        >>> from ember.vision.models.feature_extraction import get_graph_node_names
        >>> get_graph_node_names(nn.Sequential(nn.Linear(2, 2), nn.ReLU()))[0]
        ['0', '1']
    """
    names = [name for name, _ in model.named_modules() if name]
    return names, list(names)


def _as_mapping(nodes):
    if nodes is None:
        return None
    if isinstance(nodes, (list, tuple)):
        return OrderedDict((str(n), str(n)) for n in nodes)
    return OrderedDict((str(k), str(v)) for k, v in nodes.items())


def _resolve(model, node):
    """(module, call index) for a node: "layer1.0.relu" is the first call of that module and
    "layer1.0.relu_1" its second, as torch.fx names repeated calls."""
    modules = dict(model.named_modules())
    if node in modules:
        return modules[node], 0
    match = re.fullmatch(r"(.+)_(\d+)", node)
    if match and match.group(1) in modules:
        return modules[match.group(1)], int(match.group(2))
    raise NotImplementedError(
        f"create_feature_extractor: node {node!r} is not a submodule of "
        f"{type(model).__name__}. ember has no torch.fx tracer, so only submodule outputs "
        "(names from model.named_modules(), with _1, _2 for repeated calls) can be returned; "
        "function nodes such as 'flatten' or 'add' cannot.")


class _FeatureExtractor(nn.Module):
    """Runs ``model`` and returns {output name: output of the chosen submodule call}.
    Shares the model's submodules (so parameters and state_dict keys are the model's)."""

    def __init__(self, model, train_nodes, eval_nodes):
        super().__init__()
        for name, child in model.named_children():
            self.add_module(name, child)
        self._root = [model]  # a list keeps the model out of this module's children
        self._nodes = {True: train_nodes, False: eval_nodes}
        for nodes in self._nodes.values():
            for node in nodes:
                _resolve(model, node)

    def forward(self, *args, **kwargs):
        model = self._root[0]
        model.training = self.training
        nodes = self._nodes[self.training]
        caught, handles = {}, []
        wanted = {}
        for node, out_name in nodes.items():
            module, call = _resolve(model, node)
            wanted.setdefault(id(module), (module, {}))[1][call] = out_name
        for module, calls in wanted.values():
            counter = [0]

            def hook(mod, inputs, output, calls=calls, counter=counter):
                if counter[0] in calls:
                    caught[calls[counter[0]]] = output
                counter[0] += 1
            handles.append(module.register_forward_hook(hook))
        try:
            model(*args, **kwargs)
        finally:
            for handle in handles:
                handle.remove()
        missing = [name for name in nodes.values() if name not in caught]
        if missing:
            raise RuntimeError(f"create_feature_extractor: {missing} were not computed by this "
                               "forward pass (the module was called fewer times)")
        return OrderedDict((name, caught[name]) for name in nodes.values())


def create_feature_extractor(model, return_nodes=None, train_return_nodes=None,
                             eval_return_nodes=None, tracer_kwargs=None,
                             suppress_diff_warning=False, concrete_args=None):
    """A module returning a dict of intermediate outputs of ``model``.

    ``return_nodes`` is a list of submodule names or a dict {submodule name: output name};
    ``train_return_nodes``/``eval_return_nodes`` give different nodes per mode.  A node is a
    name from ``model.named_modules()`` (its output in the forward pass) or such a name with
    ``_k`` for the (k+1)-th call of a module used several times.  Nodes that are not
    submodules (function calls in torchvision's fx graph) raise NotImplementedError.

    Example::

        >>> from ember.vision.models.feature_extraction import create_feature_extractor
        >>> from ember.vision.models import resnet18
        >>> extractor = create_feature_extractor(resnet18(), {"layer2": "mid", "fc": "logits"})
        >>> {k: tuple(v.shape) for k, v in extractor(ember.randn(1, 3, 64, 64)).items()}
        {'mid': (1, 128, 8, 8), 'logits': (1, 1000)}
    """
    if (return_nodes is None) == (train_return_nodes is None and eval_return_nodes is None):
        raise ValueError("Either `return_nodes` or `train_return_nodes` and `eval_return_nodes` "
                         "together, should be specified")
    if (train_return_nodes is None) != (eval_return_nodes is None):
        raise ValueError("If any of `train_return_nodes` and `eval_return_nodes` are specified, "
                         "then both should be specified")
    if return_nodes is not None:
        train_return_nodes = eval_return_nodes = return_nodes
    extractor = _FeatureExtractor(model, _as_mapping(train_return_nodes),
                                  _as_mapping(eval_return_nodes))
    return extractor.train(model.training)


class IntermediateLayerGetter(nn.ModuleDict):
    """The direct children of ``model`` up to the last one named in ``return_layers`` (a dict
    {child name: output name}), run in order; forward returns {output name: output}.  The
    model must call its children in definition order and use each once.

    Example::

        >>> from ember.vision.models.feature_extraction import IntermediateLayerGetter
        >>> from ember.vision.models import resnet18
        >>> getter = IntermediateLayerGetter(resnet18(), {"layer1": "feat1", "layer3": "feat3"})
        >>> [tuple(v.shape) for v in getter(ember.randn(1, 3, 64, 64)).values()]
        [(1, 64, 16, 16), (1, 256, 4, 4)]
    """

    _version = 2

    def __init__(self, model, return_layers):
        if not set(return_layers).issubset(name for name, _ in model.named_children()):
            raise ValueError("return_layers are not present in model")
        orig_return_layers = return_layers
        return_layers = {str(k): str(v) for k, v in return_layers.items()}
        layers = OrderedDict()
        for name, module in model.named_children():
            layers[name] = module
            return_layers.pop(name, None)
            if not return_layers:
                break
        super().__init__(layers)
        self.return_layers = orig_return_layers

    def forward(self, x):
        out = OrderedDict()
        for name, module in self.items():
            x = module(x)
            if name in self.return_layers:
                out[self.return_layers[name]] = x
        return out
