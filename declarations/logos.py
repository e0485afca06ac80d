"""Applicants' logos: the checks and re-encoding of an upload, where the files live, and when they go.

An uploaded logo is decoded and saved again from its pixels alone: no JPEG comment, EXIF or XMP, no
PNG text chunk, no WebP metadata, no colour profile (a profile is applied to the pixels, which become
sRGB, the colour space a browser assumes for an untagged image) and no palette (both can carry any
bytes the applicant chose). EXIF orientation is applied to the pixels first, so a phone photo stands up.

The files live in their own storage (`STORAGES["logos"]`, folder `PRIVATE_MEDIA_ROOT`), outside the
public /media/ folder: only the views in `logo_views` serve them, and the public one checks on every
request that the declaration is published (`Declaration.objects.public()`). A file nobody uses any
more is deleted: at once when the applicant replaces or removes it (after the transaction commits),
and for rejected or withdrawn declarations by `retention.purge_unused_logos`, which the retention purge calls.
"""

import io
import warnings
from datetime import timedelta
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db import transaction
from django.db.models.signals import post_delete, pre_save
from django.forms import ValidationError
from django.urls import reverse
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 16_000_000
# The limits as the applicant reads them: 2MB, 1600万画素.
LOGO_MAX_SIZE_LABEL = f"{LOGO_MAX_BYTES // (1024 * 1024)}MB"
LOGO_MAX_PIXELS_LABEL = f"{LOGO_MAX_PIXELS // 10_000}万画素"
# Pillow's format name → the extension the re-encoded file is saved under.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
LOGO_CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
LOGO_ACCEPT = "image/png,image/jpeg,image/webp"
LOGO_TYPE_ERROR = "ロゴ画像は、PNG・JPEG・WebP形式の画像ファイルを選んでください（SVGなどの形式は使えません）。"

# The folder inside the logo storage; the model's upload_to writes `<folder><32 hex digits>.<ext>`.
LOGO_FOLDER = "declarations/logos/"
# A file that no declaration names may be one whose declaration is being saved right now.
ORPHAN_GRACE = timedelta(days=1)

SRGB = ImageCms.createProfile("sRGB")


class LogoError(ValidationError):
    pass


def reencode_logo(uploaded):
    """Check an uploaded logo by decoding it, and return it re-encoded as (bytes, extension).

    Only the pixels of the first frame are kept (see the module's docstring). Raises LogoError with
    the reason the applicant is shown.
    """
    if uploaded.size > LOGO_MAX_BYTES:
        raise LogoError(
            f"ロゴ画像のファイルサイズが大きすぎます（{uploaded.size / 1024 / 1024:.1f}MB）。"
            f"{LOGO_MAX_SIZE_LABEL}以下の画像を選んでください。",
            code="logo_too_large",
        )
    uploaded.seek(0)
    data = uploaded.read()
    try:
        with warnings.catch_warnings():
            # A decompression bomb must be refused, not merely logged.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in LOGO_FORMATS:
                raise LogoError(LOGO_TYPE_ERROR, code="logo_type")
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                raise LogoError(
                    f"ロゴ画像の画素数が多すぎます（{width}×{height}）。{LOGO_MAX_PIXELS_LABEL}以下の画像を選んでください。",
                    code="logo_too_many_pixels",
                )
            image.load()
            image_format = image.format
            image = pixels_only(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise LogoError(
            f"ロゴ画像の画素数が多すぎます。{LOGO_MAX_PIXELS_LABEL}以下の画像を選んでください。",
            code="logo_too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise LogoError(LOGO_TYPE_ERROR, code="logo_type") from None

    out = io.BytesIO()
    if image_format == "JPEG":
        image.save(out, "JPEG", quality=90, optimize=True)
    elif image_format == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=90)
    return out.getvalue(), LOGO_FORMATS[image_format]


def pixels_only(image):
    """A new RGB (or RGBA) sRGB image with the pixels of `image` upright and nothing else from the file."""
    image = ImageOps.exif_transpose(image)
    icc = image.info.get("icc_profile")
    if "transparency" in image.info or image.mode in ("LA", "La", "PA", "RGBa"):
        image = image.convert("RGBA")
    elif image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        image = image.convert("RGB")
    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    converted = None
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # a broken profile: its pixels are used as they are
    if converted is None:
        converted = image.convert(mode)
    # Built from the raw pixels, so no comment, EXIF, XMP, text, profile or palette can follow along.
    return Image.frombytes(mode, converted.size, converted.tobytes())


def logo_content_file(data, extension):
    # The stored name is generated by the model's upload_to; this one only carries the extension.
    return ContentFile(data, name=f"logo.{extension}")


# Storage


class LogoStorage(FileSystemStorage):
    """Logo files in a folder that no web server serves; their URL is the view that checks the status."""

    def url(self, name):
        return reverse("declarations:logo", args=[PurePosixPath(name).name])


def logo_storage():
    return storages["logos"]


# Deleting files nobody uses


def delete_logo_file(name):
    if name:
        logo_storage().delete(name)


def delete_after_commit(name):
    # Not before: a rolled-back correction must still find its old logo.
    transaction.on_commit(lambda: delete_logo_file(name))


def delete_replaced_logo(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and "logo" not in update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("logo", flat=True).first()
    if old and old != instance.logo.name:
        delete_after_commit(old)


def delete_logo_of_deleted(sender, instance, **kwargs):
    if instance.logo:
        delete_after_commit(instance.logo.name)


def connect_signals(model):
    """Called from DeclarationsConfig.ready()."""
    pre_save.connect(delete_replaced_logo, sender=model, dispatch_uid="declarations_replaced_logo")
    post_delete.connect(delete_logo_of_deleted, sender=model, dispatch_uid="declarations_deleted_logo")
