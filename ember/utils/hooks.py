"""torch.utils.hooks counterpart: the handle returned by hook registrations."""
from ..nn.modules.module import RemovableHandle  # noqa: F401
