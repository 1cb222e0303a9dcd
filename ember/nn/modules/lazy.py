"""``LazyModuleMixin``: layers that learn their input size from the first batch they see.

``LazyLinear(10)`` starts with ``UninitializedParameter``s; its first call runs
``initialize_parameters(input)``, which gives them their shapes and initial values, and then
the layer turns into a plain ``Linear`` for good (its class changes, the hooks go).  Loading a
state dict into a lazy layer instead takes the shapes from the saved tensors.
"""
import itertools

from ..parameter import is_lazy

__all__ = ["LazyModuleMixin"]


class LazyModuleMixin:
    """Mixin (listed first) for layers whose parameter shapes come from their first input.

    A subclass sets ``cls_to_become`` (the layer it becomes) and defines
    ``initialize_parameters(*args, **kwargs)``, which materializes every uninitialized
    parameter and buffer; e.g. ``class LazyLinear(LazyModuleMixin, Linear)``.
    """

    cls_to_become = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._load_hook = self.register_load_state_dict_pre_hook(LazyModuleMixin._lazy_load_hook)
        self._initialize_hook = self.register_forward_pre_hook(
            LazyModuleMixin._infer_parameters, with_kwargs=True)

    def _tensors(self):
        return itertools.chain(self._parameters.items(), self._buffers.items())

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        super()._save_to_state_dict(destination, prefix, keep_vars)
        for name, t in self._tensors():      # placeholders are saved as themselves
            if is_lazy(t) and prefix + name in destination:
                destination[prefix + name] = t

    def _lazy_load_hook(self, state_dict, prefix, local_metadata, strict, missing_keys,
                        unexpected_keys, error_msgs):
        """Give each placeholder the shape of its saved tensor, so loading can copy into it."""
        for name, t in self._tensors():
            value = state_dict.get(prefix + name)
            if is_lazy(t) and value is not None and not is_lazy(value):
                t.materialize(value.shape)

    def initialize_parameters(self, *args, **kwargs):
        """Materialize the placeholders from the first input (subclasses define it)."""
        raise NotImplementedError(f"initialize_parameters is not implemented for "
                                  f"{type(self).__name__}")

    def has_uninitialized_params(self):
        """True while a parameter or buffer still waits for its shape."""
        return any(is_lazy(t) for _, t in self._tensors())

    def _infer_parameters(self, args, kwargs=None):
        """The forward pre-hook: initialize, then become ``cls_to_become``."""
        self.initialize_parameters(*args, **(kwargs or {}))
        if self.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        self._initialize_hook.remove()
        self._load_hook.remove()
        del self._initialize_hook, self._load_hook
        if self.cls_to_become is not None:
            self.__class__ = self.cls_to_become
