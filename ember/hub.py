"""``torch.hub`` offline: read checkpoints and hub repositories from the local cache only.

ember never reaches the network.  ``load_state_dict_from_url(url)`` looks for
the file torch would have downloaded, ``<get_dir()>/checkpoints/<file name>``,
and loads it with ``ember.load``; when it is not there it raises
``HubOfflineError`` (a RuntimeError) saying where to put it.  ``get_dir()`` is
torch's location (``$TORCH_HOME/hub``, by default ``~/.cache/torch/hub``), so a
cache filled by PyTorch is reused.  ``load(dir, name, source='local')`` runs a
local ``hubconf.py``; GitHub sources raise the same offline error.

Example::

    >>> sd = ember.hub.load_state_dict_from_url(  # doctest: +SKIP
    ...     "https://download.pytorch.org/models/resnet18-f37072fd.pth")  # cached file, or error
"""
import importlib.util
import os
import re
import sys
from urllib.parse import urlparse
from .serialization import load as _load

__all__ = ["HubOfflineError", "download_url_to_file", "get_dir", "help", "list", "load",
           "load_state_dict_from_url", "set_dir"]

_hub_dir = [None]

# The hash prefix torch embeds in checkpoint file names ("resnet18-f37072fd.pth").
HASH_REGEX = re.compile(r"-([a-f0-9]*)\.")


class HubOfflineError(RuntimeError):
    """What ember.hub raises instead of downloading."""


def _torch_home():
    default = os.path.join(os.getenv("XDG_CACHE_HOME", os.path.join("~", ".cache")), "torch")
    return os.path.expanduser(os.getenv("TORCH_HOME", default))


def get_dir():
    """The hub cache directory: ``set_dir``'s value, else ``$TORCH_HOME/hub``."""
    if _hub_dir[0] is not None:
        return _hub_dir[0]
    return os.path.join(_torch_home(), "hub")


def set_dir(d):
    """Use ``d`` as the hub cache directory."""
    _hub_dir[0] = os.path.expanduser(d)


def _offline(what, where):
    return HubOfflineError(f"ember.hub does not download (no network access): {what} is not in "
                           f"the local cache. Download it yourself and put it at {where}")


def load_state_dict_from_url(url, model_dir=None, map_location=None, progress=True,
                             check_hash=False, file_name=None, weights_only=False):
    """Load the checkpoint cached for ``url`` under ``model_dir`` (default
    ``<get_dir()>/checkpoints``) with ``ember.load``; HubOfflineError if it is not cached."""
    if model_dir is None:
        model_dir = os.path.join(get_dir(), "checkpoints")
    filename = file_name or os.path.basename(urlparse(url).path)
    cached_file = os.path.join(model_dir, filename)
    if not os.path.exists(cached_file):
        raise _offline(url, cached_file)
    return _load(cached_file, map_location=map_location, weights_only=weights_only)


def download_url_to_file(url, dst, hash_prefix=None, progress=True):
    """Refuses: ember does not download."""
    raise _offline(url, dst)


def _hubconf(repo_or_dir, source):
    if source not in ("github", "local"):
        raise ValueError(f'Unknown source: "{source}". Allowed values: "github" | "local".')
    if source == "github":
        raise _offline(f"GitHub repository {repo_or_dir}",
                       "a local directory and call ember.hub.load(<directory>, model, "
                       "source='local')")
    path = os.path.join(repo_or_dir, "hubconf.py")
    if not os.path.exists(path):
        raise FileNotFoundError(f"No hubconf.py found in {repo_or_dir}")
    spec = importlib.util.spec_from_file_location("hubconf", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, repo_or_dir)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(repo_or_dir)
    return module


def _entry(module, model):
    fn = getattr(module, model, None)
    if fn is None or not callable(fn):
        raise RuntimeError(f"Cannot find callable {model} in hubconf")
    return fn


def list(repo_or_dir, force_reload=False, skip_validation=False, trust_repo=None,
         verbose=True, source="github"):
    """The entry points a local ``hubconf.py`` offers."""
    module = _hubconf(repo_or_dir, source)
    return [name for name in dir(module)
            if callable(getattr(module, name)) and not name.startswith("_")]


def help(repo_or_dir, model, force_reload=False, skip_validation=False, trust_repo=None,
         source="github"):
    """The docstring of entry point ``model`` of a local ``hubconf.py``."""
    return _entry(_hubconf(repo_or_dir, source), model).__doc__


def load(repo_or_dir, model, *args, source="github", trust_repo=None, force_reload=False,
         verbose=True, skip_validation=False, **kwargs):
    """Call entry point ``model`` of the ``hubconf.py`` in the local directory ``repo_or_dir``
    (``source='local'``) with ``*args, **kwargs``."""
    return _entry(_hubconf(repo_or_dir, source), model)(*args, **kwargs)
