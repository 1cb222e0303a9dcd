"""Facts about a model that must match torchvision's: parameter count, state_dict keys and
shapes (as a count and a hash), module names.  Works on torch and ember modules alike."""
import hashlib


def _digest(lines):
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def model_facts(model):
    """A small JSON-able summary of ``model``'s layout."""
    sd = model.state_dict()
    shapes = [f"{k}:{tuple(v.shape)}" for k, v in sd.items()]
    modules = [name for name, _ in model.named_modules()]
    return {"num_params": int(sum(p.numel() for p in model.parameters())),
            "num_state": len(sd), "state_hash": _digest(shapes),
            "num_modules": len(modules), "module_hash": _digest(modules),
            "children": [name for name, _ in model.named_children()]}


def state_shapes(model):
    """``key: shape`` lines of the state dict (for a readable diff when the hash differs)."""
    return [f"{k}:{tuple(v.shape)}" for k, v in model.state_dict().items()]
