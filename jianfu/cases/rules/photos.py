"""Photos for complaints: decode, drop every piece of metadata, re-encode as a plain JPEG.

Bounds (security.md M5): at most MAX_PHOTOS files of MAX_BYTES each, streamed to temporary files
(never held in memory whole) by PhotoUploadHandler; the pixel count the file's header declares is
checked against MAX_PIXELS before a single pixel is decoded, so a small file that unpacks into a huge
picture costs nothing; whatever the decoder raises is a refusal of that photo (422), not an HTTP 500.
"""

from __future__ import annotations

import io
import warnings
from typing import IO, Any

from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_PHOTOS = 3
MAX_BYTES = 8 * 1024 * 1024
# 40 megapixels: above any phone camera a family uses (a 48 MP sensor saves 12 MP pictures by
# default) while a decoded RGB picture stays near 120 MB at most.
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000


_TOO_LARGE = _("图片像素过大，不能超过4000万像素")


class PhotoInvalid(ValueError):
    """What is wrong with one photo: a catalogue message with its parameters, rendered in the
    reader's language when shown (the service puts "photo n" in front of it)."""

    def __init__(self, message: str | Promise, **params: Any) -> None:
        super().__init__(str(message))
        self.message = message
        self.params = params

    def render(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


def size_of(source: bytes | IO[bytes]) -> int:
    """The byte size of an upload without reading it (an UploadedFile knows its size)."""
    if isinstance(source, bytes | bytearray):
        return len(source)
    size = getattr(source, "size", None)
    if isinstance(size, int):
        return size
    here = source.tell()
    end = source.seek(0, io.SEEK_END)
    source.seek(here)
    return end


def check_size(source: bytes | IO[bytes]) -> None:
    if size_of(source) > MAX_BYTES:
        raise PhotoInvalid(_("照片不能超过8MB"))


def strip_metadata(source: bytes | IO[bytes]) -> tuple[bytes, int, int]:
    """(jpeg bytes, width, height) with no EXIF, GPS, XMP or ICC data; orientation applied first so
    the picture still looks right once the EXIF orientation tag is gone."""
    check_size(source)
    fp: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    fp.seek(0)
    try:
        # open() reads the header only; nothing is decoded before load(), below the pixel check.
        # Pillow's warning between its own limits is moot: the check below refuses those sizes.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            original = Image.open(fp)
        with original:
            width, height = original.size
            if width * height > MAX_PIXELS:
                raise PhotoInvalid(
                    _("图片像素过大（%(width)s×%(height)s），不能超过4000万像素"), width=width, height=height
                )
            img: Image.Image = ImageOps.exif_transpose(original).convert("RGB")
            img.thumbnail((MAX_SIDE, MAX_SIDE))
            # A fresh image holds pixels only: nothing from the original's info dict comes along.
            clean = Image.new("RGB", img.size)
            clean.paste(img)
    except PhotoInvalid:
        raise
    except Image.DecompressionBombError as exc:  # past Pillow's own limit (~179 MP), raised by open()
        raise PhotoInvalid(_TOO_LARGE) from exc
    except Exception as exc:
        # Unknown format, a truncated or corrupt stream, a decompression bomb past Pillow's own
        # limit: Pillow raises many exception types for a bad file, and each is this photo's fault.
        raise PhotoInvalid(_("无法识别的图片格式（请上传 JPG 或 PNG）")) from exc
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), clean.width, clean.height


class PhotoUploadHandler(TemporaryFileUploadHandler):
    """Streams the complaint form's photos to temporary files, never to memory. Past MAX_PHOTOS
    files, or past MAX_BYTES within one, nothing more is written (the parser still reports the
    file's full size, which the service then refuses), so a huge or numerous upload costs neither
    memory nor disk."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files_seen = 0
        self.writing = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        self.writing = self.files_seen <= MAX_PHOTOS

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.writing and start + len(raw_data) <= MAX_BYTES:
            self.file.write(raw_data)
        else:
            self.writing = False
        return None
