"""``torch.onnx``: importable, but ember cannot export ONNX graphs.

Exporting needs a traced graph of the model, which ember (an eager NumPy
framework) does not build, so ``export`` raises ``OnnxExporterError`` (a
RuntimeError) with what to do instead; ``is_in_onnx_export()`` is False.

Example::

    >>> ember.onnx.is_in_onnx_export()
    False
"""
__all__ = ["export", "is_in_onnx_export", "OnnxExporterError"]


class OnnxExporterError(RuntimeError):
    """Raised by ``export``: ember cannot export ONNX."""


def export(model, args=(), f=None, *pos, **kwargs):
    """Not supported: raises OnnxExporterError."""
    raise OnnxExporterError(
        "ember cannot export ONNX: it runs models eagerly and records no graph. Save the weights "
        "with ember.save(model.state_dict(), path) and export from PyTorch with the same model "
        "code if you need an ONNX file")


def is_in_onnx_export():
    """False: no export is ever in progress."""
    return False
