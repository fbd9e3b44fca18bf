"""Functional image transforms (mirrors torchvision.transforms.functional).

Images are PIL images, torchlike Tensors (..., C, H, W), or NumPy arrays (..., C, H, W), which
stand in for tensors where torchlike is not imported (DataLoader workers: ``to_tensor`` returns
NumPy there, and the main process turns the collated batch into tensors). As in torchvision,
``to_tensor`` and ``to_pil_image`` read a NumPy array as (H, W, C). Tensor inputs run as jitted,
differentiable torchlike ops; this module imports neither JAX nor the torchlike package itself.
"""

from __future__ import annotations

import math
import numbers
import sys
from enum import Enum

import numpy as np

from . import _functional_array as FA
from . import _functional_pil as FP

__all__ = [
    "InterpolationMode",
    "adjust_brightness",
    "adjust_contrast",
    "adjust_gamma",
    "adjust_hue",
    "adjust_saturation",
    "affine",
    "center_crop",
    "convert_image_dtype",
    "crop",
    "get_dimensions",
    "get_image_num_channels",
    "get_image_size",
    "hflip",
    "normalize",
    "pad",
    "pil_to_tensor",
    "resize",
    "resized_crop",
    "rgb_to_grayscale",
    "rotate",
    "to_grayscale",
    "to_pil_image",
    "to_tensor",
    "vflip",
]


class InterpolationMode(Enum):
    """Mirrors torchvision.transforms.InterpolationMode."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_PIL_MODES = {
    InterpolationMode.NEAREST: 0,
    InterpolationMode.NEAREST_EXACT: 0,
    InterpolationMode.BILINEAR: 2,
    InterpolationMode.BICUBIC: 3,
    InterpolationMode.BOX: 4,
    InterpolationMode.HAMMING: 5,
    InterpolationMode.LANCZOS: 1,
}
_FROM_INT = {0: "NEAREST", 2: "BILINEAR", 3: "BICUBIC", 4: "BOX", 5: "HAMMING", 1: "LANCZOS"}


def _interpolation(mode) -> InterpolationMode:
    if isinstance(mode, int):
        return InterpolationMode[_FROM_INT[mode]]
    if not isinstance(mode, InterpolationMode):
        raise TypeError(
            "Argument interpolation should be a InterpolationMode or a corresponding Pillow integer constant"
        )
    return mode


# ---------------------------------------------------------------- image kinds


def _tensor_type():
    mod = sys.modules.get("torchlike._tensor")
    return mod.Tensor if mod is not None else None


def _is_tensor(img) -> bool:
    T = _tensor_type()
    return T is not None and isinstance(img, T)


def _is_array(img) -> bool:
    return isinstance(img, np.ndarray) or _is_tensor(img)


def _run(fn, img, *numbers, name: str, **static):
    """``fn`` on a NumPy image, or as one dispatched (jitted, differentiable) op on a torchlike Tensor."""
    if _is_tensor(img):
        import jax.numpy as jnp

        from ..._dispatch import dispatch

        return dispatch(fn, (img, *numbers), tuple(sorted({**static, "xp": jnp}.items())), name)
    if not isinstance(img, np.ndarray):
        raise TypeError(f"img should be PIL Image or Tensor. Got {type(img)}")
    return fn(img, *numbers, xp=np, **static)


def _check_tensor_image(img):
    if img.ndim < 2:
        raise TypeError("Tensor is not a torch image.")


def _np_dtype(dtype):
    return getattr(dtype, "np", None) or np.dtype(dtype)


def _as_output(arr: np.ndarray):
    """A torchlike Tensor when torchlike is loaded in this process, else the NumPy array (a worker)."""
    if _tensor_type() is None:
        return arr
    return sys.modules["torchlike"].from_numpy(np.ascontiguousarray(arr))


def get_dimensions(img) -> list[int]:
    """Mirrors torchvision's get_dimensions: [channels, height, width]."""
    if _is_array(img):
        _check_tensor_image(img)
        c = 1 if img.ndim == 2 else img.shape[-3]
        return [c, img.shape[-2], img.shape[-1]]
    return FP.get_dimensions(img)


def get_image_size(img) -> list[int]:
    """Mirrors torchvision's get_image_size: [width, height]."""
    _, h, w = get_dimensions(img)
    return [w, h]


def get_image_num_channels(img) -> int:
    """Mirrors torchvision's get_image_num_channels."""
    return get_dimensions(img)[0]


# ---------------------------------------------------------------- conversions


def to_tensor(pic):
    """Mirrors torchvision's to_tensor: PIL or (H, W, C) ndarray to (C, H, W); uint8 is scaled to [0, 1]."""
    if not (FP.is_pil_image(pic) or isinstance(pic, np.ndarray)):
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    if isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        img = (pic[:, :, None] if pic.ndim == 2 else pic).transpose(2, 0, 1)
    else:
        nptype = {"I": np.int32, "I;16" if sys.byteorder == "little" else "I;16B": np.int16, "F": np.float32}
        img = np.array(pic, nptype.get(pic.mode, np.uint8), copy=True)
        if pic.mode == "1":
            img = 255 * img
        img = img.reshape(pic.size[1], pic.size[0], FP.get_image_num_channels(pic)).transpose(2, 0, 1)
    if img.dtype == np.uint8:
        img = img.astype(_default_float()) / 255
    return _as_output(img)


def _default_float():
    tl = sys.modules.get("torchlike")
    return tl.get_default_dtype().np if tl is not None and hasattr(tl, "get_default_dtype") else np.dtype(np.float32)


def pil_to_tensor(pic):
    """Mirrors torchvision's pil_to_tensor: (C, H, W) in the image's own dtype."""
    if not FP.is_pil_image(pic):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    img = np.array(pic, copy=True)
    return _as_output(img.reshape(pic.size[1], pic.size[0], FP.get_image_num_channels(pic)).transpose(2, 0, 1))


def convert_image_dtype(image, dtype=None):
    """Mirrors torchvision's convert_image_dtype (default torch.float)."""
    if not _is_array(image):
        raise TypeError("Input img should be Tensor Image")
    target = np.dtype(np.float32) if dtype is None else _np_dtype(dtype)
    if FA.is_float(image.dtype if isinstance(image, np.ndarray) else image.dtype.np) and target.kind in "iu":
        src = _np_dtype(image.dtype)
        if (src == np.float32 and target in (np.int32, np.int64)) or (src == np.float64 and target == np.int64):
            raise RuntimeError(f"The cast from {image.dtype} to {dtype} cannot be performed safely.")
    return _run(FA.convert_image_dtype, image, dtype=target, name="ConvertImageDtypeBackward")


_MODE_BY_DTYPE = {"uint8": "L", "int16": "I;16" if sys.byteorder == "little" else "I;16B", "int32": "I", "float32": "F"}


def _pil_mode(npimg: np.ndarray, mode):
    """torchvision's mode inference and checks in to_pil_image."""
    channels, kind = npimg.shape[2], npimg.dtype
    if channels == 1:
        expected = _MODE_BY_DTYPE.get(kind.name)
        if mode is not None and mode != expected:
            raise ValueError(f"Incorrect mode ({mode}) supplied for input type {np.dtype}. Should be {expected}")
        return expected
    permitted = {2: ["LA"], 4: ["RGBA", "CMYK", "RGBX"], 3: ["RGB", "YCbCr", "HSV"]}[channels]
    if mode is not None and mode not in permitted:
        label = {2: "2D", 4: "4D", 3: "3D"}[channels]
        raise ValueError(f"Only modes {permitted} are supported for {label} inputs")
    if mode is None and kind == np.uint8:
        return permitted[0]
    return mode


def to_pil_image(pic, mode=None):
    """Mirrors torchvision's to_pil_image: a (C, H, W) tensor or (H, W, C) ndarray to a PIL image."""
    if _is_tensor(pic):
        pic = np.asarray(pic.detach())
        if pic.ndim == 3:
            pic = pic.transpose(1, 2, 0)
    elif not isinstance(pic, np.ndarray):
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")
    if pic.ndim == 2:
        pic = pic[:, :, None]
    if pic.ndim != 3:
        raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
    if pic.shape[-1] > 4:
        raise ValueError(f"pic should not have > 4 channels. Got {pic.shape[-1]} channels.")
    if np.issubdtype(pic.dtype, np.floating) and mode != "F":
        pic = (pic * 255).astype(np.uint8)
    mode = _pil_mode(pic, mode)
    if mode is None:
        raise TypeError(f"Input type {pic.dtype} is not supported")
    return FP.fromarray(pic[:, :, 0] if pic.shape[2] == 1 else pic, mode)


def normalize(tensor, mean, std, inplace: bool = False):
    """Mirrors torchvision's normalize: (x - mean) / std per channel of a float (..., C, H, W) image."""
    if not _is_array(tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    dtype = _np_dtype(tensor.dtype)
    if not FA.is_float(dtype):
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError(
            f"Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = {tuple(tensor.shape)}"
        )
    mean, std = _as_tuple(mean), _as_tuple(std)
    if (np.asarray(std, dtype=dtype) == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading to division by zero.")
    out = _run(FA.normalize, tensor, mean=mean, std=std, name="NormalizeBackward")
    if inplace:
        if isinstance(tensor, np.ndarray):
            tensor[...] = out
        else:
            tensor.copy_(out)
        return tensor
    return out


def _as_tuple(values) -> tuple:
    if _is_tensor(values):
        values = np.asarray(values.detach())
    if isinstance(values, np.ndarray):
        return tuple(values.reshape(-1).tolist()) if values.ndim <= 1 else tuple(map(tuple, values.tolist()))
    return tuple(values) if isinstance(values, (list, tuple)) else (values,)


# ---------------------------------------------------------------- geometry


def _resized_output_size(image_size, size: list[int], max_size) -> list[int]:
    """torchvision's _compute_resized_output_size."""
    h, w = image_size
    short, long = (w, h) if w <= h else (h, w)
    if len(size) == 1:
        requested = size[0]
        new_short, new_long = requested, int(requested * long / short)
        if max_size is not None:
            if max_size <= requested:
                raise ValueError(
                    f"max_size = {max_size} must be strictly greater than the requested "
                    f"size for the smaller edge size = {size}"
                )
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), max_size
        new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
        return [new_h, new_w]
    return [size[0], size[1]]


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    """Mirrors torchvision's resize: PIL through Image.resize; tensors through torch's interpolate kernels."""
    interpolation = _interpolation(interpolation)
    if isinstance(size, (list, tuple)):
        if len(size) not in (1, 2):
            raise ValueError(
                f"Size must be an int or a 1 or 2 element tuple/list, not a {len(size)} element tuple/list"
            )
        if max_size is not None and len(size) != 1:
            raise ValueError(
                "max_size should only be passed if size specifies the length of the smaller edge, "
                "i.e. size should be an int or a sequence of length 1 in torchscript mode."
            )
    _, h, w = get_dimensions(img)
    output_size = _resized_output_size((h, w), [size] if isinstance(size, int) else list(size), max_size)
    if [h, w] == output_size:
        return img
    if not _is_array(img):
        return FP.resize(img, output_size, _PIL_MODES[interpolation])
    mode = interpolation.value
    if mode not in ("nearest", "nearest-exact", "bilinear", "bicubic"):
        raise ValueError(f"Interpolation mode {interpolation} is unsupported with Tensor input")
    aa = bool(antialias) and mode in ("bilinear", "bicubic")
    return _run(FA.resize, img, size=tuple(output_size), mode=mode, antialias=aa, name="UpsampleBackward")


def _parse_padding(padding) -> tuple:
    """(left, top, right, bottom) from an int or a 1, 2 or 4 element sequence."""
    if isinstance(padding, int):
        return (padding,) * 4
    if len(padding) == 1:
        return (padding[0],) * 4
    if len(padding) == 2:
        return (padding[0], padding[1], padding[0], padding[1])
    return tuple(padding)


def pad(img, padding, fill=0, padding_mode: str = "constant"):
    """Mirrors torchvision's pad: constant, edge, reflect or symmetric borders (negative values crop)."""
    if not _is_array(img):
        return FP.pad(img, padding, fill, padding_mode)
    if not isinstance(padding, (int, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if not isinstance(fill, (int, float)) and fill is not None:
        raise TypeError("Got inappropriate fill arg")
    if isinstance(padding, (list, tuple)) and len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple")
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    fill = float(fill or 0)
    return _run(FA.pad, img, padding=_parse_padding(padding), fill=fill, mode=padding_mode, name="PadBackward")


def crop(img, top: int, left: int, height: int, width: int):
    """Mirrors torchvision's crop: zero-padded where the box leaves the image."""
    if not _is_array(img):
        return FP.crop(img, top, left, height, width)
    _check_tensor_image(img)
    _, h, w = get_dimensions(img)
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        ltrb = [
            max(-left + min(0, right), 0),
            max(-top + min(0, bottom), 0),
            max(right - max(w, left), 0),
            max(bottom - max(h, top), 0),
        ]
        return pad(img[..., max(top, 0) : bottom, max(left, 0) : right], ltrb, fill=0)
    return img[..., top:bottom, left:right]


def center_crop(img, output_size):
    """Mirrors torchvision's center_crop (pads with zeros when the crop is larger than the image)."""
    if isinstance(output_size, numbers.Number):
        output_size = (int(output_size), int(output_size))
    elif isinstance(output_size, (tuple, list)) and len(output_size) == 1:
        output_size = (output_size[0], output_size[0])
    _, h, w = get_dimensions(img)
    ch, cw = output_size
    if cw > w or ch > h:
        ltrb = [
            (cw - w) // 2 if cw > w else 0,
            (ch - h) // 2 if ch > h else 0,
            (cw - w + 1) // 2 if cw > w else 0,
            (ch - h + 1) // 2 if ch > h else 0,
        ]
        img = pad(img, ltrb, fill=0)
        _, h, w = get_dimensions(img)
        if cw == w and ch == h:
            return img
    return crop(img, int(round((h - ch) / 2.0)), int(round((w - cw) / 2.0)), ch, cw)


def resized_crop(img, top, left, height, width, size, interpolation=InterpolationMode.BILINEAR, antialias=True):
    """Mirrors torchvision's resized_crop: crop, then resize."""
    return resize(crop(img, top, left, height, width), size, interpolation, antialias=antialias)


def hflip(img):
    """Mirrors torchvision's hflip."""
    if not _is_array(img):
        return FP.hflip(img)
    return _run(FA.hflip, img, name="FlipBackward0")


def vflip(img):
    """Mirrors torchvision's vflip."""
    if not _is_array(img):
        return FP.vflip(img)
    return _run(FA.vflip, img, name="FlipBackward0")


def _inverse_affine_matrix(center, angle, translate, scale, shear) -> list[float]:
    """torchvision's _get_inverse_affine_matrix (inverted=True): output pixel -> input pixel."""
    rot, sx, sy = math.radians(angle), math.radians(shear[0]), math.radians(shear[1])
    (cx, cy), (tx, ty) = center, translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = [x / scale for x in (d, -b, 0.0, -c, a, 0.0)]
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty) + cx
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty) + cy
    return m


def _warp(img, matrix, out_size, interpolation, fill):
    mode = interpolation.value
    if mode not in ("nearest", "bilinear"):
        raise ValueError(f"Interpolation mode '{mode}' is unsupported with Tensor input")
    c = get_dimensions(img)[0]
    if fill is not None:
        fill = [float(fill)] * c if isinstance(fill, (int, float)) else [float(f) for f in fill]
        if len(fill) not in (1, c):
            raise ValueError(
                "The number of elements in 'fill' cannot broadcast to match the number of channels of the image "
                f"({len(fill)} != {c})"
            )
        fill = tuple(fill)
    m = np.asarray(matrix, dtype=np.float64)
    return _run(FA.affine_warp, img, m, out_size=tuple(out_size), mode=mode, fill=fill, name="GridSampler2DBackward0")


def rotate(img, angle: float, interpolation=InterpolationMode.NEAREST, expand: bool = False, center=None, fill=None):
    """Mirrors torchvision's rotate: counter-clockwise degrees about ``center`` (default the image centre)."""
    interpolation = _interpolation(interpolation)
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if center is not None and not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")
    if not _is_array(img):
        return FP.rotate(img, angle, _PIL_MODES[interpolation], expand, center, fill)
    _, h, w = get_dimensions(img)
    center_f = [0.0, 0.0] if center is None else [1.0 * (c - s * 0.5) for c, s in zip(center, [w, h])]
    matrix = _inverse_affine_matrix(center_f, -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    out_size = FA.affine_output_size(matrix, w, h)[::-1] if expand else (h, w)
    return _warp(img, matrix, out_size, interpolation, fill)


def affine(img, angle, translate, scale, shear, interpolation=InterpolationMode.NEAREST, fill=None, center=None):
    """Mirrors torchvision's affine: rotation, translation, scale and shear about the centre."""
    interpolation = _interpolation(interpolation)
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if not isinstance(translate, (list, tuple)) or len(translate) != 2:
        raise TypeError("Argument translate should be a sequence of length 2")
    if scale <= 0.0:
        raise ValueError("Argument scale should be positive")
    shear = [shear, 0.0] if isinstance(shear, numbers.Number) else list(shear)
    shear = shear * 2 if len(shear) == 1 else shear
    if len(shear) != 2:
        raise ValueError(f"Shear should be a sequence containing two values. Got {shear}")
    _, h, w = get_dimensions(img)
    if not _is_array(img):
        center = [w * 0.5, h * 0.5] if center is None else center
        matrix = _inverse_affine_matrix(center, float(angle), list(translate), scale, shear)
        return FP.affine(img, matrix, _PIL_MODES[interpolation], fill)
    center_f = [0.0, 0.0] if center is None else [1.0 * (c - s * 0.5) for c, s in zip(center, [w, h])]
    matrix = _inverse_affine_matrix(center_f, float(angle), [1.0 * t for t in translate], scale, shear)
    return _warp(img, matrix, (h, w), interpolation, fill)


# ---------------------------------------------------------------- colour


def _color(pil_fn, array_fn, img, factor: float, name: str):
    if not _is_array(img):
        return pil_fn(img, factor)
    _check_tensor_image(img)
    c = get_dimensions(img)[0]
    if c not in (1, 3):
        raise TypeError(f"Input image tensor permitted channel values are [1, 3], but found {c}")
    return _run(array_fn, img, float(factor), name=name)


def adjust_brightness(img, brightness_factor: float):
    """Mirrors torchvision's adjust_brightness."""
    if _is_array(img) and brightness_factor < 0:
        raise ValueError(f"brightness_factor ({brightness_factor}) is not non-negative.")
    return _color(FP.adjust_brightness, FA.adjust_brightness, img, brightness_factor, "AdjustBrightnessBackward")


def adjust_contrast(img, contrast_factor: float):
    """Mirrors torchvision's adjust_contrast."""
    if _is_array(img) and contrast_factor < 0:
        raise ValueError(f"contrast_factor ({contrast_factor}) is not non-negative.")
    return _color(FP.adjust_contrast, FA.adjust_contrast, img, contrast_factor, "AdjustContrastBackward")


def adjust_saturation(img, saturation_factor: float):
    """Mirrors torchvision's adjust_saturation."""
    if _is_array(img) and saturation_factor < 0:
        raise ValueError(f"saturation_factor ({saturation_factor}) is not non-negative.")
    return _color(FP.adjust_saturation, FA.adjust_saturation, img, saturation_factor, "AdjustSaturationBackward")


def adjust_hue(img, hue_factor: float):
    """Mirrors torchvision's adjust_hue (hue_factor in [-0.5, 0.5])."""
    if not (-0.5 <= hue_factor <= 0.5):
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    return _color(FP.adjust_hue, FA.adjust_hue, img, hue_factor, "AdjustHueBackward")


def adjust_gamma(img, gamma: float, gain: float = 1):
    """Mirrors torchvision's adjust_gamma."""
    if not _is_array(img):
        return FP.adjust_gamma(img, gamma, gain)
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number")
    return _run(FA.adjust_gamma, img, float(gamma), float(gain), name="AdjustGammaBackward")


def to_grayscale(img, num_output_channels: int = 1):
    """Mirrors torchvision's to_grayscale (PIL images only)."""
    if FP.is_pil_image(img):
        return FP.to_grayscale(img, num_output_channels)
    raise TypeError("Input should be PIL Image")


def rgb_to_grayscale(img, num_output_channels: int = 1):
    """Mirrors torchvision's rgb_to_grayscale (ITU-R 601-2 luma for tensors, PIL's convert("L") for images)."""
    if not _is_array(img):
        return FP.to_grayscale(img, num_output_channels)
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.ndim}")
    if img.shape[-3] not in (1, 3):
        raise TypeError(f"Input image tensor permitted channel values are [1, 3], but found {img.shape[-3]}")
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    return _run(FA.rgb_to_grayscale, img, num_output_channels=num_output_channels, name="RgbToGrayscaleBackward")
