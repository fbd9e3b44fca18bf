"""PIL-image transforms (mirrors torchvision.transforms._functional_pil); NumPy and Pillow only."""

from __future__ import annotations

import numbers

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

__all__: list[str] = []


def is_pil_image(img) -> bool:
    return isinstance(img, Image.Image)


def _check(img):
    if not is_pil_image(img):
        raise TypeError(f"img should be PIL Image. Got {type(img)}")


def get_image_num_channels(img) -> int:
    _check(img)
    return len(img.getbands()) if hasattr(img, "getbands") else img.channels


def get_dimensions(img) -> list[int]:
    _check(img)
    return [get_image_num_channels(img), img.height, img.width]


def fromarray(obj: np.ndarray, mode: str) -> Image.Image:
    """Image.fromarray with an explicit mode that reinterprets the data (Pillow deprecated that argument)."""
    obj = np.ascontiguousarray(obj)
    img = Image.fromarray(obj)
    if img.mode == mode:
        return img
    return Image.frombuffer(mode, (obj.shape[1], obj.shape[0]), obj.tobytes(), "raw", mode, 0, 1)


def hflip(img):
    _check(img)
    return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)


def vflip(img):
    _check(img)
    return img.transpose(Image.Transpose.FLIP_TOP_BOTTOM)


def crop(img, top: int, left: int, height: int, width: int):
    _check(img)
    return img.crop((left, top, left + width, top + height))


def resize(img, size: list[int], interpolation: int):
    _check(img)
    if not (isinstance(size, list) and len(size) == 2):
        raise TypeError(f"Got inappropriate size arg: {size}")
    return img.resize(tuple(size[::-1]), interpolation)


def parse_fill(fill, img, name: str = "fillcolor") -> dict:
    """torchvision's _parse_fill: a fill value per band, ints unless the image is mode F."""
    n = get_image_num_channels(img)
    if fill is None:
        fill = 0
    if isinstance(fill, (int, float)) and n > 1:
        fill = tuple([fill] * n)
    if isinstance(fill, (list, tuple)):
        if len(fill) == 1:
            fill = tuple(fill) * n
        elif len(fill) != n:
            msg = "The number of elements in 'fill' does not match the number of channels of the image ({} != {})"
            raise ValueError(msg.format(len(fill), n))
        fill = tuple(fill)
    if img.mode != "F":
        fill = tuple(int(x) for x in fill) if isinstance(fill, tuple) else int(fill)
    return {name: fill}


def pad(img, padding, fill=0, padding_mode: str = "constant"):
    _check(img)
    if not isinstance(padding, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if fill is not None and not isinstance(fill, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate fill arg")
    padding = tuple(padding) if isinstance(padding, list) else padding
    if isinstance(padding, tuple) and len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple")
    if isinstance(padding, tuple) and len(padding) == 1:
        padding = padding[0]
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    palette = img.getpalette() if img.mode == "P" else None
    if padding_mode == "constant":
        out = ImageOps.expand(img, border=padding, **parse_fill(fill, img, name="fill"))
    else:
        if isinstance(padding, int):
            padding = (padding,) * 4
        elif len(padding) == 2:
            padding = (padding[0], padding[1], padding[0], padding[1])
        left, top, right, bottom = padding
        if min(padding) < 0:
            cl, ct, cr, cb = (max(-p, 0) for p in padding)
            img = img.crop((cl, ct, img.width - cr, img.height - cb))
        arr = np.asarray(img)
        widths = [(max(top, 0), max(bottom, 0)), (max(left, 0), max(right, 0))] + [(0, 0)] * (arr.ndim - 2)
        out = Image.fromarray(np.pad(arr, widths, mode=padding_mode))
    if palette is not None:
        out.putpalette(palette)
    return out


def rotate(img, angle: float, interpolation: int, expand: bool, center, fill):
    _check(img)
    return img.rotate(angle, interpolation, expand, center, **parse_fill(fill, img))


def affine(img, matrix: list[float], interpolation: int, fill):
    _check(img)
    return img.transform(img.size, Image.Transform.AFFINE, matrix, interpolation, **parse_fill(fill, img))


def adjust_brightness(img, factor: float):
    _check(img)
    return ImageEnhance.Brightness(img).enhance(factor)


def adjust_contrast(img, factor: float):
    _check(img)
    return ImageEnhance.Contrast(img).enhance(factor)


def adjust_saturation(img, factor: float):
    _check(img)
    return ImageEnhance.Color(img).enhance(factor)


def adjust_hue(img, factor: float):
    if not (-0.5 <= factor <= 0.5):
        raise ValueError(f"hue_factor ({factor}) is not in [-0.5, 0.5].")
    _check(img)
    if img.mode in {"L", "1", "I", "F"}:
        return img
    mode = img.mode
    h, s, v = img.convert("HSV").split()
    np_h = np.array(h, dtype=np.uint8)
    np_h += np.int32(factor * 255).astype(np.uint8)  # wraps around, as hue should
    return Image.merge("HSV", (fromarray(np_h, "L"), s, v)).convert(mode)


def adjust_gamma(img, gamma: float, gain: float = 1.0):
    _check(img)
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number")
    mode = img.mode
    img = img.convert("RGB")
    table = [int((255 + 1 - 1e-3) * gain * pow(ele / 255.0, gamma)) for ele in range(256)] * 3
    return img.point(table).convert(mode)


def to_grayscale(img, num_output_channels: int):
    _check(img)
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    img = img.convert("L")
    if num_output_channels == 3:
        arr = np.array(img, dtype=np.uint8)
        img = fromarray(np.dstack([arr, arr, arr]), "RGB")
    return img
