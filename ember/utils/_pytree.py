"""Pytrees: nested containers (tuples, lists, dicts, namedtuples, ...) seen as trees of leaves.

``tree_flatten(tree)`` walks a nested structure depth first and returns its
leaves plus a ``TreeSpec`` describing the containers; ``tree_unflatten(leaves,
spec)`` rebuilds the structure around new leaves, and ``tree_map(fn, tree)``
does both around ``fn``.  Containers are the types in ``SUPPORTED_NODES``:
tuple, list, dict, every namedtuple, OrderedDict, defaultdict, deque and
``ember.Size`` are built in, and ``register_pytree_node`` adds more.
Everything else (``None`` and tensors included) is a leaf.

Example::

    >>> from ember.utils._pytree import tree_unflatten, tree_flatten
    >>> leaves, spec = tree_flatten({"a": [1, (2, 3)], "b": None})
    >>> leaves
    [1, 2, 3, None]
    >>> tree_unflatten([x * 10 for x in leaves[:3]] + [None], spec)
    {'a': [10, (20, 30)], 'b': None}
"""
import dataclasses
import json
import types
from collections import OrderedDict, defaultdict, deque, namedtuple
from typing import Any, Callable
from .._tensor import Size

__all__ = [
    "PyTree", "Context", "FlattenFn", "UnflattenFn", "DumpableContext", "ToDumpableContextFn",
    "FromDumpableContextFn", "TreeSpec", "LeafSpec", "NodeDef", "SUPPORTED_NODES",
    "SequenceKey", "MappingKey", "GetAttrKey", "KeyEntry", "keystr", "key_get",
    "register_pytree_node", "tree_is_leaf", "tree_flatten", "tree_flatten_with_path",
    "tree_unflatten", "tree_iter", "tree_leaves", "tree_leaves_with_path", "tree_structure",
    "tree_map", "tree_map_with_path", "tree_map_", "tree_map_only", "tree_map_only_",
    "tree_all", "tree_any", "tree_all_only", "tree_any_only", "treespec_dumps",
    "treespec_loads", "treespec_pprint", "is_namedtuple", "is_namedtuple_class",
    "is_namedtuple_instance", "is_structseq", "is_structseq_class", "is_structseq_instance",
]

PyTree = Any
Context = Any
DumpableContext = Any
KeyEntry = Any
FlattenFn = Callable[[PyTree], "tuple[list, Context]"]
UnflattenFn = Callable[[list, Context], PyTree]
ToDumpableContextFn = Callable[[Context], DumpableContext]
FromDumpableContextFn = Callable[[DumpableContext], Context]

DEFAULT_TREESPEC_SERIALIZATION_PROTOCOL = 1


# -- key paths ------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class SequenceKey:
    """Position ``idx`` in a sequence; prints as ``[idx]``."""
    idx: int

    def __str__(self):
        return f"[{self.idx!r}]"

    def get(self, sequence):
        return sequence[self.idx]


@dataclasses.dataclass(frozen=True)
class MappingKey:
    """Key ``key`` of a mapping; prints as ``['key']``."""
    key: Any

    def __str__(self):
        return f"[{self.key!r}]"

    def get(self, mapping):
        return mapping[self.key]


@dataclasses.dataclass(frozen=True)
class GetAttrKey:
    """Attribute ``name`` of an object (a namedtuple field); prints as ``.name``."""
    name: str

    def __str__(self):
        return f".{self.name}"

    def get(self, obj):
        return getattr(obj, self.name)


def keystr(kp):
    """The key path ``kp`` as source text, e.g. ``['a'][1].y``."""
    return "".join(str(k) for k in kp)


def key_get(obj, kp):
    """The value reached from ``obj`` by following the key path ``kp``."""
    for k in kp:
        obj = k.get(obj)
    return obj


# -- node registry --------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class NodeDef:
    """How to take one container type apart (``flatten_fn``) and put it back (``unflatten_fn``)."""
    type: Any
    flatten_fn: Callable
    unflatten_fn: Callable
    flatten_with_keys_fn: Any = None


@dataclasses.dataclass(frozen=True)
class _SerializeNodeDef:
    typ: Any
    serialized_type_name: str
    to_dumpable_context: Any
    from_dumpable_context: Any


SUPPORTED_NODES = {}
SUPPORTED_SERIALIZED_TYPES = {}
SERIALIZED_TYPE_TO_PYTHON_TYPE = {}


def register_pytree_node(cls, flatten_fn, unflatten_fn, *, serialized_type_name=None,
                         to_dumpable_context=None, from_dumpable_context=None,
                         flatten_with_keys_fn=None):
    """Make ``cls`` a container: ``flatten_fn(obj) -> (children, context)`` and
    ``unflatten_fn(children, context) -> obj``.

    ``serialized_type_name`` (with optional ``to_dumpable_context`` /
    ``from_dumpable_context`` that turn the context into JSON-able values) lets
    ``treespec_dumps`` write specs holding ``cls``; ``flatten_with_keys_fn(obj) ->
    ([(key, child), ...], context)`` gives ``tree_flatten_with_path`` its keys.
    Registering a type twice raises ValueError.
    """
    if cls in SUPPORTED_NODES:
        raise ValueError(f"{cls} is already registered as pytree node.")
    if (to_dumpable_context is None) != (from_dumpable_context is None):
        raise ValueError(f"Both to_dumpable_context and from_dumpable_context for {cls} must "
                         f"be None or registered.")
    SUPPORTED_NODES[cls] = NodeDef(cls, flatten_fn, unflatten_fn, flatten_with_keys_fn)
    name = _BUILTIN_NAMES.get(cls, serialized_type_name)
    if name is not None:
        SUPPORTED_SERIALIZED_TYPES[cls] = _SerializeNodeDef(
            cls, name, to_dumpable_context, from_dumpable_context)
        SERIALIZED_TYPE_TO_PYTHON_TYPE[name] = cls


def _register_pytree_node(cls, flatten_fn, unflatten_fn, to_str_fn=None, maybe_from_str_fn=None,
                          *, serialized_type_name=None, to_dumpable_context=None,
                          from_dumpable_context=None, flatten_with_keys_fn=None):
    """The older spelling of ``register_pytree_node`` that libraries still call."""
    register_pytree_node(cls, flatten_fn, unflatten_fn,
                         serialized_type_name=serialized_type_name,
                         to_dumpable_context=to_dumpable_context,
                         from_dumpable_context=from_dumpable_context,
                         flatten_with_keys_fn=flatten_with_keys_fn)


def is_namedtuple_class(cls):
    """True for classes made by ``collections.namedtuple`` or ``typing.NamedTuple``."""
    return (isinstance(cls, type) and issubclass(cls, tuple)
            and isinstance(getattr(cls, "_fields", None), tuple)
            and all(type(f) is str for f in cls._fields)
            and callable(getattr(cls, "_make", None)) and callable(getattr(cls, "_asdict", None)))


def is_namedtuple_instance(obj):
    """True for an instance of a namedtuple class."""
    return is_namedtuple_class(type(obj))


def is_namedtuple(obj):
    """True for a namedtuple class or instance."""
    return is_namedtuple_class(obj if isinstance(obj, type) else type(obj))


def is_structseq_class(cls):
    """True for C struct-sequence classes (``os.stat_result``, ``time.struct_time``)."""
    return (isinstance(cls, type) and cls.__bases__ == (tuple,)
            and all(isinstance(getattr(cls, a, None), int)
                    for a in ("n_fields", "n_sequence_fields", "n_unnamed_fields"))
            and not cls.__flags__ & (1 << 10))  # Py_TPFLAGS_BASETYPE: cannot be subclassed


def is_structseq_instance(obj):
    """True for an instance of a C struct-sequence class."""
    return is_structseq_class(type(obj))


def is_structseq(obj):
    """True for a struct-sequence class or instance."""
    return is_structseq_class(obj if isinstance(obj, type) else type(obj))


def _get_node_type(tree):
    """The registry key of ``tree``: every namedtuple class shares the key ``namedtuple``."""
    cls = type(tree)
    return namedtuple if is_namedtuple_class(cls) else cls


def tree_is_leaf(tree, is_leaf=None):
    """True when ``tree`` is not a registered container (or ``is_leaf(tree)`` says so)."""
    if is_leaf is not None and is_leaf(tree):
        return True
    return _get_node_type(tree) not in SUPPORTED_NODES


# -- TreeSpec -------------------------------------------------------------------------------

class TreeSpec:
    """The shape of a pytree: a container ``type``, its ``context`` (keys, field class, ...)
    and one spec per child; a leaf's spec is ``LeafSpec()`` and prints as ``*``.

    ``unflatten(leaves)`` rebuilds a tree, ``flatten_up_to(tree)`` splits ``tree``
    along this spec; specs compare equal when their structure is the same.
    """

    def __init__(self, type, context, children_specs):
        self.type = type
        self._context = context
        self._children = list(children_specs)
        if type is None:
            self.num_nodes, self.num_leaves = 1, 1
        else:
            self.num_nodes = 1 + sum(c.num_nodes for c in self._children)
            self.num_leaves = sum(c.num_leaves for c in self._children)
        self.num_children = len(self._children)

    @property
    def context(self):
        return self._context

    @property
    def children_specs(self):
        return self._children

    def is_leaf(self):
        """True for the spec of a single leaf."""
        return self.type is None

    def children(self):
        """The specs of the children, in flattening order."""
        return list(self._children)

    def child(self, index):
        """The spec of child ``index``."""
        return self._children[index]

    def __repr__(self, indent=0):
        if self.is_leaf():
            return "*"
        inner = indent + 2
        children = (",\n" + " " * inner).join(c.__repr__(inner) for c in self._children)
        return f"TreeSpec({self.type.__name__}, {self._context}, [{children}])"

    def __eq__(self, other):
        if self is other:
            return True
        if not isinstance(other, TreeSpec):
            return NotImplemented
        return (self.type is other.type and self._context == other._context
                and self._children == other._children)

    def __hash__(self):
        return hash((self.type, repr(self._context), tuple(self._children)))

    def unflatten(self, leaves):
        """The tree of this shape holding ``leaves`` (in flattening order)."""
        leaves = list(leaves)
        if len(leaves) != self.num_leaves:
            raise ValueError(
                f"treespec.unflatten(leaves): `leaves` has length {len(leaves)} but the spec "
                f"refers to a pytree that holds {self.num_leaves} items ({self}).")
        return self._build(iter(leaves))

    def _build(self, leaves):
        if self.is_leaf():
            return next(leaves)
        children = [c._build(leaves) for c in self._children]
        return SUPPORTED_NODES[self.type].unflatten_fn(children, self._context)

    def flatten_up_to(self, tree):
        """The subtrees of ``tree`` standing where this spec has leaves (ValueError on a mismatch)."""
        out = []
        self._split(tree, out)
        return out

    def _split(self, tree, out):
        if self.is_leaf():
            out.append(tree)
            return
        node_type = _get_node_type(tree)
        if self.type is dict and node_type is dict:  # same keys in any order
            _check_keys(self._context, list(tree))
            children = [tree[k] for k in self._context]
        else:
            if node_type is not self.type:
                raise ValueError(f"Node type mismatch; expected {self.type!r}, but got "
                                 f"{type(tree)!r}.")
            children, context = SUPPORTED_NODES[node_type].flatten_fn(tree)
            if len(children) != self.num_children:
                raise ValueError(f"Node arity mismatch; expected {self.num_children}, but got "
                                 f"{len(children)}.")
            if context != self._context:
                raise ValueError(f"Node context mismatch for custom node type; expected "
                                 f"{self._context!r}, but got {context!r}.")
        for spec, child in zip(self._children, children):
            spec._split(child, out)


def _check_keys(expected, got):
    if set(expected) != set(got):
        missing = set(expected) - set(got)
        extra = set(got) - set(expected)
        raise ValueError(f"Node keys mismatch; missing key(s): {missing}; extra key(s): {extra}.")


class LeafSpec(TreeSpec):
    """The spec of a single leaf (prints as ``*``)."""

    def __init__(self):
        super().__init__(None, None, [])


_LEAF = LeafSpec()


# -- flatten / unflatten / map --------------------------------------------------------------

def tree_flatten(tree, is_leaf=None):
    """``(leaves, spec)``: the leaves of ``tree`` depth first and the ``TreeSpec`` of its containers."""
    leaves = []
    return leaves, _flatten(tree, is_leaf, leaves)


def _flatten(tree, is_leaf, leaves):
    if tree_is_leaf(tree, is_leaf):
        leaves.append(tree)
        return _LEAF
    children, context = SUPPORTED_NODES[_get_node_type(tree)].flatten_fn(tree)
    return TreeSpec(_get_node_type(tree), context, [_flatten(c, is_leaf, leaves) for c in children])


def tree_unflatten(leaves, treespec):
    """The tree of shape ``treespec`` around ``leaves`` (the inverse of ``tree_flatten``)."""
    if not isinstance(treespec, TreeSpec):
        raise TypeError(f"tree_unflatten(leaves, treespec): Expected `treespec` to be instance "
                        f"of TreeSpec but got item of type {type(treespec)}.")
    return treespec.unflatten(leaves)


def tree_iter(tree, is_leaf=None):
    """Yield the leaves of ``tree`` depth first, without building a spec."""
    if tree_is_leaf(tree, is_leaf):
        yield tree
        return
    for child in SUPPORTED_NODES[_get_node_type(tree)].flatten_fn(tree)[0]:
        yield from tree_iter(child, is_leaf)


def tree_leaves(tree, is_leaf=None):
    """The leaves of ``tree`` as a list."""
    return list(tree_iter(tree, is_leaf))


def tree_structure(tree, is_leaf=None):
    """The ``TreeSpec`` of ``tree``."""
    return tree_flatten(tree, is_leaf)[1]


def tree_map(func, tree, *rests, is_leaf=None):
    """A tree shaped like ``tree`` whose leaves are ``func(leaf, *matching leaves of rests)``.

    Each of ``rests`` must have ``tree``'s structure (or hold whole subtrees where ``tree`` has
    leaves).  Example: ``tree_map(lambda a, b: a + b, [1, (2,)], [10, (20,)]) == [11, (22,)]``.
    """
    leaves, spec = tree_flatten(tree, is_leaf)
    flat = [leaves] + [spec.flatten_up_to(r) for r in rests]
    return spec.unflatten(map(func, *flat))


def tree_map_(func, tree, *rests, is_leaf=None):
    """Call ``func`` on every leaf (with the matching leaves of ``rests``) and return ``tree``."""
    leaves, spec = tree_flatten(tree, is_leaf)
    flat = [leaves] + [spec.flatten_up_to(r) for r in rests]
    deque(map(func, *flat), maxlen=0)
    return tree


def _type_predicate(type_or_types_or_pred):
    if isinstance(type_or_types_or_pred, (type, tuple, types.UnionType)):
        return lambda x: isinstance(x, type_or_types_or_pred)
    if callable(type_or_types_or_pred):
        return type_or_types_or_pred
    raise TypeError("Argument must be a type, a tuple of types, or a callable.")


def _only(type_or_types_or_pred, func):
    pred = _type_predicate(type_or_types_or_pred)
    return lambda x: func(x) if pred(x) else x


def tree_map_only(type_or_types_or_pred, /, func, tree, is_leaf=None):
    """``tree_map`` that applies ``func`` only to leaves of the given type(s) (or passing a predicate)."""
    return tree_map(_only(type_or_types_or_pred, func), tree, is_leaf=is_leaf)


def tree_map_only_(type_or_types_or_pred, /, func, tree, is_leaf=None):
    """``tree_map_`` restricted like ``tree_map_only``."""
    return tree_map_(_only(type_or_types_or_pred, func), tree, is_leaf=is_leaf)


def tree_all(pred, tree, is_leaf=None):
    """True when ``pred`` holds for every leaf of ``tree``."""
    return all(map(pred, tree_iter(tree, is_leaf)))


def tree_any(pred, tree, is_leaf=None):
    """True when ``pred`` holds for some leaf of ``tree``."""
    return any(map(pred, tree_iter(tree, is_leaf)))


def tree_all_only(type_or_types, /, pred, tree, is_leaf=None):
    """True when ``pred`` holds for every leaf that is an instance of ``type_or_types``."""
    return all(pred(x) for x in tree_iter(tree, is_leaf) if isinstance(x, type_or_types))


def tree_any_only(type_or_types, /, pred, tree, is_leaf=None):
    """True when ``pred`` holds for some leaf that is an instance of ``type_or_types``."""
    return any(pred(x) for x in tree_iter(tree, is_leaf) if isinstance(x, type_or_types))


# -- key paths over trees -------------------------------------------------------------------

def _children_with_keys(tree):
    node = SUPPORTED_NODES[_get_node_type(tree)]
    if node.flatten_with_keys_fn is not None:
        return node.flatten_with_keys_fn(tree)[0]
    raise ValueError(f"Did not find a flatten_with_keys_fn for type: {node.type}. Please pass a "
                     f"flatten_with_keys_fn argument to register_pytree_node.")


def _leaves_with_path(tree, is_leaf, path, out):
    if tree_is_leaf(tree, is_leaf):
        out.append((path, tree))
        return
    for key, child in _children_with_keys(tree):
        _leaves_with_path(child, is_leaf, path + (key,), out)


def tree_leaves_with_path(tree, is_leaf=None):
    """``[(key_path, leaf), ...]``: each leaf with the keys that reach it from the root."""
    out = []
    _leaves_with_path(tree, is_leaf, (), out)
    return out


def tree_flatten_with_path(tree, is_leaf=None):
    """``(tree_leaves_with_path(tree), tree_structure(tree))``."""
    return tree_leaves_with_path(tree, is_leaf), tree_structure(tree, is_leaf)


def tree_map_with_path(func, tree, *rests, is_leaf=None):
    """``tree_map`` whose ``func`` also receives each leaf's key path first."""
    pairs, spec = tree_flatten_with_path(tree, is_leaf)
    paths = [p for p, _ in pairs]
    flat = [[x for _, x in pairs]] + [spec.flatten_up_to(r) for r in rests]
    return spec.unflatten(map(func, paths, *flat))


# -- serialization --------------------------------------------------------------------------

def _spec_to_json(spec):
    if spec.is_leaf():
        return {"type": None, "context": None, "children_spec": []}
    node = SUPPORTED_SERIALIZED_TYPES.get(spec.type)
    if node is None:
        raise NotImplementedError(
            f"Serializing {spec.type} in pytree is not registered: register it with "
            f"register_pytree_node(..., serialized_type_name=...).")
    context = spec.context if node.to_dumpable_context is None \
        else node.to_dumpable_context(spec.context)
    try:
        context = json.dumps(context)
    except TypeError as exc:
        raise TypeError(f"Unable to serialize context {context!r} of {spec.type} to JSON; "
                        f"register to_dumpable_context/from_dumpable_context for it") from exc
    return {"type": node.serialized_type_name, "context": context,
            "children_spec": [_spec_to_json(c) for c in spec.children()]}


def _spec_from_json(data):
    if data["type"] is None:
        return _LEAF
    cls = SERIALIZED_TYPE_TO_PYTHON_TYPE.get(data["type"])
    if cls is None:
        raise NotImplementedError(f"Deserializing {data['type']} in pytree is not registered.")
    node = SUPPORTED_SERIALIZED_TYPES[cls]
    context = json.loads(data["context"])
    if node.from_dumpable_context is not None:
        context = node.from_dumpable_context(context)
    return TreeSpec(cls, context, [_spec_from_json(c) for c in data["children_spec"]])


def treespec_dumps(treespec, protocol=None):
    """``treespec`` as a JSON string ``[protocol, spec]`` (``treespec_loads`` reads it back)."""
    if not isinstance(treespec, TreeSpec):
        raise TypeError(f"treespec_dumps(treespec, protocol): Expected `treespec` to be instance "
                        f"of TreeSpec but got item of type {type(treespec)}.")
    protocol = DEFAULT_TREESPEC_SERIALIZATION_PROTOCOL if protocol is None else protocol
    if protocol != 1:
        raise ValueError(f"Unknown protocol {protocol}. Available protocols: [1]")
    return json.dumps([protocol, _spec_to_json(treespec)])


def treespec_loads(serialized):
    """The ``TreeSpec`` that ``treespec_dumps`` wrote."""
    protocol, data = json.loads(serialized)
    if protocol != 1:
        raise ValueError(f"Unknown protocol {protocol}. Available protocols: [1]")
    return _spec_from_json(data)


class _Star:
    def __repr__(self):
        return "*"


def treespec_pprint(treespec):
    """The tree of shape ``treespec`` printed with ``*`` for every leaf: ``{'a': [*, (*, *)]}``."""
    return repr(treespec.unflatten([_Star()] * treespec.num_leaves))


# -- built-in containers --------------------------------------------------------------------

def _sequence_keys(seq):
    return [(SequenceKey(i), v) for i, v in enumerate(seq)], None


def _mapping_keys(mapping, context):
    return [(MappingKey(k), mapping[k]) for k in mapping], context


def _dict_flatten(d):
    """A dict's values and, as context, its keys (torch's private helper, used by libraries that
    register dict-like classes)."""
    return list(d.values()), list(d)


def _dict_unflatten(values, context):
    return dict(zip(context, values))


def _dict_flatten_with_keys(d):
    """``_dict_flatten`` with each value paired with its ``MappingKey``."""
    return _mapping_keys(d, list(d))


def _defaultdict_context_to_json(context):
    factory, keys = context
    return {"default_factory_module": factory.__module__,
            "default_factory_name": factory.__qualname__, "dict_context": keys}


def _defaultdict_context_from_json(data):
    import importlib
    factory = getattr(importlib.import_module(data["default_factory_module"]),
                      data["default_factory_name"])
    return [factory, data["dict_context"]]


def _namedtuple_keys(nt):
    return [(GetAttrKey(f), getattr(nt, f)) for f in nt._fields], type(nt)


def _namedtuple_context_to_json(context):
    raise NotImplementedError(
        f"Can't serialize TreeSpec of namedtuple class {context} because we didn't register a "
        f"serializated_type_name. Please register using `_register_namedtuple`.")


def _namedtuple_context_from_json(data):
    raise NotImplementedError("Can't deserialize a namedtuple TreeSpec that was not registered.")


def _register_builtins():
    register_pytree_node(tuple, lambda t: (list(t), None), lambda v, c: tuple(v),
                         flatten_with_keys_fn=_sequence_keys)
    register_pytree_node(list, lambda t: (list(t), None), lambda v, c: list(v),
                         flatten_with_keys_fn=_sequence_keys)
    register_pytree_node(dict, _dict_flatten, _dict_unflatten,
                         flatten_with_keys_fn=_dict_flatten_with_keys)
    register_pytree_node(namedtuple, lambda t: (list(t), type(t)), lambda v, c: c(*v),
                         flatten_with_keys_fn=_namedtuple_keys,
                         to_dumpable_context=_namedtuple_context_to_json,
                         from_dumpable_context=_namedtuple_context_from_json)
    register_pytree_node(OrderedDict, lambda d: (list(d.values()), list(d)),
                         lambda v, c: OrderedDict(zip(c, v)),
                         flatten_with_keys_fn=lambda d: _mapping_keys(d, list(d)))
    register_pytree_node(defaultdict,
                         lambda d: (list(d.values()), [d.default_factory, list(d)]),
                         lambda v, c: defaultdict(c[0], zip(c[1], v)),
                         flatten_with_keys_fn=lambda d: _mapping_keys(
                             d, [d.default_factory, list(d)]),
                         to_dumpable_context=_defaultdict_context_to_json,
                         from_dumpable_context=_defaultdict_context_from_json)
    register_pytree_node(deque, lambda d: (list(d), d.maxlen),
                         lambda v, c: deque(v, maxlen=c),
                         flatten_with_keys_fn=lambda d: (_sequence_keys(d)[0], d.maxlen))
    register_pytree_node(Size, lambda s: (list(s), None), lambda v, c: Size(v),
                         flatten_with_keys_fn=_sequence_keys)


_BUILTIN_NAMES = {tuple: "builtins.tuple", list: "builtins.list", dict: "builtins.dict",
                  namedtuple: "collections.namedtuple", OrderedDict: "collections.OrderedDict",
                  defaultdict: "collections.defaultdict", deque: "collections.deque"}
_register_builtins()
