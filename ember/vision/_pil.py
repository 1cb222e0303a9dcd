"""Optional Pillow: the ``Image`` module when installed, and helpers to ask for it."""
try:
    from PIL import Image
except ImportError:  # Pillow is the optional 'vision' extra
    Image = None

__all__ = ["Image", "is_pil_image", "require_pillow"]


def is_pil_image(img):
    return Image is not None and isinstance(img, Image.Image)


def require_pillow(what):
    """The ``PIL.Image`` module, or ImportError naming ``what`` and the package to install."""
    if Image is None:
        raise ImportError(f"{what} needs Pillow, which is not installed: "
                          "pip install 'ember[vision]' (or pip install Pillow)")
    return Image
