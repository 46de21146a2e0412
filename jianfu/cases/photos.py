"""Photos for complaints: decode, drop every piece of metadata, re-encode as a plain JPEG."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_SIDE = 2000


class PhotoInvalid(ValueError):
    pass


def strip_metadata(data: bytes) -> tuple[bytes, int, int]:
    """(jpeg bytes, width, height) with no EXIF, GPS, XMP or ICC data; orientation applied first so
    the picture still looks right once the EXIF orientation tag is gone."""
    if len(data) > MAX_BYTES:
        raise PhotoInvalid("照片不能超过8MB")
    try:
        with Image.open(io.BytesIO(data)) as original:
            img: Image.Image = ImageOps.exif_transpose(original).convert("RGB")
            img.thumbnail((MAX_SIDE, MAX_SIDE))
            # A fresh image holds pixels only: nothing from the original's info dict comes along.
            clean = Image.new("RGB", img.size)
            clean.paste(img)
    except (UnidentifiedImageError, OSError) as exc:
        raise PhotoInvalid("无法识别的图片格式（请上传 JPG 或 PNG）") from exc
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), clean.width, clean.height
