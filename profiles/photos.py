"""The candidate's photo: checked, cleaned and stored (PRODUCT §2).

A photo is personal data and never public. Whatever arrives (an upload, or the
picture Google or Facebook hand us at sign-in) goes through one pipeline:

- limited in bytes (TSUNAGU_PHOTO_MAX_BYTES) before it is read, and in pixels
  (TSUNAGU_PHOTO_MAX_PIXELS) from its header, before anything is decoded;
- accepted only if Pillow recognises it as JPEG, PNG or WebP by its content
  (names and declared content types are not trusted);
- re-encoded from pixels only, so that no metadata survives: no EXIF (GPS
  position, camera serial, date), no ICC profile, no XMP, no comments;
- stored under new random names in the default storage, which is never
  served by URL (profiles.photo_views checks who asks).
"""

import io
import logging
import time
import warnings
from dataclasses import dataclass
from typing import IO
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from profiles.models import CandidateProfile

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"
LONG_SIDE = 1024
THUMBNAIL_SIDE = 256
JPEG_QUALITY = 85
WHITE = (255, 255, 255)

# Where sign-in photos may be fetched from: the hosts Google and Facebook give
# picture URLs on ("." = that domain and its subdomains). The URL comes from
# the provider, but fetching it is a request from inside our network, so it
# is never sent anywhere else (no SSRF through a crafted picture URL).
DEFAULT_FETCH_HOSTS = (".googleusercontent.com", "graph.facebook.com", ".fbsbx.com", ".fbcdn.net")
FETCH_TIMEOUT_SECONDS = 10
FETCH_DEADLINE_SECONDS = 30
FETCH_MAX_REDIRECTS = 5


def max_bytes() -> int:
    return getattr(settings, "TSUNAGU_PHOTO_MAX_BYTES", 5 * 1024 * 1024)


def max_pixels() -> int:
    return getattr(settings, "TSUNAGU_PHOTO_MAX_PIXELS", 40_000_000)


class PhotoRejected(Exception):
    """The photo was refused; `message` is for the candidate, translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PhotoDownloadFailed(Exception):
    """A sign-in photo could not be fetched, and trying again will not help."""


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes  # JPEG, at most LONG_SIDE px on its long side
    thumbnail: bytes  # JPEG, THUMBNAIL_SIDE px square


def too_large_message() -> str:
    return _("This file is too large. Choose a photo of at most %(megabytes)s MB.") % {
        "megabytes": f"{max_bytes() / (1024 * 1024):g}"
    }


def normalise_photo(data: bytes | IO[bytes]) -> ProcessedPhoto:
    """Check a photo and re-encode it as metadata-free JPEGs, or raise PhotoRejected."""
    raw = _read_limited(data)
    if not raw:
        raise PhotoRejected(_("This file is empty. Choose a photo."))
    if len(raw) > max_bytes():
        raise PhotoRejected(too_large_message())
    try:
        # Pillow warns (and at twice its limit, refuses) when a header
        # announces a decompression bomb. The warning is made an error only
        # here, for this call. catch_warnings is not thread-safe: at worst a
        # concurrent thread also gets the error instead of the warning, or the
        # filter stays in place, which only makes other code refuse bombs too.
        with (
            warnings.catch_warnings(action="error", category=Image.DecompressionBombWarning),
            Image.open(io.BytesIO(raw), formats=ACCEPTED_FORMATS) as opened,
        ):
            return _process(opened)
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(_too_many_pixels_message())
    except UnidentifiedImageError:
        raise PhotoRejected(_("This file is not a photo we can use. Choose a JPEG, PNG or WebP image."))
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, MemoryError) as exc:
        # Truncated or damaged data; Pillow's decoders raise any of these.
        logger.info("photo refused as damaged: %s", exc.__class__.__name__)
        raise PhotoRejected(_("This photo seems damaged and cannot be read. Try another file."))


def _read_limited(data: bytes | IO[bytes]) -> bytes:
    """The bytes of `data`, but never more than one byte past the limit."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if hasattr(data, "seek"):
        data.seek(0)
    return data.read(max_bytes() + 1)


def _too_many_pixels_message() -> str:
    return _("This photo has too many pixels. Choose one of at most %(megapixels)s megapixels.") % {
        "megapixels": f"{max_pixels() / 1_000_000:g}"
    }


def _process(opened: Image.Image) -> ProcessedPhoto:
    # The header gives the size; nothing has been decoded yet.
    width, height = opened.size
    if width * height > max_pixels():
        raise PhotoRejected(_too_many_pixels_message())
    opened.seek(0)  # animated images: the first frame only
    if opened.format == "JPEG":
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the photo is far
        # larger than we keep: faster, and far less memory.
        opened.draft(None, (LONG_SIDE, LONG_SIDE))
    opened.load()
    upright = ImageOps.exif_transpose(opened)
    rgb = _flatten_to_rgb(upright)

    image = rgb.copy()
    image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    thumbnail = ImageOps.fit(rgb, (THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(image=_encode_jpeg(image), thumbnail=_encode_jpeg(thumbnail))


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white (JPEG has no alpha)."""
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (*WHITE, 255))
        background.alpha_composite(rgba)
        return background.convert("RGB")
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        # 16-bit greyscale: scale to 8 bits rather than clip to white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _encode_jpeg(image: Image.Image) -> bytes:
    # A new image holds the pixels and nothing else, so no EXIF, ICC, XMP or
    # comment from the original can reach the file, whatever Pillow carries
    # over in `info`.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


# --- Storing and deleting ------------------------------------------------------


def profile_photo_store(
    *, profile: CandidateProfile, data: bytes | IO[bytes], source: str, only_if_empty: bool = False
) -> None:
    """Put a new photo on the profile, through the pipeline; raise PhotoRejected.

    The previous files are deleted from storage once the change is committed,
    so a failure leaves the previous photo in place. A new photo is not hidden
    by moderation (it has not been reported). `only_if_empty` keeps a photo the
    candidate already has (a sign-in photo never replaces an upload)."""
    processed = normalise_photo(data)  # before any transaction: decoding takes time
    written: list[str] = []
    try:
        with transaction.atomic():
            current = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
            if only_if_empty and current.photo:
                return
            replaced = _stored_names(current)
            current.photo.save("photo.jpg", ContentFile(processed.image), save=False)
            current.photo_thumbnail.save("photo.jpg", ContentFile(processed.thumbnail), save=False)
            written = _stored_names(current)
            current.photo_hidden = False
            current.photo_source = source
            current.save(update_fields=["photo", "photo_thumbnail", "photo_hidden", "photo_source", "updated_at"])
            transaction.on_commit(lambda: _delete_files(replaced), robust=True)
    except BaseException:
        # Nothing points at the new files: do not leave them behind.
        _delete_files(written)
        raise
    _copy_photo_fields(current, profile)


@transaction.atomic
def profile_photo_delete(*, profile: CandidateProfile) -> None:
    """Remove the photo: the fields at once, the files after the commit."""
    current = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
    removed = _stored_names(current)
    current.photo = ""
    current.photo_thumbnail = ""
    current.photo_hidden = False
    current.photo_source = ""
    current.save(update_fields=["photo", "photo_thumbnail", "photo_hidden", "photo_source", "updated_at"])
    transaction.on_commit(lambda: _delete_files(removed), robust=True)
    _copy_photo_fields(current, profile)


def _stored_names(profile: CandidateProfile) -> list[str]:
    return [f.name for f in (profile.photo, profile.photo_thumbnail) if f]


def _delete_files(names: list[str]) -> None:
    storage = CandidateProfile._meta.get_field("photo").storage
    for name in names:
        storage.delete(name)


def _copy_photo_fields(source: CandidateProfile, target: CandidateProfile) -> None:
    for field in ("photo", "photo_thumbnail", "photo_hidden", "photo_source", "updated_at"):
        setattr(target, field, getattr(source, field))


# --- Sign-in photos ------------------------------------------------------------


def download_social_photo(url: str) -> bytes:
    """The body of a Google or Facebook picture URL, at most max_bytes() + 1 long.

    Raises requests.ConnectionError / requests.Timeout for what may pass if
    tried again later, PhotoRejected for a body that is too large, and
    PhotoDownloadFailed for anything else. Redirects are followed by hand so
    that every hop is checked against the allowed hosts."""
    limit = max_bytes()
    deadline = time.monotonic() + FETCH_DEADLINE_SECONDS
    with requests.Session() as session:
        session.trust_env = False  # no proxies or .netrc from the environment
        for _hop in range(FETCH_MAX_REDIRECTS + 1):
            _check_fetch_url(url)
            with session.get(
                url,
                timeout=FETCH_TIMEOUT_SECONDS,
                stream=True,
                allow_redirects=False,
                headers={"Accept": ACCEPT_ATTRIBUTE},
            ) as response:
                if response.is_redirect:
                    url = urljoin(url, response.headers["Location"])
                    continue
                if response.status_code != 200:
                    raise PhotoDownloadFailed(f"HTTP {response.status_code}")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise PhotoRejected(too_large_message())
                body = bytearray()
                for chunk in response.iter_content(chunk_size=64 * 1024):
                    body += chunk
                    if len(body) > limit:
                        raise PhotoRejected(too_large_message())
                    if time.monotonic() > deadline:
                        raise PhotoDownloadFailed("too slow")
                return bytes(body)
    raise PhotoDownloadFailed("too many redirects")


def _check_fetch_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise PhotoDownloadFailed(f"scheme {parts.scheme!r} is not allowed")
    host = (parts.hostname or "").lower()
    allowed = getattr(settings, "TSUNAGU_PHOTO_FETCH_HOSTS", DEFAULT_FETCH_HOSTS)
    if not any(host == entry or (entry.startswith(".") and host.endswith(entry)) for entry in allowed):
        raise PhotoDownloadFailed(f"host {host!r} is not allowed")


# --- Serving ----------------------------------------------------------------------

PHOTO_SIZES = ("full", "thumb")


def photo_response(profile: CandidateProfile, size: str, *, for_owner: bool = False) -> FileResponse:
    """The photo (size "full" or "thumb") as a private JPEG response, or 404.

    The caller has decided that the person asking may see this candidate's
    photo. A photo hidden by moderation is 404 for everyone but its owner
    (`for_owner`)."""
    if size not in PHOTO_SIZES:
        raise Http404
    stored = profile.photo if size == "full" else profile.photo_thumbnail
    if not stored or (profile.photo_hidden and not for_owner):
        raise Http404
    try:
        file = stored.storage.open(stored.name, "rb")
    except FileNotFoundError:
        raise Http404
    # A fixed filename: the random storage name stays private.
    response = FileResponse(file, content_type="image/jpeg", filename="photo.jpg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Other sites may not embed it, even for a signed-in visitor.
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
