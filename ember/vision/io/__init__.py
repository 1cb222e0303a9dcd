"""torchvision.io's image functions, decoded and encoded with Pillow (the optional 'vision'
extra): ``read_file``/``write_file`` (raw bytes as uint8 tensors), ``decode_image``/
``read_image`` (to (C, H, W) uint8), ``encode_png``/``write_png``, ``encode_jpeg``/
``write_jpeg`` and ``ImageReadMode``.  Decoded pixels are Pillow's, so lossy formats (JPEG)
can differ slightly from torchvision's libjpeg-turbo build; PNG is exact."""
from .image import (ImageReadMode, decode_image, decode_jpeg, decode_png, encode_jpeg, encode_png,
                    read_file, read_image, write_file, write_jpeg, write_png)

__all__ = ["ImageReadMode", "decode_image", "decode_jpeg", "decode_png", "encode_jpeg",
           "encode_png", "read_file", "read_image", "write_file", "write_jpeg", "write_png"]
