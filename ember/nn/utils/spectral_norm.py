"""The legacy spectral normalization: ``w = w_orig / sigma`` recomputed by a forward pre-hook.

``spectral_norm(m)`` keeps the parameter as ``weight_orig`` and the power-iteration
vectors as buffers ``weight_u`` and ``weight_v`` (torch's keys), and sets the plain
attribute ``m.weight`` before each forward (refining ``u``/``v`` in training mode).
The hook objects are torch's classes with torch's attributes, so whole-model pickles
move between ember and torch; a state dict of the version-0 format (``weight`` and
``weight_orig``, no ``weight_v``) is migrated on load.  ``parametrizations.spectral_norm``
is the newer form.

Example::

    >>> m = spectral_norm(nn.Linear(20, 40))
    >>> sorted(m.state_dict())
    ['bias', 'weight_orig', 'weight_u', 'weight_v']
"""
import numpy as np

from ..._tensor import _wrap
from ...autograd import grad_mode
from ..._ops.normalization.funcs import normalize
from ..modules.conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from ..modules.module import _WrappedHook, _add_hook
from ..parameter import Parameter, UninitializedParameter
from .parametrizations import _power_iteration, _weight_matrix

__all__ = ["SpectralNorm", "SpectralNormLoadStateDictPreHook", "SpectralNormStateDictHook",
           "spectral_norm", "remove_spectral_norm"]


class SpectralNorm:
    """The forward pre-hook computing ``module.<name> = <name>_orig / sigma``.

    ``sigma = u . (W v)`` with ``W`` the weight viewed as a ``(size(dim), -1)`` matrix
    and ``u``, ``v`` its singular-vector estimates, refined ``n_power_iterations``
    times per forward in training mode.

    Args:
        name (str), n_power_iterations (int), dim (int), eps (float): as ``spectral_norm``.

    Example::

        >>> fn = SpectralNorm("weight", n_power_iterations=2)
        >>> fn.dim, fn.eps
        (0, 1e-12)
    """

    _version = 1

    def __init__(self, name="weight", n_power_iterations=1, dim=0, eps=1e-12):
        self.name = name
        self.dim = dim
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but "
                             f"got n_power_iterations={n_power_iterations}")
        self.n_power_iterations = n_power_iterations
        self.eps = eps

    def reshape_weight_to_matrix(self, weight):
        """``weight`` as a ``(size(dim), -1)`` matrix."""
        return _weight_matrix(weight, self.dim)

    def compute_weight(self, module, do_power_iteration):
        """The normalised weight; ``do_power_iteration`` refines ``u``/``v`` in place first."""
        weight = getattr(module, self.name + "_orig")
        u = getattr(module, self.name + "_u")
        v = getattr(module, self.name + "_v")
        weight_mat = self.reshape_weight_to_matrix(weight)
        if do_power_iteration:
            # torch's order: v from u first, then u from v
            _power_iteration(weight_mat.detach().mT, v, u, self.n_power_iterations, self.eps)
            u, v = u.clone(), v.clone()
        return weight / u.dot(weight_mat.mv(v))

    def remove(self, module):
        """Put back ``<name>`` as one Parameter holding the current normalised weight."""
        with grad_mode.no_grad():
            weight = self.compute_weight(module, do_power_iteration=False)
        for suffix in ("", "_u", "_v", "_orig"):
            delattr(module, self.name + suffix)
        module.register_parameter(self.name, Parameter(weight.detach()))

    def __call__(self, module, inputs):
        setattr(module, self.name, self.compute_weight(module, module.training))

    def _solve_v_and_rescale(self, weight_mat, u, target_sigma):
        """The ``v`` with ``u . (W v) == target_sigma`` (least squares ``W v ~ u``)."""
        W = weight_mat.detach().numpy().astype(np.float64)
        v = np.linalg.pinv(W.T @ W) @ W.T @ u.detach().numpy()
        v = v * (float(target_sigma) / float(u.detach().numpy() @ (W @ v)))
        return _wrap(v).to(weight_mat.dtype)

    @staticmethod
    def apply(module, name, n_power_iterations, dim, eps):
        """Reparametrize ``module.<name>`` and register the hooks; returns the hook."""
        for hook in module._forward_pre_hooks.values():
            if isinstance(hook, SpectralNorm) and hook.name == name:
                raise RuntimeError(f"Cannot register two spectral_norm hooks on the same "
                                   f"parameter {name}")
        fn = SpectralNorm(name, n_power_iterations, dim, eps)
        weight = module._parameters[name]
        if weight is None:
            raise ValueError(f"`SpectralNorm` cannot be applied as parameter `{name}` is None")
        if isinstance(weight, UninitializedParameter):
            raise ValueError("The module passed to `SpectralNorm` can't have uninitialized "
                             "parameters. Make sure to run the dummy forward before applying "
                             "spectral normalization")
        with grad_mode.no_grad():
            h, w = fn.reshape_weight_to_matrix(weight).size()
            u = normalize(weight.new_empty(h).normal_(0, 1), dim=0, eps=fn.eps)
            v = normalize(weight.new_empty(w).normal_(0, 1), dim=0, eps=fn.eps)
        delattr(module, fn.name)
        module.register_parameter(fn.name + "_orig", weight)
        setattr(module, fn.name, weight.detach())
        module.register_buffer(fn.name + "_u", u)
        module.register_buffer(fn.name + "_v", v)
        module.register_forward_pre_hook(fn)
        module.register_state_dict_post_hook(SpectralNormStateDictHook(fn))
        _add_hook(module._load_state_dict_pre_hooks,
                  _WrappedHook(SpectralNormLoadStateDictPreHook(fn)))
        return fn


class SpectralNormLoadStateDictPreHook:
    """Migrates a version-0 state dict (``<name>`` and ``<name>_orig``, no ``<name>_v``).

    Example::

        >>> hook = SpectralNormLoadStateDictPreHook(SpectralNorm())
        >>> hook.fn.name
        'weight'
    """

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, state_dict, prefix, local_metadata, strict, missing_keys,
                 unexpected_keys, error_msgs):
        fn = self.fn
        version = local_metadata.get("spectral_norm", {}).get(fn.name + ".version", None)
        if version is not None and version >= 1:
            return
        weight_key = prefix + fn.name
        if version is None and weight_key not in state_dict and \
                all(weight_key + s in state_dict for s in ("_orig", "_u", "_v")):
            return
        missing = [weight_key + s for s in ("_orig", "", "_u") if weight_key + s not in state_dict]
        if missing:
            if strict:
                missing_keys.extend(missing)
            return
        with grad_mode.no_grad():
            weight_orig = state_dict[weight_key + "_orig"]
            weight = state_dict.pop(weight_key)
            sigma = (weight_orig / weight).mean()
            weight_mat = fn.reshape_weight_to_matrix(weight_orig)
            state_dict[weight_key + "_v"] = fn._solve_v_and_rescale(
                weight_mat, state_dict[weight_key + "_u"], sigma)


class SpectralNormStateDictHook:
    """Records the format version under ``metadata['spectral_norm']`` when saving.

    Example::

        >>> m = spectral_norm(nn.Linear(2, 2))
        >>> m.state_dict()._metadata[""]["spectral_norm"]
        {'weight.version': 1}
    """

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, module, state_dict, prefix, local_metadata):
        versions = local_metadata.setdefault("spectral_norm", {})
        key = self.fn.name + ".version"
        if key in versions:
            raise RuntimeError(f"Unexpected key in metadata['spectral_norm']: {key}")
        versions[key] = self.fn._version


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """Normalise ``module.<name>`` by its spectral norm before every forward (legacy hook form).

    Args:
        module (nn.Module): the layer.
        name (str): the parameter (default ``"weight"``), kept as ``<name>_orig``.
        n_power_iterations (int): power iterations per forward in training mode.
        eps (float): added when normalising ``u`` and ``v``.
        dim (int, optional): the output dimension (default 1 for ConvTranspose, else 0).

    Returns the module.

    Example::

        >>> m = spectral_norm(nn.Linear(20, 40))
        >>> m.weight_u.shape, m.weight_v.shape
        (torch.Size([40]), torch.Size([20]))
    """
    if dim is None:
        transposed = isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d))
        dim = 1 if transposed else 0
    SpectralNorm.apply(module, name, n_power_iterations, dim, eps)
    return module


def remove_spectral_norm(module, name="weight"):
    """Undo ``spectral_norm`` on ``module.<name>``: one Parameter again, the hooks removed.

    Example::

        >>> m = remove_spectral_norm(spectral_norm(nn.Linear(2, 2)))
        >>> sorted(m.state_dict())
        ['bias', 'weight']
    """
    for k, hook in module._forward_pre_hooks.items():
        if isinstance(hook, SpectralNorm) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[k]
            break
    else:
        raise ValueError(f"spectral_norm of '{name}' not found in {module}")
    for hooks, kind in ((module._state_dict_hooks, SpectralNormStateDictHook),
                        (module._load_state_dict_pre_hooks, SpectralNormLoadStateDictPreHook)):
        for k, hook in hooks.items():
            hook = getattr(hook, "hook", hook)
            if isinstance(hook, kind) and hook.fn.name == name:
                del hooks[k]
                break
    return module
