"""Make ``import torch`` (and ``torchvision``) resolve to ember's modules.

``install()`` puts a finder first on ``sys.meta_path`` that answers for the
alias names: ``torch.nn.functional`` is served by importing
``ember.nn.functional`` and handing back that very module object, so
``torch.nn is ember.nn`` and ``sys.modules["torch.nn"] is ember.nn``.  Any
real ``torch*`` modules already imported are set aside while the alias is
installed and put back by ``uninstall()``.

With ``torch`` mapped to ``ember`` the alias also carries torch's identity:
``torch.__version__`` becomes the ``TorchVersion`` of ``ember.version`` and
``Tensor`` and ``dtype`` report module ``torch`` (``<class 'torch.Tensor'>``); both
are restored on ``uninstall()``.  The finder answers
``importlib.metadata`` for the ``torch`` distribution with that version, and
``public_prefix()`` turns "torch" so that dtypes and sizes print as torch's.
"""

import importlib
import importlib.abc
import importlib.metadata
import importlib.util
import pathlib
import re
import sys
from . import version
from .torch_version import TorchVersion

__all__ = ["install", "uninstall", "public_prefix", "DEFAULT_PREFIX_MAP"]

DEFAULT_PREFIX_MAP = {"torch": "ember", "torchvision": "ember.vision"}


def _under(name, prefix):
    """True when ``name`` is ``prefix`` or one of its submodules."""
    return name == prefix or name.startswith(prefix + ".")


class _AliasLoader(importlib.abc.Loader):
    """Loads an alias by importing its target and returning the same module."""

    def __init__(self, alias, target):
        self.alias = alias
        self.target = target

    def create_module(self, spec):
        try:
            module = importlib.import_module(self.target)
        except ModuleNotFoundError as exc:
            # Only a missing target is ours to explain; a missing dependency
            # of an existing ember module is re-raised as it is.
            if exc.name is None or not _under(self.target, exc.name):
                raise
            raise ModuleNotFoundError(
                f"{self.alias} is not provided by ember (no module {self.target})",
                name=self.alias,
            ) from None
        self._target_spec = module.__spec__
        return module

    def exec_module(self, module):
        # The import system has just stamped the alias spec on the module;
        # give it back its own so that reload() and introspection see ember.
        module.__spec__ = self._target_spec


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Answers ``find_spec`` for every module name under an alias prefix."""

    def __init__(self, prefix_map):
        # Longest prefix first, so a more specific mapping wins.
        self.prefix_map = dict(sorted(prefix_map.items(), key=lambda kv: -len(kv[0])))

    def target_of(self, fullname):
        """The ember module name an alias stands for, or None."""
        for alias, target in self.prefix_map.items():
            if _under(fullname, alias):
                return target + fullname[len(alias):]
        return None

    def find_spec(self, fullname, path=None, target=None):
        target_name = self.target_of(fullname)
        if target_name is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(fullname, target_name))


class _AliasDistribution(importlib.metadata.Distribution):
    """Installed-package metadata for an alias (``torch``) that ember stands in for."""

    def __init__(self, name, version):
        self._metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"

    def read_text(self, filename):
        return self._metadata if filename in ("METADATA", "PKG-INFO") else None

    def locate_file(self, path):
        return pathlib.Path(__file__).parent / path


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


class _TorchIdentityFinder(_AliasFinder):
    """The ``torch -> ember`` alias finder, which also answers ``importlib.metadata``."""

    def find_distributions(self, context=importlib.metadata.DistributionFinder.Context()):
        if context.name is None or _canonical(context.name) == "torch":
            yield _AliasDistribution("torch", version.__version__)


_finder = None
_shadowed = {}
_assumed = []  # (object, attribute, ember's value) for each attribute the alias changed


def _assume(obj, attr, value):
    """Set ``obj.attr`` to torch's ``value`` until ``uninstall()``."""
    _assumed.append((obj, attr, getattr(obj, attr)))
    setattr(obj, attr, value)


def _assume_torch_identity():
    import ember  # deferred: patches the finished ember package when the alias is installed
    _assume(ember, "__version__", TorchVersion(ember.version.__version__))
    # type(x) shows <class 'torch.Tensor'>. Only classes that pickle through a function are
    # renamed: a class pickled by reference (Size, device) must keep a name that a spawned
    # worker without the alias can import.
    for cls in (ember.Tensor, ember.dtype):
        _assume(cls, "__module__", "torch")


def public_prefix():
    """The package name ember's types print with: "torch" under the torch alias, else "ember"."""
    return "torch" if isinstance(_finder, _TorchIdentityFinder) else "ember"


def install(prefix_map=None):
    """Alias ``torch`` to ``ember`` and ``torchvision`` to ``ember.vision``.

    ``prefix_map`` maps alias package names to ember package names (default
    ``DEFAULT_PREFIX_MAP``).  Installing again replaces the previous mapping.
    """
    global _finder
    uninstall()
    prefix_map = DEFAULT_PREFIX_MAP if prefix_map is None else prefix_map
    as_torch = prefix_map.get("torch") == "ember"
    _finder = (_TorchIdentityFinder if as_torch else _AliasFinder)(prefix_map)
    if as_torch:
        _assume_torch_identity()
    for name in list(sys.modules):
        if _finder.target_of(name) is not None:
            _shadowed[name] = sys.modules.pop(name)
    sys.meta_path.insert(0, _finder)


def uninstall():
    """Remove the alias finder and alias modules; restore shadowed modules."""
    global _finder
    if _finder is None:
        return
    sys.meta_path[:] = [f for f in sys.meta_path if f is not _finder]
    for name in list(sys.modules):
        if _finder.target_of(name) is not None:
            del sys.modules[name]
    sys.modules.update(_shadowed)
    _shadowed.clear()
    while _assumed:
        obj, attr, value = _assumed.pop()
        setattr(obj, attr, value)
    _finder = None
